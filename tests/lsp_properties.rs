//! Property test of the language server's incremental re-check: a document edited through the
//! server by random incremental edits (Swedish letters, emoji, CRLF, headings, tables) gets the
//! same diagnostics as a fresh check of the final text.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use proptest::prelude::*;
use serde_json::json;

use support::lsp_session::Session;

/// A base document: two corpus documents (a budget and a decision document) in a row, so that
/// edits land in big sections, tables and several top-level documents.
fn base_text() -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
    let mut out = String::new();
    for id in ["045", "020", "045"] {
        out.push_str(&std::fs::read_to_string(root.join(format!("{id}.txt"))).unwrap());
        out.push_str("\n\n");
    }
    out
}

/// Text to insert: words, sentences, line breaks of every kind, headings, a table row,
/// statistics and characters outside the Basic Multilingual Plane.
fn insertion() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("å".to_string()),
        Just("Åtgärd 😀 ".to_string()),
        Just("😀".to_string()),
        Just("\r\n".to_string()),
        Just("\n".to_string()),
        Just("\r\n\r\n".to_string()),
        Just("\n\n2 Ekonomi\n\n".to_string()),
        Just("\n# Förslag till beslut\n".to_string()),
        Just(" handikappade ".to_string()),
        Just("Under året fick 412 personer hemtjänst, varav 250 kvinnor och 150 män. ".to_string()),
        Just("| Kvinnor | Män | Totalt |\n| 12 | 10 | 23 |\n".to_string()),
        Just("Ärendet bedöms inte ha några konsekvenser för jämställdheten. ".to_string()),
        Just("35 procent av eleverna. ".to_string()),
        "[a-zåäöA-ZÅÄÖ .,]{1,12}",
        "\\PC{0,4}",
    ]
}

/// One edit: where (as fractions of the text, so that it fits any text), how much to remove,
/// what to insert, and whether to wait for that version's diagnostics before the next edit.
fn edit() -> impl Strategy<Value = (f64, usize, String, bool)> {
    (
        0.0..1.0f64,
        prop_oneof![3 => Just(0usize), 1 => 0..40usize, 1 => 0..2000usize],
        insertion(),
        any::<bool>(),
    )
}

/// The largest char boundary at or below `i` that is not inside a "\r\n" pair (a protocol
/// position cannot point between the two).
fn boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i)
        || (i > 0 && text.as_bytes()[i - 1] == b'\r' && text.as_bytes().get(i) == Some(&b'\n'))
    {
        i -= 1;
    }
    i
}

/// One server per kind setting (automatic, budget), shared by the cases: each case edits and
/// opens documents of its own.
fn session(budget: bool) -> MutexGuard<'static, Session> {
    static SESSIONS: OnceLock<[Mutex<Session>; 2]> = OnceLock::new();
    let sessions = SESSIONS.get_or_init(|| {
        [
            Mutex::new(Session::start(Duration::ZERO, json!({}))),
            Mutex::new(Session::start(Duration::ZERO, json!({"kind": "budget"}))),
        ]
    });
    sessions[usize::from(budget)].lock().unwrap_or_else(|e| e.into_inner())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn incremental_edits_give_the_diagnostics_of_a_fresh_check(
        edits in prop::collection::vec(edit(), 1..8),
        budget in any::<bool>(),
    ) {
        static CASE: AtomicUsize = AtomicUsize::new(0);
        let case = CASE.fetch_add(1, Ordering::Relaxed);
        let mut s = session(budget);
        let uri = format!("file:///tmp/belysa-prop/edited-{case}.txt");
        let mut text = base_text();
        s.open(&uri, "plaintext", 1, &text);
        let mut last = Some(s.diagnostics(&uri, 1));
        let mut version = 1;
        for (at, remove, insert, wait) in &edits {
            let start = boundary(&text, (at * text.len() as f64) as usize);
            let end = boundary(&text, start + remove).max(start);
            version += 1;
            s.change(&uri, version, &text, start, end, insert);
            text.replace_range(start..end, insert);
            last = wait.then(|| s.diagnostics(&uri, version));
        }
        let edited = match last {
            Some(d) => d,
            None => s.diagnostics(&uri, version),
        };
        let fresh = format!("file:///tmp/belysa-prop/fresh-{case}.txt");
        s.open(&fresh, "plaintext", 1, &text);
        let expected = s.diagnostics(&fresh, 1);
        s.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
        s.notify("textDocument/didClose", json!({"textDocument": {"uri": fresh}}));
        s.seen.clear();
        prop_assert_eq!(edited.len(), expected.len());
        for (a, b) in edited.iter().zip(&expected) {
            prop_assert_eq!(a, b);
        }
    }
}
