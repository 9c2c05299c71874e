//! The Word reader. An input that starts with the byte 0xFF is the parts `word/document.xml`,
//! `styles.xml`, `numbering.xml`, `header1.xml` and `footer1.xml`, separated by 0xFF and packed
//! into a valid (stored) container, so that mutations reach the XML; any other input is the file as it is,
//! the zip container and all (the fixtures in `tests/fixtures/formats` seed it as they are).
//! Whatever the reader returns goes through analysis and the rules.

use belysa::document::Format;
use belysa::ingest;

use super::common;

const PARTS: [&str; 5] = [
    "word/document.xml",
    "word/styles.xml",
    "word/numbering.xml",
    "word/header1.xml",
    "word/footer1.xml",
];

/// Runs one input of the `docx` fuzz target.
pub fn run(data: &[u8]) {
    let bytes = common::container(data, &PARTS);
    if let Ok(source) = ingest::read_bytes("fuzz.docx", &bytes, Format::Docx, &common::limits()) {
        common::check_source(&source);
    }
}
