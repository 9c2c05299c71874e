//! Property test of the language server's incremental re-check: a document edited through the
//! server by random incremental edits (Swedish letters, emoji, CRLF, headings, tables) gets the
//! same diagnostics as a fresh check of the final text.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use proptest::prelude::*;
use serde_json::{json, Value};

use support::lsp_session::Session;

/// A base document: two corpus documents (a budget and a decision document) in a row, so that
/// edits land in big sections, tables and several top-level documents.
fn base_text() -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
    let mut out = String::new();
    for id in ["045", "020", "045"] {
        out.push_str(&std::fs::read_to_string(root.join(format!("{id}.txt"))).unwrap());
        out.push_str("\n\n");
    }
    out
}

/// Text to insert: words, sentences, line breaks of every kind, headings, a table row,
/// statistics and characters outside the Basic Multilingual Plane.
fn insertion() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("å".to_string()),
        Just("Åtgärd 😀 ".to_string()),
        Just("😀".to_string()),
        Just("\r\n".to_string()),
        Just("\n".to_string()),
        Just("\r\n\r\n".to_string()),
        Just("\n\n2 Ekonomi\n\n".to_string()),
        Just("\n# Förslag till beslut\n".to_string()),
        Just(" handikappade ".to_string()),
        Just("Under året fick 412 personer hemtjänst, varav 250 kvinnor och 150 män. ".to_string()),
        Just("| Kvinnor | Män | Totalt |\n| 12 | 10 | 23 |\n".to_string()),
        Just("Ärendet bedöms inte ha några konsekvenser för jämställdheten. ".to_string()),
        Just("35 procent av eleverna. ".to_string()),
        "[a-zåäöA-ZÅÄÖ .,]{1,12}",
        "\\PC{0,4}",
    ]
}

/// One edit: where (as fractions of the text, so that it fits any text), how much to remove,
/// what to insert, and whether to wait for that version's diagnostics before the next edit.
fn edit() -> impl Strategy<Value = (f64, usize, String, bool)> {
    (0.0..1.0f64, prop_oneof![3 => Just(0usize), 1 => 0..40usize, 1 => 0..2000usize], insertion(), any::<bool>())
}

/// The largest char boundary at or below `i` that is not inside a "\r\n" pair (a protocol
/// position cannot point between the two).
fn boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) || (i > 0 && text.as_bytes()[i - 1] == b'\r' && text.as_bytes().get(i) == Some(&b'\n')) {
        i -= 1;
    }
    i
}

fn fresh(session: &mut Session, text: &str, n: usize) -> Vec<Value> {
    let uri = format!("file:///tmp/belysa-prop/fresh-{n}.txt");
    session.open(&uri, "plaintext", 1, text);
    session.diagnostics(&uri, 1)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn incremental_edits_give_the_diagnostics_of_a_fresh_check(
        edits in prop::collection::vec(edit(), 1..8),
        budget in any::<bool>(),
    ) {
        let options = if budget { json!({"kind": "budget"}) } else { json!({}) };
        let mut s = Session::start(Duration::ZERO, options);
        let uri = "file:///tmp/belysa-prop/edited.txt";
        let mut text = base_text();
        s.open(uri, "plaintext", 1, &text);
        s.diagnostics(uri, 1);
        let mut version = 1;
        for (at, remove, insert, wait) in &edits {
            let start = boundary(&text, (at * text.len() as f64) as usize);
            let end = boundary(&text, start + remove).max(start);
            version += 1;
            s.change(uri, version, &text, start, end, insert);
            text.replace_range(start..end, insert);
            if *wait {
                s.diagnostics(uri, version);
            }
        }
        let edited = s.diagnostics(uri, version);
        let expected = fresh(&mut s, &text, 0);
        prop_assert_eq!(edited.len(), expected.len());
        for (a, b) in edited.iter().zip(&expected) {
            prop_assert_eq!(a, b);
        }
        prop_assert_eq!(s.shutdown(), 0);
    }
}
