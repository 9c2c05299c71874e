//! Bytes → text: encoding, BOM, binary detection, format by extension, and the readers for
//! Word ([`docx`]), OpenDocument ([`odt`]), PDF ([`pdf`]) and HTML ([`html`]), which turn a file
//! into a Markdown rendition (or, for PDF, plain text with page breaks) that analysis reads.
//!
//! Every reader is guarded by [`Limits`]: file size, the uncompressed size and entry count of
//! zip containers (counted while reading), XML nesting depth (and no DTDs, so no entity
//! expansion), encrypted files and extensions that lie about the content (magic bytes are
//! sniffed). Each problem is an [`IngestError`] naming the file.
//!
//! The rules: a UTF-8 BOM or valid UTF-8 is read as UTF-8; a UTF-16 BOM (little or big endian)
//! as UTF-16; anything else as Windows-1252 with a note. Files containing NUL bytes or mostly
//! control characters are refused as binary, and files larger than [`Limits::max_file_size`] are
//! refused before they are read.

use std::io::Read;
use std::path::{Path, PathBuf};

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1252};

use crate::document::Format;

pub mod docx;
pub mod html;
pub mod odt;
pub mod pdf;
pub mod rendition;
pub mod sniff;
pub mod xml;
pub mod ziparchive;

/// The default largest file that is read: 50 MB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 50 * 1024 * 1024;
/// The default largest total of uncompressed bytes read from a zip container: 200 MB.
pub const DEFAULT_MAX_UNCOMPRESSED_SIZE: u64 = 200 * 1024 * 1024;
/// The default largest number of entries in a zip container.
pub const DEFAULT_MAX_ZIP_ENTRIES: usize = 10_000;
/// The default deepest XML element nesting.
pub const DEFAULT_MAX_XML_DEPTH: usize = 256;

/// Limits on what is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file size in bytes.
    pub max_file_size: u64,
    /// Largest total of uncompressed bytes read from a zip container (.docx, .odt), or unpacked
    /// from a PDF's compressed streams.
    pub max_uncompressed_size: u64,
    /// Largest number of entries in a zip container.
    pub max_zip_entries: usize,
    /// Deepest element nesting in XML (and HTML).
    pub max_xml_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            max_uncompressed_size: DEFAULT_MAX_UNCOMPRESSED_SIZE,
            max_zip_entries: DEFAULT_MAX_ZIP_ENTRIES,
            max_xml_depth: DEFAULT_MAX_XML_DEPTH,
        }
    }
}

/// A decoded input text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceText {
    /// The name for messages: the path as given, or "-" for standard input.
    pub name: String,
    /// The decoded text, BOM removed, line endings untouched.
    pub text: String,
    pub format: Format,
    /// Notes for the reader, e.g. "avkodad som Windows-1252".
    pub notes: Vec<String>,
    /// Byte offsets in `text` where pages 2, 3, … begin (PDF); empty otherwise.
    pub page_starts: Vec<usize>,
    /// Byte offsets in `text` where the original's paragraphs begin (Word, OpenDocument, HTML);
    /// empty for text formats.
    pub paragraph_starts: Vec<usize>,
}

impl SourceText {
    /// A text with no page or paragraph positions.
    pub fn plain(name: &str, text: String, format: Format, notes: Vec<String>) -> SourceText {
        SourceText {
            name: name.to_string(),
            text,
            format,
            notes,
            page_starts: Vec::new(),
            paragraph_starts: Vec::new(),
        }
    }
}

