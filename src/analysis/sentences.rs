//! Sentence splitting inside a paragraph.
//!
//! A sentence ends at `.`, `!` or `?` (closing quotes and brackets may follow) when whitespace and
//! then an upper-case letter, a digit or the end of the paragraph follow. Swedish abbreviations,
//! initials ("A. Svensson"), decimals and dates never end a sentence; a line break alone does not
//! either.

use crate::document::Span;

use super::lines::trim_span;

/// Abbreviations (lowercase, without the final period) after which a period is not a sentence end.
const ABBREVIATIONS: &[&str] = &[
    "t.ex", "bl.a", "m.m", "m.fl", "s.k", "dvs", "d.v.s", "osv", "o.s.v", "ca", "cirka", "kap", "nr", "dnr", "resp",
    "jfr", "enl", "st", "kl", "tel", "fr.o.m", "t.o.m", "a.a", "f.d", "p.g.a", "pga", "mfl", "bl", "mm", "fr", "o",
    "t", "s", "ff", "f", "forts", "inkl", "exkl", "tkr", "mnkr", "mkr", "milj", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "okt", "nov", "dec", "prop", "bet", "skr", "sou", "ds", "fig", "tab", "ex", "obs",
    "vs", "etc", "e.d", "o.d", "el", "ang", "avd", "adr", "sek", "kr", "ibid",
];

/// Splits the paragraph `para` of `text` into trimmed sentence spans.
pub fn split_sentences(text: &str, para: Span) -> Vec<Span> {
    let mut out = Vec::new();
    let Some(body) = text.get(para.clone()) else {
        return out;
    };
    let bytes = body.as_bytes();
    let base = para.start;
    let mut start = 0;
    let mut k = 0;
    // The next byte that can start a sentence mark: '.', '!', '?' or the lead byte of '…' (a
    // lead byte starts a character, so `k` stays on a character boundary).
    while let Some(off) = bytes[k..].iter().position(|&b| matches!(b, b'.' | b'!' | b'?' | 0xE2)) {
        let mark = k + off;
        let Some(c) = body[mark..].chars().next() else {
            break;
        };
        k = mark + c.len_utf8();
        if !matches!(c, '.' | '!' | '?' | '…') {
            continue;
        }
        // Include closing quotes and brackets and repeated marks.
        let mut end = k;
        for c2 in body[end..].chars() {
            if !matches!(c2, '.' | '!' | '?' | '"' | '”' | '’' | ')' | ']' | '»') {
                break;
            }
            end += c2.len_utf8();
        }
        k = end;
        let rest = &body[end..];
        let after = rest.trim_start();
        let at_end = after.is_empty();
        if !at_end {
            if after.len() == rest.len() {
                continue; // no whitespace after the mark
            }
            let next = after.chars().next().unwrap_or(' ');
            let opens = next.is_uppercase()
                || next.is_ascii_digit()
                || matches!(next, '"' | '”' | '“' | '«' | '(' | '–' | '-' | '•');
            if !opens {
                continue;
            }
        }
        if c == '.' && is_non_final_period(&body[..mark]) {
            continue;
        }
        push_trimmed(text, base + start..base + end, &mut out);
        start = end;
    }
    push_trimmed(text, base + start..base + body.len(), &mut out);
    out
}

fn push_trimmed(text: &str, span: Span, out: &mut Vec<Span>) {
    let s = trim_span(text, span);
    if s.start < s.end {
        out.push(s);
    }
}

