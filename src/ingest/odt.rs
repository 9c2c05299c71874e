//! OpenDocument text (.odt) → Markdown rendition, from `content.xml` and `styles.xml`.
//!
//! `text:h` and paragraphs in the Title or Heading styles are headings, `text:list` items are
//! list items (numbered or bulleted by their list style), tables are pipe tables, and the fields
//! of the headers and footers in the master pages become metadata lines. Tracked changes read as
//! accepted (the deleted text, kept in `text:tracked-changes`, is left out); comments
//! (`office:annotation`), footnotes, frames and page-number fields are left out.

use std::collections::HashMap;

use crate::document::Format;

use super::rendition::{header_meta, Rendition};
use super::xml::{attr, local, Ev, XmlReader};
use super::ziparchive::Container;
use super::{IngestError, Limits, SourceText};

const WHAT: &str = "OpenDocument (.odt)";
const MIMETYPE: &str = "application/vnd.oasis.opendocument.text";

/// Elements whose whole content is left out.
const SKIPPED: &[&[u8]] = &[
    b"tracked-changes",
    b"annotation",
    b"note",
    b"frame",
    b"sequence-decls",
    b"forms",
    b"page-number",
    b"page-count",
    b"table-of-content",
    b"alphabetical-index",
    b"automatic-styles",
    b"font-face-decls",
    b"scripts",
];

pub fn read(name: &str, bytes: &[u8], limits: &Limits) -> Result<SourceText, IngestError> {
    let mut zip = Container::open(name, WHAT, bytes, limits)?;
    if let Some(manifest) = zip.read_text("META-INF/manifest.xml")? {
        if manifest.contains("encryption-data") {
            return Err(IngestError::Encrypted {
                name: name.to_string(),
                detail: "OpenDocument-filen är sparad med lösenord".to_string(),
            });
        }
    }
    if let Some(mime) = zip.read_text("mimetype")? {
        if mime.trim() != MIMETYPE {
            return Err(IngestError::WrongType {
                name: name.to_string(),
                claimed: WHAT.to_string(),
                actual: format!("ett annat OpenDocument-format ({})", mime.trim()),
            });
        }
    }
    let Some(content) = zip.read_text("content.xml")? else {
        return Err(if zip.contains("word/document.xml") {
            IngestError::WrongType {
                name: name.to_string(),
                claimed: WHAT.to_string(),
                actual: "ett Word-dokument (.docx)".to_string(),
            }
        } else {
            IngestError::Malformed {
                name: name.to_string(),
                format: WHAT.to_string(),
                detail: "arkivet saknar content.xml".to_string(),
            }
        });
    };
    let styles_xml = zip.read_text("styles.xml")?.unwrap_or_default();
    let mut styles = Styles::default();
    styles.parse(name, "styles.xml", &styles_xml, limits)?;
    styles.parse(name, "content.xml", &content, limits)?;

    let mut r = Rendition::new();
    if !styles_xml.is_empty() {
        let header = walk(name, "styles.xml", &styles_xml, &styles, limits, true)?;
        let mut paras = Vec::new();
        let mut tables = Vec::new();
        for b in header {
            match b {
                Block::Table(t) => tables.push(t),
                Block::Heading(_, t) | Block::Para(t) | Block::Item(_, t) => paras.push(t),
            }
        }
        for line in header_meta(&paras, &tables) {
            r.meta(&line);
        }
    }
    for block in walk(name, "content.xml", &content, &styles, limits, false)? {
        match block {
            Block::Heading(level, t) => r.heading(level, &t),
            Block::Para(t) => r.paragraph(&t),
            Block::Item(n, t) => r.list_item(n, &t),
            Block::Table(rows) => r.table(&rows),
        }
    }
    let mut notes = Vec::new();
    if r.is_empty() {
        notes.push("dokumentet innehåller ingen text".to_string());
    }
    Ok(r.finish(name, Format::Odt, notes))
}

