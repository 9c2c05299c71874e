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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_quotes() {
        let t = "Lagen säger ”barnets bästa ska beaktas” och \"inget\" annat, «även» detta 5\" tum.";
        let q: Vec<&str> = find_quotes(t, 0..t.len()).into_iter().map(|s| &t[s]).collect();
        assert_eq!(q, ["barnets bästa ska beaktas", "inget", "även"]);
    }
}
