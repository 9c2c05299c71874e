//! The Markdown rendition that the Word, OpenDocument and HTML readers write: headings as `#`,
//! list items as `- ` or `1. `, tables as pipe tables, metadata lines (`Dnr: …`) at the top.
//! It records where each of the original's paragraphs begins, so that a finding can be located
//! by paragraph number in the original.

use crate::document::Format;

use super::SourceText;

#[derive(Debug, Default)]
pub struct Rendition {
    meta: Vec<String>,
    body: String,
    /// Offsets into `body`.
    starts: Vec<usize>,
}

impl Rendition {
    pub fn new() -> Self {
        Rendition::default()
    }

    /// A metadata line from a header or footer ("Dnr: KS 2024/12"), written at the top.
    pub fn meta(&mut self, line: &str) {
        let line = clean(line);
        if !line.is_empty() && !self.meta.contains(&line) {
            self.meta.push(line);
        }
    }

    pub fn heading(&mut self, level: u8, text: &str) {
        let text = clean(text);
        if text.is_empty() {
            return;
        }
        let marks = "#".repeat(usize::from(level.clamp(1, 6)));
        self.block(&format!("{marks} "), &escape_inline(&text));
    }

    pub fn paragraph(&mut self, text: &str) {
        let text = clean(text);
        if !text.is_empty() {
            self.block("", &escape_block(&text));
        }
    }

    /// A list item; `number` for ordered lists. Nesting is flattened: an indented item could
    /// turn into a code block in Markdown.
    pub fn list_item(&mut self, number: Option<u32>, text: &str) {
        let text = clean(text);
        if text.is_empty() {
            return;
        }
        let marker = match number {
            Some(n) => format!("{n}. "),
            None => "- ".to_string(),
        };
        self.separate(true);
        self.starts.push(self.body.len());
        self.body.push_str(&marker);
        self.body.push_str(&escape_inline(&text));
        self.body.push('\n');
    }

    /// A table: rows of cell texts; the first row is the header row.
    pub fn table(&mut self, rows: &[Vec<String>]) {
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        if width == 0 || rows.iter().all(|r| r.iter().all(|c| clean(c).is_empty())) {
            return;
        }
        self.separate(false);
        for (i, row) in rows.iter().enumerate() {
            self.body.push('|');
            for c in 0..width {
                let cell = row.get(c).map(|c| clean(c)).unwrap_or_default();
                self.body.push(' ');
                if !cell.is_empty() {
                    self.starts.push(self.body.len());
                }
                self.body.push_str(&escape_inline(&cell).replace('|', "\\|"));
                self.body.push_str(" |");
            }
            self.body.push('\n');
            if i == 0 {
                self.body.push('|');
                self.body.push_str(&" --- |".repeat(width));
                self.body.push('\n');
            }
        }
    }

    fn block(&mut self, prefix: &str, text: &str) {
        self.separate(false);
        self.starts.push(self.body.len());
        self.body.push_str(prefix);
        self.body.push_str(text);
        self.body.push('\n');
    }

    /// A blank line before a new block, except between list items.
    fn separate(&mut self, list_item: bool) {
        if self.body.is_empty() {
            return;
        }
        let after_item = self.last_was_item();
        if !(list_item && after_item) {
            self.body.push('\n');
        }
    }

    fn last_was_item(&self) -> bool {
        let last = self.body.trim_end_matches('\n').rsplit('\n').next().unwrap_or("");
        last.starts_with("- ") || ordered_marker(last).is_some()
    }

