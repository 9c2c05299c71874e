//! Suppression comments.
//!
//! Markdown: `<!-- belysa-disable-next-line PACK/RULE[, PACK/RULE…] -- reason -->` covers the next
//! non-blank line; `<!-- belysa-disable PACK/RULE -- reason -->` … `<!-- belysa-enable -->` covers
//! the text between. Plain text: a line containing `belysa: ignore PACK/RULE -- reason` covers
//! that line. No rule listed means every rule.

use crate::document::{Span, Suppression};

use super::lines::{split_lines, Line};

/// Rules and reason of a directive's argument text ("a/b, c/d -- reason").
fn parse_args(args: &str) -> (Vec<String>, Option<String>) {
    let (rules, reason) = match args.find(" -- ").or_else(|| {
        // "-- reason" right at the start (no rules).
        args.trim_start()
            .starts_with("--")
            .then(|| args.len() - args.trim_start().len())
    }) {
        Some(k) => {
            let reason_text = args[k..].trim_start().trim_start_matches("--").trim();
            (&args[..k], (!reason_text.is_empty()).then(|| reason_text.to_string()))
        }
        None => (args, None),
    };
    let rules = rules
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect();
    (rules, reason)
}

/// Suppressions from Markdown HTML comments (`comments` are the comment spans, in order).
pub fn from_comments(text: &str, comments: &[Span]) -> Vec<Suppression> {
    let lines = split_lines(text);
    let mut out = Vec::new();
    let mut open: Option<(Vec<String>, Option<String>, Span)> = None;
    for c in comments {
        let Some(raw) = text.get(c.clone()) else {
            continue;
        };
        let inner = raw.trim_start_matches("<!--").trim_end_matches("-->").trim();
        if let Some(args) = inner.strip_prefix("belysa-disable-next-line") {
            let (rules, reason) = parse_args(args);
            out.push(Suppression {
                rules,
                reason,
                span: c.clone(),
                covers: next_line_after(text, &lines, c.end),
            });
        } else if let Some(args) = inner.strip_prefix("belysa-disable") {
            if let Some((rules, reason, span)) = open.take() {
                out.push(Suppression {
                    rules,
                    reason,
                    covers: span.end..c.start.max(span.end),
                    span,
                });
            }
            let (rules, reason) = parse_args(args);
            open = Some((rules, reason, c.clone()));
        } else if inner.starts_with("belysa-enable") {
            if let Some((rules, reason, span)) = open.take() {
                out.push(Suppression {
                    rules,
                    reason,
                    covers: span.end..c.start.max(span.end),
                    span,
                });
            }
        }
    }
    if let Some((rules, reason, span)) = open {
        out.push(Suppression {
            rules,
            reason,
            covers: span.end..text.len(),
            span,
        });
    }
    out
}

/// The first non-blank line that starts after the line containing `pos`.
fn next_line_after(text: &str, lines: &[Line], pos: usize) -> Span {
    let i = lines.partition_point(|l| l.next <= pos);
    lines
        .iter()
        .skip(i + 1)
        .find(|l| !l.is_blank(text))
        .map_or(text.len()..text.len(), |l| l.trimmed(text))
}

/// Suppressions from plain-text lines containing `belysa: ignore`.
pub fn from_text_lines(text: &str) -> Vec<Suppression> {
    const MARK: &str = "belysa: ignore";
    let mut out = Vec::new();
    if !text.contains(MARK) {
        return out;
    }
    for line in split_lines(text) {
        let s = line.text(text);
        let Some(k) = s.find(MARK) else {
            continue;
        };
        let args = &s[k + MARK.len()..];
        let (rules, reason) = parse_args(args);
        out.push(Suppression {
            rules,
            reason,
            span: line.start + k..line.end,
            covers: line.trimmed(text),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rules_and_reason() {
        let (r, why) = parse_args(" klarsprak/lix, stat/kon -- citat från lagen ");
        assert_eq!(r, ["klarsprak/lix", "stat/kon"]);
        assert_eq!(why.as_deref(), Some("citat från lagen"));
        let (r, why) = parse_args("");
        assert!(r.is_empty() && why.is_none());
        let (r, why) = parse_args(" -- bara skäl");
        assert!(r.is_empty());
        assert_eq!(why.as_deref(), Some("bara skäl"));
    }

    #[test]
    fn plain_text_ignore() {
        let t = "Rad ett\r\nVi ser kvinnor. belysa: ignore norm/ord -- citat\r\nRad tre";
        let s = from_text_lines(t);
        assert_eq!(s.len(), 1);
        assert_eq!(
            &t[s[0].covers.clone()],
            "Vi ser kvinnor. belysa: ignore norm/ord -- citat"
        );
        assert_eq!(s[0].rules, ["norm/ord"]);
        assert_eq!(&t[s[0].span.clone()], "belysa: ignore norm/ord -- citat");
    }
}
