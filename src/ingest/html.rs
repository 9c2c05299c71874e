//! HTML (as Word exports it) → Markdown rendition: `h1`–`h6` and Word's title paragraph
//! (`MsoTitle`) as headings, `li` and Word's list paragraphs (`MsoListParagraph…`, whose
//! numbering sits in an `mso-list:Ignore` span) as list items, tables as pipe tables, other
//! blocks as paragraphs. Scripts, styles, the head, comments and deletions (`del`) are left out.
//! Parsed with `tl`; entities resolved with quick-xml's HTML5 table.

use std::borrow::Cow;

use quick_xml::escape::{resolve_html5_entity, unescape_with};
use tl::{Node, NodeHandle, Parser};

use crate::document::Format;

use super::rendition::Rendition;
use super::{IngestError, Limits, SourceText};

const SKIPPED: &[&str] = &[
    "head", "script", "style", "del", "s", "strike", "noscript", "template", "svg", "object",
];
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "body",
    "html",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "blockquote",
    "center",
];

pub fn read(name: &str, text: &str, notes: Vec<String>, limits: &Limits) -> Result<SourceText, IngestError> {
    let dom = tl::parse(text, tl::ParserOptions::default()).map_err(|e| IngestError::Malformed {
        name: name.to_string(),
        format: "HTML".to_string(),
        detail: e.to_string(),
    })?;
    let mut w = Walker {
        parser: dom.parser(),
        r: Rendition::new(),
        max_depth: limits.max_xml_depth,
        name,
        inline: String::new(),
    };
    for h in dom.children() {
        w.block(*h, 0, None)?;
    }
    w.flush();
    let mut notes = notes;
    if w.r.is_empty() {
        notes.push("dokumentet innehåller ingen text".to_string());
    }
    Ok(w.r.finish(name, Format::Html, notes))
}

struct Walker<'p, 'b> {
    parser: &'p Parser<'b>,
    r: Rendition,
    max_depth: usize,
    name: &'p str,
    /// Loose inline text between blocks, written as a paragraph at the next block.
    inline: String,
}

impl Walker<'_, '_> {
    fn too_deep(&self) -> IngestError {
        IngestError::TooDeep {
            name: self.name.to_string(),
            limit: self.max_depth,
        }
    }

    fn flush(&mut self) {
        let text = std::mem::take(&mut self.inline);
        self.r.paragraph(&text);
    }

