//! Numbers in the text: "412", "1 230", "1 230,5", "12,5 %", "12 procent", "1.5", ranges.
//!
//! Not numbers: years standing alone (1900–2099), dates (2024-10-09), dnr-like tokens
//! (VO-2023-00286), SFS numbers (2001:100), section signs ("14 §", "§ 317"), phone numbers and
//! other digit groups with a leading zero, digits glued to letters ("CO2", "åk8").

use crate::document::{Number, Span};

/// Finds the numbers of `text` in order, skipping the `excluded` spans (sorted, non-overlapping).
pub fn find_numbers(text: &str, excluded: &[Span]) -> Vec<Number> {
    find_numbers_between(text, excluded, 0, text.len())
}

/// The numbers whose scan starts in `from..to`: the scan starts at `from`, where no number runs
/// across (a line start: a number never runs across a line break), and its last number may end
/// after `to`.
fn find_numbers_between(text: &str, excluded: &[Span], from: usize, to: usize) -> Vec<Number> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut next_ex = excluded.partition_point(|ex| ex.end <= from);
    let mut i = from;
    while i < to {
        while next_ex < excluded.len() && excluded[next_ex].end <= i {
            next_ex += 1;
        }
        if let Some(ex) = excluded.get(next_ex) {
            if ex.start <= i {
                i = ex.end.max(i + 1);
                continue;
            }
        }
        if !bytes[i].is_ascii_digit() {
            // On to the next digit, or to the next excluded span.
            let stop = excluded.get(next_ex).map_or(to, |ex| ex.start.min(to));
            i = bytes[i..stop]
                .iter()
                .position(u8::is_ascii_digit)
                .map_or(stop, |k| i + k);
            continue;
        }
        let token_end = scan_token(text, i, &mut out);
        i = token_end.max(i + 1);
    }
    out
}

/// Whether the scan for numbers is at a fresh start at `k` in every scan that reaches it, whatever
/// follows: `k` is the start of the text, or a line start (no number runs across a line break)
/// outside the excluded spans. (The end of a text is not one: an edit may continue it.)
fn is_scan_start(text: &str, excluded: &[Span], k: usize) -> bool {
    if k == 0 {
        return true;
    }
    if k > text.len() || text.as_bytes()[k - 1] != b'\n' {
        return false;
    }
    let i = excluded.partition_point(|ex| ex.end <= k);
    excluded.get(i).is_none_or(|ex| ex.start >= k)
}

/// The numbers of `text` (with the `excluded` spans) found from the last version's (`old`, of
/// `old_text` with `old_excluded`) where the edit `change` left the text unchanged: the numbers
/// before and after the edit are taken over (those after it moved), the lines around the edit
/// are scanned again. The result is the same as [`find_numbers`]'s.
pub(crate) fn find_numbers_since(
    text: &str,
    excluded: &[Span],
    old_text: &str,
    old_excluded: &[Span],
    old: &[Number],
    change: &crate::document::TextChange,
) -> Vec<Number> {
    // The lines around the edit: between line starts where the scan starts afresh in both.
    let (a, b, old_b) = super::reuse::restart_points(text, excluded, old_text, old_excluded, change, is_scan_start);
    let shift = change.new_tail as isize - change.old_tail as isize;
    let mut out: Vec<Number> = old.iter().take_while(|n| n.span.start < a).cloned().collect();
    out.extend(find_numbers_between(text, excluded, a, b));
    out.extend(old.iter().skip_while(|n| n.span.start < old_b).map(|n| Number {
        span: (n.span.start as isize + shift) as usize..(n.span.end as isize + shift) as usize,
        ..n.clone()
    }));
    out
}

/// The character before byte `i`, if any.
fn char_before(text: &str, i: usize) -> Option<char> {
    text.get(..i)?.chars().next_back()
}

fn is_nbsp(c: char) -> bool {
    c == '\u{a0}' || c == '\u{202f}'
}

