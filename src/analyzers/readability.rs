//! Readability: LIX per section and long sentences.

use regex::Regex;

use super::memo::{cached, MemoSlot, UnitMemo};
use super::tokens::{letter_count, words};
use super::units::prose_sentences;
use super::{Analyzer, Finding, ParamError, ParamReader};
use crate::document::{Document, Span};

/// The Swedish LIX band (domain.md 4.3): < 30, 30–39, 40–49, 50–59, ≥ 60.
pub fn band(lix: f64) -> &'static str {
    match lix {
        l if l < 30.0 => "mycket lättläst",
        l if l < 40.0 => "lättläst",
        l if l < 50.0 => "medelsvår",
        l if l < 60.0 => "svår",
        _ => "mycket svår",
    }
}

#[derive(Debug)]
pub struct Lix {
    max: f64,
    min_words: usize,
    sections: Option<Regex>,
}

impl Lix {
    pub(crate) fn new(p: &ParamReader) -> Result<Self, ParamError> {
        Ok(Lix {
            max: p.number("max", 55.0)?,
            min_words: p.count("min-words", 50)?,
            sections: p.regex_list("sections")?,
        })
    }

    fn measure(
        &self,
        doc: &Document,
        sentences: &[usize],
        place: Span,
        memo: &mut Option<&mut UnitMemo<(usize, usize)>>,
        out: &mut Vec<Finding>,
    ) {
        let (mut n_words, mut n_long) = (0usize, 0usize);
        for &i in sentences {
            let s = doc.slice(&doc.sentences[i].span);
            let counts = cached(memo, s, || word_counts(s));
            n_words += counts.0;
            n_long += counts.1;
        }
        if n_words < self.min_words.max(1) || sentences.is_empty() {
            return;
        }
        let lix = n_words as f64 / sentences.len() as f64 + 100.0 * n_long as f64 / n_words as f64;
        if lix > self.max {
            out.push(Finding {
                span: place,
                values: vec![
                    ("lix", format!("{}", lix.round() as i64)),
                    ("band", band(lix).to_string()),
                    ("words", n_words.to_string()),
                    ("sentences", sentences.len().to_string()),
                ],
            });
        }
    }
}

/// The words of a sentence and the long ones (more than six letters).
fn word_counts(s: &str) -> (usize, usize) {
    let (mut n_words, mut n_long) = (0usize, 0usize);
    for w in words(s) {
        n_words += 1;
        if letter_count(&s[w]) > 6 {
            n_long += 1;
        }
    }
    (n_words, n_long)
}

impl Analyzer for Lix {
    fn run(&self, doc: &Document, out: &mut Vec<Finding>) {
        self.run_memo(doc, &mut MemoSlot::disabled(), out);
    }

    fn run_memo(&self, doc: &Document, slot: &mut MemoSlot, out: &mut Vec<Finding>) {
        let memo = &mut slot.memo();
        let prose = prose_sentences(doc);
        if doc.sections.is_empty() {
            if let Some(&first) = prose.first() {
                self.measure(doc, &prose, doc.sentences[first].span.clone(), memo, out);
            }
            return;
        }
        for sec in &doc.sections {
            if let Some(re) = &self.sections {
                if !re.is_match(doc.slice(&sec.heading)) {
                    continue;
                }
            }
            let body = &sec.own_body;
            let lo = prose.partition_point(|&i| doc.sentences[i].span.start < body.start);
            let hi = prose.partition_point(|&i| doc.sentences[i].span.start < body.end);
            self.measure(doc, &prose[lo..hi], sec.heading.clone(), memo, out);
        }
    }
}

#[derive(Debug)]
pub struct SentenceLength {
    max: usize,
}

impl SentenceLength {
    pub(crate) fn new(p: &ParamReader) -> Result<Self, ParamError> {
        Ok(SentenceLength {
            max: p.count("max-words", 35)?,
        })
    }
}

impl Analyzer for SentenceLength {
    fn run(&self, doc: &Document, out: &mut Vec<Finding>) {
        self.run_memo(doc, &mut MemoSlot::disabled(), out);
    }

