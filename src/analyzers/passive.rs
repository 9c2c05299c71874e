//! Passive voice: the share of sentences with a passive s-form ("beslutas", "genomförs",
//! "beslutades", "har genomförts") per paragraph, section or document.
//!
//! Swedish marks the passive with -s, which is also the genitive ending ("kommunens") and the
//! ending of the deponent verbs that are active in meaning ("finns", "hoppas", "lyckas"). The
//! forms are therefore recognised by endings that the genitive rarely has: -as, -ades, -ats
//! (first conjugation), -des and -tes after a stem (past tense), -rts, -gts, -pts, -lts, -its
//! (supine), and present tense -s after ö/ä/u/y + r, v, gg, ll, nd, nn, p, k ("genomförs",
//! "krävs", "läggs", "ställs", "används", "köps", "sänks"), plus a few short forms written out
//! ("ges", "ses", "tas", "anses"). Words in `except` (the deponent verbs and the common nouns and
//! adverbs with these endings) are never passive.

use regex::Regex;

use super::memo::{cached, MemoSlot, UnitMemo};
use super::tokens::words;
use super::units::prose_sentences;
use super::{builtin, Analyzer, Finding, ParamError, ParamReader, ParamValue};
use crate::document::{Document, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Paragraph,
    Section,
    Document,
}

#[derive(Debug)]
pub struct PassiveVoice {
    max_share: f64,
    min_sentences: usize,
    unit: Unit,
    forms: Regex,
    /// The built-in forms, which all end in -s: a word without it needs no further look.
    builtin_forms: bool,
    except: Vec<String>,
    except_endings: Vec<String>,
}

/// Passive word forms (whole lower-case words).
const FORMS: &[&str] = &[
    // beslutas, beslutades, beslutats (not "plats" and its compounds)
    r"\w{3,}(?:as|ades)",
    r"\w{3,}[^l]ats",
    // genomfördes, byggdes, ställdes, gjordes, köptes, skickades (covered above)
    r"\w{2,}[rgvlnmbjy]des|\w+ddes",
    r"\w{2,}(?:dd|pp|k|p|x|st)tes",
    // genomförts, byggts, köpts, ställts, skrivits, krävts
    r"\w*[öäy]rts|\w+ggts|\w+[öä]pts|\w+llts|\w+[^aeiouyåäö]its|\w+[äö]vts|\w+[äe]nkts|\w*gjorts|\w*[ls]agts",
    // genomförs, styrs, krävs, läggs, ställs, används, känns, köps, sänks, väljs
    r"\w*[öy]rs|\w*ärs|\w*[äö]vs|\w*[iy]vs|\w+ggs|\w*[äåy]lls|\w*ä[nm]ds|\w*[äi]nns|\w*[öä]ps|\w*[äe]nks|\w*[äe]ljs|\w*äcks|\w*[öä]m{1,2}s",
    // short forms
    r"(?:an|av|till|ut|upp|efter|med|om|åter|fram|in|över)?ges",
    r"(?:an|be|för|ut|till|över|upp|åter|genom)?ses|\w*läses",
    r"(?:an|be|fram|till|upp|ut|över|för|in|om|bort|åter|del|emot|hand|ställning)?tas",
    r"\w*(?:slogs|drogs|togs|gavs|hölls|lades)|(?:an|till|upp|ut|fram)?sågs",
    // föreslås, anslås, ingås, dras in, utretts, getts, bemötts
    r"\w*slås|(?:in|upp|till|över|genom)gås|(?:in|ut|till|av|upp|fram|under)?dras|\w*[eö]tts",
];

