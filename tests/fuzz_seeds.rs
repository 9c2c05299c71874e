//! The committed fuzz seeds (`fuzz/seeds/TARGET`) replayed through their targets' own checks
//! (`fuzz/checks/`), on stable Rust and without libFuzzer: the inputs of every crash found so far
//! and the inputs that reach what the fuzzers' corpora reached stay regression tests in CI, with
//! the same assertions as under the fuzzer.
//!
//! As under libFuzzer, any panic is a failure, even one the code under test catches; the one
//! exception is the `pdf` target, where a panic while the reader extracts text (in pdf-extract)
//! and is caught by the reader is the reader doing its job, as the fuzz target's hook has it.

#[path = "../fuzz/checks/mod.rs"]
mod checks;

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::Once;

thread_local! {
    /// Whether this thread is running a seed.
    static REPLAYING: Cell<bool> = const { Cell::new(false) };
    /// Each panic of the seed being run: whether it came while extracting a PDF's text, and its
    /// message.
    static PANICS: RefCell<Vec<(bool, String)>> = const { RefCell::new(Vec::new()) };
}

/// Records every panic of a seed on the thread it happens on (tests run on several threads)
/// instead of printing it: whether a panic fails an input is the replay's decision. Any other
/// panic (a test's own assertion) goes to the usual hook.
fn record_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let usual = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if REPLAYING.with(Cell::get) {
                let extracting = belysa::ingest::pdf::extracting();
                let message = info.to_string();
                PANICS.with(|p| p.borrow_mut().push((extracting, message)));
            } else {
                usual(info);
            }
        }));
    });
}

/// Runs every seed of `target` and fails with the name of each seed that panicked.
fn replay(target: &str, run: fn(&[u8]), extraction_panics_allowed: bool) {
    record_panics();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds").join(target);
    let mut seeds: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap_or_else(|e| panic!("{}: {e}", dir.display())).path())
        .collect();
    seeds.sort();
    assert!(seeds.len() >= 100, "{}: only {} seeds", dir.display(), seeds.len());
    let mut failed = Vec::new();
    for seed in &seeds {
        let data = std::fs::read(seed).unwrap_or_else(|e| panic!("{}: {e}", seed.display()));
        PANICS.with(|p| p.borrow_mut().clear());
        REPLAYING.with(|r| r.set(true));
        let escaped = panic::catch_unwind(AssertUnwindSafe(|| run(&data))).is_err();
        REPLAYING.with(|r| r.set(false));
        let panics = PANICS.with(|p| std::mem::take(&mut *p.borrow_mut()));
        let fatal: Vec<_> = panics
            .into_iter()
            .filter(|(extracting, _)| escaped || !(extraction_panics_allowed && *extracting))
            .map(|(_, message)| message)
            .collect();
        if !fatal.is_empty() {
            failed.push(format!("{}: {}", seed.display(), fatal.join("; ")));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} seeds failed:\n{}",
        failed.len(),
        seeds.len(),
        failed.join("\n")
    );
}

#[test]
fn rules_seeds() {
    replay("rules", checks::rules::run, false);
}

#[test]
fn document_seeds() {
    replay("document", checks::document::run, false);
}

#[test]
fn ingest_seeds() {
    replay("ingest", checks::ingest::run, false);
}

#[test]
fn docx_seeds() {
    replay("docx", checks::docx::run, false);
}

#[test]
fn odt_seeds() {
    replay("odt", checks::odt::run, false);
}

#[test]
fn pdf_seeds() {
    replay("pdf", checks::pdf::run, true);
}

#[test]
fn html_seeds() {
    replay("html", checks::html::run, false);
}

#[test]
fn lsp_seeds() {
    replay("lsp", checks::lsp::run, false);
}

#[test]
fn reuse_seeds() {
    replay("reuse", checks::reuse::run, false);
}

/// The replay fails when a check fails: a panic in belysa's own code is reported with the seed.
#[test]
fn replay_reports_a_failing_input() {
    record_panics();
    let result = panic::catch_unwind(|| replay("document", |_| panic!("a check failed"), false));
    let message = match result {
        Ok(()) => String::new(),
        Err(e) => e.downcast_ref::<String>().cloned().unwrap_or_default(),
    };
    assert!(
        message.contains("seeds failed") && message.contains("a check failed"),
        "{message}"
    );
}
