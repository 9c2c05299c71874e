//! Quotations inside a paragraph: “…”, ”…”, "…", «…», „…“.

use crate::document::Span;

/// The longest quotation considered, in bytes.
const MAX_QUOTE: usize = 400;

/// The closing mark for an opening quotation mark.
fn closer(c: char) -> Option<char> {
    match c {
        '“' => Some('”'),
        '”' => Some('”'),
        '"' => Some('"'),
        '«' => Some('»'),
        '„' => Some('“'),
        _ => None,
    }
}

/// Spans of quoted text (between the marks) inside `para`.
pub fn find_quotes(text: &str, para: Span) -> Vec<Span> {
    let mut out = Vec::new();
    let Some(body) = text.get(para.clone()) else {
        return out;
    };
    let bytes = body.as_bytes();
    let mut i = 0;
    // Every opening mark starts with one of these bytes: '"', or the lead byte of “ ” „ (E2) or
    // « (C2); lead bytes start a character, so `i` stays on a character boundary.
    while let Some(k) = memchr::memchr3(b'"', 0xE2, 0xC2, &bytes[i..]) {
        i += k;
        let Some(c) = body[i..].chars().next() else {
            break;
        };
        let open_len = c.len_utf8();
        let prev_ok = || body[..i].chars().next_back().is_none_or(|p| !p.is_alphanumeric());
        match closer(c) {
            Some(close) if prev_ok() => {
                let inner_start = i + open_len;
                let limit = (inner_start + MAX_QUOTE).min(body.len());
                let window = &body[inner_start..crate::document::floor_char_boundary(body, limit)];
                if let Some(k) = window.find(close) {
                    if k > 0 {
                        out.push(para.start + inner_start..para.start + inner_start + k);
                    }
                    i = inner_start + k + close.len_utf8();
                    continue;
                }
                i += open_len;
            }
            _ => i += open_len,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // The search as it was before the marks were looked for by their bytes.
    /// Spans of quoted text (between the marks) inside `para`.
    fn find_quotes_reference(text: &str, para: Span) -> Vec<Span> {
        let mut out = Vec::new();
        let Some(body) = text.get(para.clone()) else {
            return out;
        };
        let mut i = 0;
        while i < body.len() {
            let Some(c) = body[i..].chars().next() else {
                break;
            };
            let open_len = c.len_utf8();
            let prev_ok = body[..i].chars().next_back().is_none_or(|p| !p.is_alphanumeric());
            match closer(c) {
                Some(close) if prev_ok => {
                    let inner_start = i + open_len;
                    let limit = (inner_start + MAX_QUOTE).min(body.len());
                    let window = &body[inner_start..crate::document::floor_char_boundary(body, limit)];
                    if let Some(k) = window.find(close) {
                        if k > 0 {
                            out.push(para.start + inner_start..para.start + inner_start + k);
                        }
                        i = inner_start + k + close.len_utf8();
                        continue;
                    }
                    i += open_len;
                }
                _ => i += open_len,
            }
        }
        out
    }

    proptest! {
        #[test]
        fn same_quotes_as_char_by_char(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("“"), Just("”"), Just("\""), Just("«"), Just("»"), Just("„"), Just("’"), Just("a"),
                    Just(" "), Just("Å"), Just("é"), Just("–"), Just("😀"), Just("5"), Just("\n"),
                ],
                0..60,
            ),
            from in 0usize..4,
        ) {
            let t = parts.concat();
            let mut from = from.min(t.len());
            while !t.is_char_boundary(from) {
                from -= 1;
            }
            prop_assert_eq!(find_quotes(&t, from..t.len()), find_quotes_reference(&t, from..t.len()));
        }
    }

    #[test]
    fn finds_quotes() {
        let t = "Lagen säger ”barnets bästa ska beaktas” och \"inget\" annat, «även» detta 5\" tum.";
        let q: Vec<&str> = find_quotes(t, 0..t.len()).into_iter().map(|s| &t[s]).collect();
        assert_eq!(q, ["barnets bästa ska beaktas", "inget", "även"]);
    }
}
