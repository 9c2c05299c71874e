//! The analysis of a text edited step by step, taking over what the last version's analysis kept
//! (`analyze_reusing`, as the language server does), against a fresh analysis of each version.
//!
//! The input: a first byte of flags (bit 0: Markdown, else text; bits 1–2: the document kind,
//! or none), then parts separated by the byte 0xFF. The first part is the first version; each
//! further part is one edit: two bytes of where it starts (modulo the text's length plus one) and
//! one of how many bytes it removes (both moved down to character boundaries), then the inserted
//! text.
//!
//! Asserted: after every edit the reused analysis is the same document, field by field, as the
//! fresh one.

use belysa::analysis::{analyze, analyze_reusing, Reuse};
use belysa::document::{DocKind, Format};

const MAX_EDITS: usize = 16;

fn floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Runs one input of the `reuse` fuzz target.
pub fn run(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let format = if flags & 1 == 0 { Format::Text } else { Format::Markdown };
    let kind = match (flags >> 1) & 3 {
        0 => None,
        1 => Some(DocKind::Tjansteutlatande),
        2 => Some(DocKind::Budget),
        _ => Some(DocKind::Other),
    };
    let mut parts = rest.split(|&b| b == 0xFF);
    let mut text = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let mut reuse = Reuse::default();
    let first = analyze_reusing("fuzz", text.clone(), format, kind, &mut reuse);
    assert_eq!(
        format!("{first:?}"),
        format!("{:?}", analyze("fuzz", text.clone(), format, kind))
    );
    for part in parts.take(MAX_EDITS) {
        let (at, removed, inserted) = match part {
            [a, b, r, inserted @ ..] => (usize::from(u16::from_le_bytes([*a, *b])), usize::from(*r), inserted),
            _ => continue,
        };
        let start = floor(&text, at % (text.len() + 1));
        let end = floor(&text, start + removed).max(start);
        text.replace_range(start..end, &String::from_utf8_lossy(inserted));
        let reused = analyze_reusing("fuzz", text.clone(), format, kind, &mut reuse);
        let fresh = analyze("fuzz", text.clone(), format, kind);
        assert_eq!(
            format!("{reused:?}"),
            format!("{fresh:?}"),
            "after an edit at {start}..{end}"
        );
    }
}
