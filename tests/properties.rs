//! Property tests over generated texts: diagnostics point at the text they are about, fixes touch
//! nothing else, and positions round-trip between byte offsets, UTF-16 and line/column.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, OnceLock};

use proptest::prelude::*;

use belysa::analysis::analyze;
use belysa::cli::render::{json, Checked, FileReport};
use belysa::diagnostics::{Applicability, Diagnostic, Edit, Fix, Severity};
use belysa::document::{Format, LineCol, LineIndex};
use belysa::engine::{self, Selection};
use belysa::fix;
use belysa::rules::RuleSet;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().unwrap())
}

/// Every built-in rule, the ones off by default too.
fn everything() -> Selection {
    Selection {
        enable: rules().packs().iter().map(|p| p.name.clone()).collect(),
        ..Selection::default()
    }
}

/// Pieces of Swedish decision documents: words with safe fixes (in several capitalisations),
/// words with manual ones, numbers, Markdown and odd characters, joined by every kind of line
/// break.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("efterlevas".to_string()),
        Just("Efterlevs".to_string()),
        Just("DÄRVID".to_string()),
        Just("med biträde av".to_string()),
        Just("Med biträde\nav".to_string()),
        Just("handikappade".to_string()),
        Just("man och fru".to_string()),
        Just("jämställd-\nhet".to_string()),
        Just("Konsekvenser för barn".to_string()),
        Just("## Ärendet\n".to_string()),
        Just("# Förslag till beslut\n".to_string()),
        Just("| Kvinnor | Män | Totalt |\n|---|---|---|\n| 12 | 10 | 22 |\n".to_string()),
        Just("1 230 personer, varav 40 % kvinnor.".to_string()),
        Just("<!-- belysa-disable-next-line klarsprak -- citat -->\n".to_string()),
        Just("”citat efterlevas”".to_string()),
        Just("😀".to_string()),
        Just("\u{feff}".to_string()),
        Just("\t".to_string()),
        "[a-zåäöA-ZÅÄÖ]{1,12}",
        "\\PC{0,6}",
    ]
}

fn separator() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just(" ".to_string()),
        1 => Just(". ".to_string()),
        1 => Just("\n".to_string()),
        1 => Just("\r\n".to_string()),
        1 => Just("\r".to_string()),
        1 => Just("\n\n".to_string()),
        1 => Just("\r\n\r\n".to_string()),
    ]
}

fn document_text() -> impl Strategy<Value = String> {
    prop::collection::vec((piece(), separator()), 0..40)
        .prop_map(|parts| parts.into_iter().map(|(p, s)| p + &s).collect())
}

fn format() -> impl Strategy<Value = Format> {
    prop_oneof![Just(Format::Text), Just(Format::Markdown)]
}

/// The line breaks of a text in order: "\r\n", "\r" or "\n".
fn line_breaks(text: &str) -> Vec<&'static str> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\r' if b.get(i + 1) == Some(&b'\n') => {
                out.push("\r\n");
                i += 1;
            }
            b'\r' => out.push("\r"),
            b'\n' => out.push("\n"),
            _ => {}
        }
        i += 1;
    }
    out
}

/// Asserts that `new` is `old` with exactly the `applied` edits and nothing else changed.
fn only_edits_changed(old: &str, new: &str, applied: &[Edit]) {
    let mut at_old = 0;
    let mut at_new = 0;
    for e in applied {
        let keep = &old[at_old..e.span.start];
        assert_eq!(
            &new[at_new..at_new + keep.len()],
            keep,
            "text before {:?} changed",
            e.span
        );
        at_new += keep.len();
        assert_eq!(&new[at_new..at_new + e.replacement.len()], e.replacement);
        at_new += e.replacement.len();
        at_old = e.span.end;
    }
    assert_eq!(&new[at_new..], &old[at_old..], "text after the last edit changed");
}

fn check(text: &str, format: Format) -> Vec<Diagnostic> {
    let doc = analyze("prop", text.to_string(), format, None);
    engine::check(&doc, rules(), &everything()).diagnostics
}

