//! PDF → plain text with page breaks recorded, through `pdf-extract` (on `lopdf`).
//!
//! Per page: running headers and footers (a first or last line that recurs on most pages, digits
//! ignored) and page numbers ("3", "Sida 3 av 8", "3 (8)", "- 3 -") are removed; end-of-line
//! hyphenation is joined ("jämställd-" + "heten" → "jämställdheten", but "kvinno-" + "och" is
//! kept). A PDF without a text layer is an error that says it looks like a scan. An encrypted
//! PDF that opens with the empty password (restrictions only) is read; one that needs a password
//! is refused.

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::document::Format;

use super::{IngestError, SourceText};

const WHAT: &str = "PDF";

/// Fewer than half this many letters per page on average means there is no text layer.
const MIN_LETTERS_PER_PAGE: usize = 20;

pub fn read(name: &str, bytes: &[u8]) -> Result<SourceText, IngestError> {
    let malformed = |detail: String| IngestError::Malformed {
        name: name.to_string(),
        format: WHAT.to_string(),
        detail,
    };
    // lopdf's messages are in English; the Swedish message says what the reader needs to know.
    let mut doc = lopdf::Document::load_mem(bytes).map_err(|_| malformed("filen är inte en läsbar PDF".to_string()))?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(IngestError::Encrypted {
            name: name.to_string(),
            detail: "PDF-filen kräver ett lösenord för att öppnas".to_string(),
        });
    }
    let page_numbers: Vec<u32> = doc.get_pages().keys().copied().collect();
    // pdf-extract panics on some malformed content streams; a panic is one file's error.
    let pages = catch_unwind(AssertUnwindSafe(|| {
        let mut pages = Vec::with_capacity(page_numbers.len());
        for &n in &page_numbers {
            let mut s = String::new();
            let mut out = pdf_extract::PlainTextOutput::new(&mut s);
            pdf_extract::output_doc_page(&doc, &mut out, n).map_err(|e| e.to_string())?;
            pages.push(s);
        }
        Ok::<_, String>(pages)
    }))
    .map_err(|_| malformed("texten kunde inte tas ut".to_string()))?
    .map_err(|_| malformed("texten kunde inte tas ut".to_string()))?;
    let (text, page_starts) = assemble(&pages);
    // Counted after running headers, footers and page numbers are gone, so that a scan with a
    // text footer on every page is still recognised.
    if looks_scanned(&text, pages.len()) {
        return Err(IngestError::Scanned {
            name: name.to_string(),
            pages: match pages.len() {
                1 => "1 sida".to_string(),
                n => format!("{n} sidor"),
            },
        });
    }
    Ok(SourceText {
        name: name.to_string(),
        text,
        format: Format::Pdf,
        notes: Vec::new(),
        page_starts,
        paragraph_starts: Vec::new(),
    })
}

/// Whether the text of `pages` pages has too few letters to be a text layer.
fn looks_scanned(text: &str, pages: usize) -> bool {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    letters < MIN_LETTERS_PER_PAGE * pages.max(1) / 2 + 1
}

/// Joins the pages' lines into one text, with headers, footers and page numbers removed and
/// hyphenation joined; returns the text and the offsets where pages 2, 3, … begin.
pub fn assemble(pages: &[String]) -> (String, Vec<usize>) {
    let mut page_lines: Vec<Vec<String>> = pages
        .iter()
        .map(|p| p.lines().map(|l| l.trim_end().replace('\u{a0}', " ")).collect())
        .collect();
    remove_running_lines(&mut page_lines);
    let mut text = String::new();
    let mut starts = Vec::new();
    // Pages after the first without text, since the last page with text: each begins where the
    // next text begins, which is only known once the page break before it is settled.
    let mut empty = 0;
    for (i, lines) in page_lines.iter().enumerate() {
        // Trim blank lines at the page's ends; a page break is a paragraph break unless the
        // sentence clearly runs on (no end punctuation, the next page starts in lowercase).
        let first = lines.iter().position(|l| !l.trim().is_empty());
        let last = lines.iter().rposition(|l| !l.trim().is_empty());
        let (Some(first), Some(last)) = (first, last) else {
            if i > 0 {
                empty += 1;
            }
            continue;
        };
        let lines = &lines[first..=last];
        if i > 0 {
            let runs_on = lines[0].trim_start().chars().next().is_some_and(char::is_lowercase)
                && !text.trim_end().ends_with(['.', ':', '!', '?']);
            let trimmed = text.trim_end_matches('\n').len();
            text.truncate(trimmed);
            if !text.is_empty() {
                if runs_on && text.ends_with('-') && joins(&text, &lines[0]) {
                    text.pop();
                } else if runs_on {
                    text.push('\n');
                } else {
                    text.push_str("\n\n");
                }
            }
            starts.extend(std::iter::repeat_n(text.len(), empty + 1));
            empty = 0;
        }
        let mut blank_run = 0;
        for (j, line) in lines.iter().enumerate() {
            if line.trim().is_empty() {
                blank_run += 1;
                continue;
            }
            if j > 0 {
                if blank_run > 0 {
                    text.push_str("\n\n");
                } else if text.ends_with('-') && joins(&text, line) {
                    text.pop();
                } else {
                    text.push('\n');
                }
            }
            blank_run = 0;
            text.push_str(line);
        }
        text.push('\n');
    }
    starts.extend(std::iter::repeat_n(text.len(), empty));
    (text, starts)
}

