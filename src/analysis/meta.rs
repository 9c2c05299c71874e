//! Metadata fields in the document head: Dnr, Handläggare, Datum.

use crate::document::{MetaKey, Metadata};

use super::lines::{trim_span, Line};

/// How many lines from the top are searched.
const HEAD_LINES: usize = 40;

/// Labels (lowercase) and the field they name. Longer labels first.
const LABELS: &[(&str, MetaKey)] = &[
    ("ärende/dok.id", MetaKey::Dnr),
    ("vår beteckning", MetaKey::Dnr),
    ("diarienummer", MetaKey::Dnr),
    ("dnr", MetaKey::Dnr),
    ("handläggare", MetaKey::Handlaggare),
    ("datum", MetaKey::Datum),
];

/// Finds metadata fields as "Label: value", "Label value" or a label alone on its line with the
/// value on the next non-blank line. Each key is reported once (the first occurrence).
pub fn find_metadata(text: &str, lines: &[Line]) -> Vec<Metadata> {
    let mut out: Vec<Metadata> = Vec::new();
    let head = &lines[..lines.len().min(HEAD_LINES)];
    for (i, line) in head.iter().enumerate() {
        let span = line.trimmed(text);
        let Some(s) = text.get(span.clone()) else {
            continue;
        };
        let Some((key, label_len)) = match_label(s) else {
            continue;
        };
        if out.iter().any(|m| m.key == key) {
            continue;
        }
        let rest = &s[label_len..];
        let after_colon = rest.trim_start().strip_prefix(':');
        let value_text = after_colon.unwrap_or(rest);
        let value_start = span.end - value_text.len();
        let value = trim_span(text, value_start..span.end);
        let labelled_inline = after_colon.is_some() || rest.starts_with([' ', '\t']);
        if value.start < value.end && labelled_inline {
            if after_colon.is_none() && !plausible_inline_value(key, &text[value.clone()]) {
                continue;
            }
            out.push(Metadata {
                key,
                span: span.start..value.end,
                value,
            });
        } else if value.start == value.end {
            // Label alone: the value is on the next non-blank line, if that is short.
            let next = head[i + 1..].iter().find(|l| !l.is_blank(text));
            match next {
                Some(l) if is_short_value(&text[l.trimmed(text)]) => {
                    let v = l.trimmed(text);
                    out.push(Metadata {
                        key,
                        span: span.start..v.end,
                        value: v,
                    });
                }
                _ => out.push(Metadata {
                    key,
                    span: span.clone(),
                    value: span.end..span.end,
                }),
            }
        }
    }
    out
}

/// The label at the start of `s` and its byte length, when a word boundary follows.
fn match_label(s: &str) -> Option<(MetaKey, usize)> {
    LABELS.iter().find_map(|&(label, key)| {
        let head = s.get(..label.len())?;
        if head.to_lowercase() != label {
            return None;
        }
        let next = s[label.len()..].chars().next();
        next.is_none_or(|c| !c.is_alphanumeric()).then_some((key, label.len()))
    })
}

/// "Datum 2024-10-09" or "Dnr 1.2.4-182-2013": without a colon the value must start with a digit
/// or (for Dnr) look like a code; a Handläggare value must be short.
fn plausible_inline_value(key: MetaKey, value: &str) -> bool {
    match key {
        MetaKey::Datum => value.starts_with(|c: char| c.is_ascii_digit()),
        MetaKey::Dnr => value.chars().any(|c| c.is_ascii_digit()) && value.len() <= 40,
        MetaKey::Handlaggare => value.split_whitespace().count() <= 8,
    }
}

fn is_short_value(s: &str) -> bool {
    s.len() <= 80 && s.split_whitespace().count() <= 8 && !s.ends_with('.')
}

#[cfg(test)]
mod tests {
    use super::super::lines::split_lines;
    use super::*;

    fn fields(t: &str) -> Vec<(MetaKey, String, String)> {
        find_metadata(t, &split_lines(t))
            .into_iter()
            .map(|m| (m.key, t[m.span].to_string(), t[m.value].to_string()))
            .collect()
    }

    #[test]
    fn label_on_own_line() {
        let t = "TJÄNSTESKRIVELSE\n\nDatum\n2024-10-09\nDiarienummer\nVO-2023-00286\n";
        let f = fields(t);
        assert_eq!(f[0].0, MetaKey::Datum);
        assert_eq!(f[0].2, "2024-10-09");
        assert_eq!(f[1].0, MetaKey::Dnr);
        assert_eq!(f[1].1, "Diarienummer\nVO-2023-00286");
    }

    #[test]
    fn inline_labels_crlf() {
        let t = "Dnr: KS 2024/12\r\nHandläggare: Åsa Öberg, 0300-12 34 56\r\nVår beteckning SN 18/0098\r\n";
        let f = fields(t);
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].2, "KS 2024/12");
        assert_eq!(f[1].0, MetaKey::Handlaggare);
        assert_eq!(f[1].2, "Åsa Öberg, 0300-12 34 56");
        let t = "Datumet är viktigt\nDatum för beslut saknas\n";
        assert!(fields(t).is_empty());
    }
}