    fn run_memo(&self, doc: &Document, slot: &mut MemoSlot, out: &mut Vec<Finding>) {
        let memo = &mut slot.memo();
        for i in prose_sentences(doc) {
            let span = &doc.sentences[i].span;
            let s = doc.slice(span);
            let n = *cached(memo, s, || words(s).count());
            if n > self.max {
                out.push(Finding {
                    span: span.clone(),
                    values: vec![("words", n.to_string()), ("max", self.max.to_string())],
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testdoc::doc;
    use super::super::{build, ParamValue, Params};
    use super::*;

    fn run(name: &str, params: &[(&str, ParamValue)], text: &str) -> (Document, Vec<Finding>) {
        let p: Params = params.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        let a = build(name, &p).unwrap_or_else(|e| panic!("{e:?}"));
        let d = doc(text);
        let mut out = Vec::new();
        a.run(&d, &mut out);
        (d, out)
    }

    fn value<'a>(f: &'a Finding, k: &str) -> &'a str {
        f.values.iter().find(|(n, _)| *n == k).map_or("", |(_, v)| v.as_str())
    }

    const HARD: &str = "Förvaltningens sammanfattande bedömning innebär att verksamhetsområdets \
        organisationsförändringar genomförs successivt under planeringsperioden, varvid \
        konsekvensbeskrivningarna kompletteras med ytterligare fördjupningsunderlag avseende \
        ekonomiska förutsättningar, personalförsörjningsbehov och lokalförsörjningsplanering \
        inom samtliga förvaltningsövergripande ansvarsområden och verksamhetsgrenar.";
    const EASY: &str = "Vi vill ha en ny park. Den ska ligga vid skolan. Barn och vuxna kan \
        leka där. Det blir bra för alla. Vi tror att många vill gå dit. Parken får bänkar och \
        träd. Den öppnar i maj. Alla är välkomna.";

    #[test]
    fn lix_reports_hard_sections_on_their_heading() {
        let text = format!("# Sammanfattning\n\n{HARD} {HARD}\n\n# Bakgrund\n\n{EASY} {EASY}\n");
        let (d, f) = run("lix", &[("min-words", ParamValue::Number(20.0))], &text);
        assert_eq!(f.len(), 1);
        assert_eq!(d.slice(&f[0].span), "Sammanfattning");
        assert_eq!(value(&f[0], "band"), "mycket svår");
        assert_eq!(value(&f[0], "sentences"), "2");
        let lix: f64 = value(&f[0], "lix").parse().unwrap_or(0.0);
        assert!(lix > 60.0);
    }

    #[test]
    fn lix_params_sections_max_and_min_words() {
        let text = format!("# Sammanfattning\n\n{EASY}\n\n# Ärendet\n\n{HARD} {HARD}\n");
        let mut p = vec![("min-words", ParamValue::Number(20.0))];
        let (_, f) = run("lix", &p, &text);
        assert_eq!(f.len(), 1);
        p.push(("sections", ParamValue::List(vec!["^Sammanfattning".into()])));
        assert!(run("lix", &p, &text).1.is_empty());
        p.push(("max", ParamValue::Number(5.0)));
        let (d, f) = run("lix", &p, &text);
        assert_eq!(f.len(), 1);
        assert_eq!(d.slice(&f[0].span), "Sammanfattning");
        assert_eq!(value(&f[0], "band"), "mycket lättläst");
        // too short with the default min-words
        let p = [
            ("max", ParamValue::Number(0.0)),
            ("min-words", ParamValue::Number(100.0)),
        ];
        assert!(run("lix", &p, &text).1.is_empty());
    }

    #[test]
    fn lix_without_sections_uses_first_sentence_and_skips_tables() {
        let text = format!("{HARD} {HARD}\n\n| Rubrik | Värde |\n| --- | --- |\n| Långa tabellord | 1 |\n");
        let (d, f) = run("lix", &[("min-words", ParamValue::Number(10.0))], &text);
        assert_eq!(f.len(), 1);
        assert!(d.slice(&f[0].span).starts_with("Förvaltningens"));
        assert_eq!(value(&f[0], "words"), "58");
    }

    #[test]
    fn bands() {
        assert_eq!(band(29.9), "mycket lättläst");
        assert_eq!(band(30.0), "lättläst");
        assert_eq!(band(45.0), "medelsvår");
        assert_eq!(band(55.0), "svår");
        assert_eq!(band(60.0), "mycket svår");
    }

    #[test]
    fn sentence_length_counts_words_and_respects_max() {
        let text = format!("Kort mening här. {HARD}");
        let (d, f) = run("sentence-length", &[], &text);
        assert_eq!(f.len(), 0, "29 words is under 35");
        let (_, f2) = run("sentence-length", &[("max-words", ParamValue::Number(20.0))], &text);
        assert_eq!(f2.len(), 1);
        assert!(d.slice(&f2[0].span).starts_with("Förvaltningens"));
        assert_eq!(value(&f2[0], "words"), "29");
        assert_eq!(value(&f2[0], "max"), "20");
    }

    #[test]
    fn sentence_length_unicode_span_and_hyphen_compounds() {
        let long = "Åäö ".repeat(5) + &"barn- och ungdoms-nämnden ".repeat(3) + "slut.";
        let text = format!("Hej. {long}");
        let (d, f) = run("sentence-length", &[("max-words", ParamValue::Number(10.0))], &text);
        assert_eq!(f.len(), 1);
        assert_eq!(d.slice(&f[0].span), long);
        assert_eq!(value(&f[0], "words"), "15");
    }
}