/// Parses the token starting at the digit at `start`, pushes what counts as numbers and returns
/// where scanning resumes.
fn scan_token(text: &str, start: usize, out: &mut Vec<Number>) -> usize {
    let bytes = text.as_bytes();
    let word_end = end_of_word(text, start);
    let prev = char_before(text, start);
    // Digits glued to a letter or inside a compound token (dnr, version, "åk8").
    let range_continuation = matches!(prev, Some('–') | Some('-'))
        && char_before(text, start - prev.map_or(0, |c| c.len_utf8())).is_some_and(|c| c.is_ascii_digit());
    if let Some(p) = prev {
        let glued = p.is_alphanumeric()
            || matches!(p, '.' | ',' | ':' | '/' | '_')
            || (matches!(p, '-' | '–') && !range_continuation);
        if glued && !(p == '-' && negative_sign_ok(text, start)) {
            return word_end;
        }
    }
    let word = &text[start..word_end];
    if is_date_or_code(word) {
        return word_end;
    }
    let digits_end = digit_run(bytes, start);
    let first_group = &text[start..digits_end];
    // Leading zero: phone numbers, codes ("08-508 123", "0300"), not "0,6".
    if first_group.len() > 1 && first_group.starts_with('0') {
        return skip_phone(text, start);
    }
    let (int_end, int_value) = integer_with_groups(text, start, digits_end);
    let mut end = int_end;
    let mut value = int_value;
    let grouped = int_end != digits_end;
    // Decimal part.
    if let Some(&sep) = bytes.get(end) {
        if (sep == b',' || sep == b'.') && bytes.get(end + 1).is_some_and(|b| b.is_ascii_digit()) {
            let frac_end = digit_run(bytes, end + 1);
            // "1.2.4": a dotted code, not a number.
            if matches!(bytes.get(frac_end), Some(b'.') | Some(b','))
                && bytes.get(frac_end + 1).is_some_and(|b| b.is_ascii_digit())
            {
                return word_end;
            }
            let frac = &text[end + 1..frac_end];
            let parsed: f64 = format!("0.{frac}").parse().unwrap_or(0.0);
            value += parsed;
            end = frac_end;
        }
    }
    // Section signs: "14 §" and "§ 317".
    let after = text[end..].trim_start_matches([' ', '\u{a0}']);
    if after.starts_with('§') || preceded_by_section_sign(text, start) {
        return end;
    }
    let (percent, pct_end) = percent_suffix(text, end);
    let is_integer = end == digits_end;
    if is_integer && !grouped && !percent && first_group.len() == 4 {
        if let Ok(y) = first_group.parse::<u32>() {
            if (1900..=2099).contains(&y) {
                return end;
            }
        }
    }
    let mut span_start = start;
    if prev == Some('-') && !range_continuation {
        span_start -= 1;
        value = -value;
    } else if prev == Some('−') {
        span_start -= '−'.len_utf8();
        value = -value;
    }
    out.push(Number {
        span: span_start..pct_end,
        value,
        percent,
    });
    pct_end
}

/// A `-` directly before a number is a minus sign when whitespace or the start comes before it.
fn negative_sign_ok(text: &str, digit: usize) -> bool {
    digit >= 1 && char_before(text, digit - 1).is_none_or(|c| c.is_whitespace() || c == '(')
}

fn preceded_by_section_sign(text: &str, start: usize) -> bool {
    text[..start].trim_end_matches([' ', '\u{a0}']).ends_with('§')
}

/// The end of the run of non-whitespace characters starting at `start`.
fn end_of_word(text: &str, start: usize) -> usize {
    text[start..]
        .char_indices()
        .find(|&(_, c)| c.is_whitespace())
        .map_or(text.len(), |(k, _)| start + k)
}

fn digit_run(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
    }
    i
}

