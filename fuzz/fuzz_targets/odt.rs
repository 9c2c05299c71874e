#![no_main]
//! The `odt` fuzz target: `fuzz/checks/odt.rs` says what it runs and what it asserts; the
//! same checks replay the committed seeds in `tests/fuzz_seeds.rs`.

use libfuzzer_sys::fuzz_target;

#[path = "../checks/mod.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::odt::run(data));