/// 1-based line and column of a byte offset, counted from the start: lines end at "\n", "\r\n"
/// or a lone "\r".
fn naive_line_col(text: &str, offset: usize) -> (usize, usize) {
    let (mut line, mut column) = (1, 1);
    let mut chars = text[..offset].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => (line, column) = (line + 1, 1),
            _ => column += 1,
        }
    }
    (line, column)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn diagnostics_lie_on_char_boundaries_and_slice_the_original(text in document_text(), format in format()) {
        let doc = analyze("prop", text.clone(), format, None);
        prop_assert_eq!(&doc.text, &text);
        let out = engine::check(&doc, rules(), &everything());
        for d in &out.diagnostics {
            prop_assert!(d.span.start <= d.span.end && d.span.end <= text.len(), "{} {:?}", d.rule, d.span);
            prop_assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end), "{} {:?}", d.rule, d.span);
            for e in d.fix.iter().flat_map(|f| &f.edits) {
                prop_assert!(text.get(e.span.clone()).is_some(), "{} fix {:?}", d.rule, e.span);
            }
        }
        for s in &doc.sentences {
            prop_assert!(text.get(s.span.clone()).is_some());
        }
        // What the user is shown: the JSON report's text of each finding is the original's slice
        // at its offsets, and its line and column, counted here from the original, are those of
        // the offsets.
        let n = out.diagnostics.len();
        let report = FileReport {
            name: "prop".into(),
            outcome: Ok(Checked { doc: Arc::new(doc), diagnostics: out.diagnostics, suppressions: Vec::new() }),
        };
        let json: serde_json::Value = serde_json::from_str(&json::render(&[report])).unwrap();
        let shown = json["files"][0]["diagnostics"].as_array().unwrap();
        prop_assert_eq!(shown.len(), n);
        for d in shown {
            let (start, end) = (d["offset"][0].as_u64().unwrap() as usize, d["offset"][1].as_u64().unwrap() as usize);
            prop_assert_eq!(d["text"].as_str().unwrap(), &text[start..end]);
            for (offset, at) in [(start, &d["range"]["start"]), (end, &d["range"]["end"])] {
                prop_assert_eq!(
                    (at["line"].as_u64().unwrap() as usize, at["column"].as_u64().unwrap() as usize),
                    naive_line_col(&text, offset)
                );
            }
        }
    }

    #[test]
    fn fixes_change_nothing_but_their_ranges_and_reach_a_fixpoint(text in document_text(), format in format()) {
        let diagnostics = check(&text, format);
        let pass = fix::apply_once(&text, &diagnostics);
        only_edits_changed(&text, &pass.text, &pass.applied);
        for e in &pass.applied {
            // Only safe fixes are applied.
            let safe = diagnostics.iter().any(|d| {
                d.fix.as_ref().is_some_and(|f| f.applicability == Applicability::Safe && f.edits.contains(e))
            });
            prop_assert!(safe, "an edit that is no safe fix was applied: {:?}", e);
        }

        let fixed = fix::fix_text("prop", &text, format, None, rules(), &everything());
        prop_assert!(fixed.converged);
        prop_assert_eq!(line_breaks(&fixed.text), line_breaks(&text));
        // A second run finds nothing left to fix.
        let again = fix::fix_text("prop", &fixed.text, format, None, rules(), &everything());
        prop_assert_eq!(again.applied, 0);
        prop_assert_eq!(&again.text, &fixed.text);
    }

    #[test]
    fn arbitrary_edits_never_touch_text_outside_them(
        text in "\\PC{0,40}(\r\n|\n|\r)?\\PC{0,40}",
        edits in prop::collection::vec((0usize..100, 0usize..12, "\\PC{0,5}", any::<bool>()), 0..8),
    ) {
        let diagnostics: Vec<Diagnostic> = edits
            .into_iter()
            .map(|(start, len, replacement, safe)| Diagnostic {
                rule: "t/r".into(),
                severity: Severity::Hint,
                message: String::new(),
                help: None,
                sources: Vec::new().into(),
                span: start..start + len,
                suggestions: Vec::new(),
                fix: Some(Fix {
                    edits: vec![Edit { span: start..start + len, replacement }],
                    applicability: if safe { Applicability::Safe } else { Applicability::Manual },
                }),
            })
            .collect();
        let pass = fix::apply_once(&text, &diagnostics);
        only_edits_changed(&text, &pass.text, &pass.applied);
        prop_assert_eq!(line_breaks(&pass.text), line_breaks(&text));
        for w in pass.applied.windows(2) {
            prop_assert!(w[0].span.end <= w[1].span.start);
        }
    }

    #[test]
    fn positions_round_trip(text in "(\\PC{0,8}(\r\n|\n|\r)?){0,12}") {
        let index = LineIndex::new(&text);
        let bytes = text.as_bytes();
        for offset in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            // Between the "\r" and "\n" of one line break is no place a cursor can be.
            if offset > 0 && bytes[offset - 1] == b'\r' && bytes.get(offset) == Some(&b'\n') {
                continue;
            }
            let lc = index.line_col(&text, offset);
            prop_assert_eq!(index.offset(&text, lc), offset, "line/column {:?}", lc);
            let (line, col16) = index.utf16_position(&text, offset);
            prop_assert_eq!(line + 1, lc.line);
            prop_assert_eq!(index.utf16_offset(&text, line, col16), offset);
            let line_text = &text[index.line_start(line)..offset];
            prop_assert_eq!(col16, line_text.encode_utf16().count());
            prop_assert_eq!(lc.column, line_text.chars().count() + 1);
        }
    }
}

#[test]
fn utf16_columns_count_surrogate_pairs() {
    let text = "a😀b\r\nåx";
    let index = LineIndex::new(text);
    let b = text.find('b').unwrap();
    assert_eq!(index.utf16_position(text, b), (0, 3));
    assert_eq!(index.line_col(text, b), LineCol { line: 1, column: 3 });
    // A column inside the surrogate pair lands after the emoji, never inside it.
    assert_eq!(index.utf16_offset(text, 0, 2), b);
    let x = text.find('x').unwrap();
    assert_eq!(index.utf16_position(text, x), (1, 1));
    assert_eq!(index.offset(text, LineCol { line: 2, column: 2 }), x);
    // Past the end of a line: the end of that line, before its break.
    assert_eq!(index.utf16_offset(text, 0, 99), text.find('\r').unwrap());
    assert_eq!(index.offset(text, LineCol { line: 9, column: 1 }), text.len());
}