#[derive(Debug)]
enum Block {
    Heading(u8, String),
    Para(String),
    Item(Option<u32>, String),
    Table(Vec<Vec<String>>),
}

struct List {
    style: Option<String>,
    depth: usize,
    counter: u32,
}

/// The blocks of `content.xml`'s body, or (with `headers`) of the headers and footers in
/// `styles.xml`.
fn walk(
    name: &str,
    part: &str,
    xml: &str,
    styles: &Styles,
    limits: &Limits,
    headers: bool,
) -> Result<Vec<Block>, IngestError> {
    let mut x = XmlReader::new(name, format!("{WHAT} ({part})"), xml, limits.max_xml_depth);
    let mut out = Vec::new();
    let mut lists: Vec<List> = Vec::new();
    let mut pending_item = false;
    // In `styles.xml`, only what is inside a header or footer counts.
    let mut header_depth: Option<usize> = None;
    loop {
        match x.next_event()? {
            Ev::Eof => return Ok(out),
            Ev::Start(e) => {
                let l = local(&e);
                if headers && header_depth.is_none() {
                    if matches!(l, b"header" | b"footer" | b"header-first" | b"footer-first") {
                        header_depth = Some(x.depth());
                    }
                    continue;
                }
                match l {
                    b"list" => {
                        let style = attr(&e, b"style-name").or_else(|| lists.last().and_then(|p| p.style.clone()));
                        lists.push(List {
                            style,
                            depth: x.depth(),
                            counter: 0,
                        });
                    }
                    b"list-item" => {
                        pending_item = true;
                        if let Some(list) = lists.last_mut() {
                            list.counter += 1;
                        }
                    }
                    b"list-header" => pending_item = false,
                    b"h" => {
                        let level = attr(&e, b"outline-level")
                            .and_then(|v| v.parse::<u8>().ok())
                            .unwrap_or(1);
                        let text = inline(&mut x)?;
                        out.push(Block::Heading(level.clamp(1, 6), text));
                        pending_item = false;
                    }
                    b"p" => {
                        let style = attr(&e, b"style-name");
                        let text = inline(&mut x)?;
                        if pending_item {
                            pending_item = false;
                            let level = lists.len();
                            let number = lists.last().and_then(|list| {
                                styles.is_ordered(list.style.as_deref(), level).then_some(list.counter)
                            });
                            out.push(Block::Item(number, text));
                        } else if let Some(level) = styles.heading_level(style.as_deref()).filter(|_| lists.is_empty())
                        {
                            out.push(Block::Heading(level, text));
                        } else {
                            out.push(Block::Para(text));
                        }
                    }
                    b"table" => out.push(Block::Table(table(&mut x)?)),
                    l if SKIPPED.contains(&l) => x.skip_element()?,
                    _ => {}
                }
            }
            Ev::End(l) => {
                if l == b"list" && lists.last().is_some_and(|list| list.depth == x.depth() + 1) {
                    lists.pop();
                }
                if header_depth.is_some_and(|d| d == x.depth() + 1) {
                    header_depth = None;
                }
            }
            _ => {}
        }
    }
}

/// The text of a paragraph or heading whose start was just read.
fn inline(x: &mut XmlReader<'_>) -> Result<String, IngestError> {
    let end = x.depth() - 1;
    let mut text = String::new();
    loop {
        match x.next_event()? {
            Ev::Eof => return Err(x.malformed("filen tar slut mitt i ett stycke")),
            Ev::Text(t) => text.push_str(&t),
            Ev::Empty(e) => match local(&e) {
                b"s" => {
                    let n = attr(&e, b"c").and_then(|c| c.parse::<usize>().ok()).unwrap_or(1);
                    text.push_str(&" ".repeat(n.min(100)));
                }
                b"tab" => text.push('\t'),
                b"line-break" => text.push(' '),
                _ => {}
            },
            Ev::Start(e) => {
                if SKIPPED.contains(&local(&e)) {
                    x.skip_element()?;
                }
            }
            Ev::End(_) if x.depth() == end => return Ok(text),
            Ev::End(_) => {}
        }
    }
}

