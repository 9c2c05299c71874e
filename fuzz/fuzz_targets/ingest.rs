#![no_main]
//! Raw bytes through ingest (encodings, BOMs, binary detection), then analysis and the rules.

mod common;

use belysa::document::Format;
use belysa::ingest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(source) = ingest::decode("fuzz.txt", data, Format::Text) {
        common::check_text(&source.text, Format::Text);
    }
    if let Ok(source) = ingest::decode("fuzz.md", data, Format::Markdown) {
        common::check_text(&source.text, Format::Markdown);
    }
});
