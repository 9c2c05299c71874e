#![no_main]
//! The HTML reader: raw bytes through decoding and the reader, then analysis and the rules.

mod common;

use belysa::document::Format;
use belysa::ingest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(source) = ingest::read_bytes("fuzz.html", data, Format::Html, &common::limits()) {
        common::check_source(&source);
    }
});
