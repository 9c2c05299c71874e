//! Plain text, line based: headings by shape and known names, paragraphs, list items, tables.

use crate::document::{BlockKind, Span};

use rayon::prelude::*;

use super::lines::Line;
use super::tables::find_text_tables;
use super::{HeadingInfo, Structure};

/// Known section names (lowercase), matched after removing numbering and a trailing colon.
pub const SECTION_NAMES: &[&str] = &[
    "sammanfattning",
    "sammanfattning av ärendet",
    "förslag till beslut",
    "förvaltningens förslag till beslut",
    "beslutsförslag",
    "beslutsunderlag",
    "bakgrund",
    "ärendet",
    "ärendebeskrivning",
    "beskrivning av ärendet",
    "ärendets beredning",
    "beredning",
    "förvaltningens synpunkter",
    "förvaltningens synpunkter och förslag",
    "förvaltningens bedömning",
    "bedömning",
    "mina synpunkter",
    "konsekvenser",
    "konsekvensanalys",
    "ekonomiska konsekvenser",
    "ekonomisk bedömning",
    "konsekvenser för jämställdhet",
    "jämställdhetsanalys",
    "jämställdhetsperspektiv",
    "barnkonsekvensanalys",
    "barnperspektiv",
    "barnkonsekvenser",
    "bilagor",
    "beslutet skickas till",
    "beslut sänds till",
    "beslutet expedieras till",
    "expedieras",
    "mål",
    "indikatorer",
    "innehållsförteckning",
    "inledning",
    "tjänsteskrivelse",
    "tjänsteutlåtande",
];

/// Headings after which short lines are recipients or attachments, not headings.
const LIST_HEADINGS: &[&str] = &[
    "beslutet skickas till",
    "beslut sänds till",
    "beslutet expedieras till",
    "expedieras",
    "bilagor",
    "beslutsunderlag",
];

/// Words that end a wrapped line, never a heading.
const CONTINUATION_WORDS: &[&str] = &[
    "och", "eller", "att", "som", "i", "på", "för", "med", "till", "av", "om", "de", "den", "det", "en", "ett", "samt",
    "från", "vid", "är", "har", "inom", "under", "mot", "efter", "the", "så", "men", "när", "där", "kan", "ska",
    "vara",
];

/// Lines with more words than this are never headings.
const MAX_HEADING_WORDS: usize = 12;
/// Shape-only headings are shorter still.
const MAX_SHAPE_WORDS: usize = 10;

/// The byte length of a list marker ("- ", "• ", "* ", "1. ", "2) ") with the whitespace after it,
/// at the start of the trimmed line `s`.
pub fn list_marker_len(s: &str) -> Option<usize> {
    let mut chars = s.char_indices();
    let (_, first) = chars.next()?;
    let marker_end = if matches!(first, '-' | '•' | '*' | '–' | '▪' | '◦' | '·' | '\u{f0b7}') {
        first.len_utf8()
    } else if first.is_ascii_digit() {
        let digits = s.bytes().take_while(|b| b.is_ascii_digit()).count();
        if digits > 3 || !matches!(s.as_bytes().get(digits), Some(b'.') | Some(b')')) {
            return None;
        }
        digits + 1
    } else {
        return None;
    };
    let rest = &s[marker_end..];
    let body = rest.trim_start();
    if body.len() == rest.len() || body.is_empty() {
        return None;
    }
    Some(s.len() - body.len())
}

/// The numbering at the start of a heading ("2.1 ", "3 ", "1.2. ") and its number of parts, when
/// an upper-case letter follows.
pub fn heading_numbering(s: &str) -> Option<(usize, u8)> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut parts = 0u8;
    loop {
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start || i - start > 2 {
            return None;
        }
        parts = parts.saturating_add(1);
        if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
            continue;
        }
        break;
    }
    // "1.2. Text" is fine; "1. Text" (one part) is a list item.
    if b.get(i) == Some(&b'.') {
        if parts < 2 {
            return None;
        }
        i += 1;
    }
    let rest = &s[i..];
    let body = rest.trim_start();
    if body.len() == rest.len() || !body.chars().next().is_some_and(|c| c.is_uppercase()) {
        return None;
    }
    Some((s.len() - body.len(), parts))
}

