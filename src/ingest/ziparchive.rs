//! Zip containers (.docx, .odt) read within limits: the number of entries, and the total of
//! uncompressed bytes counted while inflating (the sizes in the headers may lie).

use std::io::{Cursor, Read};

use zip::result::ZipError;
use zip::ZipArchive;

use super::{human_size, IngestError, Limits};

/// An open zip container and what has been read from it so far.
pub struct Container<'a> {
    name: &'a str,
    format: &'static str,
    archive: ZipArchive<Cursor<&'a [u8]>>,
    limits: Limits,
    /// Uncompressed bytes read so far, across entries.
    read: u64,
}

impl<'a> Container<'a> {
    /// Opens the container; refuses archives with too many entries or whose headers announce
    /// more uncompressed data than the limit.
    pub fn open(name: &'a str, format: &'static str, bytes: &'a [u8], limits: &Limits) -> Result<Self, IngestError> {
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| malformed(name, format, &e))?;
        if archive.len() > limits.max_zip_entries {
            return Err(IngestError::ZipBomb {
                name: name.to_string(),
                detail: format!(
                    "{} filer i arkivet; gränsen är {}",
                    archive.len(),
                    limits.max_zip_entries
                ),
            });
        }
        let mut container = Container {
            name,
            format,
            archive,
            limits: *limits,
            read: 0,
        };
        let mut declared: u64 = 0;
        for i in 0..container.archive.len() {
            if let Ok(entry) = container.archive.by_index_raw(i) {
                declared = declared.saturating_add(entry.size());
            }
        }
        if declared > limits.max_uncompressed_size {
            return Err(container.bomb(format!("{} uppackat", human_size(declared))));
        }
        Ok(container)
    }

    /// The entry names, in archive order.
    pub fn names(&self) -> Vec<String> {
        self.archive.file_names().map(str::to_string).collect()
    }

    pub fn contains(&self, entry: &str) -> bool {
        self.archive.index_for_name(entry).is_some()
    }

    /// Reads an entry, `None` when it is missing. Inflation stops as soon as the total read
    /// from the container passes the limit.
    pub fn read(&mut self, entry: &str) -> Result<Option<Vec<u8>>, IngestError> {
        let budget = self.limits.max_uncompressed_size.saturating_sub(self.read);
        let mut out = Vec::new();
        let result = match self.archive.by_name(entry) {
            Ok(file) => file.take(budget.saturating_add(1)).read_to_end(&mut out),
            Err(ZipError::FileNotFound) => return Ok(None),
            Err(ZipError::UnsupportedArchive(msg)) if msg.contains("ncrypt") || msg.contains("assword") => {
                return Err(IngestError::Encrypted {
                    name: self.name.to_string(),
                    detail: "zip-arkivet är krypterat".to_string(),
                })
            }
            Err(e) => return Err(malformed(self.name, self.format, &e)),
        };
        result.map_err(|e| IngestError::Malformed {
            name: self.name.to_string(),
            format: self.format.to_string(),
            detail: format!("{entry}: {e}"),
        })?;
        self.read = self.read.saturating_add(out.len() as u64);
        if self.read > self.limits.max_uncompressed_size {
            return Err(self.bomb(format!(
                "mer än {} uppackat",
                human_size(self.limits.max_uncompressed_size)
            )));
        }
        Ok(Some(out))
    }

    /// Reads an entry as UTF-8 text.
    pub fn read_text(&mut self, entry: &str) -> Result<Option<String>, IngestError> {
        match self.read(entry)? {
            None => Ok(None),
            Some(bytes) => String::from_utf8(bytes).map(Some).map_err(|_| IngestError::Malformed {
                name: self.name.to_string(),
                format: self.format.to_string(),
                detail: format!("{entry} är inte giltig UTF-8"),
            }),
        }
    }

    fn bomb(&self, what: String) -> IngestError {
        IngestError::ZipBomb {
            name: self.name.to_string(),
            detail: format!("{what}; gränsen är {}", human_size(self.limits.max_uncompressed_size)),
        }
    }
}

fn malformed(name: &str, format: &str, e: &ZipError) -> IngestError {
    IngestError::Malformed {
        name: name.to_string(),
        format: format.to_string(),
        detail: match e {
            ZipError::InvalidArchive(_) => "zip-arkivet är trasigt".to_string(),
            ZipError::UnsupportedArchive(_) => "zip-arkivet använder en metod som inte stöds".to_string(),
            ZipError::FileNotFound => "en fil saknas i arkivet".to_string(),
            _ => e.to_string(),
        },
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) mod tests {
    use std::io::Write;

    use zip::write::SimpleFileOptions;

    use super::*;

    /// A zip with the given entries, deflated.
    pub(crate) fn make_zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in entries {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn reads_entries_within_limits() {
        let bytes = make_zip(&[("a.xml", b"<a/>"), ("b.xml", b"<b/>")]);
        let mut c = Container::open("t.docx", "Word", &bytes, &Limits::default()).unwrap();
        assert_eq!(c.read_text("a.xml").unwrap().as_deref(), Some("<a/>"));
        assert_eq!(c.read("saknas.xml").unwrap(), None);
        assert!(c.contains("b.xml"));
    }

    #[test]
    fn too_many_entries() {
        let names: Vec<String> = (0..20).map(|i| format!("{i}.xml")).collect();
        let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
        let bytes = make_zip(&entries);
        let limits = Limits {
            max_zip_entries: 10,
            ..Limits::default()
        };
        let err = Container::open("t.docx", "Word", &bytes, &limits).err().unwrap();
        assert!(matches!(err, IngestError::ZipBomb { .. }), "{err}");
        assert!(err.to_string().contains("20 filer"), "{err}");
    }

    #[test]
    fn uncompressed_total_is_counted_while_reading() {
        let big = vec![b' '; 10_000];
        let bytes = make_zip(&[("a.xml", &big), ("b.xml", &big)]);
        // Declared sizes (20 000) are over a 15 000 limit: refused on opening.
        let limits = Limits {
            max_uncompressed_size: 15_000,
            ..Limits::default()
        };
        assert!(matches!(
            Container::open("t.docx", "Word", &bytes, &limits).err().unwrap(),
            IngestError::ZipBomb { .. }
        ));
        // Reading stops at the limit across entries, whatever the headers say.
        let limits = Limits {
            max_uncompressed_size: 25_000,
            ..Limits::default()
        };
        let mut c = Container::open("t.docx", "Word", &bytes, &limits).unwrap();
        c.limits.max_uncompressed_size = 15_000;
        assert!(c.read("a.xml").unwrap().is_some());
        let err = c.read("b.xml").unwrap_err();
        assert!(matches!(err, IngestError::ZipBomb { .. }), "{err}");
    }
}
