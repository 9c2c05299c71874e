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
    use std::fmt::Write as _;
    let base = window.start;
    let rel = |s: &Span| (s.start.saturating_sub(base), s.end.saturating_sub(base));
    let mut key = String::with_capacity(window.len() + 24 * t.rows.len() + 16);
    key.push_str(doc.slice(window));
    key.push('\0');
    let (a, b) = rel(&t.span);
    let _ = write!(key, "{a}-{b}");
    key.push(if t.header { 'h' } else { '-' });
    for r in &t.rows {
        let (a, b) = rel(&r.span);
        let _ = write!(key, "|{a}-{b}");
        for c in &r.cells {
            let (a, b) = rel(c);
            let _ = write!(key, ",{a}-{b}");
        }
    }
    key
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
