//! Raw bytes through ingest (encodings, BOMs, binary detection), then analysis and the rules.

use belysa::document::Format;
use belysa::ingest;

use super::common;

/// Runs one input of the `ingest` fuzz target.
pub fn run(data: &[u8]) {
    if let Ok(source) = ingest::decode("fuzz.txt", data, Format::Text) {
        common::check_text(&source.text, Format::Text);
    }
    if let Ok(source) = ingest::decode("fuzz.md", data, Format::Markdown) {
        common::check_text(&source.text, Format::Markdown);
    }
}