/// Normalises a heading candidate for lookup: numbering and trailing colon removed, lowercase,
/// single spaces.
pub fn normalize_heading(s: &str) -> String {
    let s = s.trim();
    let s = match heading_numbering(s) {
        Some((len, _)) => &s[len..],
        None => s,
    };
    let s = s.trim_end().trim_end_matches(':').trim_end();
    let mut words = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !words.is_empty() {
            words.push(' ');
        }
        words.push_str(w);
    }
    words.to_lowercase()
}

/// True when `s` is one of the known section names.
pub fn is_known_heading(s: &str) -> bool {
    let n = normalize_heading(s);
    SECTION_NAMES.contains(&n.as_str()) || n.starts_with("förslag till beslut ")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    Blank,
    Table,
    Excluded,
    Text,
}

struct Ctx<'a> {
    text: &'a str,
    lines: &'a [Line],
    kinds: Vec<LineKind>,
    facts: Vec<LineFacts>,
}

/// What [`find_headings`] asks of a line again and again, worked out once per line. They depend
/// on the line's text alone (and its place, for `trimmed`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LineFacts {
    /// The line without surrounding white space.
    pub(crate) trimmed: Span,
    /// Whether its text could be a heading ([`candidate_text`]), whatever its kind.
    candidate: bool,
    /// Whether its text reads as body content: a list item, six words or more, or a sentence.
    content: bool,
    /// Its words, counted up to one more than [`MAX_HEADING_WORDS`]; for candidates only.
    words: u8,
}

impl LineFacts {
    pub(crate) fn of(text: &str, line: &Line) -> LineFacts {
        let trimmed = super::lines::trim_span(text, line.start..line.end);
        let s = text.get(trimmed.clone()).unwrap_or("");
        let (candidate, words) = candidate_text(s);
        LineFacts {
            candidate,
            content: s.ends_with('.') || list_marker_len(s).is_some() || count_words(s, 6) >= 6,
            // At most MAX_HEADING_WORDS + 1 = 13.
            words: words as u8,
            trimmed,
        }
    }
}

/// The number of white-space separated words of `s`, up to `cap` (as
/// `s.split_whitespace().take(cap).count()`). Counted by bytes up to a byte that can start a
/// white-space character outside ASCII (no Swedish letter does), then by characters.
pub fn count_words(s: &str, cap: usize) -> usize {
    if cap == 0 {
        return 0;
    }
    let mut words = 0;
    let mut in_word = false;
    for (k, &b) in s.as_bytes().iter().enumerate() {
        if matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3) {
            // On a character boundary: `b` starts a character. A word running into it goes on.
            let rest = &s[k..];
            let more = rest.split_whitespace().take(cap - words + 1).count();
            let joined = in_word && !rest.starts_with(char::is_whitespace);
            return (words + more - usize::from(joined && more > 0)).min(cap);
        }
        // char::is_whitespace within ASCII: tab, line feed, vertical tab, form feed, carriage
        // return and space.
        let space = matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ');
        if !space && !in_word {
            words += 1;
            if words == cap {
                return cap;
            }
        }
        in_word = !space;
    }
    words
}