/// Why an input could not be read. Every message names the file.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum IngestError {
    #[error("{name}: filen kunde inte läsas: {}", io_message_sv(source))]
    #[diagnostic(code(belysa::las))]
    Io {
        name: String,
        #[source]
        source: std::io::Error,
    },

    #[error("{name}: filen finns inte")]
    #[diagnostic(code(belysa::las), help("Kontrollera sökvägen."))]
    NotFound { name: String },

    #[error("{name}: är en mapp, inte en fil")]
    #[diagnostic(code(belysa::las))]
    IsDirectory { name: String },

    #[error("{name}: filen är för stor ({size}); gränsen är {limit}")]
    #[diagnostic(
        code(belysa::for_stor),
        help("Höj gränsen med `limits.max-file-size` i belysa.toml om filen verkligen ska granskas.")
    )]
    TooLarge { name: String, size: String, limit: String },

    #[error("{name}: filen ser ut att vara binär, inte text")]
    #[diagnostic(
        code(belysa::binar),
        help("belysa granskar text, Markdown, Word (.docx), OpenDocument (.odt), PDF och HTML. Spara dokumentet i något av de formaten först.")
    )]
    Binary { name: String },

    #[error("{name}: teckenkodningen kunde inte avgöras ({detail})")]
    #[diagnostic(code(belysa::teckenkodning), help("Spara filen som UTF-8 och försök igen."))]
    Encoding { name: String, detail: String },

    #[error("{name}: filändelsen säger {claimed}, men innehållet är {actual}")]
    #[diagnostic(
        code(belysa::fel_filtyp),
        help("Ge filen rätt filändelse, eller öppna den i sitt program och spara den i rätt format.")
    )]
    WrongType {
        name: String,
        claimed: String,
        actual: String,
    },

    #[error("{name}: filen är krypterad eller lösenordsskyddad ({detail})")]
    #[diagnostic(
        code(belysa::krypterad),
        help("Ta bort lösenordsskyddet (spara en kopia utan lösenord) och granska kopian.")
    )]
    Encrypted { name: String, detail: String },

    #[error("{name}: filen packas upp till för mycket data ({detail}); det kan vara en så kallad zip-bomb")]
    #[diagnostic(
        code(belysa::zipbomb),
        help("Ett vanligt dokument är långt under gränserna. Höj `max-uncompressed-size` (eller, för antalet filer, `max-zip-entries`) under `[limits]` i belysa.toml bara om filen är känd och betrodd.")
    )]
    ZipBomb { name: String, detail: String },

    #[error("{name}: filen är för djupt nästlad (mer än {limit} nivåer)")]
    #[diagnostic(
        code(belysa::for_djup),
        help("Ett vanligt dokument är aldrig så djupt nästlat; filen kan vara skadad eller skapad för att störa. Spara om den från sitt program, eller höj `max-xml-depth` under `[limits]` i belysa.toml om filen är känd och betrodd.")
    )]
    TooDeep { name: String, limit: usize },

    #[error("{name}: PDF-filen har inget textlager ({pages}) – den ser ut att vara inskannad")]
    #[diagnostic(
        code(belysa::inskannad),
        help("belysa kan bara granska text. Be om originalet (Word eller en PDF sparad från Word), eller kör textigenkänning (OCR) på filen först.")
    )]
    Scanned { name: String, pages: String },

    #[error("{name}: filen kunde inte läsas som {format}: {detail}")]
    #[diagnostic(
        code(belysa::skadad),
        help("Filen kan vara skadad. Öppna den i sitt program och spara om den, och granska sedan den nya filen.")
    )]
    Malformed {
        name: String,
        format: String,
        detail: String,
    },
}

impl IngestError {
    /// The file the error is about.
    pub fn name(&self) -> &str {
        match self {
            IngestError::Io { name, .. }
            | IngestError::NotFound { name }
            | IngestError::IsDirectory { name }
            | IngestError::TooLarge { name, .. }
            | IngestError::Binary { name }
            | IngestError::Encoding { name, .. }
            | IngestError::WrongType { name, .. }
            | IngestError::Encrypted { name, .. }
            | IngestError::ZipBomb { name, .. }
            | IngestError::TooDeep { name, .. }
            | IngestError::Scanned { name, .. }
            | IngestError::Malformed { name, .. } => name,
        }
    }

