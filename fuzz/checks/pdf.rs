//! The PDF reader. An input that starts with the byte 0xFF is the content streams of up to 16
//! pages, separated by 0xFF, put into a valid PDF with a Helvetica font `/F1`, so that mutations
//! reach text extraction and the assembly of pages (running headers, page numbers,
//! hyphenation); any other input is the file as it is. Whatever the reader returns goes through
//! analysis and the rules.
//!
//! The reader catches panics in pdf-extract and reports the file as unreadable; a panic that
//! starts in belysa, or one that escapes the reader, is a failure (the target's panic hook and
//! the seeds' replay tell them apart).

use belysa::document::Format;
use belysa::ingest;
use lopdf::{dictionary, Document, Object, Stream};

use super::common;

/// A valid PDF of up to 16 pages with the content streams `pages`, in which the font `/F1` is
/// Helvetica; an empty file if lopdf cannot write it.
pub fn build(pages: &[&[u8]]) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
    });
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let mut kids: Vec<Object> = Vec::new();
    for content in pages.iter().take(16) {
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.to_vec()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
        });
        kids.push(page_id.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
    });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    if doc.save_to(&mut out).is_err() {
        return Vec::new();
    }
    out
}

/// Runs one input of the `pdf` fuzz target.
pub fn run(data: &[u8]) {
    let built;
    let bytes = match data.split_first() {
        Some((0xFF, rest)) => {
            built = build(&common::parts(rest));
            &built[..]
        }
        _ => data,
    };
    if let Ok(source) = ingest::read_bytes("fuzz.pdf", bytes, Format::Pdf, &common::limits()) {
        common::check_source(&source);
    }
}
