//! What each fuzz target runs and asserts, one module a target, shared by the fuzz targets in
//! `fuzz/fuzz_targets/` (libFuzzer, nightly features) and the replay of the committed seeds in
//! `tests/fuzz_seeds.rs` (stable Rust, in CI). A target's binary holds every module and runs one.

#![allow(dead_code)]

pub mod common;
pub mod document;
pub mod docx;
pub mod html;
pub mod ingest;
pub mod lsp;
pub mod odt;
pub mod pdf;
pub mod reuse;
pub mod rules;