    /// A copy (an `io::Error` cannot be cloned, so it is copied by kind and message).
    pub fn duplicate(&self) -> IngestError {
        match self {
            IngestError::Io { name, source } => IngestError::Io {
                name: name.clone(),
                source: std::io::Error::new(source.kind(), source.to_string()),
            },
            IngestError::NotFound { name } => IngestError::NotFound { name: name.clone() },
            IngestError::IsDirectory { name } => IngestError::IsDirectory { name: name.clone() },
            IngestError::TooLarge { name, size, limit } => IngestError::TooLarge {
                name: name.clone(),
                size: size.clone(),
                limit: limit.clone(),
            },
            IngestError::Binary { name } => IngestError::Binary { name: name.clone() },
            IngestError::Encoding { name, detail } => IngestError::Encoding {
                name: name.clone(),
                detail: detail.clone(),
            },
            IngestError::WrongType { name, claimed, actual } => IngestError::WrongType {
                name: name.clone(),
                claimed: claimed.clone(),
                actual: actual.clone(),
            },
            IngestError::Encrypted { name, detail } => IngestError::Encrypted {
                name: name.clone(),
                detail: detail.clone(),
            },
            IngestError::ZipBomb { name, detail } => IngestError::ZipBomb {
                name: name.clone(),
                detail: detail.clone(),
            },
            IngestError::TooDeep { name, limit } => IngestError::TooDeep {
                name: name.clone(),
                limit: *limit,
            },
            IngestError::Scanned { name, pages } => IngestError::Scanned {
                name: name.clone(),
                pages: pages.clone(),
            },
            IngestError::Malformed { name, format, detail } => IngestError::Malformed {
                name: name.clone(),
                format: format.clone(),
                detail: detail.clone(),
            },
        }
    }
}

/// A Swedish wording of an I/O error.
pub fn io_message_sv(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "filen finns inte".to_string(),
        std::io::ErrorKind::PermissionDenied => "åtkomst nekad".to_string(),
        std::io::ErrorKind::InvalidData => "filen är inte giltig UTF-8".to_string(),
        std::io::ErrorKind::IsADirectory => "är en mapp".to_string(),
        _ => e.to_string(),
    }
}

/// Reads a text file that belysa itself needs (a rule file, a configuration file) as UTF-8, at
/// most `limit` bytes, so that a device such as `/dev/zero` cannot fill the memory. The error is
/// a Swedish reason; `what` names the kind of file in it ("en regelfil").
pub fn read_text_file_limited(path: &Path, limit: u64, what: &str) -> Result<String, String> {
    let file = std::fs::File::open(path).map_err(|e| io_message_sv(&e))?;
    let bytes = read_limited(file, limit)
        .map_err(|e| io_message_sv(&e))?
        .ok_or_else(|| format!("filen är större än {}, gränsen för {what}", human_size(limit)))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "filen är inte giltig UTF-8 (första felet vid byte {}); spara den som UTF-8",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Why a folder entry could not be read while walking, in Swedish: a link back up the tree, or
/// the entry's I/O error.
pub fn walk_message_sv(e: &walkdir::Error) -> String {
    match (e.loop_ancestor(), e.io_error()) {
        (Some(_), _) => "länken pekar på en mapp ovanför sig själv".to_string(),
        (None, Some(io)) => io_message_sv(io),
        (None, None) => e.to_string(),
    }
}

/// The input format for a path, by extension: `.md`/`.markdown` → Markdown, `.txt`/`.text` or no
/// extension → text, `.docx`, `.odt`, `.pdf`, `.html`/`.htm`, anything else `None`
/// (unsupported).
pub fn format_for(path: &Path) -> Option<Format> {
    match path.extension() {
        None => Some(Format::Text),
        Some(ext) => {
            let ext = ext.to_string_lossy().to_lowercase();
            match ext.as_str() {
                "md" | "markdown" => Some(Format::Markdown),
                "txt" | "text" => Some(Format::Text),
                "docx" => Some(Format::Docx),
                "odt" => Some(Format::Odt),
                "pdf" => Some(Format::Pdf),
                "html" | "htm" => Some(Format::Html),
                _ => None,
            }
        }
    }
}

/// Whether files with this path are checked when a folder is walked.
pub fn supported(path: &Path) -> bool {
    format_for(path).is_some()
}

/// Reads and decodes a file. A file with an unsupported extension is read as plain text: the
/// user named it explicitly.
pub fn read_path(path: &Path, limits: &Limits) -> Result<SourceText, IngestError> {
    let name = path.display().to_string();
    let bytes = read_file_bytes(path, limits)?;
    let format = format_for(path).unwrap_or(Format::Text);
    read_bytes(&name, &bytes, format, limits)
}

/// Reads a file's raw bytes, refusing folders and files over the size limit before reading them.
pub fn read_file_bytes(path: &Path, limits: &Limits) -> Result<Vec<u8>, IngestError> {
    let name = path.display().to_string();
    let io_err = |source: std::io::Error| match source.kind() {
        std::io::ErrorKind::NotFound => IngestError::NotFound { name: name.clone() },
        _ => IngestError::Io {
            name: name.clone(),
            source,
        },
    };
    let meta = std::fs::metadata(path).map_err(io_err)?;
    if meta.is_dir() {
        return Err(IngestError::IsDirectory { name });
    }
    if meta.len() > limits.max_file_size {
        return Err(too_large(&name, Some(meta.len()), limits));
    }
    let file = std::fs::File::open(path).map_err(io_err)?;
    let bytes = read_limited(file, limits.max_file_size).map_err(io_err)?;
    // Grown since it was measured, or a device or pipe, whose length is not known.
    bytes.ok_or_else(|| too_large(&name, None, limits))
}

/// Reads the bytes of a file said to be in `format`: checks the content against the format
/// (magic bytes), then runs the format's reader.
pub fn read_bytes(name: &str, bytes: &[u8], format: Format, limits: &Limits) -> Result<SourceText, IngestError> {
    sniff::check(name, bytes, format)?;
    match format {
        Format::Text | Format::Markdown => decode(name, bytes, format),
        Format::Docx => docx::read(name, bytes, limits),
        Format::Odt => odt::read(name, bytes, limits),
        Format::Pdf => pdf::read(name, bytes, limits),
        Format::Html => {
            let source = decode(name, bytes, Format::Html)?;
            html::read(name, &source.text, source.notes, limits)
        }
    }
}

/// Reads and decodes standard input as plain text.
pub fn read_stdin(limits: &Limits) -> Result<SourceText, IngestError> {
    read_reader("-", std::io::stdin().lock(), Format::Text, limits)
}

/// Reads and decodes any reader; `name` is used in messages.
pub fn read_reader(name: &str, reader: impl Read, format: Format, limits: &Limits) -> Result<SourceText, IngestError> {
    let bytes = read_limited(reader, limits.max_file_size).map_err(|source| IngestError::Io {
        name: name.to_string(),
        source,
    })?;
    let bytes = bytes.ok_or_else(|| too_large(name, None, limits))?;
    decode(name, &bytes, format)
}

/// Reads at most `limit` bytes; `None` when there was more.
fn read_limited(reader: impl Read, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    reader.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        Ok(None)
    } else {
        Ok(Some(bytes))
    }
}

