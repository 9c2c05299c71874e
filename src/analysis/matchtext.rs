//! The match text: lowercased, line breaks as spaces, non-prose blanked, hyphenation joined.

use std::sync::OnceLock;

use regex::Regex;

use crate::document::{MatchText, Span};

/// Words after which a line-end hyphen is an elision ("vård- och omsorg"), not a hyphenation.
const ELISION_WORDS: [&str; 5] = ["och", "eller", "samt", "till", "respektive"];

/// The pattern of URLs and e-mail addresses.
fn url_regex() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"https?://\S+|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}").ok()
    })
    .as_ref()
}

/// URLs and e-mail addresses in `text`: regions that are not prose.
///
/// A match holds "http" or "@" and no white space, so only the lines with one of those are
/// searched: the same matches as a search of the whole text, without running the pattern over
/// every line of prose.
pub fn url_and_email_spans(text: &str) -> Vec<Span> {
    let Some(re) = url_regex() else {
        return Vec::new();
    };
    let bytes = text.as_bytes();
    let http = memchr::memmem::Finder::new("http");
    let mut out = Vec::new();
    let mut next_at = memchr::memchr(b'@', bytes);
    let mut next_http = http.find(bytes);
    let mut cursor = 0;
    loop {
        // The next hit of either at or after `cursor`, each searched again only once passed.
        if next_at.is_some_and(|k| k < cursor) {
            next_at = memchr::memchr(b'@', &bytes[cursor..]).map(|k| cursor + k);
        }
        if next_http.is_some_and(|k| k < cursor) {
            next_http = http.find(&bytes[cursor..]).map(|k| cursor + k);
        }
        let hit = match (next_at, next_http) {
            (Some(a), Some(h)) => a.min(h),
            (Some(k), None) | (None, Some(k)) => k,
            (None, None) => break,
        };
        let start = memchr::memrchr(b'\n', &bytes[cursor..hit]).map_or(cursor, |k| cursor + k + 1);
        let end = memchr::memchr(b'\n', &bytes[hit..]).map_or(bytes.len(), |k| hit + k);
        // Line breaks are ASCII: `start` and `end` are character boundaries.
        let line = text.get(start..end).unwrap_or("");
        out.extend(re.find_iter(line).map(|m| start + m.start()..start + m.end()));
        cursor = end + 1;
        if cursor >= bytes.len() {
            break;
        }
    }
    out
}

