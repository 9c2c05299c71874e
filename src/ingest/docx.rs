//! Word (.docx, Office Open XML) → Markdown rendition.
//!
//! Paragraph styles decide headings (Heading/Rubrik 1–9 and Title, found by style name or
//! outline level, following `basedOn`), numbering decides list items (bullet or numbered, from
//! `numbering.xml`), tables become pipe tables, and the fields of headers and footers (Dnr,
//! dates) become metadata lines. Tracked changes read as accepted (`w:ins` in, `w:del` and
//! `w:moveFrom` out); comments, field codes, drawings and text boxes are left out.

use std::collections::HashMap;

use crate::document::Format;

use super::rendition::{header_meta, Rendition};
use super::xml::{attr, local, Ev, XmlReader};
use super::ziparchive::Container;
use super::{IngestError, Limits, SourceText};

const WHAT: &str = "Word (.docx)";

/// Elements whose whole content is left out.
const SKIPPED: &[&[u8]] = &[
    b"del",
    b"moveFrom",
    b"instrText",
    b"delInstrText",
    b"drawing",
    b"pict",
    b"object",
    b"AlternateContent",
    b"sectPr",
    b"rPr",
    b"sdtPr",
    b"commentReference",
];

pub fn read(name: &str, bytes: &[u8], limits: &Limits) -> Result<SourceText, IngestError> {
    let mut zip = Container::open(name, WHAT, bytes, limits)?;
    let Some(document) = zip.read_text("word/document.xml")? else {
        return Err(missing_part(name, &zip));
    };
    let styles = match zip.read_text("word/styles.xml")? {
        Some(xml) => Styles::parse(name, &xml, limits)?,
        None => Styles::default(),
    };
    let numbering = match zip.read_text("word/numbering.xml")? {
        Some(xml) => Numbering::parse(name, &xml, limits)?,
        None => Numbering::default(),
    };
    let mut r = Rendition::new();
    let mut parts: Vec<String> = zip
        .names()
        .into_iter()
        .filter(|n| (n.starts_with("word/header") || n.starts_with("word/footer")) && n.ends_with(".xml"))
        .collect();
    // Headers before footers, in number order.
    parts.sort_by_key(|n| (n.starts_with("word/footer"), n.len(), n.clone()));
    for part in parts {
        if let Some(xml) = zip.read_text(&part)? {
            let blocks = read_blocks(name, &part, &xml, limits)?;
            let mut paras = Vec::new();
            let mut tables = Vec::new();
            for b in blocks {
                match b {
                    Block::Para(p) => paras.push(p.text),
                    Block::Table(t) => tables.push(t),
                }
            }
            for line in header_meta(&paras, &tables) {
                r.meta(&line);
            }
        }
    }
    let mut counters: HashMap<(String, u8), u32> = HashMap::new();
    for block in read_blocks(name, "word/document.xml", &document, limits)? {
        match block {
            Block::Table(rows) => r.table(&rows),
            Block::Para(p) => {
                let style = p.style.as_deref();
                if let Some(level) = p.outline.or_else(|| styles.heading_level(style)) {
                    r.heading(level, &p.text);
                    continue;
                }
                let num = p.num.clone().or_else(|| styles.numbering(style));
                match num {
                    Some((num_id, ilvl)) if num_id != "0" => {
                        let ordered = numbering.is_ordered(&num_id, ilvl);
                        let number = ordered.then(|| {
                            counters.retain(|(id, l), _| !(id == &num_id && *l > ilvl));
                            let n = counters
                                .entry((num_id.clone(), ilvl))
                                .or_insert_with(|| numbering.start(&num_id, ilvl).saturating_sub(1));
                            *n += 1;
                            *n
                        });
                        r.list_item(number, &p.text);
                    }
                    _ => r.paragraph(&p.text),
                }
            }
        }
    }
    let mut notes = Vec::new();
    if r.is_empty() {
        notes.push("dokumentet innehåller ingen text".to_string());
    }
    Ok(r.finish(name, Format::Docx, notes))
}

fn missing_part(name: &str, zip: &Container<'_>) -> IngestError {
    if zip.contains("content.xml") && zip.contains("mimetype") {
        IngestError::WrongType {
            name: name.to_string(),
            claimed: WHAT.to_string(),
            actual: "ett OpenDocument-dokument".to_string(),
        }
    } else {
        IngestError::Malformed {
            name: name.to_string(),
            format: WHAT.to_string(),
            detail: "arkivet saknar word/document.xml".to_string(),
        }
    }
}

#[derive(Debug, Default)]
struct Para {
    text: String,
    style: Option<String>,
    /// From a direct `w:outlineLvl`, 1-based.
    outline: Option<u8>,
    num: Option<(String, u8)>,
}