/// `size` when it is known; else the text says only that it is over the limit (a stream is read
/// no further than the limit).
fn too_large(name: &str, size: Option<u64>, limits: &Limits) -> IngestError {
    let limit = human_size(limits.max_file_size);
    IngestError::TooLarge {
        name: name.to_string(),
        size: size.map_or_else(|| format!("över {limit}"), human_size),
        limit,
    }
}

/// "50 MB", "12 kB", "300 byte".
pub fn human_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * KB;
    const GB: u64 = 1024 * MB;
    if bytes >= GB && bytes % GB == 0 {
        format!("{} GB", bytes / GB)
    } else if bytes >= MB {
        let mb = bytes as f64 / MB as f64;
        if bytes % MB == 0 {
            format!("{} MB", bytes / MB)
        } else {
            format!("{:.1} MB", mb).replace('.', ",")
        }
    } else if bytes >= KB {
        format!("{} kB", bytes.div_ceil(KB))
    } else {
        format!("{bytes} byte")
    }
}

/// Decodes bytes to text following the rules in the module documentation.
pub fn decode(name: &str, bytes: &[u8], format: Format) -> Result<SourceText, IngestError> {
    let mut notes = Vec::new();
    let text = if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        if encoding == UTF_16LE || encoding == UTF_16BE {
            if body.len() % 2 != 0 {
                return Err(IngestError::Encoding {
                    name: name.to_string(),
                    detail: "UTF-16-filen har ett udda antal byte".to_string(),
                });
            }
            let (text, had_errors) = encoding.decode_without_bom_handling(body);
            if had_errors {
                return Err(IngestError::Encoding {
                    name: name.to_string(),
                    detail: "filen börjar med en UTF-16-BOM men innehåller ogiltig UTF-16".to_string(),
                });
            }
            notes.push(format!(
                "avkodad som {}",
                if encoding == UTF_16LE {
                    "UTF-16 (little endian)"
                } else {
                    "UTF-16 (big endian)"
                }
            ));
            text.into_owned()
        } else {
            match std::str::from_utf8(body) {
                Ok(text) => text.to_string(),
                Err(e) => {
                    return Err(IngestError::Encoding {
                        name: name.to_string(),
                        detail: format!(
                            "filen börjar med en UTF-8-BOM men har ogiltig UTF-8 vid byte {}",
                            bom_len + e.valid_up_to()
                        ),
                    })
                }
            }
        }
    } else {
        if bytes.contains(&0) {
            return Err(IngestError::Binary { name: name.to_string() });
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => text.to_string(),
            Err(_) => {
                // Bytes that Windows-1252 leaves undefined mean the text is something else.
                if let Some(pos) = bytes.iter().position(|b| matches!(b, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D)) {
                    if looks_binary_bytes(bytes) {
                        return Err(IngestError::Binary { name: name.to_string() });
                    }
                    return Err(IngestError::Encoding {
                        name: name.to_string(),
                        detail: format!(
                            "varken UTF-8 eller Windows-1252: byte 0x{:02X} vid position {pos}",
                            bytes[pos]
                        ),
                    });
                }
                let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
                notes.push("avkodad som Windows-1252".to_string());
                text.into_owned()
            }
        }
    };
    if looks_binary(&text) {
        return Err(IngestError::Binary { name: name.to_string() });
    }
    if text.trim().is_empty() {
        notes.push("filen är tom".to_string());
    }
    Ok(SourceText::plain(name, text, format, notes))
}