    /// Walks block content; `list` is the counter of the enclosing `ol` (`Some`) or `ul`.
    fn block(&mut self, h: NodeHandle, depth: usize, mut list: Option<&mut Option<u32>>) -> Result<(), IngestError> {
        if depth > self.max_depth {
            return Err(self.too_deep());
        }
        let Some(node) = h.get(self.parser) else {
            return Ok(());
        };
        let tag = match node {
            Node::Raw(b) => {
                self.inline.push_str(&decode(&b.as_utf8_str()));
                return Ok(());
            }
            Node::Comment(_) => return Ok(()),
            Node::Tag(t) => t,
        };
        let name = tag.name().as_utf8_str().to_lowercase();
        let class = tag
            .attributes()
            .class()
            .map(|c| c.as_utf8_str().to_lowercase())
            .unwrap_or_default();
        let children: Vec<NodeHandle> = tag.children().top().iter().copied().collect();
        match name.as_str() {
            n if SKIPPED.contains(&n) => {}
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush();
                let level = name[1..].parse::<u8>().unwrap_or(1);
                let text = self.text(&children, depth)?;
                self.r.heading(level, &text);
            }
            "p" if class.contains("msotitle") && !class.contains("msotitlecxsp") || class == "msotitle" => {
                self.flush();
                let text = self.text(&children, depth)?;
                self.r.heading(1, &text);
            }
            "p" if class.starts_with("msolistparagraph")
                || class.starts_with("msolistbullet")
                || class.starts_with("msolistnumber") =>
            {
                self.flush();
                let marker = self.list_marker(&children, depth)?;
                let text = self.text(&children, depth)?;
                let number = marker.trim().trim_end_matches(['.', ')']).parse::<u32>().ok();
                self.r.list_item(number, &text);
            }
            "ul" | "ol" => {
                self.flush();
                let mut counter = (name == "ol").then_some(0u32);
                for c in children {
                    self.block(c, depth + 1, Some(&mut counter))?;
                }
            }
            "li" => {
                self.flush();
                let number = match list.as_deref_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        Some(*n)
                    }
                    _ => None,
                };
                // `</li>` is optional in HTML (LibreOffice leaves it out), so the parser may put
                // the next item and what follows the list inside this one: the item's text is
                // its inline content or first block, the rest is walked as blocks.
                let first_block = children.iter().position(|c| self.is_block(*c) || self.is_tag(*c, "li"));
                match first_block {
                    None => {
                        let text = self.text(&children, depth)?;
                        self.r.list_item(number, &text);
                    }
                    Some(i) => {
                        let mut text = self.text(&children[..i], depth)?;
                        let mut rest = i;
                        if self.is_tag(children[i], "p") {
                            if let Some(p) = children[i].get(self.parser).and_then(Node::as_tag) {
                                let kids: Vec<NodeHandle> = p.children().top().iter().copied().collect();
                                text.push(' ');
                                text.push_str(&self.text(&kids, depth + 1)?);
                            }
                            rest = i + 1;
                        }
                        self.r.list_item(number, &text);
                        for c in &children[rest..] {
                            self.block(*c, depth + 1, list.as_deref_mut())?;
                        }
                    }
                }
            }
            "table" => {
                self.flush();
                let mut rows = Vec::new();
                self.rows(&children, depth + 1, &mut rows)?;
                self.r.table(&rows);
            }
            "br" => self.inline.push(' '),
            n if BLOCKS.contains(&n) => {
                self.flush();
                let has_blocks = children.iter().any(|c| self.is_block(*c));
                if has_blocks || n != "p" {
                    for c in children {
                        self.block(c, depth + 1, None)?;
                    }
                    self.flush();
                } else {
                    let text = self.text(&children, depth)?;
                    self.r.paragraph(&text);
                }
            }
            _ => {
                // Inline element between blocks.
                let text = self.text(&children, depth)?;
                self.inline.push_str(&text);
            }
        }
        Ok(())
    }

    fn is_tag(&self, h: NodeHandle, name: &str) -> bool {
        h.get(self.parser)
            .and_then(Node::as_tag)
            .is_some_and(|t| t.name().as_utf8_str().eq_ignore_ascii_case(name))
    }

    fn is_block(&self, h: NodeHandle) -> bool {
        h.get(self.parser).and_then(Node::as_tag).is_some_and(|t| {
            let n = t.name().as_utf8_str().to_lowercase();
            BLOCKS.contains(&n.as_str())
                || matches!(
                    n.as_str(),
                    "table" | "ul" | "ol" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
                )
        })
    }

    /// Rows of cell texts from `tr`, `td`, `th` (through `thead`/`tbody`).
    fn rows(&self, children: &[NodeHandle], depth: usize, rows: &mut Vec<Vec<String>>) -> Result<(), IngestError> {
        if depth > self.max_depth {
            return Err(self.too_deep());
        }
        for h in children {
            let Some(tag) = h.get(self.parser).and_then(Node::as_tag) else {
                continue;
            };
            let name = tag.name().as_utf8_str().to_lowercase();
            let kids: Vec<NodeHandle> = tag.children().top().iter().copied().collect();
            match name.as_str() {
                "tr" => {
                    let mut row = Vec::new();
                    for c in &kids {
                        if let Some(cell) = c.get(self.parser).and_then(Node::as_tag) {
                            if matches!(cell.name().as_utf8_str().to_lowercase().as_str(), "td" | "th") {
                                let cell_kids: Vec<NodeHandle> = cell.children().top().iter().copied().collect();
                                row.push(self.text(&cell_kids, depth + 1)?);
                            }
                        }
                    }
                    rows.push(row);
                }
                "thead" | "tbody" | "tfoot" => self.rows(&kids, depth + 1, rows)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// The text of inline content; Word's list numbering spans are left out.
    fn text(&self, children: &[NodeHandle], depth: usize) -> Result<String, IngestError> {
        let mut out = String::new();
        self.collect(children, depth + 1, false, &mut out)?;
        Ok(out)
    }

    /// The text of Word's `mso-list:Ignore` span ("1.", "·").
    fn list_marker(&self, children: &[NodeHandle], depth: usize) -> Result<String, IngestError> {
        let mut out = String::new();
        self.collect(children, depth + 1, true, &mut out)?;
        Ok(out)
    }

    fn collect(
        &self,
        children: &[NodeHandle],
        depth: usize,
        marker: bool,
        out: &mut String,
    ) -> Result<(), IngestError> {
        if depth > self.max_depth {
            return Err(self.too_deep());
        }
        for h in children {
            match h.get(self.parser) {
                Some(Node::Raw(b)) if !marker => out.push_str(&decode(&b.as_utf8_str())),
                Some(Node::Tag(t)) => {
                    let name = t.name().as_utf8_str().to_lowercase();
                    if SKIPPED.contains(&name.as_str()) {
                        continue;
                    }
                    if name == "br" {
                        out.push(' ');
                        continue;
                    }
                    let style = t
                        .attributes()
                        .get("style")
                        .flatten()
                        .map(|s| s.as_utf8_str().to_lowercase().replace(' ', ""))
                        .unwrap_or_default();
                    let is_marker = style.contains("mso-list:ignore");
                    let kids: Vec<NodeHandle> = t.children().top().iter().copied().collect();
                    if is_marker && marker {
                        self.collect(&kids, depth + 1, false, out)?;
                    } else if !is_marker {
                        self.collect(&kids, depth + 1, marker, out)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// Resolves HTML entities; an unknown one is kept as written.
fn decode(raw: &str) -> String {
    let text: Cow<'_, str> = unescape_with(raw, resolve_html5_entity).unwrap_or(Cow::Borrowed(raw));
    text.replace('\u{a0}', " ")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn html(s: &str) -> Result<SourceText, IngestError> {
        read("a.html", s, Vec::new(), &Limits::default())
    }

    #[test]
    fn word_html_headings_lists_tables() {
        let s = html(
            r#"<html><head><title>x</title><style>p{}</style></head><body lang=SV>
<div class=WordSection1>
<p class=MsoTitle>Beslut</p>
<h1>Ärendet</h1>
<p class=MsoNormal>Nämnden&nbsp;har <del>inte</del> beslutat om <b>stöd</b> till fler&#229;.</p>
<p class=MsoListParagraphCxSpFirst><span style='mso-list:Ignore'>1.<span>&nbsp;&nbsp;</span></span>Första</p>
<p class=MsoListParagraphCxSpLast><span style='mso-list:Ignore'>2.<span>&nbsp;</span></span>Andra</p>
<ul><li>Punkt</li></ul>
<ol><li><p>Ett</p><li><p>Två</p></ol>
<table class=MsoTableGrid><tr><td><p>Grupp</p></td><td><p>Antal</p></td></tr></table>
</div></body></html>"#,
        )
        .unwrap();
        assert_eq!(
            s.text,
            "# Beslut\n\n# Ärendet\n\nNämnden har beslutat om stöd till flerå.\n\n1. Första\n2. Andra\n- Punkt\n1. Ett\n2. Två\n\n| Grupp | Antal |\n| --- | --- |\n"
        );
    }

    #[test]
    fn deep_nesting_is_refused() {
        let deep = format!("{}x{}", "<div>".repeat(1000), "</div>".repeat(1000));
        let err = html(&deep).unwrap_err();
        assert!(matches!(err, IngestError::TooDeep { .. }), "{err}");
    }
}