/// Sorts spans and merges overlapping or touching ones.
pub fn normalize_spans(mut spans: Vec<Span>) -> Vec<Span> {
    spans.retain(|s| s.start < s.end);
    spans.sort_by_key(|s| (s.start, s.end));
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// Builds the match text. `blank` must be sorted and non-overlapping (see [`normalize_spans`]);
/// its spans must lie on char boundaries.
pub fn build(text: &str, blank: &[Span]) -> MatchText {
    let (text, removed, _) = build_range(text, blank, 0..text.len());
    MatchText { text, removed }
}

/// As [`build`], in up to `parts` pieces side by side (on the current thread pool). The pieces
/// start after a line break that no hyphen join and no blanked span crosses, so each piece is
/// built as the whole text would build it, and the result is the same as [`build`]'s.
pub fn build_parallel(text: &str, blank: &[Span], parts: usize) -> MatchText {
    use rayon::prelude::*;
    let mut starts = vec![0];
    for p in 1..parts.max(1) {
        let from = (text.len() * p / parts).max(starts[starts.len() - 1] + 1);
        if let Some(k) = piece_start(text, blank, from) {
            starts.push(k);
        }
    }
    starts.push(text.len());
    starts.dedup();
    let pieces: Vec<Piece> = starts
        .par_windows(2)
        .map(|w| build_range(text, blank, w[0]..w[1]))
        .collect();
    let mut out = String::with_capacity(text.len());
    let mut removed = Vec::new();
    let mut total_removed = 0;
    for (piece, piece_removed, piece_total) in pieces {
        let base = out.len();
        removed.extend(piece_removed.into_iter().map(|(at, r)| (base + at, total_removed + r)));
        total_removed += piece_total;
        out.push_str(&piece);
    }
    MatchText { text: out, removed }
}

/// The first place at or after `from` where a piece of the match text can start: right after a
/// line break, with the last character before it that is not white space not a hyphen (a join
/// starts at a hyphen and crosses only white space), and not inside a blanked span.
fn piece_start(text: &str, blank: &[Span], from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut k = from;
    while k < text.len() {
        // By bytes: `from` may lie inside a character, a line break never does.
        let nl = k + bytes[k..].iter().position(|&b| b == b'\n')?;
        k = nl + 1;
        let last = text[..nl].trim_end().chars().next_back();
        let i = blank.partition_point(|b| b.end <= k);
        let in_blank = blank.get(i).is_some_and(|b| b.start < k);
        if last != Some('-') && !in_blank && k < bytes.len() {
            return Some(k);
        }
    }
    None
}

/// Whether a piece of the match text can start at `k` (see [`piece_start`]) whatever follows;
/// the start of the text always can. (The end of a text is not one: an edit may continue it.)
fn is_piece_start(text: &str, blank: &[Span], k: usize) -> bool {
    if k == 0 {
        return true;
    }
    if k > text.len() || text.as_bytes()[k - 1] != b'\n' {
        return false;
    }
    let i = blank.partition_point(|b| b.end <= k);
    let in_blank = blank.get(i).is_some_and(|b| b.start < k);
    !text[..k - 1].trim_end().ends_with('-') && !in_blank
}

/// The match text of `text` built from the last version's (`old`, of `old_text` with the
/// blanked spans `old_blank`) where the edit `change` left the text unchanged: the pieces before
/// and after the edit are taken over (those after it moved), the piece around the edit is built
/// again. The result is the same as [`build`]'s.
pub(crate) fn build_since(
    text: &str,
    blank: &[Span],
    old_text: &str,
    old_blank: &[Span],
    old: &MatchText,
    change: &crate::document::TextChange,
) -> MatchText {
    // The removals before an original position (one where no join is under way).
    let removed_before = |m: &MatchText, pos: usize| {
        let i = m.removed.partition_point(|&(at, total)| at + total <= pos);
        if i == 0 {
            0
        } else {
            m.removed[i - 1].1
        }
    };
    // The piece around the edit: between line starts where a piece can start in both versions.
    let (a, b, old_b) = super::reuse::restart_points(text, blank, old_text, old_blank, change, is_piece_start);
    let (mid, mid_removed, mid_total) = build_range(text, blank, a..b);
    let before = removed_before(old, a);
    let old_before_b = removed_before(old, old_b);
    let (ma, mb) = (a - before, old_b - old_before_b);
    let mut out = String::with_capacity(text.len());
    out.push_str(&old.text[..ma]);
    out.push_str(&mid);
    let base = out.len();
    out.push_str(&old.text[mb..]);
    let mut removed = Vec::with_capacity(old.removed.len() + mid_removed.len());
    removed.extend(old.removed.iter().take_while(|&&(at, total)| at + total < a).copied());
    removed.extend(mid_removed.into_iter().map(|(at, r)| (ma + at, before + r)));
    let total_b = before + mid_total;
    removed.extend(
        old.removed
            .iter()
            .skip_while(|&&(at, total)| at + total < old_b)
            .map(|&(at, r)| (at - mb + base, r - old_before_b + total_b)),
    );
    MatchText { text: out, removed }
}

/// A piece of match text, its removals and the bytes removed in all.
type Piece = (String, Vec<(usize, usize)>, usize);

/// Builds the match text of `range` of `text` (which starts where no hyphen join or blanked span
/// runs into it): the text, the removals with positions in it and counts from its start, and
/// the bytes removed in all.
fn build_range(text: &str, blank: &[Span], range: Span) -> Piece {
    let bytes = text.as_bytes();
    // Built as bytes (every byte pushed comes from whole characters) and checked once at the end.
    let mut out: Vec<u8> = Vec::with_capacity(range.len());
    let mut removed = Vec::new();
    let mut total_removed = 0;
    let mut next_blank = blank.partition_point(|b| b.end <= range.start);
    let mut prev_letter = false;
    let mut i = range.start;
    while i < range.end {
        while next_blank < blank.len() && blank[next_blank].end <= i {
            next_blank += 1;
        }
        let in_blank = blank.get(next_blank).is_some_and(|b| b.start <= i);
        if in_blank {
            let end = blank[next_blank].end.min(text.len());
            out.resize(out.len() + (end - i), b' ');
            i = end;
            prev_letter = false;
            continue;
        }
        // A run of ASCII other than the hyphen, up to the next blanked span: most of a Swedish
        // text, lowercased byte by byte with line breaks and tabs as spaces.
        let stop = blank.get(next_blank).map_or(range.end, |b| b.start.min(range.end));
        let run_end = bytes[i..stop]
            .iter()
            .position(|&b| !b.is_ascii() || b == b'-')
            .map_or(stop, |k| i + k);
        if run_end > i {
            out.extend(bytes[i..run_end].iter().map(|&b| match b {
                b'\n' | b'\r' | b'\t' => b' ',
                b => b.to_ascii_lowercase(),
            }));
            prev_letter = bytes[run_end - 1].is_ascii_alphabetic();
            i = run_end;
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        let len = c.len_utf8();
        if c == '-' && prev_letter {
            let limit = blank.get(next_blank).map_or(text.len(), |b| b.start);
            if let Some(resume) = hyphen_join_end(text, i + 1, limit) {
                total_removed += resume - i;
                removed.push((out.len(), total_removed));
                i = resume;
                prev_letter = false;
                continue;
            }
        }
        prev_letter = push_lower(&mut out, c);
        i += len;
    }
    // Whole characters only went in: the check cannot fail.
    let out = String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    (out, removed, total_removed)
}

/// Appends `c` lowercased when that keeps its UTF-8 length; line breaks and tabs become spaces.
/// Returns whether `c` is a letter.
fn push_lower(out: &mut Vec<u8>, c: char) -> bool {
    let mut buf = [0; 4];
    let mut push = |c: char| out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    match c {
        '\n' | '\r' | '\t' => push(' '),
        'A'..='Z' => push(c.to_ascii_lowercase()),
        c if c.is_ascii() => push(c),
        // The Swedish letters without the Unicode tables.
        'å' | 'ä' | 'ö' | 'é' => {
            push(c);
            return true;
        }
        'Å' => push('å'),
        'Ä' => push('ä'),
        'Ö' => push('ö'),
        'É' => push('é'),
        c => {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) if l.len_utf8() == c.len_utf8() => push(l),
                _ => push(c),
            }
            return c.is_alphabetic();
        }
    }
    c.is_alphabetic()
}

