//! Line splitting that understands `\n`, `\r\n` and lone `\r`, plus small span helpers.

use crate::document::Span;

/// One line of the text. `end` excludes the line break; `next` is the start of the next line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub start: usize,
    pub end: usize,
    pub next: usize,
}

impl Line {
    /// The line content without its line break.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }

    /// The line content with surrounding whitespace removed, as a span.
    pub fn trimmed(&self, text: &str) -> Span {
        trim_span(text, self.start..self.end)
    }

    pub fn is_blank(&self, text: &str) -> bool {
        self.text(text).trim().is_empty()
    }
}

/// Splits `text` into lines. A final line without a line break is included; an empty text has
/// no lines.
pub fn split_lines(text: &str) -> Vec<Line> {
    let bytes = text.as_bytes();
    let mut lines = Vec::with_capacity(bytes.len() / 64);
    let mut start = 0;
    while let Some(k) = memchr::memchr2(b'\n', b'\r', &bytes[start..]) {
        let end = start + k;
        let next = if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
            end + 2
        } else {
            end + 1
        };
        lines.push(Line { start, end, next });
        start = next;
        if start >= bytes.len() {
            break;
        }
    }
    if start < bytes.len() {
        lines.push(Line {
            start,
            end: bytes.len(),
            next: bytes.len(),
        });
    }
    lines
}

/// Shrinks a span so that it has no leading or trailing whitespace. Spans off char boundaries
/// or out of range come back empty at a safe position.
pub fn trim_span(text: &str, span: Span) -> Span {
    let Some(s) = text.get(span.clone()) else {
        let at = crate::document::floor_char_boundary(text, span.start);
        return at..at;
    };
    let lead = s.len() - s.trim_start().len();
    let trimmed = s.trim();
    let start = span.start + lead;
    start..start + trimmed.len()
}

/// Shrinks a span by the given characters at both ends (after trimming whitespace).
pub fn trim_span_chars(text: &str, span: Span, chars: &[char]) -> Span {
    let span = trim_span(text, span);
    let Some(s) = text.get(span.clone()) else {
        return span;
    };
    let lead = s.len() - s.trim_start_matches(chars).len();
    let inner = s.trim_matches(chars);
    let start = span.start + lead;
    trim_span(text, start..start + inner.len())
}

/// The index of the innermost section (of `sections`, in document order) that contains `pos`.
pub fn section_index(sections: &[crate::document::Section], pos: usize) -> Option<usize> {
    let upto = sections.partition_point(|s| s.span.start <= pos);
    (0..upto).rev().find(|&i| sections[i].span.contains(&pos))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // The splitter as it was before line breaks were searched for with memchr.
    fn split_lines_reference(text: &str) -> Vec<Line> {
        let bytes = text.as_bytes();
        let mut lines = Vec::new();
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => {
                    lines.push(Line {
                        start,
                        end: i,
                        next: i + 1,
                    });
                    start = i + 1;
                }
                b'\r' => {
                    let next = if bytes.get(i + 1) == Some(&b'\n') { i + 2 } else { i + 1 };
                    lines.push(Line { start, end: i, next });
                    start = next;
                    i = next;
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
        if start < bytes.len() {
            lines.push(Line {
                start,
                end: bytes.len(),
                next: bytes.len(),
            });
        }
        lines
    }

    proptest! {
        #[test]
        fn same_lines_as_byte_by_byte(t in "[a\r\nå \t]{0,40}") {
            prop_assert_eq!(split_lines(&t), split_lines_reference(&t));
        }
    }

    #[test]
    fn splits_all_line_endings() {
        let t = "a\r\nb\rc\n\nd";
        let lines = split_lines(t);
        let texts: Vec<&str> = lines.iter().map(|l| l.text(t)).collect();
        assert_eq!(texts, vec!["a", "b", "c", "", "d"]);
        assert_eq!(lines[0].next, 3);
        assert!(split_lines("").is_empty());
    }

    #[test]
    fn trims_spans() {
        let t = "  åäö  ";
        assert_eq!(&t[trim_span(t, 0..t.len())], "åäö");
        assert_eq!(trim_span(t, 0..2), 2..2);
        assert_eq!(trim_span(t, 0..3), 0..0);
        let t = "| cell |";
        assert_eq!(&t[trim_span_chars(t, 0..t.len(), &['|'])], "cell");
    }
}
