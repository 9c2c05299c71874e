//! Byte offsets ↔ protocol positions, in UTF-8 or UTF-16 code units.
//!
//! Every span in belysa is a byte range into the document text; the protocol counts columns in
//! UTF-16 code units unless the client and server agree on UTF-8. This module is the only place
//! where the two meet. Lines end at `\n`, `\r\n` or a lone `\r`, as in the protocol and in
//! [`LineIndex`].

use lsp_types::{Position, PositionEncodingKind, Range};

use crate::document::{floor_char_boundary, LineIndex, Span};

/// The unit columns are counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it (it is the cheapest for us), else the protocol's UTF-16.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        }
    }
}

/// A position that does not exist in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutOfRange {
    pub position: Position,
}

impl std::fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "positionen rad {}, tecken {} finns inte i dokumentet",
            self.position.line, self.position.character
        )
    }
}

/// A text with its line index and the negotiated encoding.
pub struct PositionMap<'a> {
    text: &'a str,
    index: &'a LineIndex,
    encoding: Encoding,
}

impl<'a> PositionMap<'a> {
    pub fn new(text: &'a str, index: &'a LineIndex, encoding: Encoding) -> Self {
        PositionMap { text, index, encoding }
    }

    /// The byte range of a line's content, without its line break.
    fn line_content(&self, line: usize) -> Span {
        let start = self.index.line_start(line);
        let next = if line + 1 < self.index.line_count() {
            self.index.line_start(line + 1)
        } else {
            self.text.len()
        };
        let mut end = next;
        let bytes = self.text.as_bytes();
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        start..end
    }

    /// The position of a byte offset (clamped to the text and to a character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(self.text, offset);
        let line = self.index.line_of(offset);
        let content = self.line_content(line);
        let upto = offset.min(content.end).max(content.start);
        let character: usize = self.text[content.start..upto]
            .chars()
            .map(|c| self.encoding.width(c))
            .sum();
        Position {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            character: u32::try_from(character).unwrap_or(u32::MAX),
        }
    }

    pub fn range(&self, span: &Span) -> Range {
        Range {
            start: self.position(span.start),
            end: self.position(span.end.max(span.start)),
        }
    }

    /// The byte offset of a position. A line past the end, or a column inside a character (half
    /// a surrogate pair, or inside a UTF-8 sequence), is an error; a column past the end of its
    /// line means the end of the line, as the protocol says.
    pub fn offset(&self, position: Position) -> Result<usize, OutOfRange> {
        let err = || OutOfRange { position };
        let line = position.line as usize;
        if line >= self.index.line_count() {
            return Err(err());
        }
        let content = self.line_content(line);
        let want = position.character as usize;
        let mut units = 0;
        for (i, c) in self.text[content.clone()].char_indices() {
            if units == want {
                return Ok(content.start + i);
            }
            units += self.encoding.width(c);
            if units > want {
                return Err(err());
            }
        }
        Ok(content.end)
    }

    pub fn span(&self, range: Range) -> Result<Span, OutOfRange> {
        let start = self.offset(range.start)?;
        let end = self.offset(range.end)?;
        if end < start {
            return Err(OutOfRange { position: range.end });
        }
        Ok(start..end)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn swedish_letters_and_emoji_map_exactly() {
        let text = "Jämställdhet 😀 och\r\nbarn å ö\rslut";
        let index = LineIndex::new(text);
        let u16 = PositionMap::new(text, &index, Encoding::Utf16);
        let u8 = PositionMap::new(text, &index, Encoding::Utf8);
        let och = text.find("och").unwrap();
        // "Jämställdhet " is 13 characters, the emoji 2 UTF-16 units, then a space.
        assert_eq!(u16.position(och), pos(0, 16));
        assert_eq!(u8.position(och), pos(0, och as u32));
        assert_eq!(u16.offset(pos(0, 16)), Ok(och));
        // Inside the surrogate pair: no such place.
        assert!(u16.offset(pos(0, 14)).is_err());
        let o = text.find('ö').unwrap();
        assert_eq!(u16.position(o), pos(1, 7));
        assert_eq!(u16.offset(pos(1, 7)), Ok(o));
        assert_eq!(u16.offset(pos(2, 0)), Ok(text.find("slut").unwrap()));
        // Past the end of a line: the end of the line; past the last line: an error.
        assert_eq!(u16.offset(pos(0, 99)), Ok(text.find('\r').unwrap()));
        assert!(u16.offset(pos(3, 0)).is_err());
    }

    #[test]
    fn negotiation_prefers_utf8_only_when_offered() {
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        assert_eq!(
            Encoding::negotiate(Some(&[PositionEncodingKind::UTF16, PositionEncodingKind::UTF8])),
            Encoding::Utf8
        );
        assert_eq!(
            Encoding::negotiate(Some(&[PositionEncodingKind::UTF32])),
            Encoding::Utf16
        );
    }

    fn text_strategy() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("a".to_string()),
                Just("å".to_string()),
                Just("Ä".to_string()),
                Just("ö".to_string()),
                Just("😀".to_string()),
                Just("👩‍👩‍👧".to_string()),
                Just(" ".to_string()),
                Just("\n".to_string()),
                Just("\r\n".to_string()),
                Just("\r".to_string()),
                Just("é".to_string()),
            ],
            0..40,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn offsets_round_trip(text in text_strategy(), pick in 0usize..200) {
            let index = LineIndex::new(&text);
            let boundaries: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
            let offset = boundaries[pick % boundaries.len()];
            for enc in [Encoding::Utf8, Encoding::Utf16] {
                let map = PositionMap::new(&text, &index, enc);
                let p = map.position(offset);
                let back = map.offset(p).unwrap();
                // A place inside a "\r\n" pair maps to the end of its line, which is the "\r".
                let expected = if offset > 0 && text.as_bytes()[offset - 1] == b'\r' && text.as_bytes().get(offset) == Some(&b'\n') {
                    offset - 1
                } else {
                    offset
                };
                prop_assert_eq!(back, expected);
            }
        }

        #[test]
        fn positions_round_trip(text in text_strategy(), line in 0u32..45, character in 0u32..60) {
            let index = LineIndex::new(&text);
            for enc in [Encoding::Utf8, Encoding::Utf16] {
                let map = PositionMap::new(&text, &index, enc);
                if let Ok(offset) = map.offset(pos(line, character)) {
                    let p = map.position(offset);
                    prop_assert_eq!(p.line, line);
                    prop_assert!(p.character <= character);
                    prop_assert_eq!(map.offset(p).unwrap(), offset);
                }
            }
        }
    }
}