/// Rows of cell texts of a table whose start was just read; nested tables are flattened.
fn table(x: &mut XmlReader<'_>) -> Result<Vec<Vec<String>>, IngestError> {
    let end = x.depth() - 1;
    let mut rows: Vec<Vec<String>> = Vec::new();
    loop {
        match x.next_event()? {
            Ev::Eof => return Err(x.malformed("filen tar slut mitt i en tabell")),
            Ev::Start(e) => match local(&e) {
                b"table-row" => rows.push(Vec::new()),
                b"table-cell" => {
                    if let Some(row) = rows.last_mut() {
                        row.push(String::new());
                    }
                }
                b"p" | b"h" => {
                    let text = inline(x)?.replace('\t', " ");
                    push_cell_text(&mut rows, &text);
                }
                b"table" => {
                    let inner: Vec<String> = table(x)?.into_iter().flatten().collect();
                    push_cell_text(&mut rows, &inner.join(" "));
                }
                l if SKIPPED.contains(&l) => x.skip_element()?,
                _ => {}
            },
            Ev::Empty(e) if local(&e) == b"table-cell" => {
                if let Some(row) = rows.last_mut() {
                    row.push(String::new());
                }
            }
            Ev::End(_) if x.depth() == end => return Ok(rows),
            _ => {}
        }
    }
}

fn push_cell_text(rows: &mut [Vec<String>], text: &str) {
    if let Some(cell) = rows.last_mut().and_then(|r| r.last_mut()) {
        if !cell.is_empty() {
            cell.push(' ');
        }
        cell.push_str(text);
    }
}

#[derive(Debug, Default)]
struct Style {
    parent: Option<String>,
    display: Option<String>,
    outline: Option<u8>,
}

#[derive(Debug, Default)]
struct Styles {
    paragraph: HashMap<String, Style>,
    /// (list style, level) → numbered.
    lists: HashMap<(String, usize), bool>,
}

impl Styles {
    fn parse(&mut self, name: &str, part: &str, xml: &str, limits: &Limits) -> Result<(), IngestError> {
        let mut x = XmlReader::new(name, format!("{WHAT} ({part})"), xml, limits.max_xml_depth);
        let mut list_style: Option<String> = None;
        loop {
            match x.next_event()? {
                Ev::Eof => return Ok(()),
                Ev::Start(e) | Ev::Empty(e) => match local(&e) {
                    b"style" => {
                        if let Some(style_name) = attr(&e, b"name") {
                            self.paragraph.insert(
                                style_name,
                                Style {
                                    parent: attr(&e, b"parent-style-name"),
                                    display: attr(&e, b"display-name"),
                                    outline: attr(&e, b"default-outline-level").and_then(|v| v.parse().ok()),
                                },
                            );
                        }
                    }
                    b"list-style" => list_style = attr(&e, b"name"),
                    l @ (b"list-level-style-number" | b"list-level-style-bullet" | b"list-level-style-image") => {
                        if let (Some(s), Some(level)) = (
                            list_style.clone(),
                            attr(&e, b"level").and_then(|v| v.parse::<usize>().ok()),
                        ) {
                            let numbered = l == b"list-level-style-number"
                                && attr(&e, b"num-format").is_some_and(|f| !f.is_empty());
                            self.lists.insert((s, level), numbered);
                        }
                    }
                    _ => {}
                },
                Ev::End(l) if l == b"list-style" => list_style = None,
                _ => {}
            }
        }
    }

    fn is_ordered(&self, list_style: Option<&str>, level: usize) -> bool {
        list_style.is_some_and(|s| self.lists.get(&(s.to_string(), level)).copied().unwrap_or(false))
    }