/// Dates (2024-10-09, 2024/10/09), SFS numbers (2001:100), times (14:00), dnr-like tokens
/// (2023-00286), and digits glued to letters ("3a", "2kr" is allowed as unit-less? no).
fn is_date_or_code(word: &str) -> bool {
    let core = word.trim_end_matches(['.', ',', ';', ')', ']', '!', '?', '"', '”', '’', ':']);
    let mut has_colon_digit = false;
    let mut hyphen_parts = 0;
    let mut parts_all_digits = true;
    let b = core.as_bytes();
    for (k, &c) in b.iter().enumerate() {
        if c == b':' && b.get(k + 1).is_some_and(|d| d.is_ascii_digit()) {
            has_colon_digit = true;
        }
        if c == b'-' || c == b'/' {
            hyphen_parts += 1;
        }
    }
    for part in core.split(['-', '/']) {
        if part.is_empty() || !part.bytes().all(|c| c.is_ascii_digit()) {
            parts_all_digits = false;
        }
    }
    if has_colon_digit {
        return true;
    }
    // 2024-10-09, 2023-00286, 10/12 (dates, numbers in a series).
    if hyphen_parts >= 2 && parts_all_digits {
        return true;
    }
    if hyphen_parts == 1 && parts_all_digits {
        let mut it = core.split(['-', '/']);
        let a = it.next().unwrap_or("");
        let c = it.next().unwrap_or("");
        // "2023-00286": long second part; "5/2016": a case number.
        return c.len() >= 5 || (core.contains('/') && (a.len() == 4 || c.len() == 4));
    }
    // Digits followed directly by letters: "3a", "2x" (but "12%" is fine).
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    b.get(digits).is_some_and(|c| c.is_ascii_alphabetic())
}

/// Reads "1 230 450" (groups of exactly three digits after a space or NBSP).
fn integer_with_groups(text: &str, start: usize, digits_end: usize) -> (usize, f64) {
    let bytes = text.as_bytes();
    let mut digits: String = text[start..digits_end].to_string();
    let mut end = digits_end;
    if digits.len() <= 3 {
        loop {
            let rest = &text[end..];
            let Some(sep) = rest.chars().next() else {
                break;
            };
            if sep != ' ' && !is_nbsp(sep) {
                break;
            }
            let g = end + sep.len_utf8();
            let g_end = digit_run(bytes, g);
            let next_is_letter_or_digit = text[g_end..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() || c == '-' || c == ':');
            if g_end - g != 3 || next_is_letter_or_digit {
                break;
            }
            // "1 230,5" keeps going; "2 2024" is not a group (four digits).
            digits.push_str(&text[g..g_end]);
            end = g_end;
        }
    }
    (end, digits.parse::<f64>().unwrap_or(0.0))
}

/// A `%` or `procent` after the number (optional space between).
fn percent_suffix(text: &str, end: usize) -> (bool, usize) {
    let rest = &text[end..];
    let trimmed = rest.trim_start_matches([' ', '\u{a0}', '\u{202f}']);
    let gap = rest.len() - trimmed.len();
    if trimmed.starts_with('%') {
        return (true, end + gap + 1);
    }
    let lower_ok = trimmed.get(..7).is_some_and(|w| w.eq_ignore_ascii_case("procent"));
    if lower_ok && gap > 0 {
        let after = trimmed[7..].chars().next();
        if after.is_none_or(|c| !c.is_alphabetic()) {
            return (true, end + gap + 7);
        }
    }
    (false, end)
}

