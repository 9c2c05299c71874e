//! A guarded XML event reader over quick-xml: bounded nesting depth, no DTDs (so no entity
//! definitions and no entity expansion: only the five predefined entities and character
//! references are resolved), and errors that name the file.

use std::borrow::Cow;

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::IngestError;

/// One event, with text already resolved.
#[derive(Debug)]
pub enum Ev<'a> {
    Start(BytesStart<'a>),
    Empty(BytesStart<'a>),
    /// The local name of the closed element.
    End(Vec<u8>),
    Text(Cow<'a, str>),
    Eof,
}

pub struct XmlReader<'a> {
    reader: Reader<&'a [u8]>,
    depth: usize,
    max_depth: usize,
    name: &'a str,
    /// What is being read, for messages ("Word (word/document.xml)").
    what: String,
}

impl<'a> XmlReader<'a> {
    pub fn new(name: &'a str, what: String, xml: &'a str, max_depth: usize) -> Self {
        let mut reader = Reader::from_str(xml);
        reader.config_mut().check_end_names = true;
        XmlReader {
            reader,
            depth: 0,
            max_depth,
            name,
            what,
        }
    }

    /// The current element depth (the root element's children are at depth 1).
    pub fn depth(&self) -> usize {
        self.depth
    }

    pub fn next_event(&mut self) -> Result<Ev<'a>, IngestError> {
        loop {
            let event = self.reader.read_event().map_err(|e| self.malformed(&e.to_string()))?;
            return Ok(match event {
                Event::Start(e) => {
                    self.depth += 1;
                    if self.depth > self.max_depth {
                        return Err(IngestError::TooDeep {
                            name: self.name.to_string(),
                            limit: self.max_depth,
                        });
                    }
                    Ev::Start(e)
                }
                Event::Empty(e) => Ev::Empty(e),
                Event::End(e) => {
                    self.depth = self.depth.saturating_sub(1);
                    Ev::End(e.local_name().as_ref().to_vec())
                }
                Event::Text(t) => Ev::Text(t.xml10_content().map_err(|e| self.malformed(&e.to_string()))?),
                Event::CData(t) => Ev::Text(t.decode().map_err(|e| self.malformed(&e.to_string()))?),
                Event::GeneralRef(r) => {
                    if r.is_char_ref() {
                        let c = r
                            .resolve_char_ref()
                            .ok()
                            .flatten()
                            .ok_or_else(|| self.malformed("ogiltig teckenreferens"))?;
                        Ev::Text(Cow::Owned(c.to_string()))
                    } else {
                        let entity = r.decode().map_err(|e| self.malformed(&e.to_string()))?;
                        match resolve_predefined_entity(&entity) {
                            Some(s) => Ev::Text(Cow::Borrowed(s)),
                            None => return Err(self.malformed(&format!("okänd entitet &{entity};"))),
                        }
                    }
                }
                Event::DocType(_) => {
                    return Err(self
                        .malformed("XML med DOCTYPE (egna entiteter) läses inte, eftersom sådana kan växa utan gräns"))
                }
                Event::Eof => Ev::Eof,
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => continue,
            });
        }
    }

    /// Skips to the end of the element just started.
    pub fn skip_element(&mut self) -> Result<(), IngestError> {
        let target = self.depth.saturating_sub(1);
        while self.depth > target {
            if let Ev::Eof = self.next_event()? {
                return Err(self.malformed("filen tar slut mitt i ett element"));
            }
        }
        Ok(())
    }

    pub fn malformed(&self, detail: &str) -> IngestError {
        IngestError::Malformed {
            name: self.name.to_string(),
            format: self.what.clone(),
            detail: format!("{detail} (vid byte {})", self.reader.buffer_position()),
        }
    }
}

/// The local name of an element (`w:p` → `p`).
pub fn local<'b>(e: &'b BytesStart<'_>) -> &'b [u8] {
    let name = e.name().into_inner();
    match name.iter().position(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// The value of the attribute with this local name (`w:val` → `val`), unescaped.
pub fn attr(e: &BytesStart<'_>, local_name: &[u8]) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == local_name)
            .then(|| {
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .ok()
                    .map(|v| v.into_owned())
            })
            .flatten()
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn texts(xml: &str, depth: usize) -> Result<String, IngestError> {
        let mut r = XmlReader::new("t.xml", "XML".into(), xml, depth);
        let mut out = String::new();
        loop {
            match r.next_event()? {
                Ev::Text(t) => out.push_str(&t),
                Ev::Eof => return Ok(out),
                _ => {}
            }
        }
    }

    #[test]
    fn predefined_entities_and_char_refs() {
        assert_eq!(texts("<a>x &amp; y &#229;&#x4E;</a>", 10).unwrap(), "x & y åN");
    }

    #[test]
    fn doctype_and_unknown_entities_are_refused() {
        let bomb = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><l>&b;</l>";
        let err = texts(bomb, 10).unwrap_err();
        assert!(err.to_string().contains("DOCTYPE"), "{err}");
        let err = texts("<a>&b;</a>", 10).unwrap_err();
        assert!(err.to_string().contains("okänd entitet"), "{err}");
    }

    #[test]
    fn depth_is_bounded() {
        let deep = format!("{}{}", "<a>".repeat(50), "</a>".repeat(50));
        assert!(texts(&deep, 64).is_ok());
        let err = texts(&deep, 20).unwrap_err();
        assert!(matches!(err, IngestError::TooDeep { limit: 20, .. }), "{err}");
    }

    #[test]
    fn local_names_and_attributes() {
        let xml = r#"<w:p w:val="Rubrik1" xmlns:w="x"/>"#;
        let mut r = XmlReader::new("t.xml", "XML".into(), xml, 10);
        let Ev::Empty(e) = r.next_event().unwrap() else {
            panic!()
        };
        assert_eq!(local(&e), b"p");
        assert_eq!(attr(&e, b"val").as_deref(), Some("Rubrik1"));
    }
}