impl Ctx<'_> {
    fn line(&self, i: usize) -> &str {
        self.text.get(self.facts[i].trimmed.clone()).unwrap_or("")
    }

    fn words(&self, i: usize) -> usize {
        usize::from(self.facts[i].words)
    }

    /// A text line whose text could be a heading ([`candidate_text`]).
    fn is_candidate(&self, i: usize) -> bool {
        self.kinds[i] == LineKind::Text && self.facts[i].candidate
    }

    /// A candidate short enough for a heading recognised by shape alone, not a wrapped line
    /// (ending in a function word or followed by a lower-case continuation) and not a table row.
    fn is_shape_candidate(&self, i: usize) -> bool {
        if !self.is_candidate(i) || self.words(i) > MAX_SHAPE_WORDS {
            return false;
        }
        let s = self.line(i);
        let last = s.split_whitespace().last().unwrap_or("").to_lowercase();
        if CONTINUATION_WORDS.contains(&last.as_str()) || s.contains('%') {
            return false;
        }
        if heading_numbering(s).is_none() && s.bytes().filter(|b| b.is_ascii_digit()).count() > 4 {
            return false;
        }
        let next_lower = i + 1 < self.lines.len()
            && self.kinds[i + 1] == LineKind::Text
            && self.line(i + 1).starts_with(|c: char| c.is_lowercase());
        !next_lower
    }

    fn prev_nonblank_is_break(&self, i: usize) -> bool {
        if i == 0 {
            return true;
        }
        match self.kinds[i - 1] {
            LineKind::Blank | LineKind::Table | LineKind::Excluded => true,
            LineKind::Text => self.line(i - 1).ends_with(['.', '!', '?', ':', '”', '"']),
        }
    }

    /// A line that reads as body content: a list item, a table row, a longer line or a sentence.
    fn is_content(&self, i: usize) -> bool {
        match self.kinds[i] {
            LineKind::Table => true,
            LineKind::Text => self.facts[i].content,
            _ => false,
        }
    }

    fn next_nonblank(&self, i: usize) -> Option<usize> {
        (i + 1..self.lines.len()).find(|&k| self.kinds[k] != LineKind::Blank)
    }

    /// Content follows, directly or after blank lines.
    fn followed_by_content(&self, i: usize) -> bool {
        self.next_nonblank(i).is_some_and(|k| self.is_content(k))
    }

    /// A numbered line next to another numbered line: a table of contents entry.
    fn is_toc_entry(&self, i: usize) -> bool {
        let numbered = |k: usize| self.kinds[k] == LineKind::Text && heading_numbering(self.line(k)).is_some();
        (i > 0 && numbered(i - 1)) || (i + 1 < self.lines.len() && numbered(i + 1))
    }

    /// The line before allows a heading: start, a blank, or a candidate heading that itself
    /// starts after a break.
    fn prev_ok(&self, i: usize) -> bool {
        self.prev_nonblank_is_break(i) || (self.is_shape_candidate(i - 1) && self.prev_nonblank_is_break(i - 1))
    }

    /// Content follows, possibly after up to `depth` short lines of any shape.
    fn follow_ok_after_labels(&self, i: usize, depth: u8) -> bool {
        if self.followed_by_content(i) {
            return true;
        }
        match self.next_nonblank(i) {
            Some(next) if depth > 0 && self.is_candidate(next) => self.follow_ok_after_labels(next, depth - 1),
            _ => false,
        }
    }

    /// Content follows, possibly after up to `depth` further (sub)headings.
    fn follow_ok(&self, i: usize, depth: u8) -> bool {
        if self.followed_by_content(i) {
            return true;
        }
        let Some(next) = self.next_nonblank(i) else {
            return false;
        };
        let next_heading = self.is_shape_candidate(next)
            || (self.is_candidate(next)
                && (heading_numbering(self.line(next)).is_some() || is_known_heading(self.line(next))));
        depth > 0 && next_heading && self.follow_ok(next, depth - 1)
    }
}

/// Analyses plain text into the shared structure.
/// `lines` are the text's lines ([`super::lines::split_lines`]).
pub fn analyze_text(text: &str, lines: Vec<Line>, excluded_lines: &[usize], parallel: bool) -> Structure {
    analyze_text_since(text, lines, excluded_lines, parallel, None)
}

/// As [`analyze_text`], taking over the facts of the lines the last analysis had (see
/// [`super::reuse`]). The structure keeps the lines' facts for the next analysis.
pub(crate) fn analyze_text_since(
    text: &str,
    lines: Vec<Line>,
    excluded_lines: &[usize],
    parallel: bool,
    previous: Option<&super::reuse::Previous>,
) -> Structure {
    let mut st = Structure::default();
    // The tables, and what the heading search asks of each line, side by side.
    let (tables, facts) = super::join(
        parallel,
        || find_text_tables(text, &lines),
        || {
            let n = lines.len();
            let one = |(k, l): (usize, &Line)| {
                previous
                    .and_then(|p| p.line_facts(k, l, n))
                    .unwrap_or_else(|| LineFacts::of(text, l))
            };
            if parallel {
                lines.par_iter().enumerate().with_min_len(1024).map(one).collect()
            } else {
                lines.iter().enumerate().map(one).collect::<Vec<LineFacts>>()
            }
        },
    );
    let mut kinds: Vec<LineKind> = facts
        .iter()
        .map(|f| {
            if f.trimmed.is_empty() {
                LineKind::Blank
            } else {
                LineKind::Text
            }
        })
        .collect();
    for t in &tables {
        for k in t.lines.clone() {
            kinds[k] = LineKind::Table;
        }
    }
    for &k in excluded_lines {
        if let Some(kind) = kinds.get_mut(k) {
            *kind = LineKind::Excluded;
        }
    }
    let ctx = Ctx {
        text,
        lines: &lines,
        kinds,
        facts,
    };
    let first = (0..lines.len()).find(|&k| ctx.kinds[k] != LineKind::Blank);
    if let Some(f) = first {
        let words = count_words(ctx.line(f), MAX_HEADING_WORDS + 1);
        if ctx.kinds[f] == LineKind::Text && words <= 15 && !ctx.line(f).ends_with('.') {
            st.title = Some(ctx.facts[f].trimmed.clone());
        }
    }
    let headings = find_headings(&ctx, first);
    build_blocks(&ctx, &headings, &mut st);
    st.headings = headings;
    st.tables = tables.into_iter().map(|t| t.table).collect();
    st.lines = lines.iter().map(|l| l.start..l.end).zip(ctx.facts).collect();
    st
}

