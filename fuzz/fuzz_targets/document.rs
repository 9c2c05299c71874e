#![no_main]
//! The `document` fuzz target: `fuzz/checks/document.rs` says what it runs and what it asserts; the
//! same checks replay the committed seeds in `tests/fuzz_seeds.rs`.

use libfuzzer_sys::fuzz_target;

#[path = "../checks/mod.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::document::run(data));