#[derive(Debug)]
enum Block {
    Para(Para),
    Table(Vec<Vec<String>>),
}

fn read_blocks(name: &str, part: &str, xml: &str, limits: &Limits) -> Result<Vec<Block>, IngestError> {
    let mut x = XmlReader::new(name, format!("{WHAT} ({part})"), xml, limits.max_xml_depth);
    let mut out = Vec::new();
    loop {
        match x.next_event()? {
            Ev::Eof => return Ok(out),
            Ev::Start(e) => match local(&e) {
                b"p" => out.push(Block::Para(paragraph(&mut x)?)),
                b"tbl" => out.push(Block::Table(table(&mut x)?)),
                l if SKIPPED.contains(&l) => x.skip_element()?,
                _ => {}
            },
            _ => {}
        }
    }
}

/// Reads a `w:p` whose start was just read.
fn paragraph(x: &mut XmlReader<'_>) -> Result<Para, IngestError> {
    let end = x.depth() - 1;
    let mut p = Para::default();
    let mut in_text = false;
    let mut num_id: Option<String> = None;
    let mut ilvl: u8 = 0;
    loop {
        match x.next_event()? {
            Ev::Eof => return Err(x.malformed("filen tar slut mitt i ett stycke")),
            // An empty `<w:t/>` has no text and no end event; only a start opens text.
            Ev::Start(e) if local(&e) == b"t" => in_text = true,
            Ev::Start(e) => {
                let l = local(&e);
                if SKIPPED.contains(&l) {
                    x.skip_element()?;
                } else if l == b"p" {
                    // A paragraph inside a paragraph (a text box that escaped the skip list).
                    let inner = paragraph(x)?;
                    p.text.push(' ');
                    p.text.push_str(&inner.text);
                } else {
                    apply_property(&e, &mut p, &mut num_id, &mut ilvl);
                }
            }
            Ev::Empty(e) => match local(&e) {
                b"tab" | b"ptab" => p.text.push('\t'),
                b"br" | b"cr" => p.text.push(' '),
                b"noBreakHyphen" => p.text.push('-'),
                _ => apply_property(&e, &mut p, &mut num_id, &mut ilvl),
            },
            Ev::Text(t) if in_text => p.text.push_str(&t),
            Ev::Text(_) => {}
            Ev::End(l) => {
                if l == b"t" {
                    in_text = false;
                }
                if x.depth() == end {
                    p.num = num_id.map(|id| (id, ilvl));
                    return Ok(p);
                }
            }
        }
    }
}

fn apply_property(e: &quick_xml::events::BytesStart<'_>, p: &mut Para, num_id: &mut Option<String>, ilvl: &mut u8) {
    match local(e) {
        b"pStyle" => p.style = attr(e, b"val"),
        b"outlineLvl" => {
            p.outline = attr(e, b"val")
                .and_then(|v| v.parse::<u8>().ok())
                .filter(|&l| l < 9)
                .map(|l| l + 1)
        }
        b"numId" => *num_id = attr(e, b"val"),
        b"ilvl" => *ilvl = attr(e, b"val").and_then(|v| v.parse().ok()).unwrap_or(0),
        _ => {}
    }
}

