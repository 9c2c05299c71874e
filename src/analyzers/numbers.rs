//! One number parser for the analyzers: "1 230", "1 230,5", "-764 946", "12 %", "12 procent",
//! ranges ("15–17", "800 - 900"), "20-tal" and small Swedish number words ("tre", "tolv",
//! "tjugo", "ett trettiotal").

use std::ops::Range;

/// A number found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Bytes relative to the parsed text, including any `%`/`procent` and range end.
    pub span: Range<usize>,
    pub value: f64,
    /// The upper end of a range ("15–17" → 17).
    pub upper: Option<f64>,
    pub percent: bool,
    /// Written as a word ("tre", "trettiotal").
    pub word: bool,
    /// An approximation: "20-tal", "trettiotal".
    pub approx: bool,
}

const NUMBER_WORDS: &[(&str, f64)] = &[
    ("en", 1.0),
    ("ett", 1.0),
    ("två", 2.0),
    ("tre", 3.0),
    ("fyra", 4.0),
    ("fem", 5.0),
    ("sex", 6.0),
    ("sju", 7.0),
    ("åtta", 8.0),
    ("nio", 9.0),
    ("tio", 10.0),
    ("elva", 11.0),
    ("tolv", 12.0),
    ("tretton", 13.0),
    ("fjorton", 14.0),
    ("femton", 15.0),
    ("sexton", 16.0),
    ("sjutton", 17.0),
    ("arton", 18.0),
    ("nitton", 19.0),
    ("tjugo", 20.0),
    ("trettio", 30.0),
    ("fyrtio", 40.0),
    ("femtio", 50.0),
    ("sextio", 60.0),
    ("sjuttio", 70.0),
    ("åttio", 80.0),
    ("nittio", 90.0),
    ("hundra", 100.0),
    ("tusen", 1000.0),
];

