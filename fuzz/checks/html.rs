//! The HTML reader: raw bytes through decoding and the reader, then analysis and the rules.

use belysa::document::Format;
use belysa::ingest;

use super::common;

/// Runs one input of the `html` fuzz target.
pub fn run(data: &[u8]) {
    if let Ok(source) = ingest::read_bytes("fuzz.html", data, Format::Html, &common::limits()) {
        common::check_source(&source);
    }
}