/// Deponent verbs (active in meaning), and nouns and adverbs with a passive-looking ending.
const EXCEPT: &[&str] = &[
    // deponents and reciprocal verbs, all forms
    "finns",
    "fanns",
    "funnits",
    "hoppas",
    "hoppades",
    "hoppats",
    "lyckas",
    "lyckades",
    "lyckats",
    "misslyckas",
    "misslyckades",
    "misslyckats",
    "andas",
    "andades",
    "andats",
    "minns",
    "mindes",
    "mints",
    "trivs",
    "trivdes",
    "trivts",
    "synas",
    "syns",
    "syntes",
    "synts",
    "tycks",
    "tycktes",
    "åldras",
    "åldrades",
    "åldrats",
    "brottas",
    "brottades",
    "svettas",
    "svettades",
    "kräks",
    "skäms",
    "skämdes",
    "envisas",
    "envisades",
    "umgås",
    "slåss",
    "låtsas",
    "låtsades",
    "låtsats",
    "väsnas",
    "kivas",
    "samsas",
    "trängas",
    "trängs",
    "träffas",
    "träffades",
    "träffats",
    "möts",
    "mötas",
    "möttes",
    "ses",
    "sågs",
    "setts",
    "hörs",
    "hördes",
    "kallas",
    "vistas",
    "vistades",
    "vistats",
    "idas",
    "nöjas",
    "lessnas",
    "rymmas",
    "ryms",
    "rymdes",
    "märks",
    "märktes",
    "tränas",
    "avundas",
    "längtas",
    "dröjas",
    // nouns, adjectives and adverbs
    "alls",
    "tills",
    "annars",
    "redan",
    "således",
    "likaledes",
    "annorledes",
    "ingenstans",
    "någonstans",
    "överallt",
    "års",
    "kurs",
    "sorts",
    "militärs",
    "gas",
    "glas",
    "bas",
    "fas",
    "ras",
    "klass",
    "atlas",
    "kanvas",
    "livs",
    "behovs",
    "tips",
    "lands",
    "ideas",
    "mammas",
    "pappas",
    "kommunfullmäktiges",
    "fullmäktiges",
    "tidplats",
    "personas",
    "sveriges",
    "norges",
    "dags",
    "slags",
    "ögonblicks",
    "tjänstes",
    "ekonomis",
    "statistiks",
    "kvinnas",
    "flickas",
    "skolas",
    "resultats",
    "mandats",
    "kandidats",
    "privats",
    "ströms",
];

/// Endings that are the genitive plural ("elevernas", "ärendenas"), never the passive.
const EXCEPT_ENDINGS: &[&str] = &["arnas", "ernas", "ornas", "enas", "ias", "gas", "sats", "glas"];

fn joined(list: &[&str]) -> String {
    list.iter().map(|s| format!("(?:{s})")).collect::<Vec<_>>().join("|")
}

impl PassiveVoice {
    pub(crate) fn new(p: &ParamReader) -> Result<Self, ParamError> {
        let unit = match p.params.get("per") {
            None => Unit::Paragraph,
            Some(ParamValue::Word(w)) => match w.as_str() {
                "paragraph" | "stycke" => Unit::Paragraph,
                "section" | "avsnitt" => Unit::Section,
                "document" | "dokument" => Unit::Document,
                other => {
                    return Err(ParamError {
                        param: Some("per".into()),
                        message: format!("okänt värde `{other}` för `per`: välj paragraph, section eller document"),
                    })
                }
            },
            Some(_) => {
                return Err(ParamError {
                    param: Some("per".into()),
                    message: "`per` ska vara ett ord: paragraph, section eller document".into(),
                })
            }
        };
        let max_share = p.number("max-share", 50.0)?;
        if max_share > 100.0 {
            return Err(ParamError {
                param: Some("max-share".into()),
                message: "`max-share` är en andel i procent, 0–100".into(),
            });
        }
        let builtin_forms = p.params.get("forms").is_none();
        let forms = match p.list("forms")? {
            Some(l) => {
                for f in &l {
                    regex::Regex::new(f).map_err(|e| ParamError {
                        param: Some("forms".into()),
                        message: format!("ogiltigt reguljärt uttryck \"{f}\" i `forms`: {e}"),
                    })?;
                }
                let refs: Vec<&str> = l.iter().map(String::as_str).collect();
                joined(&refs)
            }
            None => joined(FORMS),
        };
        let except = match p.list("except")? {
            Some(l) => l.iter().map(|s| s.to_lowercase()).collect(),
            None => EXCEPT.iter().map(|s| s.to_string()).collect(),
        };
        let except_endings = match p.list("except-endings")? {
            Some(l) => l.iter().map(|s| s.to_lowercase()).collect(),
            None => EXCEPT_ENDINGS.iter().map(|s| s.to_string()).collect(),
        };
        Ok(PassiveVoice {
            except_endings,
            max_share,
            min_sentences: p.count("min-sentences", 3)?,
            unit,
            forms: builtin(&format!("^(?:{forms})$"))?,
            builtin_forms,
            except,
        })
    }