/// True when the word before a period (`before` ends right before it) is an abbreviation, an
/// initial or an ordinal/number like "3." in a date.
fn is_non_final_period(before: &str) -> bool {
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace() || matches!(c, '(' | '"' | '“' | '”' | '«'))
        .map_or(0, |(k, c)| k + c.len_utf8());
    let word = &before[word_start..];
    if word.is_empty() {
        return false;
    }
    let mut chars = word.chars();
    let first = chars.next().unwrap_or(' ');
    // An initial: a single upper-case letter ("A. Svensson").
    if first.is_uppercase() && chars.next().is_none() {
        return true;
    }
    if word.len() > 8 {
        return false;
    }
    let lower = word.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // The splitter as it was before the marks were looked for by their bytes.
    /// Splits the paragraph `para` of `text` into trimmed sentence spans.
    fn split_sentences_reference(text: &str, para: Span) -> Vec<Span> {
        let mut out = Vec::new();
        let Some(body) = text.get(para.clone()) else {
            return out;
        };
        let base = para.start;
        let mut start = 0;
        let mut iter = body.char_indices().peekable();
        while let Some((k, c)) = iter.next() {
            if !matches!(c, '.' | '!' | '?' | '…') {
                continue;
            }
            // Include closing quotes and brackets and repeated marks.
            let mut end = k + c.len_utf8();
            while let Some(&(k2, c2)) = iter.peek() {
                if matches!(c2, '.' | '!' | '?' | '"' | '”' | '’' | ')' | ']' | '»') {
                    end = k2 + c2.len_utf8();
                    iter.next();
                } else {
                    break;
                }
            }
            let rest = &body[end..];
            let after = rest.trim_start();
            let at_end = after.is_empty();
            if !at_end {
                if after.len() == rest.len() {
                    continue; // no whitespace after the mark
                }
                let next = after.chars().next().unwrap_or(' ');
                let opens = next.is_uppercase()
                    || next.is_ascii_digit()
                    || matches!(next, '"' | '”' | '“' | '«' | '(' | '–' | '-' | '•');
                if !opens {
                    continue;
                }
            }
            if c == '.' && is_non_final_period(&body[..k]) {
                continue;
            }
            push_trimmed(text, base + start..base + end, &mut out);
            start = end;
        }
        push_trimmed(text, base + start..base + body.len(), &mut out);
        out
    }

    proptest! {
        #[test]
        fn same_sentences_as_char_by_char(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("."), Just("!"), Just("?"), Just("…"), Just("”"), Just("\""), Just(")"), Just("»"),
                    Just(" "), Just("\n"), Just("Ord"), Just("ord"), Just("t.ex"), Just("A"), Just("Å"),
                    Just("3"), Just("–"), Just("€"), Just("😀"), Just("\u{a0}"),
                ],
                0..60,
            ),
        ) {
            let t = parts.concat();
            prop_assert_eq!(split_sentences(&t, 0..t.len()), split_sentences_reference(&t, 0..t.len()));
        }
    }

    fn split(t: &str) -> Vec<&str> {
        split_sentences(t, 0..t.len()).into_iter().map(|s| &t[s]).collect()
    }

    #[test]
    fn splits_simple_sentences() {
        assert_eq!(
            split("Vi föreslår detta. Det kostar 1,5 mnkr! Är det bra? Ja."),
            ["Vi föreslår detta.", "Det kostar 1,5 mnkr!", "Är det bra?", "Ja."]
        );
    }

    #[test]
    fn abbreviations_do_not_split() {
        assert_eq!(
            split("Det gäller t.ex. Barn och bl.a. Unga, m.m. Se kap. 3 och ca. 5 st. Elever."),
            ["Det gäller t.ex. Barn och bl.a. Unga, m.m. Se kap. 3 och ca. 5 st. Elever."]
        );
        assert_eq!(
            split("Beslutet fattades av A. Svensson idag."),
            ["Beslutet fattades av A. Svensson idag."]
        );
        assert_eq!(
            split("Enligt dvs. Lagen gäller det."),
            ["Enligt dvs. Lagen gäller det."]
        );
    }

    #[test]
    fn line_breaks_and_lowercase_do_not_split() {
        assert_eq!(
            split("Det har\nframkommit fel. det var 1.5 procent\nTotalt.\nNästa mening"),
            ["Det har\nframkommit fel. det var 1.5 procent\nTotalt.", "Nästa mening"]
        );
    }

    #[test]
    fn quotes_close_sentence_and_dates() {
        assert_eq!(
            split("Han sa ”nej.” Beslut 2024-10-09. Enligt 3 § gäller det."),
            ["Han sa ”nej.”", "Beslut 2024-10-09.", "Enligt 3 § gäller det."]
        );
    }
}
