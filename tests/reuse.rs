//! An analysis that takes over what the analysis of the last version kept (the language
//! server's) gives exactly the document a fresh analysis gives, after any edit: in Markdown and
//! in plain text, with blocks split, joined, moved and changed, and quotations and sentence
//! marks typed in and removed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use belysa::analysis::{analyze, analyze_reusing, Reuse};
use belysa::document::{DocKind, Format};
use proptest::prelude::*;

fn corpus(ids: &[&str]) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
    let mut out = String::new();
    for id in ids {
        out.push_str(&std::fs::read_to_string(root.join(format!("{id}.txt"))).unwrap());
        out.push_str("\n\n");
    }
    out
}

/// The whole document as text, every field included: two analyses are the same document when
/// these are equal.
fn fresh(text: &str, format: Format) -> String {
    format!("{:?}", analyze("t", text.to_string(), format, Some(DocKind::Budget)))
}

fn reusing(text: &str, format: Format, reuse: &mut Reuse) -> String {
    format!(
        "{:?}",
        analyze_reusing("t", text.to_string(), format, Some(DocKind::Budget), reuse)
    )
}

/// Replaces `removed` bytes at `at` (moved down to character boundaries) by `inserted`.
fn edit(text: &mut String, at: usize, removed: usize, inserted: &str) {
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(at);
    let end = floor(start + removed).max(start);
    text.replace_range(start..end, inserted);
}

#[test]
fn edits_that_split_join_and_move_blocks_give_the_fresh_analysis() {
    for format in [Format::Text, Format::Markdown] {
        let mut text = corpus(&["045", "020"]);
        let mut reuse = Reuse::default();
        assert_eq!(reusing(&text, format, &mut reuse), fresh(&text, format));
        let mid = text.len() / 2;
        let steps: [(usize, usize, &str); 9] = [
            // A sentence typed into the middle of a paragraph.
            (mid, 0, "Ny mening här. "),
            // A paragraph split in two, then joined again.
            (mid, 0, "\n\n"),
            (mid, 2, ""),
            // An opening quotation mark whose closing one is far away, then the closing one.
            (mid / 2, 0, "”"),
            (mid / 2 + 200, 0, "”"),
            // A block removed near the start: everything after it moves.
            (100, 300, ""),
            // Edits at the very start and the very end.
            (0, 0, "Rubrik\n\n"),
            (usize::MAX, 0, "\n\nSista stycket. Med två meningar!"),
            // Everything replaced.
            (0, usize::MAX, "Helt ny text. ”Citat.”\n\nOch ett stycke till."),
        ];
        for (at, removed, inserted) in steps {
            edit(&mut text, at, removed, inserted);
            assert_eq!(
                reusing(&text, format, &mut reuse),
                fresh(&text, format),
                "after inserting {inserted:?} at {at} ({format:?})"
            );
        }
    }
}

#[test]
fn the_first_or_last_character_of_a_block_changed_gives_the_fresh_analysis() {
    // Each edit changes exactly one byte at the edge of a block, the text both versions share
    // reaching one byte into it: that block must not be taken for unchanged. The new byte
    // opens or closes a quotation.
    let cases = [
        ("Inledning.\n\nXhej\" sa hon. Sedan gick hon.\n\nSlut.\n", 'X'),
        (
            "Inledning.\n\nHon sa så här till alla som var där i salen på mötet: \"hej och gick.X\n\nSlut.\n",
            'X',
        ),
    ];
    for format in [Format::Text, Format::Markdown] {
        for (base, at) in cases {
            let mut text = base.to_string();
            let mut reuse = Reuse::default();
            reusing(&text, format, &mut reuse);
            let at = text.find(at).unwrap();
            edit(&mut text, at, 1, "\"");
            let again = reusing(&text, format, &mut reuse);
            assert_eq!(again, fresh(&text, format));
            assert!(!again.contains("quotes: []"), "{again}");
        }
    }
}

#[test]
fn a_text_cut_or_continued_at_its_end_gives_the_fresh_analysis() {
    // The end of the text is no place to start again: the edit may have cut a number, a word or
    // a hyphenated word there in two.
    let base = "Budget 2025\n\nVi satsar 1 230 000 kr på jäm-\nställdhet och 12,5 procent mer på skolan.\n";
    for format in [Format::Text, Format::Markdown] {
        for k in (0..=base.len()).filter(|&k| base.is_char_boundary(k)) {
            let mut reuse = Reuse::default();
            reusing(base, format, &mut reuse);
            assert_eq!(
                reusing(&base[..k], format, &mut reuse),
                fresh(&base[..k], format),
                "cut at {k}"
            );
            assert_eq!(
                reusing(base, format, &mut reuse),
                fresh(base, format),
                "continued from {k}"
            );
        }
    }
}

/// Text to insert: sentence marks, quotation marks, line breaks and blank lines, headings, list
/// items and words with Swedish letters.
fn insertion() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just(". ".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("\r\n".to_string()),
        Just("\"".to_string()),
        Just("”".to_string()),
        Just("«".to_string()),
        Just("…".to_string()),
        Just("\n\n## Förslag till beslut\n\n".to_string()),
        Just("\n- punkt ett\n- punkt två\n".to_string()),
        Just("Det sa hon: ”Vi ska se över det.” Sedan gick hon.".to_string()),
        "[a-zåäöA-ZÅÄÖ .,!?]{1,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_edits_give_the_fresh_analysis(
        edits in prop::collection::vec(
            (0.0..1.0f64, prop_oneof![3 => Just(0usize), 1 => 0..40usize, 1 => 0..3000usize], insertion()),
            1..6,
        ),
        markdown in any::<bool>(),
    ) {
        let format = if markdown { Format::Markdown } else { Format::Text };
        let mut text = corpus(&["020"]);
        let mut reuse = Reuse::default();
        reusing(&text, format, &mut reuse);
        for (at, removed, inserted) in &edits {
            let at = (at * text.len() as f64) as usize;
            edit(&mut text, at, *removed, inserted);
            prop_assert_eq!(reusing(&text, format, &mut reuse), fresh(&text, format));
        }
    }
}