/// After a hyphen ending at `from`: when optional spaces, one line break (possibly followed by
/// one blank line), optional spaces and then a lower-case word that is not an elision word follow,
/// returns the offset of that word.
fn hyphen_join_end(text: &str, from: usize, limit: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let skip_spaces = |mut j: usize| {
        while j < limit && (bytes[j] == b' ' || bytes[j] == b'\t') {
            j += 1;
        }
        j
    };
    let skip_break = |j: usize| -> Option<usize> {
        match bytes.get(j) {
            Some(b'\r') if bytes.get(j + 1) == Some(&b'\n') => Some(j + 2),
            Some(b'\r') | Some(b'\n') => Some(j + 1),
            _ => None,
        }
    };
    let mut j = skip_spaces(from);
    j = skip_break(j)?;
    j = skip_spaces(j);
    if let Some(k) = skip_break(j) {
        j = skip_spaces(k);
    }
    if j >= limit {
        return None;
    }
    let rest = text.get(j..limit)?;
    let first = rest.chars().next()?;
    if !first.is_lowercase() {
        return None;
    }
    let word_len = rest
        .char_indices()
        .find(|&(_, c)| !c.is_alphabetic())
        .map_or(rest.len(), |(k, _)| k);
    let word = &rest[..word_len];
    if ELISION_WORDS.contains(&word) {
        return None;
    }
    Some(j)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // The match text as it was built before the ASCII runs were copied in one go: the new code
    // must build the same text and removals.
    /// Builds the match text of `range` of `text` (which starts where no hyphen join or blanked span
    /// runs into it): the text, the removals with positions in it and counts from its start, and
    /// the bytes removed in all.
    fn build_range_reference(text: &str, blank: &[Span], range: Span) -> Piece {
        let mut out = String::with_capacity(range.len());
        let mut removed = Vec::new();
        let mut total_removed = 0;
        let mut next_blank = blank.partition_point(|b| b.end <= range.start);
        let mut prev_letter = false;
        let mut i = range.start;
        while i < range.end {
            while next_blank < blank.len() && blank[next_blank].end <= i {
                next_blank += 1;
            }
            let in_blank = blank.get(next_blank).is_some_and(|b| b.start <= i);
            if in_blank {
                let end = blank[next_blank].end.min(text.len());
                out.extend(std::iter::repeat_n(' ', end - i));
                i = end;
                prev_letter = false;
                continue;
            }
            // ASCII other than the hyphen, byte by byte: most of a Swedish text.
            let b = text.as_bytes()[i];
            if b.is_ascii() && b != b'-' {
                let c = char::from(b);
                push_lower_reference(&mut out, c);
                prev_letter = c.is_ascii_alphabetic();
                i += 1;
                continue;
            }
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            let len = c.len_utf8();
            if c == '-' && prev_letter {
                let limit = blank.get(next_blank).map_or(text.len(), |b| b.start);
                if let Some(resume) = hyphen_join_end(text, i + 1, limit) {
                    total_removed += resume - i;
                    removed.push((out.len(), total_removed));
                    i = resume;
                    prev_letter = false;
                    continue;
                }
            }
            push_lower_reference(&mut out, c);
            prev_letter = c.is_alphabetic();
            i += len;
        }
        (out, removed, total_removed)
    }

    /// Appends `c` lowercased when that keeps its UTF-8 length; line breaks and tabs become spaces.
    fn push_lower_reference(out: &mut String, c: char) {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            'A'..='Z' => out.push(c.to_ascii_lowercase()),
            c if c.is_ascii() => out.push(c),
            c => {
                let mut lower = c.to_lowercase();
                match (lower.next(), lower.next()) {
                    (Some(l), None) if l.len_utf8() == c.len_utf8() => out.push(l),
                    _ => out.push(c),
                }
            }
        }
    }

    fn urls_as_in_whole_text(t: &str) {
        let whole: Vec<Span> = url_regex().unwrap().find_iter(t).map(|m| m.range()).collect();
        assert_eq!(url_and_email_spans(t), whole, "{t:?}");
    }

    fn same_as_reference(t: &str) {
        urls_as_in_whole_text(t);
        let blank = normalize_spans(url_and_email_spans(t));
        let new = build_range(t, &blank, 0..t.len());
        let old = build_range_reference(t, &blank, 0..t.len());
        assert_eq!(new, old, "{t:?}");
    }

    fn same_in_pieces(t: &str) {
        // The links, and (as code blocks and comments are) spans over line breaks: from every
        // third line break to the one after the next.
        let breaks: Vec<usize> = t.match_indices('\n').map(|(i, _)| i).collect();
        let mut over_lines = url_and_email_spans(t);
        over_lines.extend(
            breaks
                .iter()
                .enumerate()
                .filter(|(k, _)| k % 3 == 1)
                .map(|(k, &i)| i.saturating_sub(1)..breaks.get(k + 2).map_or(t.len(), |&j| j + 1)),
        );
        for blank in [normalize_spans(url_and_email_spans(t)), normalize_spans(over_lines)] {
            let blank: Vec<Span> = blank
                .into_iter()
                .filter(|b| t.is_char_boundary(b.start) && t.is_char_boundary(b.end))
                .collect();
            let whole = build(t, &blank);
            for parts in 1..=9 {
                let pieces = build_parallel(t, &blank, parts);
                assert_eq!(pieces.text, whole.text, "{parts} pieces of {t:?}");
                assert_eq!(pieces.removed, whole.removed, "{parts} pieces of {t:?}");
            }
        }
    }

    #[test]
    fn built_in_pieces_as_in_one() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
        for entry in std::fs::read_dir(root).unwrap().flatten() {
            if entry.path().extension().is_some_and(|e| e == "txt") {
                let t = std::fs::read_to_string(entry.path()).unwrap();
                same_in_pieces(&t);
                same_as_reference(&t);
            }
        }
        same_in_pieces("för-\n\nvaltning och kom-\r\n  mun\nSe https://a.se/x-\ny-\n\n\nz\n");
    }

    /// Blanked spans as the analysis would have them: the links, and spans over line breaks
    /// (as code blocks and comments are) from every third line break to the one after the next.
    fn blank_spans(t: &str, over_lines: bool) -> Vec<Span> {
        let mut spans = url_and_email_spans(t);
        if over_lines {
            let breaks: Vec<usize> = t.match_indices('\n').map(|(i, _)| i).collect();
            spans.extend(
                breaks
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| k % 3 == 1)
                    .map(|(k, &i)| i.saturating_sub(1)..breaks.get(k + 2).map_or(t.len(), |&j| j + 1)),
            );
        }
        normalize_spans(spans)
    }

    /// The match text of `new` built from that of `old` as the language server builds it, and
    /// the match text built from scratch.
    fn since_and_whole(old: &str, new: &str, over_lines: bool) {
        let (old_blank, blank) = (blank_spans(old, over_lines), blank_spans(new, over_lines));
        let before = build(old, &old_blank);
        let change = crate::document::TextChange::between(old, new);
        let since = build_since(new, &blank, old, &old_blank, &before, &change);
        let whole = build(new, &blank);
        assert_eq!(since.text, whole.text, "{old:?} → {new:?}");
        assert_eq!(since.removed, whole.removed, "{old:?} → {new:?}");
    }

    #[test]
    fn built_since_an_edit_as_in_one() {
        let t = &"för-\n\nvaltning och kom-\r\n  mun\nSe https://a.se/x-\ny-\n\n\nz\njäm-\nställd\nord\n".repeat(3);
        for at in 0..=t.len() {
            if !t.is_char_boundary(at) {
                continue;
            }
            for inserted in ["", "-", "\n", "x", "https://b.se/", "Ö"] {
                for removed in [0, 1, 5] {
                    let end = (at + removed).min(t.len());
                    if !t.is_char_boundary(end) {
                        continue;
                    }
                    let mut new = t.clone();
                    new.replace_range(at..end, inserted);
                    since_and_whole(t, &new, false);
                    since_and_whole(t, &new, true);
                }
            }
        }
    }

    #[test]
    fn built_since_the_text_was_cut_or_continued_at_its_end() {
        let t = "för-\n\nvaltning och kom-\r\n  mun\nSe https://a.se/x-\ny-\n\n\nz\njäm-\nställd\nord";
        for k in 0..=t.len() {
            if t.is_char_boundary(k) {
                since_and_whole(t, &t[..k], false);
                since_and_whole(&t[..k], t, false);
            }
        }
    }

    #[test]
    fn blanked_spans_that_changed_away_from_the_edit_are_not_taken_over() {
        // The edit is at the start; a span after it is blanked now and was not before (as a
        // code fence typed at the start of a Markdown document can do to the rest).
        let (old, new) = ("ab\ncd\nef\ngh\n", "Xab\ncd\nef\ngh\n");
        let before = build(old, &[]);
        let change = crate::document::TextChange::between(old, new);
        let since = build_since(new, std::slice::from_ref(&(7..9)), old, &[], &before, &change);
        assert_eq!(since.text, build(new, std::slice::from_ref(&(7..9))).text);
        assert_eq!(since.text, "xab cd    gh ");
        // And one blanked before the edit only in the new version.
        let (old, new) = ("ab\ncd\nef\ngh\n", "ab\ncd\nef\ngh\nX");
        let before = build(old, &[]);
        let change = crate::document::TextChange::between(old, new);
        let since = build_since(new, std::slice::from_ref(&(0..2)), old, &[], &before, &change);
        assert_eq!(since.text, build(new, std::slice::from_ref(&(0..2))).text);
    }

    proptest! {
        #[test]
        fn edits_never_change_the_match_text(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("-"), Just("\n"), Just("\r\n"), Just(" "), Just("ord"), Just("Å"),
                    Just("och"), Just("x@y.se"), Just("https://a.se/b-"), Just("😀"),
                ],
                0..60,
            ),
            edit in (0.0..1.0f64, 0usize..30, prop_oneof![
                Just(""), Just("-"), Just("\n"), Just("-\n"), Just("ord"), Just("https://c.se/"), Just("\n\n"),
            ]),
            over_lines in any::<bool>(),
        ) {
            let old = parts.concat();
            let mut at = (edit.0 * old.len() as f64) as usize;
            while !old.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = (at + edit.1).min(old.len());
            while !old.is_char_boundary(end) {
                end -= 1;
            }
            let mut new = old.clone();
            new.replace_range(at..end, edit.2);
            since_and_whole(&old, &new, over_lines);
        }

        #[test]
        fn pieces_never_change_the_match_text(

            parts in proptest::collection::vec(
                prop_oneof![
                    Just("-"), Just("\n"), Just("\r\n"), Just("\r"), Just(" "), Just("\t"),
                    Just("ord"), Just("Å"), Just("och"), Just("x@y.se"), Just("https://a.se/b-"),
                    Just("\u{a0}"), Just("É"), Just("😀"),
                ],
                0..80,
            )
        ) {
            same_in_pieces(&parts.concat());
        }

        #[test]
        fn ascii_runs_build_as_char_by_char(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("-".to_string()), Just("\n".to_string()), Just("\r\n".to_string()), Just("\r".to_string()), Just(" ".to_string()), Just("\t".to_string()), Just("ORD".to_string()),
                    Just("Åä".to_string()), Just("Ö".to_string()), Just("é".to_string()), Just("É".to_string()), Just("İ".to_string()), Just("ß".to_string()), Just("ǅ".to_string()), Just("Σ".to_string()),
                    Just("och".to_string()), Just("x@y.se".to_string()), Just("https://a.se/B-".to_string()), Just("\u{a0}".to_string()), Just("😀".to_string()),
                    Just("http".to_string()), Just("@".to_string()), Just("://".to_string()),
                    Just(".se".to_string()), Just("\u{2028}".to_string()), Just("\u{85}".to_string()),
                    "[ -~]{0,12}".prop_map(|s| s),
                ],
                0..80,
            )
        ) {
            same_as_reference(&parts.concat());
        }
    }

    #[test]
    fn lowercases_in_place_and_blanks() {
        let t = "ÅÄÖ É\tSe https://x.se/A nu\r\nOK";
        let urls = url_and_email_spans(t);
        let m = build(t, &normalize_spans(urls));
        assert_eq!(m.text.len(), t.len());
        assert!(m.text.starts_with("åäö é se "));
        assert!(m.text.ends_with(" nu  ok"));
        assert!(!m.text.contains("https"));
    }

    #[test]
    fn joins_hyphenation_and_maps_back() {
        let t = "Vi jämställd-\nhetsintegrerar nu.";
        let m = build(t, &[]);
        assert_eq!(m.text, "vi jämställdhetsintegrerar nu.");
        let pos = m.text.find("nu").unwrap_or(0);
        assert_eq!(&t[m.to_original(pos)..m.to_original(pos) + 2], "nu");
        let w = m.text.find("jämställdhets").unwrap_or(0);
        let span = m.span_to_original(w..w + "jämställdhetsintegrerar".len());
        assert_eq!(&t[span], "jämställd-\nhetsintegrerar");
    }

    #[test]
    fn keeps_elision_and_upper_case() {
        let t = "vård-\noch omsorg, Stockholms-\nStad";
        let m = build(t, &[]);
        assert_eq!(m.text, "vård- och omsorg, stockholms- stad");
        assert!(m.removed.is_empty());
    }

    #[test]
    fn joins_across_blank_line_and_crlf() {
        let t = "jäm-  \r\n\r\n  ställdhet";
        let m = build(t, &[]);
        assert_eq!(m.text, "jämställdhet");
        assert_eq!(m.to_original(4), t.find('s').unwrap_or(0));
    }

    #[test]
    fn finds_emails() {
        let t = "mejla anna.svensson@kungsbacka.se idag";
        let spans = url_and_email_spans(t);
        assert_eq!(&t[spans[0].clone()], "anna.svensson@kungsbacka.se");
    }
}