/// True when more than a tenth of the first 8 000 characters are control characters other than
/// tab, line breaks and form feed.
fn looks_binary(text: &str) -> bool {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars().take(8000) {
        total += 1;
        if c == '\0' || (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c')) {
            control += 1;
        }
    }
    total > 0 && control * 10 > total
}

/// The same test over raw bytes, counting bytes outside printable ASCII and Latin letters.
fn looks_binary_bytes(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(8000)];
    let odd = sample
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) || b == 0x7f)
        .count();
    !sample.is_empty() && odd * 10 > sample.len()
}

/// Expands the paths given on the command line into files to check, in order: files as given,
/// folders walked recursively in name order, following symbolic links (a link back up the tree
/// is an unreadable entry, with the reason), skipping hidden entries and unsupported files.
/// "-" stands for standard input and is kept as is. A file reached twice (`a.md a.md`, or a
/// folder and a file in it) is checked once, where it first came: twice would count its findings
/// twice, and `--fix` would write it twice.
pub fn expand_paths(paths: &[PathBuf]) -> Vec<Input> {
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(Input::Stdin);
        } else if path.is_dir() {
            let walker = walkdir::WalkDir::new(path)
                .follow_links(true)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
            for entry in walker {
                match entry {
                    Ok(e) if e.file_type().is_file() && supported(e.path()) => {
                        // "./a.md" reads better as "a.md".
                        let p = match e.path().strip_prefix(".") {
                            Ok(rel) if path.as_os_str() == "." => rel.to_path_buf(),
                            _ => e.into_path(),
                        };
                        out.push(Input::File(p));
                    }
                    Ok(_) => {}
                    Err(err) => {
                        let p = err.path().map(Path::to_path_buf).unwrap_or_else(|| path.clone());
                        out.push(Input::Unreadable(p, walk_message_sv(&err)));
                    }
                }
            }
        } else {
            out.push(Input::File(path.clone()));
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|input| match input {
        Input::File(p) => seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())),
        _ => true,
    });
    out
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// One input to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File(PathBuf),
    /// A folder entry that could not be read while walking, with the reason.
    Unreadable(PathBuf, String),
}

