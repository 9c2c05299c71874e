//! The document model: what ingest and analysis produce and the rules read.
//!
//! Every span is a byte range into [`Document::text`], the decoded text of the original file
//! (UTF-8, BOM removed, line endings untouched). Line and column numbers are derived only at the
//! edges (renderers, the language server) through [`LineIndex`].

use std::ops::Range;

use serde::Serialize;

/// A byte range into the document text.
pub type Span = Range<usize>;

/// The kind of decision document, which decides the rules that apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum DocKind {
    Tjansteutlatande,
    Budget,
    Other,
}

impl DocKind {
    pub const ALL: [DocKind; 3] = [DocKind::Tjansteutlatande, DocKind::Budget, DocKind::Other];

    pub fn name(self) -> &'static str {
        match self {
            DocKind::Tjansteutlatande => "tjansteutlatande",
            DocKind::Budget => "budget",
            DocKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<DocKind> {
        DocKind::ALL.into_iter().find(|k| k.name() == s)
    }
}

/// The input format the text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Markdown,
    /// Word (Office Open XML), read into a Markdown rendition.
    Docx,
    /// OpenDocument text, read into a Markdown rendition.
    Odt,
    /// PDF, read into plain text with page breaks recorded.
    Pdf,
    /// HTML (e.g. exported from Word), read into a Markdown rendition.
    Html,
}

impl Format {
    /// Whether the text is analysed as Markdown (the renditions of Word, OpenDocument and HTML
    /// are Markdown) or as plain text (plain text and PDF).
    pub fn is_markdown(self) -> bool {
        matches!(self, Format::Markdown | Format::Docx | Format::Odt | Format::Html)
    }

    /// Whether the text is a rendition of a file people do not read as text, so that findings
    /// are located by page, paragraph and section rather than by line.
    pub fn is_converted(self) -> bool {
        matches!(self, Format::Docx | Format::Odt | Format::Pdf | Format::Html)
    }

    /// The Swedish name shown to people.
    pub fn label_sv(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "Markdown",
            Format::Docx => "Word (.docx)",
            Format::Odt => "OpenDocument (.odt)",
            Format::Pdf => "PDF",
            Format::Html => "HTML",
        }
    }
}

/// A metadata field found in the document head.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MetaKey {
    /// Dnr, Diarienummer, Vår beteckning, Ärende/Dok.id
    Dnr,
    Handlaggare,
    Datum,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    pub key: MetaKey,
    /// The whole field, label and value.
    pub span: Span,
    /// The value alone (may be empty when the label stands alone).
    pub value: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading text, without Markdown `#` marks, numbering kept, trimmed.
    pub heading: Span,
    /// 1 for the top level. Markdown: the number of `#`; plain text: from numbering ("2.1" → 2).
    pub level: u8,
    /// From the heading's start to the start of the next heading of the same or a higher level
    /// (subsections included).
    pub span: Span,
    /// From the end of the heading line to the start of the next heading of any level: the
    /// section's own text, without its subsections.
    pub own_body: Span,
    /// Index of the enclosing section in [`Document::sections`].
    pub parent: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    ListItem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    pub span: Span,
    pub kind: BlockKind,
    /// Innermost enclosing section.
    pub section: Option<usize>,
    /// Indexes into [`Document::sentences`].
    pub sentences: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    /// Index into [`Document::paragraphs`].
    pub paragraph: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub span: Span,
    /// Each cell's text, trimmed (may be an empty span).
    pub cells: Vec<Span>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub span: Span,
    pub section: Option<usize>,
    pub rows: Vec<Row>,
    /// True when the first row is a header row (Markdown tables always; plain-text tables when
    /// the first row has no numbers).
    pub header: bool,
}

/// A number in the text: "1 230", "1 230,5", "12 %", "12 procent", "1.5".
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    pub span: Span,
    pub value: f64,
    /// Followed by `%` or `procent`.
    pub percent: bool,
}

/// `<!-- belysa-disable-next-line PACK/RULE -- reason -->`, a `belysa-disable` … `belysa-enable`
/// pair, or `belysa: ignore PACK/RULE -- reason` in plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// Rule ids or pack names; empty means every rule.
    pub rules: Vec<String>,
    pub reason: Option<String>,
    /// The comment itself.
    pub span: Span,
    /// The text it silences.
    pub covers: Span,
}

/// The lowercased text that matchers run over.
///
/// Same as the original except: letters lowercased where that keeps the UTF-8 length, line
/// breaks and tabs turned into spaces, regions that are not prose (code, URLs, comments, Markdown
/// link targets, front matter) blanked with spaces, and end-of-line hyphenation ("jämställd-\nhet")
/// joined. Joining removes bytes, so offsets are mapped back with [`MatchText::to_original`].
#[derive(Debug, Clone, Default)]
pub struct MatchText {
    pub text: String,
    /// Sorted by position in `text`: (position in `text`, bytes removed before it in total).
    pub removed: Vec<(usize, usize)>,
}

