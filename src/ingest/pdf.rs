//! PDF → plain text with page breaks recorded, through `pdf-extract` (on `lopdf`).
//!
//! Per page: running headers and footers (a first or last line that recurs on most pages, digits
//! ignored) and page numbers ("3", "Sida 3 av 8", "3 (8)", "- 3 -") are removed; end-of-line
//! hyphenation is joined ("jämställd-" + "heten" → "jämställdheten", but "kvinno-" + "och" is
//! kept). A PDF without a text layer is an error that says it looks like a scan. An encrypted
//! PDF that opens with the empty password (restrictions only) is read; one that needs a password
//! is refused.

use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::document::Format;

use super::{human_size, IngestError, Limits, SourceText};

const WHAT: &str = "PDF";

thread_local! {
    /// Set while this thread is in pdf-extract, whose panics the reader catches.
    static EXTRACTING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether this thread is extracting a PDF's text: a panic now comes from pdf-extract (or lopdf
/// under it) on a damaged file, and the reader catches it and reports the file as unreadable. A
/// panic hook uses this to keep the panic's own message from the user, and the fuzz target to
/// tell it from a panic in belysa.
pub fn extracting() -> bool {
    EXTRACTING.with(std::cell::Cell::get)
}

/// Fewer than half this many letters per page on average means there is no text layer.
const MIN_LETTERS_PER_PAGE: usize = 20;

pub fn read(name: &str, bytes: &[u8], limits: &Limits) -> Result<SourceText, IngestError> {
    let unpacked = unpacked_size(bytes, limits.max_uncompressed_size);
    if unpacked > limits.max_uncompressed_size {
        return Err(IngestError::ZipBomb {
            name: name.to_string(),
            detail: format!(
                "PDF-filens komprimerade delar blir mer än {} uppackade, gränsen",
                human_size(limits.max_uncompressed_size)
            ),
        });
    }
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
    EXTRACTING.with(|e| e.set(true));
    let pages = catch_unwind(AssertUnwindSafe(|| {
        let mut pages = Vec::with_capacity(page_numbers.len());
        for &n in &page_numbers {
            let mut s = String::new();
            let mut out = pdf_extract::PlainTextOutput::new(&mut s);
            pdf_extract::output_doc_page(&doc, &mut out, n).map_err(|e| e.to_string())?;
            pages.push(s);
        }
        Ok::<_, String>(pages)
    }));
    EXTRACTING.with(|e| e.set(false));
    let pages = pages
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

/// What the file's compressed streams unpack to, counted before lopdf unpacks any of them (it
/// unpacks object streams while loading, whatever their size), and no further than just past
/// `limit`. Found by a scan of the raw bytes, so that a damaged cross-reference table hides
/// nothing: every `stream` keyword followed by zlib data (Flate, also in up to four layers) or,
/// when its dictionary names it, LZW data, each also under an ASCII85 layer (the three filters
/// lopdf unpacks). A stream whose dictionary says it is an image counts at a quarter of its size
/// ([`IMAGE_WEIGHT`]): belysa does not unpack images, and screenshots unpack to ten times their
/// size and more, so counting them in full would refuse ordinary PDFs full of them; a stream that
/// only says it is an image is still bounded, at four times the limit.
pub fn unpacked_size(bytes: &[u8], limit: u64) -> u64 {
    /// How far back from `stream` the stream's dictionary is looked for.
    const DICT_REACH: usize = 4096;
    let mut total: u64 = 0;
    for at in memchr::memmem::find_iter(bytes, b"stream") {
        if at >= 3 && &bytes[at - 3..at] == b"end" {
            continue;
        }
        let rest = &bytes[at + 6..];
        let data = if let Some(d) = rest.strip_prefix(b"\r\n") {
            d
        } else if let Some(d) = rest.strip_prefix(b"\n").or_else(|| rest.strip_prefix(b"\r")) {
            d
        } else {
            continue;
        };
        let from = at.saturating_sub(DICT_REACH);
        let dict_start = memchr::memmem::rfind(&bytes[from..at], b"obj").map_or(from, |i| from + i);
        let dict = &bytes[dict_start..at];
        let weight = if memchr::memmem::find(dict, b"/Image").is_some() {
            IMAGE_WEIGHT
        } else {
            1
        };
        let budget = limit.saturating_sub(total).saturating_add(1).saturating_mul(weight);
        let decoded;
        let (data, mut size) = if memchr::memmem::find(dict, b"/ASCII85Decode").is_some() {
            decoded = ascii85(data, budget);
            (&decoded[..], decoded.len() as u64)
        } else {
            (data, 0)
        };
        size += if is_zlib(data) {
            inflated_size(Box::new(data), budget, 0)
        } else if memchr::memmem::find(dict, b"/LZWDecode").is_some() {
            lzw_size(data, budget)
        } else {
            0
        };
        total = total.saturating_add(size.div_ceil(weight));
        if total > limit {
            break;
        }
    }
    total
}

/// An image stream's unpacked bytes count this many times less; see [`unpacked_size`].
const IMAGE_WEIGHT: u64 = 4;

/// ASCII85 (PDF's ASCII85Decode) decoded as lopdf decodes it, to just past `budget` bytes:
/// white space skipped, `z` for four zero bytes, a final short group padded, and the end at `~`
/// or any other character outside `!`..=`u`. No crate for it is at hand; this is only counted.
fn ascii85(data: &[u8], budget: u64) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut group, mut n) = (0u32, 0usize);
    for &c in data {
        if out.len() as u64 > budget {
            break;
        }
        match c {
            b'z' if n == 0 => out.extend_from_slice(&[0; 4]),
            b'!'..=b'u' => {
                group = group.wrapping_mul(85).wrapping_add(u32::from(c - b'!'));
                n += 1;
                if n == 5 {
                    out.extend_from_slice(&group.to_be_bytes());
                    (group, n) = (0, 0);
                }
            }
            c if c.is_ascii_whitespace() => {}
            _ => break,
        }
    }
    if n > 1 {
        for _ in n..5 {
            group = group.wrapping_mul(85).wrapping_add(84);
        }
        out.extend_from_slice(&group.to_be_bytes()[..n - 1]);
    }
    out
}

