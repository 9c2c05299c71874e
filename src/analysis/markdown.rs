//! Markdown with pulldown-cmark: headings, paragraphs, list items, tables, block quotes, and the
//! regions that are not prose (code, HTML, link destinations, front matter).

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::document::{BlockKind, Row, Span, Table};

use super::lines::{trim_span, trim_span_chars};
use super::{HeadingInfo, Structure};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FrameKind {
    Heading(u8),
    Paragraph,
    Item,
    Cell,
    /// Emphasis, strong, strikethrough: inline, transparent.
    Inline,
    Link,
    Image,
    Code,
    /// Any other container (lists, block quotes, tables, rows, HTML blocks).
    Other,
}

impl FrameKind {
    fn collects_text(self) -> bool {
        matches!(
            self,
            FrameKind::Heading(_) | FrameKind::Paragraph | FrameKind::Item | FrameKind::Cell
        )
    }
}

struct Frame {
    kind: FrameKind,
    range: Span,
    /// The extent of the inline content seen so far.
    extent: Option<Span>,
}

#[derive(Default)]
struct Walker {
    stack: Vec<Frame>,
    st: Structure,
    table: Option<Table>,
    row: Option<Row>,
    first_h1: Option<Span>,
}

/// Analyses Markdown into the shared structure.
pub fn analyze_markdown(text: &str) -> Structure {
    let options = Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS | Options::ENABLE_STRIKETHROUGH;
    let mut w = Walker::default();
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        let range = clamp(text, range);
        match event {
            Event::Start(tag) => w.start(text, tag, range),
            Event::End(tag) => w.end(text, tag, range),
            Event::Text(_) | Event::SoftBreak | Event::HardBreak | Event::FootnoteReference(_) => w.inline(range),
            Event::Code(_) | Event::InlineMath(_) | Event::DisplayMath(_) => {
                w.st.blank.push(range.clone());
                w.inline(range);
            }
            Event::InlineHtml(_) | Event::Html(_) => {
                // HTML blocks were handled as a whole at their start.
                if !w.in_code() {
                    w.html(text, range.clone());
                    w.inline(range);
                }
            }
            Event::Rule | Event::TaskListMarker(_) => {}
        }
    }
    let mut st = w.st;
    st.blocks.sort_by_key(|b| b.0.start);
    st.title = w.first_h1.or_else(|| first_line_title(text));
    st
}

/// Keeps a range inside the text and on char boundaries.
fn clamp(text: &str, r: Span) -> Span {
    let end = crate::document::floor_char_boundary(text, r.end.min(text.len()));
    let start = crate::document::floor_char_boundary(text, r.start.min(end));
    start..end
}

fn first_line_title(text: &str) -> Option<Span> {
    let line = super::lines::split_lines(text)
        .into_iter()
        .find(|l| !l.is_blank(text))?;
    let span = line.trimmed(text);
    let s = text.get(span.clone())?;
    (s.split_whitespace().count() <= 15 && !s.ends_with('.') && !s.starts_with("---")).then_some(span)
}

fn extend(extent: &mut Option<Span>, r: &Span) {
    *extent = Some(match extent.take() {
        Some(e) => e.start.min(r.start)..e.end.max(r.end),
        None => r.clone(),
    });
}

impl Walker {
    fn in_code(&self) -> bool {
        self.stack.iter().any(|f| f.kind == FrameKind::Code)
    }

    /// Records inline content: extends the open links/images and the innermost text block.
    fn inline(&mut self, range: Span) {
        if self.in_code() {
            return;
        }
        for f in self.stack.iter_mut().rev() {
            match f.kind {
                FrameKind::Inline | FrameKind::Link | FrameKind::Image => extend(&mut f.extent, &range),
                k if k.collects_text() => {
                    extend(&mut f.extent, &range);
                    return;
                }
                _ => return,
            }
        }
    }

    fn html(&mut self, text: &str, range: Span) {
        self.st.blank.push(range.clone());
        let s = text.get(range.clone()).unwrap_or("");
        let mut from = 0;
        while let Some(open) = s[from..].find("<!--") {
            let open = from + open;
            let close = s[open + 4..].find("-->").map_or(s.len(), |c| open + 4 + c + 3);
            self.st.comments.push(range.start + open..range.start + close);
            from = close;
        }
    }

    fn push(&mut self, kind: FrameKind, range: Span) {
        self.stack.push(Frame {
            kind,
            range,
            extent: None,
        });
    }

