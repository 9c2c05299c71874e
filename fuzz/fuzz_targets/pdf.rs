#![no_main]
//! The `pdf` fuzz target: `fuzz/checks/pdf.rs` says what it runs and what it asserts; the
//! same checks replay the committed seeds in `tests/fuzz_seeds.rs`.
//!
//! The reader catches panics in pdf-extract and reports the file as unreadable. libFuzzer's
//! panic hook would abort on them first, so this target's hook lets a panic unwind while the
//! reader is extracting text (`belysa::ingest::pdf::extracting`); any other panic still aborts.

use std::sync::Once;

use libfuzzer_sys::fuzz_target;

#[path = "../checks/mod.rs"]
mod checks;

fn hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let abort = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !belysa::ingest::pdf::extracting() {
                abort(info);
            }
        }));
    });
}

fuzz_target!(|data: &[u8]| {
    hook();
    checks::pdf::run(data);
});
