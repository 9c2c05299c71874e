//! The text units the analyzers walk: prose sentences and table rows.

use crate::document::{Document, Span};

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
pub fn table_key(doc: &Document, t: &crate::document::Table) -> String {
    use std::fmt::Write as _;
    let base = t.span.start;
    let rel = |s: &Span| (s.start.saturating_sub(base), s.end.saturating_sub(base));
    let mut key = String::with_capacity(t.span.len() + 24 * t.rows.len());
    key.push_str(doc.slice(&t.span));
    key.push('\0');
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
