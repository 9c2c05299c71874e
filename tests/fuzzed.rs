//! Inputs the fuzz targets in `fuzz/` found wrong answers or crashes with, kept as regression
//! tests (see docs/security.md, "Fuzzing").

#![allow(clippy::unwrap_used, clippy::expect_used)]

use belysa::document::Format;
use belysa::ingest::{self, pdf, Limits};

#[path = "../fuzz/checks/mod.rs"]
mod checks;

/// A PDF whose pages show `pages` (Windows-1252 bytes), one line each, in Helvetica, built as the
/// `pdf` fuzz target builds its structured inputs.
fn pdf_with_pages(pages: &[&[u8]]) -> Vec<u8> {
    let contents: Vec<Vec<u8>> = pages
        .iter()
        .map(|text| [&b"BT /F1 11 Tf 72 780 Td ("[..], text, b") Tj ET"].concat())
        .collect();
    let contents: Vec<&[u8]> = contents.iter().map(Vec::as_slice).collect();
    checks::pdf::build(&contents)
}

fn assert_starts_fit(text: &str, starts: &[usize]) {
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "not in order: {starts:?}");
    for &s in starts {
        assert!(text.is_char_boundary(s), "{s} is not a character boundary in {text:?}");
    }
}

/// Found by the `pdf` target: an empty page before a page whose first word joins the last
/// hyphenated word of the page before. The empty page was given the offset where the text ended
/// before the break was joined, which lay after the next page's start (page starts out of order,
/// findings put on the wrong page) and could fall inside a character.
#[test]
fn an_empty_page_before_a_joined_hyphenation_begins_where_the_next_page_does() {
    let pages = [
        "Nämnden beslutar om jämställd-".to_string(),
        String::new(),
        "ﬁnansieringen av verksamheten.".to_string(),
        "Barn och unga.".to_string(),
        "\n".to_string(),
    ];
    let (text, starts) = pdf::assemble(&pages);
    assert_eq!(
        text,
        "Nämnden beslutar om jämställdﬁnansieringen av verksamheten.\n\nBarn och unga.\n"
    );
    let joined = text.find('ﬁ').unwrap();
    let third = text.find("Barn").unwrap();
    // Pages 2 and 3 begin where the joined word goes on; page 5 (empty) at the end.
    assert_eq!(starts, [joined, joined, third, text.len()]);
    assert_starts_fit(&text, &starts);

    // The same through the reader and the document's locations.
    let bytes = pdf_with_pages(&[
        b"N\xe4mnden beslutar att godk\xe4nna f\xf6rslaget om j\xe4mst\xe4lld-",
        b"",
        b"heten i verksamheten inom hela kommunen.",
    ]);
    let source = ingest::read_bytes("beslut.pdf", &bytes, Format::Pdf, &Limits::default()).unwrap();
    assert_starts_fit(&source.text, &source.page_starts);
    let pos = source.text.find("verksamheten").unwrap();
    let doc = belysa::analysis::analyze_source(source, None);
    assert_eq!(doc.location(pos).page, Some(3));
    assert_eq!(doc.location(0).page, Some(1));
}

/// Found by the `lsp`, `html` and `document` targets at once, from their working corpora, after
/// the person-statistics analyzer learnt to look for a figure in brackets after a noun: a noun
/// match that takes in the digits glued before it ("431Handläggare") ends after the next
/// figure starts, and the text between them was sliced backwards (a panic).
#[test]
fn a_person_noun_glued_to_a_figure_is_not_sliced_backwards() {
    let rules = belysa::rules::RuleSet::builtin().unwrap();
    let selection = belysa::engine::Selection::default();
    for text in [
        "0/431Handläggare: Sara Lindqvist, fritidssekreterare.\n",
        "Antal 12barn (ca 30 %) deltog.\n",
        "Fritidsgården har öppet klockan 14.00–22barn (412) under sommaren.\n",
    ] {
        for format in [Format::Text, Format::Markdown] {
            let doc = belysa::analysis::analyze("fuzz.txt", text.to_string(), format, None);
            let out = belysa::engine::check(&doc, &rules, &selection);
            for d in &out.diagnostics {
                assert!(text.get(d.span.clone()).is_some(), "{d:?} in {text:?}");
            }
        }
    }
}