    /// The passive forms in a sentence, as byte ranges of `text`.
    fn passives(&self, text: &str) -> Vec<std::ops::Range<usize>> {
        words(text)
            .enumerate()
            .filter(|(n, r)| {
                let w = &text[r.clone()];
                if self.builtin_forms && !w.ends_with(['s', 'S']) {
                    return false;
                }
                // Names and abbreviations inside a sentence are not verbs, nor is the first part
                // of a compound cut short ("affärs- och finansplan").
                let capital = w.chars().next().is_some_and(char::is_uppercase);
                if (capital && *n > 0) || w.chars().skip(1).any(char::is_uppercase) || w.contains('-') {
                    return false;
                }
                if text[r.end..].starts_with('-') {
                    return false;
                }
                let lower = w.to_lowercase();
                lower.chars().count() >= 3
                    && !self.except.contains(&lower)
                    && !self.except_endings.iter().any(|e| lower.ends_with(e.as_str()))
                    && self.forms.is_match(&lower)
            })
            .map(|(_, r)| r)
            .collect()
    }

    /// The passive forms of a sentence, in lower case: a pure function of its text.
    fn sentence_passives(&self, s: &str) -> Vec<String> {
        self.passives(s).into_iter().map(|r| s[r].to_lowercase()).collect()
    }

    fn measure(
        &self,
        doc: &Document,
        sentences: &[usize],
        place: Span,
        memo: &mut Option<&mut UnitMemo<Vec<String>>>,
        out: &mut Vec<Finding>,
    ) {
        if sentences.len() < self.min_sentences.max(1) {
            return;
        }
        let mut with_passive = 0usize;
        let mut examples: Vec<String> = Vec::new();
        for &i in sentences {
            let s = doc.slice(&doc.sentences[i].span);
            let found = cached(memo, s, || self.sentence_passives(s));
            if !found.is_empty() {
                with_passive += 1;
            }
            for w in found.iter() {
                if examples.len() < 3 && !examples.contains(w) {
                    examples.push(w.clone());
                }
            }
        }
        let share = 100.0 * with_passive as f64 / sentences.len() as f64;
        if share > self.max_share {
            out.push(Finding {
                span: place,
                values: vec![
                    ("share", format!("{}", share.round() as i64)),
                    ("passives", with_passive.to_string()),
                    ("sentences", sentences.len().to_string()),
                    ("examples", examples.join(", ")),
                ],
            });
        }
    }
}

impl Analyzer for PassiveVoice {
    fn run(&self, doc: &Document, out: &mut Vec<Finding>) {
        self.run_memo(doc, &mut MemoSlot::disabled(), out);
    }