impl MatchText {
    /// Maps an offset in the match text to the original text.
    pub fn to_original(&self, pos: usize) -> usize {
        let i = self.removed.partition_point(|&(p, _)| p <= pos);
        if i == 0 {
            pos
        } else {
            pos + self.removed[i - 1].1
        }
    }

    pub fn span_to_original(&self, span: Span) -> Span {
        let start = self.to_original(span.start);
        // The end maps as "the byte after the last one", so that a match ending right before a
        // join does not swallow the removed hyphen and line break.
        let end = if span.end > span.start {
            self.to_original(span.end - 1) + 1
        } else {
            start
        };
        start..end
    }
}

#[derive(Debug, Clone)]
pub struct Document {
    /// The file name as given, for messages ("-" for standard input).
    pub name: String,
    /// The decoded text; every span points into it.
    pub text: String,
    pub format: Format,
    pub kind: DocKind,
    /// Notes from ingest, e.g. "avkodad som Windows-1252".
    pub notes: Vec<String>,
    pub title: Option<Span>,
    pub metadata: Vec<Metadata>,
    /// In document order.
    pub sections: Vec<Section>,
    /// In document order.
    pub paragraphs: Vec<Paragraph>,
    /// In document order.
    pub sentences: Vec<Sentence>,
    pub tables: Vec<Table>,
    pub numbers: Vec<Number>,
    pub suppressions: Vec<Suppression>,
    /// Text inside quotation marks, or a quoted statute: someone else's words.
    pub quotes: Vec<Span>,
    pub matching: MatchText,
    /// Byte offsets where pages 2, 3, … begin, for formats with pages (PDF); empty otherwise.
    pub page_starts: Vec<usize>,
    /// Byte offsets where the paragraphs of the original file begin (Word, OpenDocument, HTML:
    /// headings, paragraphs, list items and table cells, in order), so that paragraph numbers
    /// follow the original rather than the rendition; empty for text formats.
    pub paragraph_starts: Vec<usize>,
}

/// Where a finding is, in words a person can follow in any format: the page (PDF), the
/// paragraph number counted from the start (headings included) and the section heading.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
}

impl Document {
    pub fn slice(&self, span: &Span) -> &str {
        self.text.get(span.clone()).unwrap_or("")
    }

    /// The innermost section containing `pos`.
    pub fn section_at(&self, pos: usize) -> Option<usize> {
        // Sections are in document order and nested ones start after their parent: the last
        // section that starts at or before `pos` and whose span contains it is the innermost.
        let upto = self.sections.partition_point(|s| s.span.start <= pos);
        (0..upto).rev().find(|&i| self.sections[i].span.contains(&pos))
    }

    /// The headings of the section at `pos` and all its ancestors, innermost first.
    pub fn section_chain(&self, pos: usize) -> impl Iterator<Item = usize> + '_ {
        let mut cur = self.section_at(pos);
        std::iter::from_fn(move || {
            let i = cur?;
            cur = self.sections[i].parent;
            Some(i)
        })
    }

    /// The sentence containing `pos`, if any.
    pub fn sentence_at(&self, pos: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.span.end <= pos);
        (i < self.sentences.len() && self.sentences[i].span.start <= pos).then_some(i)
    }

    pub fn paragraph_at(&self, pos: usize) -> Option<usize> {
        let i = self.paragraphs.partition_point(|p| p.span.end <= pos);
        (i < self.paragraphs.len() && self.paragraphs[i].span.start <= pos).then_some(i)
    }

    /// The page, paragraph number and section heading of a position.
    pub fn location(&self, pos: usize) -> Location {
        let page = (!self.page_starts.is_empty()).then(|| self.page_starts.partition_point(|&p| p <= pos) + 1);
        let paragraph = if self.paragraph_starts.is_empty() {
            let paragraphs = self.paragraphs.partition_point(|p| p.span.start <= pos);
            let headings = self.sections.partition_point(|s| s.heading.start <= pos);
            (paragraphs + headings > 0).then_some(paragraphs + headings)
        } else {
            let n = self.paragraph_starts.partition_point(|&p| p <= pos);
            (n > 0).then_some(n)
        };
        let section = self.section_at(pos).map(|i| {
            self.slice(&self.sections[i].heading)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        });
        Location {
            page,
            paragraph,
            section,
        }
    }

    pub fn in_quote(&self, span: &Span) -> bool {
        let i = self.quotes.partition_point(|q| q.end <= span.start);
        i < self.quotes.len() && self.quotes[i].start <= span.start && span.end <= self.quotes[i].end
    }
}

