//! The text units the analyzers walk: prose sentences and table rows.

use super::memo::UnitMemo;
use super::Finding;
use crate::document::{Document, Span, Table};

/// True when `span` overlaps a table.
pub fn in_table(doc: &Document, span: &Span) -> bool {
    let i = doc.tables.partition_point(|t| t.span.end <= span.start);
    i < doc.tables.len() && doc.tables[i].span.start < span.end
}

/// Indexes of the sentences that are prose (not inside a table), in document order.
pub fn prose_sentences(doc: &Document) -> Vec<usize> {
    (0..doc.sentences.len())
        .filter(|&i| !in_table(doc, &doc.sentences[i].span))
        .collect()
}

/// `span` shifted by `base`.
pub fn shift(span: &Span, base: usize) -> Span {
    span.start + base..span.end + base
}

/// Trims whitespace off a span of `text`.
#[cfg(test)]
pub fn trim_span(text: &str, span: Span) -> Span {
    let s = &text[span.clone()];
    let start = span.start + (s.len() - s.trim_start().len());
    let end = span.end - (s.len() - s.trim_end().len());
    start..end.max(start)
}

/// A memo key for a table: its text and how it was read (the header flag and every row's and
/// cell's place in it), so that a value computed from the table alone is reused only for a table
/// that reads and parses the same.
pub fn table_key(doc: &Document, t: &Table) -> String {
    table_key_in(doc, t, &t.span)
}

/// As [`table_key`], for a value computed from the text in `window` (which holds the table): the
/// window's text, and the table's, its rows' and its cells' places in it.
pub fn table_key_in(doc: &Document, t: &Table, window: &Span) -> String {
    let cells: usize = t.rows.iter().map(|r| r.cells.len() + 2).sum();
    let mut key = String::with_capacity(window.len() + 6 * (cells + 4));
    key.push_str(doc.slice(window));
    key.push('\0');
    // The table's span and header flag, then per row its span, its number of cells and their
    // spans, relative to the window.
    let rel = |key: &mut String, s: &Span| {
        push_number(key, s.start.saturating_sub(window.start));
        push_number(key, s.end.saturating_sub(window.start));
    };
    rel(&mut key, &t.span);
    push_number(&mut key, usize::from(t.header));
    for r in &t.rows {
        rel(&mut key, &r.span);
        push_number(&mut key, r.cells.len());
        for c in &r.cells {
            rel(&mut key, c);
        }
    }
    key
}

/// A number as two characters: cheaper than writing it in decimal, and as every number has the
/// same length, a key made of them reads back one way only.
fn push_number(key: &mut String, n: usize) {
    // Digits below the surrogates, so that each is a char; no text is this long.
    const BASE: usize = 0xD000;
    let n = n.min(BASE * BASE - 1);
    for digit in [n / BASE, n % BASE] {
        key.push(char::from_u32(digit as u32).unwrap_or('\0'));
    }
}

/// A table's findings, spans relative to the start of the text they were computed from.
#[derive(Debug)]
pub struct TableFindings(Vec<Finding>);

/// Runs `check` on every table, in document order, adding its findings to `out`. `check` must
/// be a pure function of the text in `window(table)` (which holds the table) and of the table's
/// structure: its findings are then kept in `memo` between checks, keyed by that text and
/// structure, and a table that reads the same in the same surroundings is not checked again.
pub fn per_table(
    doc: &Document,
    memo: &mut Option<&mut UnitMemo<TableFindings>>,
    window: impl Fn(&Table) -> Span,
    out: &mut Vec<Finding>,
    check: impl Fn(&Table, &mut Vec<Finding>),
) {
    for t in &doc.tables {
        let Some(m) = memo.as_deref_mut() else {
            check(t, out);
            continue;
        };
        let w = window(t);
        let found = m.get(&table_key_in(doc, t, &w), || {
            let mut v = Vec::new();
            check(t, &mut v);
            for f in &mut v {
                debug_assert!(
                    f.span.start >= w.start && f.span.end <= w.end,
                    "a finding outside its window"
                );
                f.span = f.span.start.saturating_sub(w.start)..f.span.end.saturating_sub(w.start);
            }
            TableFindings(v)
        });
        out.extend(found.0.iter().map(|f| Finding {
            span: shift(&f.span, w.start),
            values: f.values.clone(),
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze;
    use crate::document::Format;

    #[test]
    fn table_keys_tell_apart_how_a_table_was_read() {
        let doc = analyze(
            "t.md",
            "Text.\n\n| A | B |\n|---|---|\n| 1 | 2 |\n".to_string(),
            Format::Markdown,
            None,
        );
        let t = &doc.tables[0];
        assert_eq!(table_key(&doc, t), table_key(&doc, &t.clone()));
        let mut other = t.clone();
        other.header = !other.header;
        assert_ne!(table_key(&doc, t), table_key(&doc, &other));
        let mut other = t.clone();
        other.rows[1].cells[0].end += 1;
        assert_ne!(table_key(&doc, t), table_key(&doc, &other));
        let mut other = t.clone();
        let moved = other.rows[1].cells.pop().unwrap();
        other.rows[0].cells.push(moved);
        assert_ne!(table_key(&doc, t), table_key(&doc, &other));
        assert_ne!(table_key(&doc, t), table_key_in(&doc, t, &(0..t.span.end)));
    }

    #[test]
    fn numbers_in_keys_have_one_length_and_stay_apart() {
        let key = |n: usize| {
            let mut k = String::new();
            push_number(&mut k, n);
            k
        };
        for (a, b) in [
            (0, 1),
            (0xCFFF, 0xD000),
            (0xD000, 0xD001),
            (1 << 20, (1 << 20) + 1),
            (100_000_000, 99_999_999),
        ] {
            assert_ne!(key(a), key(b));
            assert_eq!(key(a).chars().count(), 2);
        }
    }
}