/// Whether a line's text (trimmed) could be a heading: short, no sentence-final punctuation,
/// starts upper-case or with numbering, has letters and not more digits than letters. With it,
/// the line's words (up to one more than [`MAX_HEADING_WORDS`]) when they were counted.
fn candidate_text(s: &str) -> (bool, usize) {
    // The cheap tests first: most lines of prose fail one of them.
    if s.len() > 150 || (s.ends_with(['.', ',', ';', '–', '-']) && !s.ends_with("..")) {
        return (false, 0);
    }
    let first_ok =
        s.chars().next().is_some_and(|c| c.is_uppercase()) || heading_numbering(s).is_some() || s.starts_with('#');
    if !first_ok {
        return (false, 0);
    }
    let words = count_words(s, MAX_HEADING_WORDS + 1);
    if words > MAX_HEADING_WORDS || list_marker_len(s).is_some() {
        return (false, words);
    }
    let letters = s.chars().filter(|c| c.is_alphabetic()).count();
    let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
    (letters >= 2 && digits <= letters, words)
}

fn find_headings(ctx: &Ctx, first: Option<usize>) -> Vec<HeadingInfo> {
    let mut out: Vec<HeadingInfo> = Vec::new();
    let mut in_list_block = false;
    let mut context_level: Option<u8> = None;
    for i in 0..ctx.lines.len() {
        if !ctx.is_candidate(i) {
            continue;
        }
        // Every heading but the first line must start after a break: the cheap test first.
        if Some(i) != first && !ctx.prev_ok(i) {
            continue;
        }
        let s = ctx.line(i);
        let known = is_known_heading(s);
        let numbering = heading_numbering(s);
        let is_heading = if Some(i) == first {
            true
        } else if known {
            !(numbering.is_some() && ctx.is_toc_entry(i))
        } else if let Some((_, parts)) = numbering {
            // "5.1 …" is numbered like a heading more surely than "5 …", so short label lines
            // after it ("Beslutats av" / "Kommunfullmäktige") may stand between it and its text.
            let follows = if parts >= 2 {
                ctx.follow_ok_after_labels(i, 3)
            } else {
                ctx.follow_ok(i, 3)
            };
            follows && !s.contains('%') && !ctx.is_toc_entry(i)
        } else {
            !in_list_block && ctx.is_shape_candidate(i) && ctx.follow_ok(i, 3)
        };
        if !is_heading {
            continue;
        }
        let level = match numbering {
            Some((_, parts)) => {
                context_level = Some(parts);
                parts
            }
            None if known || Some(i) == first => {
                context_level = if Some(i) == first { None } else { Some(1) };
                1
            }
            None => context_level.map_or(1, |l| l.saturating_add(1)),
        }
        .clamp(1, 6);
        if known || numbering.is_some() {
            in_list_block = LIST_HEADINGS.contains(&normalize_heading(s).as_str());
        }
        let line = &ctx.lines[i];
        out.push(HeadingInfo {
            start: line.start,
            heading: ctx.facts[i].trimmed.clone(),
            body_start: line.next,
            level,
            numbering: numbering.map(|(len, _)| {
                let h = &ctx.facts[i].trimmed;
                h.start..h.start + len
            }),
        });
    }
    out
}

