#![no_main]
//! The `reuse` fuzz target: `fuzz/checks/reuse.rs` says what it runs and what it asserts; the
//! same checks replay the committed seeds in `tests/fuzz_seeds.rs`.

use libfuzzer_sys::fuzz_target;

#[path = "../checks/mod.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::reuse::run(data));
