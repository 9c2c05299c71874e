//! Document structure: metadata in the head, the order of headings, empty sections and the same
//! text pasted under several headings.

use std::collections::HashMap;

use regex::Regex;

use super::tokens::words;
use super::{Analyzer, Finding, ParamError, ParamReader};
use crate::document::{Document, MetaKey, Span};

/// Where a finding about the whole document is shown: the title, else the first heading, else
/// the first line with text.
fn head_span(doc: &Document) -> Span {
    if let Some(t) = &doc.title {
        return t.clone();
    }
    if let Some(s) = doc.sections.first() {
        return s.heading.clone();
    }
    let text = &doc.text;
    let start = text.len() - text.trim_start().len();
    let end = text[start..].find(['\n', '\r']).map_or(text.len(), |i| start + i);
    start..end
}

/// The metadata fields a rule can ask for, by the name written in the rule file.
const FIELDS: [(&str, MetaKey, &str); 3] = [
    ("dnr", MetaKey::Dnr, "diarienummer (Dnr)"),
    ("handlaggare", MetaKey::Handlaggare, "handläggare"),
    ("datum", MetaKey::Datum, "datum"),
];

/// Reports each required metadata field that the document head lacks.
#[derive(Debug)]
pub struct Metadata {
    fields: Vec<(MetaKey, &'static str)>,
}

impl Metadata {
    pub(crate) fn new(p: &ParamReader) -> Result<Self, ParamError> {
        let names = p.list("fields")?.unwrap_or_else(|| vec!["dnr".into(), "datum".into()]);
        let mut fields = Vec::new();
        for n in names {
            let Some((_, key, label)) = FIELDS.iter().find(|(name, _, _)| *name == n.to_lowercase()) else {
                let known: Vec<&str> = FIELDS.iter().map(|f| f.0).collect();
                return Err(ParamError {
                    param: Some("fields".into()),
                    message: format!("okänt metadatafält \"{n}\"; möjliga: {}", known.join(", ")),
                });
            };
            fields.push((*key, *label));
        }
        Ok(Metadata { fields })
    }
}

impl Analyzer for Metadata {
    fn run(&self, doc: &Document, out: &mut Vec<Finding>) {
        let at = head_span(doc);
        for (key, label) in &self.fields {
            let present = doc.metadata.iter().any(|m| m.key == *key && !m.value.is_empty());
            if !present {
                out.push(Finding {
                    span: at.clone(),
                    values: vec![("field", label.to_string())],
                });
            }
        }
    }
}

/// Reports a section (`heading`) that comes after a section it should precede (`before`).
#[derive(Debug)]
pub struct SectionOrder {
    heading: Option<Regex>,
    before: Option<Regex>,
}

impl SectionOrder {
    pub(crate) fn new(p: &ParamReader) -> Result<Self, ParamError> {
        Ok(SectionOrder {
            heading: p.regex_list("heading")?,
            before: p.regex_list("before")?,
        })
    }
}

impl Analyzer for SectionOrder {
    fn run(&self, doc: &Document, out: &mut Vec<Finding>) {
        let (Some(heading), Some(before)) = (&self.heading, &self.before) else {
            return;
        };
        let first = |re: &Regex| doc.sections.iter().find(|s| re.is_match(doc.slice(&s.heading)));
        let (Some(sec), Some(earlier)) = (first(heading), first(before)) else {
            return;
        };
        if earlier.heading.start < sec.heading.start {
            out.push(Finding {
                span: sec.heading.clone(),
                values: vec![("after", collapse(doc.slice(&earlier.heading)))],
            });
        }
    }
}

/// Reports sections with (almost) no text of their own and no subsections.
#[derive(Debug)]
pub struct EmptySections {
    min_words: usize,
    except: Option<Regex>,
}

impl EmptySections {
    pub(crate) fn new(p: &ParamReader) -> Result<Self, ParamError> {
        Ok(EmptySections {
            min_words: p.count("min-words", 1)?,
            except: p.regex_list("except")?,
        })
    }
}

impl Analyzer for EmptySections {
    fn run(&self, doc: &Document, out: &mut Vec<Finding>) {
        let mut has_subsections = vec![false; doc.sections.len()];
        for s in &doc.sections {
            if let Some(p) = s.parent.and_then(|p| has_subsections.get_mut(p)) {
                *p = true;
            }
        }
        for (i, sec) in doc.sections.iter().enumerate() {
            if has_subsections[i] {
                continue;
            }
            let heading = doc.slice(&sec.heading);
            if self.except.as_ref().is_some_and(|re| re.is_match(heading)) || doc.title.as_ref() == Some(&sec.heading) {
                continue;
            }
            // In plain text an unnumbered heading is a guess from the line's shape, and a title
            // over a subtitle looks like an empty section: only numbered headings count there.
            if !doc.format.is_markdown() && !heading.starts_with(|c: char| c.is_ascii_digit()) {
                continue;
            }
            let n = word_count(doc.slice(&sec.own_body));
            if n < self.min_words.max(1) {
                out.push(Finding {
                    span: sec.heading.clone(),
                    values: vec![("words", n.to_string())],
                });
            }
        }
    }
}

/// Reports a sentence that repeats, word for word, a sentence in another paragraph: boilerplate
/// pasted under several headings. Only sentences in sections whose heading (or an enclosing
/// one's) matches `headings` count.
#[derive(Debug)]
pub struct RepeatedText {
    headings: Option<Regex>,
    min_words: usize,
}

impl RepeatedText {
    pub(crate) fn new(p: &ParamReader) -> Result<Self, ParamError> {
        Ok(RepeatedText {
            headings: p.regex_list("headings")?,
            min_words: p.count("min-words", 5)?,
        })
    }
}

impl Analyzer for RepeatedText {
    fn run(&self, doc: &Document, out: &mut Vec<Finding>) {
        // Normalised sentence → (paragraph, section heading) of its first occurrence.
        let mut seen: HashMap<String, (usize, String)> = HashMap::new();
        for s in &doc.sentences {
            let Some(sec) = doc.section_at(s.span.start) else {
                continue;
            };
            if let Some(re) = &self.headings {
                if !doc
                    .section_chain(s.span.start)
                    .any(|i| re.is_match(doc.slice(&doc.sections[i].heading)))
                {
                    continue;
                }
            }
            let text = doc.slice(&s.span);
            let norm: Vec<String> = words(text).map(|w| text[w].to_lowercase()).collect();
            if norm.len() < self.min_words.max(1) {
                continue;
            }
            let key = norm.join(" ");
            match seen.get(&key) {
                Some((para, first)) if *para != s.paragraph => out.push(Finding {
                    span: s.span.clone(),
                    values: vec![("first", first.clone())],
                }),
                Some(_) => {}
                None => {
                    seen.insert(key, (s.paragraph, collapse(doc.slice(&doc.sections[sec].heading))));
                }
            }
        }
    }
}

fn word_count(text: &str) -> usize {
    words(text)
        .filter(|w| text[w.clone()].chars().any(char::is_alphabetic))
        .count()
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::super::{build, ParamValue, Params};
    use super::*;
    use crate::analysis::analyze;
    use crate::document::{DocKind, Format};

    fn run(name: &str, params: &[(&str, ParamValue)], text: &str) -> (Document, Vec<Finding>) {
        let p: Params = params.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        let a = build(name, &p).unwrap_or_else(|e| panic!("{e:?}"));
        let d = analyze(
            "t.md",
            text.to_string(),
            Format::Markdown,
            Some(DocKind::Tjansteutlatande),
        );
        let mut out = Vec::new();
        a.run(&d, &mut out);
        (d, out)
    }

    fn list(v: &[&str]) -> ParamValue {
        ParamValue::List(v.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn metadata_reports_each_missing_field() {
        let text = "Dnr: KS 2024/12\n\n# Ny taxa\n\nText.\n";
        let (d, f) = run("metadata", &[("fields", list(&["dnr", "handlaggare", "datum"]))], text);
        let missing: Vec<&str> = f.iter().map(|x| x.values[0].1.as_str()).collect();
        assert_eq!(missing, ["handläggare", "datum"]);
        assert_eq!(d.slice(&f[0].span), "Ny taxa");
        let (_, f) = run(
            "metadata",
            &[],
            "Datum: 2024-10-09\nDiarienummer: SN 18/0098\n\n# Ny taxa\n\nText.\n",
        );
        assert!(f.is_empty(), "{f:?}");
        assert!(build(
            "metadata",
            &[("fields".to_string(), list(&["dn"]))].into_iter().collect()
        )
        .is_err());
    }

    #[test]
    fn section_order_compares_first_matching_headings() {
        let p = [
            ("heading", list(&["förslag till beslut"])),
            ("before", list(&["ärendet", "bakgrund"])),
        ];
        let (d, f) = run(
            "section-order",
            &p,
            "# T\n\n## Bakgrund\n\nText.\n\n## Förslag till beslut\n\nText.\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(d.slice(&f[0].span), "Förslag till beslut");
        assert_eq!(f[0].values[0].1, "Bakgrund");
        let (_, f) = run(
            "section-order",
            &p,
            "# T\n\n## Förslag till beslut\n\nText.\n\n## Bakgrund\n\nText.\n",
        );
        assert!(f.is_empty());
        // Either heading missing: nothing to compare.
        let (_, f) = run("section-order", &p, "# T\n\n## Bakgrund\n\nText.\n");
        assert!(f.is_empty());
    }

    #[test]
    fn empty_sections_skip_parents_and_exceptions() {
        let text = "# T\n\n## Ärendet\n\n### Del\n\nText här.\n\n## Barnperspektiv\n\n## Bilagor\n\n## Ekonomi\n\nKostar inget.\n";
        let (d, f) = run("empty-sections", &[("except", list(&["bilag"]))], text);
        let heads: Vec<&str> = f.iter().map(|x| d.slice(&x.span)).collect();
        assert_eq!(heads, ["Barnperspektiv"]);
        let (_, f) = run("empty-sections", &[("min-words", ParamValue::Number(3.0))], text);
        assert_eq!(f.len(), 4, "{f:?}");
        // Plain text: only numbered headings are sure enough to call a section empty.
        let plain =
            "Tjänsteskrivelse\n\nRevidering av riktlinjer\n\nFörslag till beslut\n\nNämnden antar riktlinjerna.\n\n\
                     1 Bakgrund\n\n2 Barnperspektiv\n\n3 Ekonomi\n\nRiktlinjerna kostar inget att införa.\n";
        let d = analyze(
            "t.txt",
            plain.to_string(),
            Format::Text,
            Some(DocKind::Tjansteutlatande),
        );
        let a = build("empty-sections", &Params::new()).unwrap_or_else(|e| panic!("{e:?}"));
        let mut f = Vec::new();
        a.run(&d, &mut f);
        let heads: Vec<&str> = f.iter().map(|x| d.slice(&x.span)).collect();
        assert_eq!(heads, ["1 Bakgrund", "2 Barnperspektiv"]);
    }

    #[test]
    fn repeated_text_finds_boilerplate_under_several_headings() {
        let text = "# T\n\n## Konsekvenser\n\n### Jämställdhet\n\nÄrendet bedöms inte ha några konsekvenser.\n\n\
                    ### Barn\n\nÄrendet bedöms inte ha några  konsekvenser.\n\n### Miljö\n\nÄrendet bedöms inte ha \
                    några konsekvenser för miljön.\n\n## Bakgrund\n\nÄrendet bedöms inte ha några konsekvenser.\n";
        let p = [("headings", list(&["konsekvens"]))];
        let (d, f) = run("repeated-text", &p, text);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].values[0].1, "Jämställdhet");
        assert!(d.location(f[0].span.start).section.is_some_and(|s| s == "Barn"));
        // Without `headings` the Bakgrund copy counts too; short sentences never do.
        let (_, f) = run("repeated-text", &[], text);
        assert_eq!(f.len(), 2);
        let (_, f) = run("repeated-text", &[("min-words", ParamValue::Number(7.0))], text);
        assert!(f.is_empty());
    }
}