/// Skips a phone-number-like run: digits, spaces, hyphens.
fn skip_phone(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'0'..=b'9' | b'-' => i += 1,
            b' ' if bytes.get(i + 1).is_some_and(|b| b.is_ascii_digit()) => i += 1,
            _ => break,
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // The scan as it was before it jumped to the next digit.
    fn find_numbers_reference(text: &str, excluded: &[Span]) -> Vec<Number> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut next_ex = 0;
        let mut i = 0;
        while i < bytes.len() {
            while next_ex < excluded.len() && excluded[next_ex].end <= i {
                next_ex += 1;
            }
            if let Some(ex) = excluded.get(next_ex) {
                if ex.start <= i {
                    i = ex.end.max(i + 1);
                    continue;
                }
            }
            if !bytes[i].is_ascii_digit() {
                i += 1;
                continue;
            }
            let token_end = scan_token(text, i, &mut out);
            i = token_end.max(i + 1);
        }
        out
    }

    fn found(numbers: Vec<Number>) -> Vec<(Span, String)> {
        numbers
            .into_iter()
            .map(|n| (n.span, format!("{:?} {}", n.value, n.percent)))
            .collect()
    }

    /// The numbers of `new` found from those of `old` as the language server finds them, and
    /// the numbers found from scratch; `excluded` gives each text's excluded spans.
    fn since_and_whole(old: &str, new: &str, excluded: impl Fn(&str) -> Vec<Span>) {
        let (old_ex, ex) = (excluded(old), excluded(new));
        let before = find_numbers(old, &old_ex);
        let change = crate::document::TextChange::between(old, new);
        let since = find_numbers_since(new, &ex, old, &old_ex, &before, &change);
        assert_eq!(found(since), found(find_numbers(new, &ex)), "{old:?} → {new:?}");
    }

    /// Excluded spans as headings' numbering gives them: the first two bytes of every line
    /// that starts with "3.".
    fn numbering(t: &str) -> Vec<Span> {
        let mut out = Vec::new();
        let mut start = 0;
        for line in t.split_inclusive('\n') {
            if line.starts_with("3.") {
                out.push(start..start + 2);
            }
            start += line.len();
        }
        out
    }

    #[test]
    fn found_since_an_edit_as_in_one() {
        let t = "3.1 Budget 1 230 450 kr\n-5 % och 12,5 procent\n§ 14 och 14 §\n08-508 123 45\n2024-10-09 år 2024\n\n3. 1 000\n";
        for at in 0..=t.len() {
            for inserted in ["", "1", " ", "\n", "-", "3.", "\u{a0}000", "%"] {
                for removed in [0, 1, 4] {
                    let end = (at + removed).min(t.len());
                    if !t.is_char_boundary(at) || !t.is_char_boundary(end) {
                        continue;
                    }
                    let mut new = t.to_string();
                    new.replace_range(at..end, inserted);
                    since_and_whole(t, &new, |_| Vec::new());
                    since_and_whole(t, &new, numbering);
                }
            }
        }
    }

    #[test]
    fn found_since_the_text_was_cut_or_continued_at_its_end() {
        let t = "3.1 Budget 1 230 450 kr\n-5 % och 12,5 procent\n§ 14\n3. 1 000 000";
        for k in 0..=t.len() {
            if t.is_char_boundary(k) {
                since_and_whole(t, &t[..k], numbering);
                since_and_whole(&t[..k], t, numbering);
            }
        }
    }

    #[test]
    fn excluded_spans_that_changed_away_from_the_edit_are_not_taken_over() {
        // The edit is at the start (or the end); an excluded span away from it is new.
        let old = "Ett\n12 och 13\n14\n";
        for (new, ex) in [("X Ett\n12 och 13\n14\n", 6..8), ("Ett\n12 och 13\n14\nX", 4..6)] {
            let before = find_numbers(old, &[]);
            let change = crate::document::TextChange::between(old, new);
            let excluded = std::slice::from_ref(&ex);
            let since = find_numbers_since(new, excluded, old, &[], &before, &change);
            assert_eq!(found(since), found(find_numbers(new, excluded)), "{new:?}");
            assert_eq!(find_numbers(new, excluded).len(), 2);
        }
    }

    proptest! {
        #[test]
        fn edits_never_change_the_numbers(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("1"), Just("0"), Just("123"), Just(" "), Just("\u{a0}"), Just(","), Just("-"),
                    Just("%"), Just("2024"), Just("§"), Just("a"), Just("\n"), Just("3."),
                ],
                0..50,
            ),
            edit in (0.0..1.0f64, 0usize..12, prop_oneof![
                Just(""), Just("1"), Just("\n"), Just(" "), Just("-"), Just("3."), Just("§"),
            ]),
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
            since_and_whole(&old, &new, |_| Vec::new());
            since_and_whole(&old, &new, numbering);
        }

        #[test]
        fn same_numbers_as_byte_by_byte(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("1"), Just("0"), Just("12"), Just(" "), Just("\u{a0}"), Just(","), Just("."), Just("-"),
                    Just("–"), Just("%"), Just("procent"), Just("2024"), Just("§"), Just("a"), Just("å"), Just(":"),
                ],
                0..40,
            ),
            cuts in proptest::collection::vec((0usize..120, 0usize..6), 0..4),
        ) {
            let t = parts.concat();
            let mut excluded: Vec<Span> = cuts
                .into_iter()
                .map(|(a, n)| a.min(t.len())..(a + n).min(t.len()))
                .filter(|s| t.is_char_boundary(s.start) && t.is_char_boundary(s.end))
                .collect();
            excluded = crate::analysis::matchtext::normalize_spans(excluded);
            let new: Vec<(Span, String)> = find_numbers(&t, &excluded).into_iter().map(|n| (n.span, format!("{:?} {}", n.value, n.percent))).collect();
            let old: Vec<(Span, String)> = find_numbers_reference(&t, &excluded).into_iter().map(|n| (n.span, format!("{:?} {}", n.value, n.percent))).collect();
            prop_assert_eq!(new, old);
        }
    }

    fn nums(t: &str) -> Vec<(String, f64, bool)> {
        find_numbers(t, &[])
            .into_iter()
            .map(|n| (t[n.span].to_string(), n.value, n.percent))
            .collect()
    }

    fn texts(t: &str) -> Vec<String> {
        nums(t).into_iter().map(|n| n.0).collect()
    }

    #[test]
    fn plain_and_grouped() {
        assert_eq!(texts("Det var 412 personer och 1 230 barn."), ["412", "1 230"]);
        let n = nums("Totalt 1\u{a0}230,5 kr");
        assert_eq!(n[0].1, 1230.5);
        assert_eq!(nums("11 000 av 23 000")[1].1, 23000.0);
        assert_eq!(texts("ca 66 anställda, 12 2024"), ["66", "12"]);
        assert_eq!(nums("värdet 1.5 här")[0].1, 1.5);
        assert_eq!(nums("minskade med 0,6%")[0].1, 0.6);
    }

    #[test]
    fn percent() {
        let n = nums("12,5 % och 12 procent och 30% men 5 procentenheter");
        assert_eq!(n.len(), 4);
        assert_eq!(n[0].0, "12,5 %");
        assert!(n[0].2 && n[1].2 && n[2].2);
        assert!(!n[3].2);
        assert_eq!(n[1].0, "12 procent");
    }

    #[test]
    fn not_numbers() {
        assert!(texts("år 2024 och 1999").is_empty());
        assert!(texts("datum 2024-10-09, dnr VO-2023-00286, SFS 2001:100").is_empty());
        assert!(texts("enligt 14 § och § 317").is_empty());
        assert!(texts("ring 0300-83 40 00 eller 08-508 123 45").is_empty());
        assert!(texts("CO2 och åk8 och 1.2.4-182-2013").is_empty());
        assert!(texts("motion 2016:5 och dnr 123-456/2016").is_empty());
    }

    #[test]
    fn ranges_and_negatives() {
        assert_eq!(texts("behövdes 15–17 nya och 10-12 miljoner"), ["15", "17", "10", "12"]);
        assert_eq!(nums("utfall -1 234 tkr")[0].1, -1234.0);
        assert_eq!(texts("pilotprojekt 2015–2017"), Vec::<String>::new());
    }
}
