//! A small document builder for tests, independent of the real analysis stage: paragraphs are
//! blank-line-separated blocks, sentences end at ". " before an upper-case letter, Markdown `#`
//! headings are sections and `|` lines are table rows.

use crate::document::{
    BlockKind, DocKind, Document, Format, MatchText, Number, Paragraph, Row, Section, Sentence, Span, Table,
};

use super::numbers::figures;
use super::units::trim_span;

/// Builds a [`Document`] from Markdown-like text.
pub fn doc(text: &str) -> Document {
    let mut sections: Vec<Section> = Vec::new();
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    let mut sentences: Vec<Sentence> = Vec::new();
    let mut tables: Vec<Table> = Vec::new();
    let mut block: Option<(Span, BlockKind)> = None;
    let mut table: Option<Table> = None;

    let mut lines: Vec<Span> = Vec::new();
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        lines.push(pos..pos + body.len());
        pos += line.len();
    }

    let flush_block = |block: &mut Option<(Span, BlockKind)>,
                       paragraphs: &mut Vec<Paragraph>,
                       sentences: &mut Vec<Sentence>,
                       sections: &[Section]| {
        if let Some((span, kind)) = block.take() {
            let p = paragraphs.len();
            let first = sentences.len();
            for s in split_sentences(text, span.clone()) {
                sentences.push(Sentence { span: s, paragraph: p });
            }
            paragraphs.push(Paragraph {
                span,
                kind,
                section: sections.len().checked_sub(1),
                sentences: first..sentences.len(),
            });
        }
    };

    for line in lines {
        let s = &text[line.clone()];
        let t = s.trim();
        if t.starts_with('|') {
            flush_block(&mut block, &mut paragraphs, &mut sentences, &sections);
            let is_sep = t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '));
            let tb = table.get_or_insert_with(|| Table {
                span: line.clone(),
                section: sections.len().checked_sub(1),
                rows: Vec::new(),
                header: false,
            });
            tb.span.end = line.end;
            if is_sep {
                tb.header = true;
                continue;
            }
            let lead = line.start + s.find('|').unwrap_or(0);
            let inner_end = line.start + s.trim_end().len();
            let inner_end = if text[..inner_end].ends_with('|') {
                inner_end - 1
            } else {
                inner_end
            };
            let mut cells = Vec::new();
            let mut start = lead + 1;
            for (i, c) in text[lead + 1..inner_end].char_indices() {
                if c == '|' {
                    cells.push(trim_span(text, start..lead + 1 + i));
                    start = lead + 1 + i + 1;
                }
            }
            cells.push(trim_span(text, start..inner_end.max(start)));
            tb.rows.push(Row {
                span: trim_span(text, line.clone()),
                cells,
            });
            continue;
        }
        if let Some(tb) = table.take() {
            tables.push(tb);
        }
        if t.is_empty() {
            flush_block(&mut block, &mut paragraphs, &mut sentences, &sections);
            continue;
        }
        if t.starts_with('#') {
            flush_block(&mut block, &mut paragraphs, &mut sentences, &sections);
            let level = t.chars().take_while(|&c| c == '#').count() as u8;
            let hstart = line.start + s.find('#').unwrap_or(0) + level as usize;
            let heading = trim_span(text, hstart..line.end);
            let parent = sections.iter().rposition(|x| x.level < level);
            sections.push(Section {
                heading,
                level,
                span: line.start..text.len(),
                own_body: line.end..text.len(),
                parent,
            });
            continue;
        }
        let item = t.starts_with("- ") || t.starts_with("* ");
        if item {
            flush_block(&mut block, &mut paragraphs, &mut sentences, &sections);
            let off = s.len() - s.trim_start().len() + 2;
            block = Some((trim_span(text, line.start + off..line.end), BlockKind::ListItem));
            flush_block(&mut block, &mut paragraphs, &mut sentences, &sections);
            continue;
        }
        let span = trim_span(text, line.clone());
        block = Some(match block.take() {
            Some((b, k)) => (b.start..span.end, k),
            None => (span, BlockKind::Paragraph),
        });
    }
    flush_block(&mut block, &mut paragraphs, &mut sentences, &sections);
    if let Some(tb) = table.take() {
        tables.push(tb);
    }
    for tb in &mut tables {
        if !tb.header {
            tb.header = tb
                .rows
                .first()
                .is_some_and(|r| !text[r.span.clone()].chars().any(|c| c.is_ascii_digit()));
        }
    }
    // Section ends: own_body stops at the next heading, span at the next one of the same or a
    // higher level.
    for i in 0..sections.len() {
        if let Some(next) = sections.get(i + 1) {
            sections[i].own_body.end = next.span.start;
        }
        let level = sections[i].level;
        if let Some(next) = sections[i + 1..].iter().find(|x| x.level <= level) {
            sections[i].span.end = next.span.start;
        }
    }
    let numbers = figures(text)
        .into_iter()
        .map(|f| Number {
            span: f.span,
            value: f.value,
            percent: f.percent,
        })
        .collect();
    Document {
        name: "test".into(),
        text: text.to_string(),
        format: Format::Markdown,
        kind: DocKind::Other,
        notes: Vec::new(),
        title: None,
        metadata: Vec::new(),
        sections,
        paragraphs,
        sentences,
        tables,
        numbers,
        suppressions: Vec::new(),
        quotes: Vec::new(),
        page_starts: Vec::new(),
        paragraph_starts: Vec::new(),
        matching: MatchText {
            text: text.to_lowercase(),
            removed: Vec::new(),
        },
    }
}

fn split_sentences(text: &str, span: Span) -> Vec<Span> {
    let mut out = Vec::new();
    let s = &text[span.clone()];
    let mut start = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '.' | '!' | '?') {
            let rest = &s[i + 1..];
            let trimmed = rest.trim_start();
            if trimmed.len() < rest.len() && trimmed.chars().next().is_some_and(char::is_uppercase) {
                out.push(trim_span(text, span.start + start..span.start + i + 1));
                start = i + 1;
            }
        }
        let _ = chars.peek();
    }
    let last = trim_span(text, span.start + start..span.end);
    if !last.is_empty() {
        out.push(last);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_sections_paragraphs_sentences_and_tables() {
        let t = "# Ärende\n\nFörsta meningen. Andra meningen\nfortsätter här.\n\n## Del\n\n| Kön | Antal |\n| --- | --- |\n| Kvinnor | 5 |\n\n- punkt ett\n";
        let d = doc(t);
        assert_eq!(d.sections.len(), 2);
        assert_eq!(d.slice(&d.sections[0].heading), "Ärende");
        assert_eq!(d.sections[1].parent, Some(0));
        assert_eq!(d.sentences.len(), 3);
        assert_eq!(d.slice(&d.sentences[1].span), "Andra meningen\nfortsätter här.");
        assert_eq!(d.tables.len(), 1);
        assert!(d.tables[0].header);
        assert_eq!(d.tables[0].rows.len(), 2);
        assert_eq!(d.slice(&d.tables[0].rows[1].cells[0]), "Kvinnor");
        assert_eq!(d.slice(&d.tables[0].rows[1].cells[1]), "5");
        assert_eq!(d.paragraphs[1].kind, BlockKind::ListItem);
        assert_eq!(d.slice(&d.paragraphs[1].span), "punkt ett");
    }
}