/// Whether `data` starts with a zlib header (RFC 1950: deflate, and a check value divisible by 31).
fn is_zlib(data: &[u8]) -> bool {
    matches!(data, [cmf, flg, ..] if cmf & 0x0f == 8 && ((u16::from(*cmf) << 8) | u16::from(*flg)) % 31 == 0)
}

/// How many bytes zlib data unpacks to, up to `budget`; when what it unpacks to is zlib data in
/// turn (a stream with the Flate filter twice), the inner layer is counted, to four layers.
fn inflated_size(data: Box<dyn Read + '_>, budget: u64, depth: u32) -> u64 {
    let mut inner = flate2::read::ZlibDecoder::new(data);
    let mut head = [0u8; 2];
    let mut got = 0;
    while got < 2 {
        match inner.read(&mut head[got..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    let rest = (&head[..got]).chain(inner);
    if depth < 3 && is_zlib(&head[..got]) {
        inflated_size(Box::new(rest), budget, depth + 1)
    } else {
        count_bytes(rest, budget)
    }
}

/// Bytes read from `r` until its end or an error, stopping once past `budget`.
fn count_bytes(r: impl Read, budget: u64) -> u64 {
    std::io::copy(&mut r.take(budget), &mut std::io::sink()).unwrap_or(0)
}

/// How many bytes LZW data unpacks to, up to `budget`; both code-size conventions (PDF's
/// EarlyChange) are tried and the larger count kept.
fn lzw_size(data: &[u8], budget: u64) -> u64 {
    use weezl::{decode::Decoder, BitOrder};
    let mut most = 0;
    for mut decoder in [
        Decoder::with_tiff_size_switch(BitOrder::Msb, 8),
        Decoder::new(BitOrder::Msb, 8),
    ] {
        let mut out = vec![0u8; 64 * 1024];
        let mut input = data;
        let mut count: u64 = 0;
        while count < budget {
            let r = decoder.decode_bytes(input, &mut out);
            count += r.consumed_out as u64;
            input = &input[r.consumed_in..];
            match r.status {
                Ok(weezl::LzwStatus::Ok) if r.consumed_in + r.consumed_out > 0 => {}
                _ => break,
            }
        }
        most = most.max(count);
    }
    most
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

#[cfg(test)]
mod unpacking_tests {
    use std::io::Write;

    use lopdf::{dictionary, Document, Object, Stream};

    use super::*;

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    /// A one-page PDF whose page text is `text` followed by `padding` spaces, in a Flate stream.
    fn pdf(text: &str, padding: usize) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font_id = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        });
        let mut content = format!("BT /F1 12 Tf 72 712 Td ({text}) Tj ET").into_bytes();
        content.resize(content.len() + padding, b' ');
        let mut stream = Stream::new(dictionary! {}, content);
        stream.compress().unwrap();
        let content_id = doc.add_object(stream);
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
                "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            }),
        );
        let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog_id);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    fn limits(max: u64) -> Limits {
        Limits {
            max_uncompressed_size: max,
            ..Limits::default()
        }
    }

    const TEXT: &str = "Kommunstyrelsen beslutar att anta planen for jamstalldhet och att ge uppdraget till namnden.";

    #[test]
    fn a_pdf_unpacking_past_the_limit_is_refused_before_it_is_loaded() {
        // 4 MB of page content in some 4 kB of file.
        let bomb = pdf(TEXT, 4 << 20);
        assert!(bomb.len() < 64 * 1024, "{}", bomb.len());
        match read("bomb.pdf", &bomb, &limits(1 << 20)) {
            Err(e @ IngestError::ZipBomb { .. }) => {
                let msg = e.to_string();
                assert!(
                    msg.starts_with("bomb.pdf: filen packas upp till för mycket data"),
                    "{msg}"
                );
                assert!(msg.contains("mer än 1 MB uppackade"), "{msg}");
            }
            other => panic!("{other:?}"),
        }
        // The same file within the limit is read.
        let read_back = read("bomb.pdf", &bomb, &limits(8 << 20)).unwrap();
        assert!(
            read_back.text.contains("Kommunstyrelsen beslutar"),
            "{}",
            read_back.text
        );
    }

    #[test]
    fn the_committed_pdf_unpacks_to_what_its_streams_hold() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/formats/beslut.pdf"
        ))
        .unwrap();
        let size = unpacked_size(&bytes, u64::MAX);
        assert!((10_000..1_000_000).contains(&size), "{size}");
        assert!(read("beslut.pdf", &bytes, &Limits::default()).is_ok());
        assert!(matches!(
            read("beslut.pdf", &bytes, &limits(size / 2)),
            Err(IngestError::ZipBomb { .. })
        ));
    }

    fn object(dict: &str, data: &[u8]) -> Vec<u8> {
        let mut out = format!("4 0 obj\n<< {dict} /Length {} >>\nstream\r\n", data.len()).into_bytes();
        out.extend_from_slice(data);
        out.extend_from_slice(b"\nendstream\nendobj\n");
        out
    }

    #[test]
    fn layers_lzw_and_images_are_counted_as_lopdf_would_unpack_them() {
        let zeros = vec![0u8; 3 << 20];
        // Flate twice: the inner layer is what fills the memory.
        let twice = object("/Filter [/FlateDecode /FlateDecode]", &zlib(&zlib(&zeros)));
        assert_eq!(unpacked_size(&twice, u64::MAX), 3 << 20);
        // Counting stops just past the limit.
        assert_eq!(unpacked_size(&twice, 1000), 1001);
        let lzw = weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8)
            .encode(&zeros)
            .unwrap();
        let lzw = object("/Filter /LZWDecode", &lzw);
        assert_eq!(unpacked_size(&lzw, u64::MAX), 3 << 20);
        // Images are not unpacked by belysa: they count at a quarter, but they count.
        let image = object("/Type /XObject /Subtype /Image /Filter /FlateDecode", &zlib(&zeros));
        assert_eq!(unpacked_size(&image, u64::MAX), (3 << 20) / 4);
        assert_eq!(unpacked_size(&image, 1000), 1001);
        // Data that is not compressed, and the end of every stream, count nothing.
        let plain = object("", b"BT (stream) Tj ET endstream stream\nxyz");
        assert_eq!(unpacked_size(&plain, u64::MAX), 0);
        let all = [twice, lzw].concat();
        assert_eq!(unpacked_size(&all, u64::MAX), 6 << 20);
        // Under ASCII85: its own output and what that unpacks to.
        let packed = zlib(&zeros);
        let wrapped = object("/Filter [/ASCII85Decode /FlateDecode]", &ascii85_encode(&packed));
        assert_eq!(unpacked_size(&wrapped, u64::MAX), packed.len() as u64 + (3 << 20));
    }

    /// ASCII85 as PDF writers write it (no `z` shorthand), ending in `~>`.
    fn ascii85_encode(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for chunk in data.chunks(4) {
            let mut word = [0u8; 4];
            word[..chunk.len()].copy_from_slice(chunk);
            let mut v = u32::from_be_bytes(word);
            let mut digits = [0u8; 5];
            for d in digits.iter_mut().rev() {
                *d = b'!' + (v % 85) as u8;
                v /= 85;
            }
            out.extend_from_slice(&digits[..chunk.len() + 1]);
        }
        out.extend_from_slice(b"~>");
        out
    }

    #[test]
    fn ascii85_decodes_as_lopdf_does() {
        assert_eq!(ascii85(b"87cURD]i,\"Ebo80~>", u64::MAX), b"Hello World!");
        let data: Vec<u8> = (0..=255).collect();
        for input in [
            ascii85_encode(&data),
            b"z!!!!!\n z87cURD]i,\"Ebo80~>".to_vec(),
            b"87cUR~>".to_vec(),
        ] {
            let stream = Stream::new(dictionary! { "Filter" => "ASCII85Decode" }, input.clone());
            assert_eq!(
                ascii85(&input, u64::MAX),
                stream.decompressed_content().unwrap(),
                "{}",
                String::from_utf8_lossy(&input)
            );
        }
    }
}
