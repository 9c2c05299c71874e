//! What a file really is, by its first bytes, so that an extension that lies about the content
//! gives a clear error instead of garbage.

use crate::document::Format;

use super::IngestError;

/// The container a file's magic bytes announce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Magic {
    /// `%PDF-` near the start.
    Pdf,
    /// A zip archive (`PK\x03\x04`, or an empty archive's `PK\x05\x06`).
    Zip,
    /// A Compound File Binary container: old Word (.doc) or an encrypted Office file.
    Cfb,
    /// `{\rtf`.
    Rtf,
    /// None of the above.
    Other,
}

const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Sniffs the magic bytes.
pub fn magic(bytes: &[u8]) -> Magic {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        Magic::Zip
    } else if bytes.starts_with(CFB_MAGIC) {
        Magic::Cfb
    } else if bytes.starts_with(b"{\\rtf") {
        Magic::Rtf
    } else if find(&bytes[..bytes.len().min(1024)], b"%PDF-").is_some() {
        // The PDF specification allows bytes before the header; readers look in the first 1 kB.
        Magic::Pdf
    } else {
        Magic::Other
    }
}

/// Whether a CFB container holds an encrypted Office Open XML package (the streams
/// `EncryptionInfo` and `EncryptedPackage`, named in UTF-16 in the directory).
pub fn is_encrypted_ooxml(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.starts_with(CFB_MAGIC) && find(bytes, &name).is_some()
}

/// Checks that the content fits the format the extension claims.
pub fn check(name: &str, bytes: &[u8], format: Format) -> Result<(), IngestError> {
    let found = magic(bytes);
    let wrong = |actual: &str| IngestError::WrongType {
        name: name.to_string(),
        claimed: format.label_sv().to_string(),
        actual: actual.to_string(),
    };
    match (format, found) {
        (Format::Docx, Magic::Zip) | (Format::Odt, Magic::Zip) | (Format::Pdf, Magic::Pdf) => Ok(()),
        (Format::Docx | Format::Odt, Magic::Cfb) if is_encrypted_ooxml(bytes) => Err(IngestError::Encrypted {
            name: name.to_string(),
            detail: "ett krypterat Office-dokument".to_string(),
        }),
        (_, Magic::Cfb) => Err(wrong("ett äldre Office-format (t.ex. .doc), som inte kan läsas")),
        (_, Magic::Pdf) => Err(wrong("en PDF")),
        (_, Magic::Zip) => Err(wrong("ett zip-arkiv (t.ex. ett Word- eller OpenDocument-dokument)")),
        (_, Magic::Rtf) => Err(wrong("RTF, som inte kan läsas")),
        (Format::Docx | Format::Odt | Format::Pdf, Magic::Other) => {
            let head = &bytes[..bytes.len().min(2000)];
            let texty = std::str::from_utf8(head).is_ok_and(|s| !s.contains('\0'));
            Err(wrong(if texty { "text" } else { "ett okänt format" }))
        }
        (Format::Text | Format::Markdown | Format::Html, Magic::Other) => Ok(()),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes() {
        assert_eq!(magic(b"%PDF-1.7\n"), Magic::Pdf);
        assert_eq!(magic(b"PK\x03\x04rest"), Magic::Zip);
        assert_eq!(magic(CFB_MAGIC), Magic::Cfb);
        assert_eq!(magic(b"{\\rtf1"), Magic::Rtf);
        assert_eq!(magic(b"# Rubrik"), Magic::Other);
    }

    #[test]
    fn lying_extensions_are_named() {
        let err = check("a.docx", b"%PDF-1.4 ...", Format::Docx).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.docx: filändelsen säger Word (.docx), men innehållet är en PDF"
        );
        let err = check("a.pdf", "# Rubrik\nText".as_bytes(), Format::Pdf).unwrap_err();
        assert!(err.to_string().ends_with("innehållet är text"), "{err}");
        let err = check("a.txt", b"PK\x03\x04", Format::Text).unwrap_err();
        assert!(err.to_string().contains("zip-arkiv"), "{err}");
        assert!(check("a.md", "# Rubrik".as_bytes(), Format::Markdown).is_ok());
    }

    #[test]
    fn encrypted_office_files_in_cfb() {
        let mut bytes = CFB_MAGIC.to_vec();
        bytes.extend_from_slice(&[0; 64]);
        let err = check("a.docx", &bytes, Format::Docx).unwrap_err();
        assert!(matches!(err, IngestError::WrongType { .. }), "{err}");
        bytes.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        let err = check("a.docx", &bytes, Format::Docx).unwrap_err();
        assert!(matches!(err, IngestError::Encrypted { .. }), "{err}");
    }
}