/// Byte offset ↔ line/column conversion, built once per text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
    /// In lines longer than [`MARK_STEP`]: a byte offset every `MARK_STEP` bytes or so, with the
    /// characters and UTF-16 units before it in its line. A column is counted from the nearest
    /// mark, not from the line's start: thousands of findings on a line of megabytes would
    /// otherwise take time quadratic in its length.
    marks: Vec<Mark>,
}

/// Bytes between column marks in a long line.
const MARK_STEP: usize = 16 * 1024;

/// A place on a character boundary in a long line, and how far into its line it is.
#[derive(Debug, Clone, Copy)]
struct Mark {
    at: usize,
    chars: usize,
    units: usize,
}

impl Mark {
    fn line_start(at: usize) -> Mark {
        Mark { at, chars: 0, units: 0 }
    }
}

/// A 1-based line and a 1-based column counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        // A "\r\n" pair ends one line; a lone "\r" (old Mac files) ends one too.
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        let mut marks = Vec::new();
        for (line, &start) in starts.iter().enumerate() {
            let end = starts.get(line + 1).copied().unwrap_or(text.len());
            let mut mark = Mark::line_start(start);
            while end - mark.at > MARK_STEP {
                let next = floor_char_boundary(text, mark.at + MARK_STEP);
                let between = &text[mark.at..next];
                mark = Mark {
                    at: next,
                    chars: mark.chars + between.chars().count(),
                    units: mark.units + between.chars().map(char::len_utf16).sum::<usize>(),
                };
                marks.push(mark);
            }
        }
        LineIndex { starts, marks }
    }

    /// 0-based line containing `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).saturating_sub(1)
    }

    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(usize::MAX)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 1-based line and character column of a byte offset (clamped to a char boundary).
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let mark = self.mark_before(self.starts[line], offset);
        let column = mark.chars + text[mark.at..offset].chars().count() + 1;
        LineCol { line: line + 1, column }
    }

    /// The last mark at or before `offset` in the line that starts at `start`, else the start.
    fn mark_before(&self, start: usize, offset: usize) -> Mark {
        match self.marks.partition_point(|m| m.at <= offset) {
            0 => Mark::line_start(start),
            m if self.marks[m - 1].at < start => Mark::line_start(start),
            m => self.marks[m - 1],
        }
    }

    /// The last mark of the line `start..end` whose count (`key`) is at most `column`, else the
    /// start.
    fn mark_at_column(&self, start: usize, end: usize, column: usize, key: fn(&Mark) -> usize) -> Mark {
        let lo = self.marks.partition_point(|m| m.at < start);
        let hi = self.marks.partition_point(|m| m.at < end);
        let line = &self.marks[lo..hi];
        match line.partition_point(|m| key(m) <= column) {
            0 => Mark::line_start(start),
            i => line[i - 1],
        }
    }
}

impl LineIndex {
    /// The byte offset of a 1-based line and character column: the inverse of
    /// [`LineIndex::line_col`]. A column past the end of its line gives the line's end, a line
    /// past the end the text's end.
    pub fn offset(&self, text: &str, pos: LineCol) -> usize {
        let Some(&start) = self.starts.get(pos.line.saturating_sub(1)) else {
            return text.len();
        };
        let end = self.line_end(text, pos.line.saturating_sub(1));
        let nth = pos.column.saturating_sub(1);
        let mark = self.mark_at_column(start, end, nth, |m| m.chars);
        text[mark.at..end]
            .char_indices()
            .nth(nth - mark.chars)
            .map_or(end, |(i, _)| mark.at + i)
    }

    /// The 0-based line and column in UTF-16 code units of a byte offset, as the Language Server
    /// Protocol counts them (offset clamped to a char boundary).
    pub fn utf16_position(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let mark = self.mark_before(self.starts[line], offset);
        let column = mark.units + text[mark.at..offset].encode_utf16().count();
        (line, column)
    }

    /// The byte offset of a 0-based line and UTF-16 column; a column inside a surrogate pair or
    /// past the end of the line gives the end of that character or line.
    pub fn utf16_offset(&self, text: &str, line: usize, column: usize) -> usize {
        let Some(&start) = self.starts.get(line) else {
            return text.len();
        };
        let end = self.line_end(text, line);
        let mark = self.mark_at_column(start, end, column, |m| m.units);
        let mut units = mark.units;
        for (i, c) in text[mark.at..end].char_indices() {
            if units >= column {
                return mark.at + i;
            }
            units += c.len_utf16();
        }
        end
    }