fn build_blocks(ctx: &Ctx, headings: &[HeadingInfo], st: &mut Structure) {
    let mut heading_iter = headings.iter().peekable();
    let mut current: Option<(Span, BlockKind)> = None;
    let flush = |cur: &mut Option<(Span, BlockKind)>, st: &mut Structure| {
        if let Some(b) = cur.take() {
            st.blocks.push(b);
        }
    };
    for (i, line) in ctx.lines.iter().enumerate() {
        let is_heading = heading_iter.peek().is_some_and(|h| h.start == line.start);
        if is_heading {
            heading_iter.next();
            flush(&mut current, st);
            continue;
        }
        if ctx.kinds[i] != LineKind::Text {
            flush(&mut current, st);
            continue;
        }
        let span = ctx.facts[i].trimmed.clone();
        let s = ctx.text.get(span.clone()).unwrap_or("");
        if let Some(m) = list_marker_len(s) {
            flush(&mut current, st);
            current = Some((span.start + m..span.end, BlockKind::ListItem));
        } else if let Some((cur, _)) = current.as_mut() {
            cur.end = span.end;
        } else {
            current = Some((span, BlockKind::Paragraph));
        }
    }
    flush(&mut current, st);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        // White space in and out of ASCII (vertical tab, no-break space, em space, line
        // separator, ideographic space), letters that share lead bytes with it (é, –, ”, 、).
        #[test]
        fn words_counted_as_split_whitespace_does(
            s in "[a \t\n\x0B\x0C\r\x1F\u{85}\u{a0}\u{2003}\u{2028}\u{3000}åé–”、]{0,30}",
            cap in 0usize..16,
        ) {
            prop_assert_eq!(count_words(&s, cap), s.split_whitespace().take(cap).count());
        }

        // Mostly text counted by bytes: ASCII and Swedish letters.
        #[test]
        fn words_counted_by_bytes_as_split_whitespace_does(
            s in "[aåÖ1 \t\n\x0B\x0C\r\x1F.]{0,30}",
            cap in 0usize..16,
        ) {
            prop_assert_eq!(count_words(&s, cap), s.split_whitespace().take(cap).count());
        }
    }

    #[test]
    fn markers_and_numbering() {
        assert_eq!(list_marker_len("- punkt"), Some(2));
        assert_eq!(list_marker_len("•  punkt"), Some("•  ".len()));
        assert_eq!(list_marker_len("1. Första"), Some(3));
        assert_eq!(list_marker_len("-5 %"), None);
        assert_eq!(list_marker_len("1.1 Rubrik"), None);
        assert_eq!(heading_numbering("2.1 Bakgrund"), Some((4, 2)));
        assert_eq!(heading_numbering("5.2.1 Hälsa"), Some((6, 3)));
        assert_eq!(heading_numbering("3 Uppföljning"), Some((2, 1)));
        assert_eq!(heading_numbering("1. Text"), None);
        assert_eq!(heading_numbering("2025 kallas"), None);
        assert_eq!(heading_numbering("2024 Budget"), None);
    }

    #[test]
    fn known_names() {
        assert!(is_known_heading("1.2 Förslag till beslut:"));
        assert!(is_known_heading("BESLUTSUNDERLAG"));
        assert!(is_known_heading("Förslag till beslut i kommunfullmäktige"));
        assert!(!is_known_heading("Förslag"));
    }

    #[test]
    fn pipe_table_after_a_signature_block_keeps_its_header_and_rows() {
        let t = "Beslutsunderlag\n\nTjänsteskrivelse, 2024-11-28\n\nAnna Berg                  Per Holm\nEnhetschef                 Controller\n\n| Område | Utfall 2023 | Budget 2024 |\n| --- | --- | --- |\n| Skola | -10 | -12 |\n| Vård | -20 | -21 |\n| Summa | -30 | -33 |\n\nSlut på texten.\n";
        let st = analyze_text(t, super::super::lines::split_lines(t), &[], false);
        let table = st
            .tables
            .iter()
            .find(|tb| t[tb.span.clone()].starts_with("| Område"))
            .unwrap_or_else(|| panic!("pipe table not found: {:?}", st.tables));
        assert!(
            table.header,
            "a separator row after the first row makes it a header row"
        );
        assert_eq!(table.rows.len(), 4);
        assert_eq!(&t[table.rows[3].cells[0].clone()], "Summa");
        // the signature block is a table of its own and ends at the blank line
        assert!(st
            .tables
            .iter()
            .all(|tb| !t[tb.span.clone()].contains("Per Holm") || !t[tb.span.clone()].contains('|')));
    }
}