/// Reads a `w:tbl` whose start was just read: rows of cell texts; a nested table's text is
/// flattened into its cell.
fn table(x: &mut XmlReader<'_>) -> Result<Vec<Vec<String>>, IngestError> {
    let end = x.depth() - 1;
    let mut rows: Vec<Vec<String>> = Vec::new();
    loop {
        match x.next_event()? {
            Ev::Eof => return Err(x.malformed("filen tar slut mitt i en tabell")),
            Ev::Start(e) => match local(&e) {
                b"tr" => rows.push(Vec::new()),
                b"tc" => {
                    if let Some(row) = rows.last_mut() {
                        row.push(String::new());
                    }
                }
                b"p" => {
                    let para = paragraph(x)?;
                    push_cell_text(&mut rows, &para.text.replace('\t', " "));
                }
                b"tbl" => {
                    let inner = table(x)?;
                    let text: Vec<String> = inner.into_iter().flatten().collect();
                    push_cell_text(&mut rows, &text.join(" "));
                }
                l if SKIPPED.contains(&l) => x.skip_element()?,
                _ => {}
            },
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

#[derive(Debug, Default, Clone)]
struct StyleInfo {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    num: Option<(String, u8)>,
}

#[derive(Debug, Default)]
struct Styles {
    by_id: HashMap<String, StyleInfo>,
}

impl Styles {
    fn parse(name: &str, xml: &str, limits: &Limits) -> Result<Styles, IngestError> {
        let mut x = XmlReader::new(name, format!("{WHAT} (word/styles.xml)"), xml, limits.max_xml_depth);
        let mut by_id = HashMap::new();
        let mut current: Option<(String, StyleInfo)> = None;
        loop {
            match x.next_event()? {
                Ev::Eof => return Ok(Styles { by_id }),
                Ev::Start(e) | Ev::Empty(e) => match local(&e) {
                    b"style" => {
                        if let Some((id, info)) = current.take() {
                            by_id.insert(id, info);
                        }
                        current = attr(&e, b"styleId").map(|id| (id, StyleInfo::default()));
                    }
                    l => {
                        if let Some((_, info)) = current.as_mut() {
                            match l {
                                b"name" => info.name = attr(&e, b"val").unwrap_or_default(),
                                b"basedOn" => info.based_on = attr(&e, b"val"),
                                b"outlineLvl" => {
                                    info.outline = attr(&e, b"val")
                                        .and_then(|v| v.parse::<u8>().ok())
                                        .filter(|&l| l < 9)
                                        .map(|l| l + 1)
                                }
                                b"numId" => info.num = attr(&e, b"val").map(|id| (id, 0)),
                                b"ilvl" => {
                                    if let Some(num) = info.num.as_mut() {
                                        num.1 = attr(&e, b"val").and_then(|v| v.parse().ok()).unwrap_or(0);
                                    }
                                }
                                _ => {}
                            }
                        }
                    }
                },
                Ev::End(l) if l == b"styles" => {
                    if let Some((id, info)) = current.take() {
                        by_id.insert(id, info);
                    }
                }
                _ => {}
            }
        }
    }

    /// The style and its `basedOn` ancestors (at most ten).
    fn chain<'s>(&'s self, id: Option<&'s str>) -> impl Iterator<Item = (&'s str, &'s StyleInfo)> + 's {
        let mut cur = id;
        let mut steps = 0;
        std::iter::from_fn(move || {
            let id = cur?;
            steps += 1;
            if steps > 10 {
                return None;
            }
            let info = self.by_id.get(id)?;
            cur = info.based_on.as_deref();
            Some((id, info))
        })
    }

    /// The heading level of a paragraph style: "heading 2"/"Rubrik 2" → 2, the title style → 1,
    /// else its outline level.
    fn heading_level(&self, style: Option<&str>) -> Option<u8> {
        if let Some(level) = style.and_then(heading_name_level) {
            return Some(level);
        }
        for (id, info) in self.chain(style) {
            if let Some(level) = heading_name_level(&info.name).or_else(|| heading_name_level(id)) {
                return Some(level);
            }
            if let Some(level) = info.outline {
                return Some(level);
            }
        }
        None
    }

    fn numbering(&self, style: Option<&str>) -> Option<(String, u8)> {
        self.chain(style).find_map(|(_, info)| info.num.clone())
    }
}

/// "heading 1", "Heading1", "Rubrik 2", "rubrik2" → the level; "Title", "Rubrik" → 1.
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

#[derive(Debug, Default)]
struct Numbering {
    /// numId → abstractNumId.
    nums: HashMap<String, String>,
    /// (abstractNumId, ilvl) → (number format, start).
    levels: HashMap<(String, u8), (String, u32)>,
}

impl Numbering {
    fn parse(name: &str, xml: &str, limits: &Limits) -> Result<Numbering, IngestError> {
        let mut x = XmlReader::new(name, format!("{WHAT} (word/numbering.xml)"), xml, limits.max_xml_depth);
        let mut n = Numbering::default();
        let mut abstract_id: Option<String> = None;
        let mut num_id: Option<String> = None;
        let mut level: Option<u8> = None;
        loop {
            match x.next_event()? {
                Ev::Eof => return Ok(n),
                Ev::Start(e) | Ev::Empty(e) => match local(&e) {
                    b"abstractNum" => abstract_id = attr(&e, b"abstractNumId"),
                    b"num" => num_id = attr(&e, b"numId"),
                    b"abstractNumId" => {
                        if let (Some(id), Some(a)) = (num_id.clone(), attr(&e, b"val")) {
                            n.nums.insert(id, a);
                        }
                    }
                    b"lvl" => level = attr(&e, b"ilvl").and_then(|v| v.parse().ok()),
                    l @ (b"numFmt" | b"start") => {
                        if let (Some(a), Some(lvl)) = (abstract_id.clone(), level) {
                            let entry = n.levels.entry((a, lvl)).or_insert_with(|| (String::new(), 1));
                            let val = attr(&e, b"val").unwrap_or_default();
                            if l == b"numFmt" {
                                entry.0 = val;
                            } else {
                                entry.1 = val.parse().unwrap_or(1);
                            }
                        }
                    }
                    _ => {}
                },
                Ev::End(l) if l == b"abstractNum" => abstract_id = None,
                Ev::End(l) if l == b"num" => num_id = None,
                _ => {}
            }
        }
    }

    fn level(&self, num_id: &str, ilvl: u8) -> Option<&(String, u32)> {
        let a = self.nums.get(num_id)?;
        self.levels.get(&(a.clone(), ilvl))
    }

    fn is_ordered(&self, num_id: &str, ilvl: u8) -> bool {
        self.level(num_id, ilvl)
            .is_some_and(|(fmt, _)| !fmt.is_empty() && fmt != "bullet" && fmt != "none")
    }

    fn start(&self, num_id: &str, ilvl: u8) -> u32 {
        self.level(num_id, ilvl).map_or(1, |l| l.1)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::ingest::ziparchive::tests::make_zip;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn docx(body: &str, extra: &[(&str, &str)]) -> Vec<u8> {
        let doc = format!(r#"<?xml version="1.0"?><w:document {W}><w:body>{body}</w:body></w:document>"#);
        let mut entries: Vec<(&str, &[u8])> = vec![("word/document.xml", doc.as_bytes())];
        for (n, x) in extra {
            entries.push((n, x.as_bytes()));
        }
        make_zip(&entries)
    }

    fn p(style: &str, text: &str) -> String {
        format!(r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#)
    }

    #[test]
    fn headings_by_style_name_and_tracked_changes_accepted() {
        let styles = format!(
            r#"<w:styles {W}><w:style w:styleId="Rubrik1"><w:name w:val="heading 1"/></w:style><w:style w:styleId="Egen"><w:name w:val="Min rubrik"/><w:basedOn w:val="Rubrik1"/></w:style></w:styles>"#
        );
        let body = format!(
            r#"{}{}<w:p><w:r><w:t xml:space="preserve">Nämnden </w:t></w:r><w:del><w:r><w:delText>avslår</w:delText></w:r></w:del><w:ins><w:r><w:t>bifaller</w:t></w:r></w:ins><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:t> förslaget.</w:t></w:r><w:commentRangeStart w:id="1"/><w:r><w:commentReference w:id="1"/></w:r></w:p>"#,
            p("Rubrik1", "Ärendet"),
            p("Egen", "Bakgrund")
        );
        let bytes = docx(&body, &[("word/styles.xml", &styles)]);
        let s = read("a.docx", &bytes, &Limits::default()).unwrap();
        assert_eq!(s.text, "# Ärendet\n\n# Bakgrund\n\nNämnden bifaller förslaget.\n");
        assert_eq!(s.paragraph_starts, [0, 12, 24]);
        assert_eq!(s.format, Format::Docx);
    }

    #[test]
    fn lists_tables_and_header_metadata() {
        let numbering = format!(
            r#"<w:numbering {W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/></w:lvl></w:abstractNum><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num></w:numbering>"#
        );
        let item = |num: &str, t: &str| {
            format!(
                r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{t}</w:t></w:r></w:p>"#
            )
        };
        let body = format!(
            r#"{}{}{}<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Grupp</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Antal</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>Flickor</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>12</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
            item("1", "Första"),
            item("1", "Andra"),
            item("2", "Punkt")
        );
        let header = format!(
            r#"<w:hdr {W}><w:p><w:r><w:t>Kommunen</w:t></w:r><w:r><w:tab/></w:r><w:r><w:t>Dnr KS 2024/12</w:t></w:r></w:p></w:hdr>"#
        );
        let bytes = docx(
            &body,
            &[("word/numbering.xml", &numbering), ("word/header1.xml", &header)],
        );
        let s = read("a.docx", &bytes, &Limits::default()).unwrap();
        assert_eq!(
            s.text,
            "Dnr KS 2024/12\n\n1. Första\n2. Andra\n- Punkt\n\n| Grupp | Antal |\n| --- | --- |\n| Flickor | 12 |\n"
        );
    }

    #[test]
    fn an_odt_named_docx_is_a_lying_extension() {
        let bytes = make_zip(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", b"<a/>"),
        ]);
        let err = read("a.docx", &bytes, &Limits::default()).unwrap_err();
        assert!(matches!(err, IngestError::WrongType { .. }), "{err}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let body = format!("{}{}", "<w:sdt>".repeat(400), "</w:sdt>".repeat(400));
        let err = read("a.docx", &docx(&body, &[]), &Limits::default()).unwrap_err();
        assert!(matches!(err, IngestError::TooDeep { .. }), "{err}");
    }
}