    /// The finished source text: metadata lines, then the body.
    pub fn finish(self, name: &str, format: Format, notes: Vec<String>) -> SourceText {
        let mut text = String::new();
        for m in &self.meta {
            text.push_str(&escape_block(m));
            text.push_str("\n\n");
        }
        let shift = text.len();
        text.push_str(&self.body);
        SourceText {
            name: name.to_string(),
            text,
            format,
            notes,
            page_starts: Vec::new(),
            paragraph_starts: self.starts.into_iter().map(|s| s + shift).collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.body.trim().is_empty() && self.meta.is_empty()
    }
}

/// Whitespace runs (tabs, line breaks, no-break spaces kept as they are) collapsed to one space,
/// trimmed.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split([' ', '\t', '\n', '\r']).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Escapes what would turn a paragraph's start into Markdown syntax (a heading, list item, quote,
/// table or HTML block), and inline HTML and code marks.
fn escape_block(text: &str) -> String {
    let inline = escape_inline(text);
    let first = inline.chars().next();
    let needs = matches!(first, Some('#' | '>' | '|' | '=' | '~'))
        || ((inline.starts_with("- ") || inline.starts_with("* ") || inline.starts_with("+ ")) || inline == "-")
        || ordered_marker(&inline).is_some()
        || inline.starts_with("---")
        || inline.starts_with("***")
        || inline.starts_with("___");
    if needs {
        format!("\\{inline}")
    } else {
        inline
    }
}

fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '<' | '`' | '\\' | '[') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// "12. " or "3) " at the start.
fn ordered_marker(line: &str) -> Option<usize> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = line.get(digits..)?;
    (digits > 0 && digits < 10 && (rest.starts_with(". ") || rest.starts_with(") "))).then_some(digits + 2)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn blocks_lists_tables_and_metadata() {
        let mut r = Rendition::new();
        r.meta("Dnr:  KS 2024/12");
        r.heading(1, "Ärendet");
        r.paragraph("Text  med\tmellanrum.");
        r.list_item(None, "ett");
        r.list_item(Some(2), "två");
        r.table(&[
            vec!["Grupp".into(), "Antal".into()],
            vec!["Kvinnor".into(), "12".into()],
        ]);
        r.paragraph("1. inte en lista");
        let s = r.finish("a.docx", Format::Docx, Vec::new());
        assert_eq!(
            s.text,
            "Dnr: KS 2024/12\n\n# Ärendet\n\nText med mellanrum.\n\n- ett\n2. två\n\n| Grupp | Antal |\n| --- | --- |\n| Kvinnor | 12 |\n\n\\1. inte en lista\n"
        );
        let starts: Vec<String> = s
            .paragraph_starts
            .iter()
            .map(|&p| s.text[p..].chars().take(3).collect())
            .collect();
        assert_eq!(starts, ["# Ä", "Tex", "- e", "2. ", "Gru", "Ant", "Kvi", "12 ", "\\1."]);
    }
}

/// Labels of the fields in a header or footer that are kept as metadata (lowercase).
const META_LABELS: &[&str] = &[
    "dnr",
    "diarienummer",
    "vår beteckning",
    "er beteckning",
    "ärende/dok.id",
    "ärendenummer",
    "datum",
    "handläggare",
    "beslutsdatum",
    "sammanträdesdatum",
];

/// The metadata lines of a header or footer. Each paragraph is split at tabs; a piece that
/// starts with a known label is kept ("Dnr KS 2024/12"), a bare date becomes "Datum: …", and a
/// table row of labels followed by a row of values is paired column by column. Everything else
/// (the organisation's name, page numbers) is left out.
pub fn header_meta(paragraphs: &[String], tables: &[Vec<Vec<String>>]) -> Vec<String> {
    let mut out = Vec::new();
    for p in paragraphs {
        for piece in p.split('\t').map(clean).filter(|s| !s.is_empty()) {
            if let Some(line) = meta_piece(&piece) {
                out.push(line);
            }
        }
    }
    for rows in tables {
        for (i, row) in rows.iter().enumerate() {
            let labels: Vec<String> = row.iter().map(|c| clean(c)).collect();
            let all_labels = !labels.is_empty() && labels.iter().all(|l| l.is_empty() || label_only(l));
            match rows.get(i + 1) {
                Some(values) if all_labels => {
                    for (label, value) in labels.iter().zip(values) {
                        let value = clean(value);
                        if !label.is_empty() && !value.is_empty() {
                            out.push(format!("{}: {value}", label.trim_end_matches(':')));
                        }
                    }
                }
                _ => out.extend(labels.iter().filter_map(|c| meta_piece(c))),
            }
        }
    }
    out
}

fn meta_piece(piece: &str) -> Option<String> {
    let lower = piece.to_lowercase();
    if META_LABELS.iter().any(|l| {
        lower.starts_with(l) && lower[l.len()..].starts_with([' ', ':', '\u{a0}']) && lower.len() > l.len() + 1
    }) {
        Some(piece.to_string())
    } else if is_iso_date(piece) {
        Some(format!("Datum: {piece}"))
    } else {
        None
    }
}

fn label_only(cell: &str) -> bool {
    let lower = cell.trim_end_matches(':').to_lowercase();
    META_LABELS.contains(&lower.as_str())
}

/// "2024-03-01".
fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod meta_tests {
    use super::*;

    #[test]
    fn header_fields_become_metadata() {
        let paras = vec![
            "Stadsbyggnadskontoret\tDnr KS 2024/12".to_string(),
            "2024-03-01".to_string(),
            "Sida 1 av 3".to_string(),
        ];
        let tables = vec![vec![
            vec!["Handläggare".to_string(), "Diarienummer".to_string()],
            vec!["Anna Berg".to_string(), "SBN 2024/7".to_string()],
        ]];
        assert_eq!(
            header_meta(&paras, &tables),
            [
                "Dnr KS 2024/12",
                "Datum: 2024-03-01",
                "Handläggare: Anna Berg",
                "Diarienummer: SBN 2024/7"
            ]
        );
    }
}