/// Whether "…ord-" at the end of `before` joins with the start of `line`: a lowercase letter
/// before the hyphen, a lowercase word after it that is not a conjunction ("kvinno- och").
fn joins(before: &str, line: &str) -> bool {
    let mut rev = before.chars().rev();
    let (Some('-'), Some(prev)) = (rev.next(), rev.next()) else {
        return false;
    };
    let word: String = line.trim_start().chars().take_while(|c| c.is_alphabetic()).collect();
    prev.is_lowercase()
        && word.chars().next().is_some_and(char::is_lowercase)
        && !matches!(
            word.as_str(),
            "och" | "eller" | "samt" | "respektive" | "resp" | "som" | "till"
        )
}

/// Removes page numbers and running headers and footers: the first and last two non-blank lines
/// of each page are candidates; a candidate is removed when it is a page number, or, after the
/// first page, when the same line (digits ignored) is among the candidates of at least half of
/// the pages (and of at least two).
fn remove_running_lines(pages: &mut [Vec<String>]) {
    const EDGE: usize = 2;
    let candidates = |lines: &[String]| -> Vec<usize> {
        let nonblank: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].trim().is_empty()).collect();
        let mut c: Vec<usize> = nonblank.iter().take(EDGE).copied().collect();
        c.extend(nonblank.iter().rev().take(EDGE).copied());
        c.sort_unstable();
        c.dedup();
        c
    };
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for lines in pages.iter() {
        let mut seen: Vec<String> = candidates(lines).into_iter().map(|i| shape(&lines[i])).collect();
        seen.sort();
        seen.dedup();
        for s in seen {
            *counts.entry(s).or_default() += 1;
        }
    }
    let n = pages.len();
    for (page, lines) in pages.iter_mut().enumerate() {
        for i in candidates(lines) {
            // The first page keeps its running header: it is the document head, where the Dnr
            // and the date are.
            let recurring = page > 0 && n >= 2 && counts.get(&shape(&lines[i])).is_some_and(|&c| c >= 2 && c * 2 >= n);
            if recurring || is_page_number(&lines[i]) {
                lines[i].clear();
            }
        }
    }
}

/// The line with digits replaced and whitespace collapsed.
fn shape(line: &str) -> String {
    let s: String = line.chars().map(|c| if c.is_ascii_digit() { '#' } else { c }).collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// "3", "- 3 -", "Sida 3", "sida 3 av 8", "3 (8)", "3/8", "Page 3 of 8".
fn is_page_number(line: &str) -> bool {
    let lower = line.trim().to_lowercase();
    let rest = lower
        .strip_prefix("sida")
        .or_else(|| lower.strip_prefix("sid."))
        .or_else(|| lower.strip_prefix("page"))
        .unwrap_or(&lower);
    let compact: String = rest.chars().filter(|c| !c.is_whitespace()).collect();
    let compact = compact.trim_matches('-');
    let compact = compact
        .replace("av", "/")
        .replace("of", "/")
        .replace('(', "/")
        .replace(')', "");
    let mut parts = compact.split('/');
    let first_ok = parts
        .next()
        .is_some_and(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()));
    first_ok && parts.all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers() {
        for yes in ["3", "- 3 -", "Sida 3", "sida 3 av 8", "3 (8)", "3/8", "Page 3 of 8"] {
            assert!(is_page_number(yes), "{yes}");
        }
        for no in ["Sidan 3 visar", "3 kvinnor", "12 345 kr", "", "Dnr 2024/12"] {
            assert!(!is_page_number(no), "{no}");
        }
    }

    #[test]
    fn headers_footers_and_hyphenation() {
        let pages = vec![
            "Kommunstyrelsen\nDnr KS 2024/12\n\nFörslaget gäller jämställd-\nheten i kvinno-\noch mansdominerade yrken.\n\n1 (2)\n".to_string(),
            "Kommunstyrelsen\nDnr KS 2024/12\n\nBarnen berörs\ninte.\n\n2 (2)\n".to_string(),
        ];
        let (text, starts) = assemble(&pages);
        assert_eq!(
            text,
            "Kommunstyrelsen\nDnr KS 2024/12\n\nFörslaget gäller jämställdheten i kvinno-\noch mansdominerade yrken.\n\nBarnen berörs\ninte.\n"
        );
        assert_eq!(starts.len(), 1);
        assert!(text[starts[0]..].starts_with("Barnen"));
    }

    #[test]
    fn a_sentence_runs_on_over_a_page_break() {
        let pages = vec![
            "Första sidan slutar mitt i en\n".to_string(),
            "mening som fortsätter.\n".to_string(),
        ];
        let (text, starts) = assemble(&pages);
        assert_eq!(text, "Första sidan slutar mitt i en\nmening som fortsätter.\n");
        assert_eq!(&text[starts[0]..starts[0] + 6], "mening");
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod scan_tests {
    use super::*;

    #[test]
    fn a_footer_on_every_page_does_not_hide_a_scan() {
        let pages: Vec<String> = (1..=4)
            .map(|n| format!("Kommunstyrelsen\n\n\nSida {n} av 4\n"))
            .collect();
        let (text, _) = assemble(&pages);
        assert!(looks_scanned(&text, pages.len()), "{text}");
        let mut with_text = pages.clone();
        with_text[1] = "Kommunstyrelsen\n\nNämnden föreslås bevilja bidrag till tre föreningar.\n".to_string();
        let (text, _) = assemble(&with_text);
        assert!(!looks_scanned(&text, with_text.len()), "{text}");
    }
}
