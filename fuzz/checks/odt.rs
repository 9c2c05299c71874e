//! The OpenDocument reader. An input that starts with the byte 0xFF is the parts `content.xml`,
//! `styles.xml`, `mimetype` and `META-INF/manifest.xml`, separated by 0xFF and packed into a
//! valid (stored) container, so that mutations reach the XML; any other input is the file as it
//! is, the zip container and all (the fixtures in `tests/fixtures/formats` seed it as they are).
//! Whatever the reader returns goes through analysis and the rules.

use belysa::document::Format;
use belysa::ingest;

use super::common;

const PARTS: [&str; 4] = ["content.xml", "styles.xml", "mimetype", "META-INF/manifest.xml"];

/// Runs one input of the `odt` fuzz target.
pub fn run(data: &[u8]) {
    let bytes = common::container(data, &PARTS);
    if let Ok(source) = ingest::read_bytes("fuzz.odt", &bytes, Format::Odt, &common::limits()) {
        common::check_source(&source);
    }
}