    /// Each sentence's passive forms are kept between checks: a re-check looks again only at
    /// the sentences whose text changed.
    fn run_memo(&self, doc: &Document, slot: &mut MemoSlot, out: &mut Vec<Finding>) {
        let memo = &mut slot.memo();
        let prose = prose_sentences(doc);
        let within = |span: &Span| -> Vec<usize> {
            let lo = prose.partition_point(|&i| doc.sentences[i].span.start < span.start);
            let hi = prose.partition_point(|&i| doc.sentences[i].span.start < span.end);
            prose[lo..hi].to_vec()
        };
        let first_sentence = |list: &[usize]| list.first().map(|&i| doc.sentences[i].span.clone());
        match self.unit {
            Unit::Paragraph => {
                for p in &doc.paragraphs {
                    let list = within(&p.span);
                    if let Some(place) = first_sentence(&list) {
                        self.measure(doc, &list, place, memo, out);
                    }
                }
            }
            Unit::Section if !doc.sections.is_empty() => {
                for sec in &doc.sections {
                    let list = within(&sec.own_body);
                    self.measure(doc, &list, sec.heading.clone(), memo, out);
                }
            }
            Unit::Section | Unit::Document => {
                if let Some(place) = first_sentence(&prose) {
                    self.measure(doc, &prose, place, memo, out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testdoc::doc;
    use super::super::{build, ParamValue, Params};
    use super::*;

    fn analyzer(params: &[(&str, ParamValue)]) -> PassiveVoice {
        let p: Params = params.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        PassiveVoice::new(&ParamReader { params: &p }).unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn forms(text: &str) -> Vec<String> {
        let a = analyzer(&[]);
        a.passives(text).into_iter().map(|r| text[r].to_string()).collect()
    }

    #[test]
    fn passive_forms_are_found() {
        for w in [
            "beslutas",
            "beslutades",
            "beslutats",
            "genomförs",
            "genomfördes",
            "genomförts",
            "krävs",
            "behövs",
            "läggs",
            "ställs",
            "används",
            "köptes",
            "byggdes",
            "tas",
            "anses",
            "ges",
            "redovisas",
            "skickades",
            "gjordes",
            "gjorts",
            "skrivits",
            "sänks",
            "bedöms",
            "bereddes",
            "lagts",
            "föreslås",
            "föreslogs",
            "utretts",
            "getts",
        ] {
            assert_eq!(forms(w), [w], "{w}");
        }
    }

    #[test]
    fn deponents_genitives_and_nouns_are_not_passive() {
        for w in [
            "finns",
            "hoppas",
            "lyckas",
            "andas",
            "minns",
            "trivs",
            "kommunens",
            "projektets",
            "arbetsplats",
            "mötesplats",
            "kvinnors",
            "pojkars",
            "elevers",
            "alls",
            "tills",
            "annars",
            "års",
            "kurs",
            "Jonas",
            "således",
            "barns",
            "Sveriges",
            "klass",
            "SKR:s",
            "lärares",
            "dess",
            "ens",
            "stads",
            "elevernas",
            "ärendenas",
            "Tobias",
            "affärs-",
        ] {
            let sentence = format!("Det gäller {w} nu");
            assert!(forms(&sentence).is_empty(), "{w}");
        }
    }

    fn run(params: &[(&str, ParamValue)], text: &str) -> Vec<Finding> {
        let p: Params = params.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        let a = build("passive-voice", &p).unwrap_or_else(|e| panic!("{e:?}"));
        let d = doc(text);
        let mut out = Vec::new();
        a.run(&d, &mut out);
        out
    }

    const PASSIVE: &str = "Ärendet bereddes av förvaltningen. Beslutet fattades i maj. Riktlinjen \
        ska tillämpas från juni. Uppföljning görs varje år. Kostnaden bedöms rymmas i budgeten.";
    const ACTIVE: &str = "Förvaltningen beredde ärendet. Nämnden beslutade i maj. Vi följer upp \
        riktlinjen varje år. Det finns pengar i budgeten. Vi hoppas att fler söker.";

    #[test]
    fn a_paragraph_over_the_share_is_reported_with_examples() {
        let f = run(&[], &format!("{PASSIVE}\n\n{ACTIVE}\n"));
        assert_eq!(f.len(), 1);
        let value = |k: &str| f[0].values.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone());
        assert_eq!(value("share").as_deref(), Some("100"));
        assert_eq!(value("examples").as_deref(), Some("bereddes, fattades, tillämpas"));
    }

    #[test]
    fn the_threshold_and_the_unit_are_parameters() {
        let text = format!("# Bakgrund\n\n{PASSIVE}\n\n{ACTIVE}\n");
        assert_eq!(run(&[("per", ParamValue::Word("section".into()))], &text).len(), 0);
        let low = [
            ("per", ParamValue::Word("document".into())),
            ("max-share", ParamValue::Number(40.0)),
        ];
        assert_eq!(run(&low, &text).len(), 1);
        assert!(run(&[("min-sentences", ParamValue::Number(6.0))], PASSIVE).is_empty());
        let p: Params = [("per".to_string(), ParamValue::Word("mening".into()))]
            .into_iter()
            .collect();
        assert!(build("passive-voice", &p).is_err());
    }
}