    /// The end of a 0-based line's text, before its line break.
    pub fn line_end(&self, text: &str, line: usize) -> usize {
        let next = self.starts.get(line + 1).copied().unwrap_or(text.len());
        let bytes = text.as_bytes();
        let mut end = next;
        if end > self.starts[line] && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > self.starts[line] && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        end
    }
}

/// Where an edit changed a text: the bytes both versions share at the start (`prefix`), and
/// where the bytes they share at the end begin in the old and in the new version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextChange {
    pub prefix: usize,
    pub old_tail: usize,
    pub new_tail: usize,
}

impl TextChange {
    /// The change from `old` to `new` (the shared start and end do not overlap).
    pub fn between(old: &str, new: &str) -> TextChange {
        let (a, b) = (old.as_bytes(), new.as_bytes());
        // By blocks of 64 bytes first (compared as slices), then byte by byte.
        let blocks = a
            .chunks_exact(64)
            .zip(b.chunks_exact(64))
            .take_while(|(x, y)| x == y)
            .count();
        let prefix = blocks * 64
            + a[blocks * 64..]
                .iter()
                .zip(&b[blocks * 64..])
                .take_while(|(x, y)| x == y)
                .count();
        let room = a.len().min(b.len()) - prefix;
        let (a_rest, b_rest) = (&a[a.len() - room..], &b[b.len() - room..]);
        let blocks = a_rest
            .rchunks_exact(64)
            .zip(b_rest.rchunks_exact(64))
            .take_while(|(x, y)| x == y)
            .count();
        let suffix = blocks * 64
            + a_rest[..room - blocks * 64]
                .iter()
                .rev()
                .zip(b_rest[..room - blocks * 64].iter().rev())
                .take_while(|(x, y)| x == y)
                .count();
        TextChange {
            prefix,
            old_tail: a.len() - suffix,
            new_tail: b.len() - suffix,
        }
    }
}

/// The largest char boundary at or below `i`.
pub fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines longer than the mark step are counted from marks; the answers must be those of
    /// counting from the line's start, for characters of one to four bytes and both line ends.
    #[test]
    fn long_lines_count_from_marks_as_from_the_start() {
        let piece = "aå€😀 b\u{308}";
        let long: String = piece.repeat(3 * MARK_STEP / piece.len() + 7);
        let text = format!("kort\r\n{long}\n{long}\r\nslut{long}");
        let idx = LineIndex::new(&text);
        assert!(idx.marks.len() >= 6, "{}", idx.marks.len());
        let mut offsets: Vec<usize> = (0..text.len()).step_by(997).collect();
        offsets.extend(idx.marks.iter().flat_map(|m| [m.at.saturating_sub(1), m.at, m.at + 1]));
        offsets.extend(
            idx.starts
                .iter()
                .flat_map(|&s| [s.saturating_sub(2), s.saturating_sub(1), s]),
        );
        offsets.push(text.len());
        for offset in offsets {
            let offset = floor_char_boundary(&text, offset);
            let line = idx.line_of(offset);
            let start = idx.starts[line];
            let chars = text[start..offset].chars().count();
            let units = text[start..offset].encode_utf16().count();
            let at = idx.line_col(&text, offset);
            assert_eq!((at.line, at.column), (line + 1, chars + 1), "line_col at {offset}");
            assert_eq!(idx.utf16_position(&text, offset), (line, units), "utf16 at {offset}");
            if offset < idx.line_end(&text, line) {
                assert_eq!(idx.offset(&text, at), offset, "offset of {at:?}");
                assert_eq!(idx.utf16_offset(&text, line, units), offset, "utf16_offset at {offset}");
            }
        }
    }

    #[test]
    fn line_col_counts_characters_and_crlf() {
        let text = "åäö\r\nb😀c\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(idx.line_col(text, 2), LineCol { line: 1, column: 2 });
        let c = text.find('c').unwrap_or(0);
        assert_eq!(idx.line_col(text, c), LineCol { line: 2, column: 3 });
        let x = text.find('x').unwrap_or(0);
        assert_eq!(idx.line_col(text, x), LineCol { line: 3, column: 1 });
    }

    #[test]
    fn match_text_maps_back_over_removed_bytes() {
        // "ab-\ncd" with "-\n" (2 bytes) removed after position 2: "abcd"
        let m = MatchText {
            text: "abcd".into(),
            removed: vec![(2, 2)],
        };
        assert_eq!(m.to_original(1), 1);
        assert_eq!(m.to_original(2), 4);
        assert_eq!(m.span_to_original(0..4), 0..6);
        assert_eq!(m.span_to_original(0..2), 0..2);
    }
}