    /// Title → 1, "Heading 2"/"Rubrik 2" → 2, else the style's default outline level; through
    /// parent styles (at most ten).
    fn heading_level(&self, style: Option<&str>) -> Option<u8> {
        let mut cur = style.map(str::to_string);
        for _ in 0..10 {
            let name = cur?;
            let info = self.paragraph.get(&name);
            let display = info
                .and_then(|i| i.display.clone())
                .unwrap_or_else(|| name.replace("_20_", " "));
            if let Some(level) = heading_name_level(&display) {
                return Some(level);
            }
            if let Some(level) = info.and_then(|i| i.outline).filter(|l| (1..=9).contains(l)) {
                return Some(level.min(6));
            }
            cur = info.and_then(|i| i.parent.clone());
        }
        None
    }
}

fn heading_name_level(name: &str) -> Option<u8> {
    let lower = name.to_lowercase().replace(' ', "");
    if lower == "title" || lower == "rubrik" {
        return Some(1);
    }
    let rest = lower.strip_prefix("heading").or_else(|| lower.strip_prefix("rubrik"))?;
    rest.parse::<u8>()
        .ok()
        .filter(|l| (1..=9).contains(l))
        .map(|l| l.min(6))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::ingest::ziparchive::tests::make_zip;

    const NS: &str = r#"xmlns:office="o" xmlns:text="t" xmlns:table="ta" xmlns:style="s""#;

    fn odt(body: &str, styles: &str, manifest: &str) -> Vec<u8> {
        let content = format!(
            r#"<?xml version="1.0"?><office:document-content {NS}><office:body><office:text>{body}</office:text></office:body></office:document-content>"#
        );
        let styles = format!(r#"<office:document-styles {NS}>{styles}</office:document-styles>"#);
        make_zip(&[
            ("mimetype", MIMETYPE.as_bytes()),
            ("content.xml", content.as_bytes()),
            ("styles.xml", styles.as_bytes()),
            ("META-INF/manifest.xml", manifest.as_bytes()),
        ])
    }

    #[test]
    fn headings_lists_tables_changes_and_headers() {
        let styles = r#"<office:styles><style:style style:name="Title"/><text:list-style style:name="L1"><text:list-level-style-number text:level="1" style:num-format="1"/></text:list-style></office:styles><office:master-styles><style:master-page><style:header><text:p>Kommunen<text:tab/>Dnr KS 2024/12</text:p><text:p>Sida <text:page-number>1</text:page-number></text:p></style:header></style:master-page></office:master-styles>"#;
        let body = r#"<text:tracked-changes><text:changed-region><text:deletion><text:p>avslår</text:p></text:deletion></text:changed-region></text:tracked-changes><text:p text:style-name="Title">Beslut</text:p><text:h text:outline-level="2">Ärendet</text:h><text:p>Nämnden <text:change text:change-id="c1"/><text:change-start text:change-id="c2"/>bifaller<text:change-end text:change-id="c2"/><text:s text:c="2"/>förslaget.<office:annotation><text:p>En kommentar</text:p></office:annotation></text:p><text:list text:style-name="L1"><text:list-item><text:p>Ett</text:p></text:list-item><text:list-item><text:p>Två</text:p></text:list-item></text:list><table:table><table:table-row><table:table-cell><text:p>Grupp</text:p></table:table-cell><table:table-cell><text:p>Antal</text:p></table:table-cell></table:table-row></table:table>"#;
        let s = read("a.odt", &odt(body, styles, "<m/>"), &Limits::default()).unwrap();
        assert_eq!(
            s.text,
            "Dnr KS 2024/12\n\n# Beslut\n\n## Ärendet\n\nNämnden bifaller förslaget.\n\n1. Ett\n2. Två\n\n| Grupp | Antal |\n| --- | --- |\n"
        );
        assert_eq!(s.paragraph_starts.len(), 7);
    }

    #[test]
    fn encrypted_odt_is_refused() {
        let manifest = r#"<manifest:manifest><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>"#;
        let err = read("a.odt", &odt("", "", manifest), &Limits::default()).unwrap_err();
        assert!(matches!(err, IngestError::Encrypted { .. }), "{err}");
        assert!(err.to_string().starts_with("a.odt: "), "{err}");
    }
}