/// The value of a Swedish number word, and whether it is an approximation ("trettiotal").
pub fn number_word(word: &str) -> Option<(f64, bool)> {
    let first = word.chars().next()?.to_lowercase().next()?;
    for &(w, v) in NUMBER_WORDS {
        // A char comparison, not `starts_with(char)`, which calls memcmp for every entry.
        #[allow(clippy::chars_next_cmp)]
        if w.chars().next() != Some(first) {
            continue;
        }
        if super::tokens::eq_lower(word, w) {
            return Some((v, false));
        }
        // "tiotal", "trettiotal", "hundratal", "tjugotal"
        if v >= 10.0 && word.len() == w.len() + 3 && word.is_char_boundary(w.len()) {
            let (head, tail) = word.split_at(w.len());
            if super::tokens::eq_lower(head, w) && tail.eq_ignore_ascii_case("tal") {
                return Some((v, true));
            }
        }
    }
    None
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

fn digits_at(b: &[u8], i: usize) -> usize {
    b[i.min(b.len())..].iter().take_while(|c| c.is_ascii_digit()).count()
}

/// Parses the digits of a number starting at `i` (a digit). Returns (end, value).
fn parse_digits(text: &str, i: usize) -> (usize, f64) {
    let b = text.as_bytes();
    let first = digits_at(b, i);
    let mut end = i + first;
    let mut value = digit_value(&b[i..end]);
    if first <= 3 {
        // Thousands groups: one space (also no-break spaces) and exactly three digits.
        while let Some(c) = text[end..].chars().next() {
            if !is_space(c) {
                break;
            }
            let g = end + c.len_utf8();
            if digits_at(b, g) == 3 {
                value = value * 1000.0 + digit_value(&b[g..g + 3]);
                end = g + 3;
            } else {
                break;
            }
        }
    }
    // Decimals: "12,5"; "1.5" (a dot followed by exactly three digits is taken as thousands).
    if let Some(&sep) = b.get(end) {
        let n = digits_at(b, end + 1);
        if (sep == b',' && n > 0) || (sep == b'.' && n > 0 && n != 3) {
            let frac = digit_value(&b[end + 1..end + 1 + n]) / 10f64.powi(n as i32);
            value += frac;
            end += 1 + n;
        } else if sep == b'.' && n == 3 && digits_at(b, end + 4) == 0 {
            value = value * 1000.0 + digit_value(&b[end + 1..end + 4]);
            end += 4;
        }
    }
    (end, value)
}

fn digit_value(d: &[u8]) -> f64 {
    d.iter().fold(0.0, |acc, &c| acc * 10.0 + f64::from(c - b'0'))
}

/// Skips spaces from `i`, returning the new position.
fn skip_spaces(text: &str, mut i: usize) -> usize {
    while let Some(c) = text[i..].chars().next() {
        if !is_space(c) {
            break;
        }
        i += c.len_utf8();
    }
    i
}

/// `%`, "procent" (not "procentenheter") after `i`: the end of the sign.
fn percent_after(text: &str, i: usize) -> Option<usize> {
    let j = skip_spaces(text, i);
    let rest = &text[j..];
    if rest.starts_with('%') {
        return Some(j + 1);
    }
    let word_end = rest
        .char_indices()
        .find(|&(_, c)| !c.is_alphabetic())
        .map_or(rest.len(), |(k, _)| k);
    super::tokens::eq_lower(&rest[..word_end], "procent").then_some(j + word_end)
}

fn prev_char(text: &str, i: usize) -> Option<char> {
    text[..i].chars().next_back()
}

/// All numbers in `text`, in order.
pub fn figures(text: &str) -> Vec<Figure> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            if prev_char(text, i).is_some_and(|p| p.is_alphanumeric() || p == ',' || p == '.') {
                // Inside a word ("åk8", "CO2") or a decimal part.
                i += digits_at(b, i).max(1);
                continue;
            }
            // ISO dates ("2024-11-28") are not numbers.
            if digits_at(b, i) == 4
                && b.get(i + 4) == Some(&b'-')
                && digits_at(b, i + 5) == 2
                && b.get(i + 7) == Some(&b'-')
                && digits_at(b, i + 8) == 2
            {
                i += 10;
                continue;
            }
            let mut start = i;
            let (mut end, mut value) = parse_digits(text, i);
            // A minus sign directly before the number, itself after a space or a cell border.
            let neg = match prev_char(text, i) {
                Some(m @ ('-' | '−')) => {
                    let before = prev_char(text, i - m.len_utf8());
                    match before {
                        None => true,
                        Some(p) => p.is_whitespace() || p == '|' || p == '(',
                    }
                }
                _ => false,
            };
            if neg {
                value = -value;
                start -= prev_char(text, i).map_or(0, char::len_utf8);
            }
            let mut approx = false;
            if text[end..].starts_with("-tal") {
                approx = true;
                end += 4;
            }
            let mut upper = None;
            if !approx {
                // A range: "15–17", "800 - 900", "86–88 procent".
                let j = skip_spaces(text, end);
                if let Some(d @ ('–' | '-' | '—')) = text[j..].chars().next() {
                    let k = skip_spaces(text, j + d.len_utf8());
                    if digits_at(b, k) > 0 {
                        let (e2, v2) = parse_digits(text, k);
                        upper = Some(v2);
                        end = e2;
                    }
                }
            }
            let mut percent = false;
            if let Some(p) = percent_after(text, end) {
                percent = true;
                end = p;
            }
            out.push(Figure {
                span: start..end,
                value,
                upper,
                percent,
                word: false,
                approx,
            });
            i = end;
        } else if c.is_ascii_alphabetic() || c >= 0x80 {
            // A word: maybe a number word.
            let Some(ch) = text[i..].chars().next() else {
                break;
            };
            if !ch.is_alphabetic() || prev_char(text, i).is_some_and(char::is_alphanumeric) {
                i += ch.len_utf8();
                continue;
            }
            let rest = &text[i..];
            let len = rest
                .char_indices()
                .find(|&(_, c)| !c.is_alphabetic())
                .map_or(rest.len(), |(k, _)| k);
            let end = i + len;
            let hyphenated =
                text[end..].starts_with('-') && text[end + 1..].chars().next().is_some_and(char::is_alphanumeric);
            if !hyphenated {
                if let Some((value, approx)) = number_word(&text[i..end]) {
                    let (span_end, percent) = match percent_after(text, end) {
                        Some(p) => (p, true),
                        None => (end, false),
                    };
                    out.push(Figure {
                        span: i..span_end,
                        value,
                        upper: None,
                        percent,
                        word: true,
                        approx,
                    });
                    i = span_end;
                    continue;
                }
            }
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// Parses a whole table cell as one number ("1 230", "-764 946", "54 %"); `None` when the cell
/// holds anything else.
pub fn cell_number(cell: &str) -> Option<Figure> {
    let t = cell.trim();
    if t.is_empty() {
        return None;
    }
    let figs = figures(t);
    match figs.as_slice() {
        [f] if f.span == (0..t.len()) && !f.word => Some(f.clone()),
        _ => None,
    }
}

/// Formats a value the Swedish way: "1 230", "12,5".
pub fn format_sv(v: f64) -> String {
    let neg = v < 0.0;
    let a = v.abs();
    let rounded = (a * 10.0).round() / 10.0;
    let int = rounded.trunc() as u64;
    let frac = ((rounded - rounded.trunc()) * 10.0).round() as u64;
    let digits = int.to_string();
    let mut s = String::with_capacity(digits.len() + 6);
    if neg {
        s.push('-');
    }
    for (k, ch) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            s.push(' ');
        }
        s.push(ch);
    }
    if frac > 0 {
        s.push(',');
        s.push_str(&frac.to_string());
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(t: &str) -> Figure {
        let f = figures(t);
        assert_eq!(f.len(), 1, "{t}: {f:?}");
        f[0].clone()
    }

    #[test]
    fn parses_digits_with_spaces_and_commas() {
        assert_eq!(one("1 230 elever").value, 1230.0);
        assert_eq!(one("1 230 elever").span, 0..5);
        assert_eq!(one("1\u{a0}230,5 kr").value, 1230.5);
        assert_eq!(one("totalt 23 700 personer").value, 23700.0);
        assert_eq!(one("| -764 946 |").value, -764946.0);
        assert_eq!(one("1.5 timmar").value, 1.5);
        // a four-digit year is not grouped with the next number
        assert_eq!(figures("2024 27 i").len(), 2);
    }

    #[test]
    fn parses_percent_and_ranges() {
        let f = one("12 % av");
        assert!(f.percent);
        assert_eq!(f.span, 0..4);
        assert!(one("35 procent av deltagarna").percent);
        assert!(!one("3 procentenheter").percent);
        let r = one("86–88 procent");
        assert_eq!((r.value, r.upper, r.percent), (86.0, Some(88.0), true));
        assert_eq!(one("ca 800 - 900 invånare").upper, Some(900.0));
        assert!(figures("ett 20-tal")[1].approx);
    }

    #[test]
    fn parses_number_words() {
        let f = figures("Två ungdomskonsulenter och sju föräldrar samt ett trettiotal unga");
        let v: Vec<f64> = f.iter().map(|f| f.value).collect();
        assert_eq!(v, vec![2.0, 7.0, 1.0, 30.0]);
        assert!(f[3].approx && f[3].word);
        assert!(figures("Tolvåringar, enhet, tredje").is_empty());
        assert!(one("tre procent").percent);
    }

    #[test]
    fn ignores_digits_inside_words_and_dates() {
        assert!(figures("åk8 och CO2-ekv").is_empty());
        assert!(figures("Datum 2024-11-28").is_empty());
    }

    #[test]
    fn cell_numbers_and_formatting() {
        assert_eq!(cell_number(" 1 230 ").map(|f| f.value), Some(1230.0));
        assert!(cell_number("54 %").is_some_and(|f| f.percent));
        assert!(cell_number("Kvinnor").is_none());
        assert!(cell_number("12 st").is_none());
        assert_eq!(format_sv(1230.0), "1 230");
        assert_eq!(format_sv(-832718.0), "-832 718");
        assert_eq!(format_sv(100.1), "100,1");
    }
}