impl Input {
    /// The name for messages.
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "-".to_string(),
            Input::File(p) | Input::Unreadable(p, _) => p.display().to_string(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn dec(bytes: &[u8]) -> Result<SourceText, IngestError> {
        decode("t.txt", bytes, Format::Text)
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = dec("Åtgärd".as_bytes()).unwrap();
        assert_eq!(plain.text, "Åtgärd");
        assert!(plain.notes.is_empty());
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("Åtgärd".as_bytes());
        let with = dec(&bom).unwrap();
        assert_eq!(with.text, "Åtgärd");
        assert!(with.notes.is_empty());
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        for u in "Förslag".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(dec(&le).unwrap().text, "Förslag");
        let mut be = vec![0xFE, 0xFF];
        for u in "Förslag".encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        let s = dec(&be).unwrap();
        assert_eq!(s.text, "Förslag");
        assert!(s.notes[0].contains("UTF-16"));
    }

    #[test]
    fn odd_utf16_is_an_encoding_error() {
        let err = dec(&[0xFF, 0xFE, 0x41]).unwrap_err();
        assert!(matches!(err, IngestError::Encoding { .. }));
        assert!(err.to_string().starts_with("t.txt: "));
    }

    #[test]
    fn windows_1252_fallback_with_note() {
        // "Nämnd – år" in Windows-1252: ä = E4, en dash = 96, å = E5.
        let s = dec(b"N\xe4mnd \x96 \xe5r").unwrap();
        assert_eq!(s.text, "Nämnd – år");
        assert_eq!(s.notes, vec!["avkodad som Windows-1252".to_string()]);
    }

    #[test]
    fn undefined_windows_1252_bytes_are_an_error() {
        let err = dec(b"abc \x81\x8d def").unwrap_err();
        assert!(matches!(err, IngestError::Encoding { .. }), "{err:?}");
    }

    #[test]
    fn nul_bytes_and_control_characters_are_binary() {
        assert!(matches!(
            dec(b"PK\x03\x04\x00\x00abc").unwrap_err(),
            IngestError::Binary { .. }
        ));
        assert!(matches!(
            dec(b"\x01\x02\x03\x04\x05abc").unwrap_err(),
            IngestError::Binary { .. }
        ));
    }

    #[test]
    fn empty_text_is_fine_with_a_note() {
        let s = dec(b"").unwrap();
        assert_eq!(s.text, "");
        assert_eq!(s.notes, vec!["filen är tom".to_string()]);
    }

    #[test]
    fn size_limit_applies_to_readers() {
        let limits = Limits {
            max_file_size: 4,
            ..Limits::default()
        };
        let err = read_reader("-", &b"12345"[..], Format::Text, &limits).unwrap_err();
        assert!(matches!(err, IngestError::TooLarge { .. }));
        // A stream is read no further than the limit: its size is not known, and not made up.
        assert_eq!(err.to_string(), "-: filen är för stor (över 4 byte); gränsen är 4 byte");
        assert!(read_reader("-", &b"1234"[..], Format::Text, &limits).is_ok());
    }

    #[test]
    fn size_limit_applies_to_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, "hej hej").unwrap();
        let limits = Limits {
            max_file_size: 3,
            ..Limits::default()
        };
        let err = read_path(&p, &limits).unwrap_err();
        assert!(
            err.to_string()
                .ends_with("a.txt: filen är för stor (7 byte); gränsen är 3 byte"),
            "{err}"
        );
    }

    #[test]
    fn formats_by_extension() {
        assert_eq!(format_for(Path::new("a.md")), Some(Format::Markdown));
        assert_eq!(format_for(Path::new("a.MARKDOWN")), Some(Format::Markdown));
        assert_eq!(format_for(Path::new("a.txt")), Some(Format::Text));
        assert_eq!(format_for(Path::new("a.text")), Some(Format::Text));
        assert_eq!(format_for(Path::new("README")), Some(Format::Text));
        assert_eq!(format_for(Path::new("a.docx")), Some(Format::Docx));
        assert_eq!(format_for(Path::new("a.ODT")), Some(Format::Odt));
        assert_eq!(format_for(Path::new("a.pdf")), Some(Format::Pdf));
        assert_eq!(format_for(Path::new("a.htm")), Some(Format::Html));
        assert_eq!(format_for(Path::new("a.png")), None);
        assert!(supported(Path::new("x/y.md")));
        assert!(supported(Path::new("x/y.pdf")));
        assert!(!supported(Path::new("x/y.doc")));
    }

    #[test]
    fn missing_file_names_the_file() {
        let err = read_path(Path::new("finns/inte.txt"), &Limits::default()).unwrap_err();
        assert!(matches!(err, IngestError::NotFound { .. }));
        assert_eq!(err.name(), "finns/inte.txt");
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human_size(DEFAULT_MAX_FILE_SIZE), "50 MB");
        assert_eq!(human_size(500), "500 byte");
        assert_eq!(human_size(2048), "2 kB");
    }
}