    fn start(&mut self, text: &str, tag: Tag, range: Span) {
        let kind = match tag {
            Tag::Heading { level, .. } => FrameKind::Heading(heading_level(level)),
            Tag::Paragraph => FrameKind::Paragraph,
            Tag::Item => FrameKind::Item,
            Tag::TableCell => FrameKind::Cell,
            Tag::Emphasis | Tag::Strong | Tag::Strikethrough => {
                self.inline(range.clone());
                FrameKind::Inline
            }
            Tag::Link { .. } => {
                self.inline(range.clone());
                FrameKind::Link
            }
            Tag::Image { .. } => {
                self.inline(range.clone());
                FrameKind::Image
            }
            Tag::CodeBlock(_) => {
                self.st.blank.push(range.clone());
                FrameKind::Code
            }
            Tag::MetadataBlock(_) => {
                self.st.blank.push(range.clone());
                FrameKind::Code
            }
            Tag::HtmlBlock => {
                self.html(text, range.clone());
                FrameKind::Code
            }
            Tag::BlockQuote(_) => {
                self.st.quotes.push(trim_span(text, range.clone()));
                FrameKind::Other
            }
            Tag::List(_) => {
                self.flush_item_text();
                FrameKind::Other
            }
            Tag::Table(_) => {
                self.table = Some(Table {
                    span: trim_span(text, range.clone()),
                    section: None,
                    rows: Vec::new(),
                    header: true,
                });
                FrameKind::Other
            }
            Tag::TableHead | Tag::TableRow => {
                self.row = Some(Row {
                    span: trim_span(text, range.clone()),
                    cells: Vec::new(),
                });
                FrameKind::Other
            }
            _ => FrameKind::Other,
        };
        self.push(kind, range);
    }

    /// Emits the text collected directly in the innermost list item (tight lists) as a block.
    fn flush_item_text(&mut self) {
        let Some(f) = self.stack.iter_mut().rev().find(|f| f.kind.collects_text()) else {
            return;
        };
        if f.kind == FrameKind::Item {
            if let Some(e) = f.extent.take() {
                self.st.blocks.push((e, BlockKind::ListItem));
            }
        }
    }

    fn end(&mut self, text: &str, tag: TagEnd, _range: Span) {
        if matches!(tag, TagEnd::Item) {
            self.flush_item_text();
        }
        let Some(frame) = self.stack.pop() else {
            return;
        };
        match frame.kind {
            FrameKind::Heading(level) => self.end_heading(text, frame, level),
            FrameKind::Paragraph => {
                let in_item = self
                    .stack
                    .iter()
                    .rev()
                    .find(|f| f.kind.collects_text() || f.kind == FrameKind::Other)
                    .is_some_and(|f| f.kind == FrameKind::Item);
                if let Some(e) = frame.extent {
                    let kind = if in_item {
                        BlockKind::ListItem
                    } else {
                        BlockKind::Paragraph
                    };
                    self.st.blocks.push((trim_span(text, e), kind));
                }
            }
            FrameKind::Cell => {
                let cell = trim_span_chars(text, frame.range, &['|']);
                if let Some(row) = self.row.as_mut() {
                    row.cells.push(cell);
                }
            }
            FrameKind::Link | FrameKind::Image => self.blank_destination(text, &frame),
            _ => {}
        }
        match tag {
            TagEnd::TableHead | TagEnd::TableRow => {
                if let (Some(row), Some(table)) = (self.row.take(), self.table.as_mut()) {
                    table.rows.push(row);
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.st.tables.push(t);
                }
            }
            _ => {}
        }
    }

    fn end_heading(&mut self, text: &str, frame: Frame, level: u8) {
        let heading = match frame.extent {
            Some(e) => trim_span(text, e),
            None => frame.range.start..frame.range.start,
        };
        if level == 1 && self.first_h1.is_none() && heading.start < heading.end {
            self.first_h1 = Some(heading.clone());
        }
        self.st.headings.push(HeadingInfo {
            start: frame.range.start,
            heading,
            body_start: line_end_after(text, frame.range.end),
            level,
            numbering: None,
        });
    }

    /// Blanks the destination of an inline link or image: "[text](destination)".
    fn blank_destination(&mut self, text: &str, frame: &Frame) {
        let inner_end = frame.extent.as_ref().map_or(frame.range.start, |e| e.end);
        let Some(rest) = text.get(inner_end..frame.range.end) else {
            return;
        };
        if let Some(k) = rest.find("](") {
            let start = inner_end + k + 2;
            let end = if rest.ends_with(')') {
                frame.range.end - 1
            } else {
                frame.range.end
            };
            if start < end {
                self.st.blank.push(start..end);
            }
        }
        // The whole link counts as inline content of the enclosing block.
        self.inline(frame.range.clone());
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The start of the line after the one containing `pos - 1` (or `pos` when it starts a line).
fn line_end_after(text: &str, pos: usize) -> usize {
    let bytes = text.as_bytes();
    if pos == 0 || pos >= bytes.len() {
        return pos.min(bytes.len());
    }
    if matches!(bytes[pos - 1], b'\n') || (bytes[pos - 1] == b'\r' && bytes[pos] != b'\n') {
        return pos;
    }
    let mut i = pos;
    while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
        i += 1;
    }
    if i < bytes.len() && bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
        i + 2
    } else {
        (i + 1).min(bytes.len())
    }
}
