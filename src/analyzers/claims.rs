//! Unmotivated claims that a matter has no consequences ("Ärendet bedöms inte påverka barn.").

use regex::Regex;

use super::lexicon::{default_nouns, noun_alternation};
use super::memo::{cached, MemoSlot};
use super::tokens::{letter_count, words};
use super::units::prose_sentences;
use super::{Analyzer, Finding, LazyRegex, ParamError, ParamReader};
use crate::document::Document;
use crate::rules::Pattern;

/// "no consequences / no impact" in its usual shapes (domain.md 1.6).
const CLAIM_RE: &str = r"(?i)\b(?:(?:inga|ingen|inte\s+(?:några|någon|ha\s+några|ha\s+någon|få\s+några|medföra\s+några|innebära\s+några)|ej\s+(?:några|någon|ha\s+några))\s+(?:särskilda\s+|direkta\s+|negativa\s+|större\s+|märkbara\s+|påtagliga\s+)?(?:konsekvenser|påverkan|effekter|inverkan|betydelse)|(?:bedöms|anses|kommer|bedömer\s+\w+|antas)\s+(?:inte|ej)\s+(?:att\s+)?(?:påverka|beröra|vara\s+relevant|ha\s+betydelse|få\s+betydelse)|(?:påverkar|berör|rör)\s+(?:inte|ej)\b|(?:bedömer|bedöms|anser|anses)\s+(?:\w+\s+)?(?:inte|ej)\s+att\s+\w+(?:\s+\w+)?\s+(?:påverkar|berör|får\s+(?:några\s+)?konsekvenser)|(?:är|bedöms\s+vara|anses\s+vara)\s+(?:inte|ej)\s+relevant|könsneutral[at]?\b)";

/// The regex crate's default size limit, for [`CLAIM_RE`].
const CLAIM_SIZE_LIMIT: usize = 10 << 20;

/// Default reason markers; "då" only as a conjunction.
const DEFAULT_REASONS: &str = r"\beftersom\b|(?:^|,\s*)då\b|\bdå\s+(?:det|den|de|ärendet|förslaget|beslutet|åtgärden|ändringen|insatsen|verksamheten|kommunen|nämnden|regionen|avgiften|taxan)\b|\bmed\s+anledning\s+av\b|\bpå\s+grund\s+av\b|\bdetta\s+beror\s+på\b|\bskälet\s+är\b|\bmot\s+bakgrund\s+av\b|\bdärför\s+att\b|\bi\s+och\s+med\s+att\b|\butifrån\s+att\b|\bmed\s+hänsyn\s+till\b";

/// References to data or analysis, a motivation in themselves.
/// Only asked whether it matches, so the words that may go on share one `\w*`.
const DATA_RE: &str = r"(?i)\b(?:(?:statistik|kartläggning|enkät|uppföljning|undersökning|utvärdering|siffror)\w*|analys(?:en)?\s+visar|(?:analyser|underlag)\w*\s+visar|andel(?:en)?)\b";

/// What the claim is about: "för jämställdheten", "på barn".
const OBJECT_RE: &str = r"(?i)^\s*(?:för|på|i\s+fråga\s+om|avseende)\s+((?:\w+[ \-]?){1,4})";
const PERSPECTIVE_RE: &str = r"(?i)\b(?:jämställd\w*|kön\w*|kvinnor|män|flickor|pojkar|barn\w*|unga|ungdom\w*|miljö\w*|klimat\w*|ekonomi\w*|folkhälsa\w*|tillgänglighet\w*|funktionsneds\w*|mänskliga\s+rättigheter|diskriminering\w*|integration\w*|trygghet\w*)";

#[derive(Debug)]
pub struct UnsupportedClaims {
    /// Searched in every sentence: a [`Pattern`], fast on long documents.
    claim: Pattern,
    /// The rest is needed only for a sentence with a claim, so it is compiled then.
    reasons: LazyRegex,
    data: LazyRegex,
    object: LazyRegex,
    perspective: LazyRegex,
    specific: LazyRegex,
    topic: Option<Regex>,
}

impl UnsupportedClaims {
    pub(crate) fn new(p: &ParamReader) -> Result<Self, ParamError> {
        let reasons = match p.regex_list("reasons")? {
            Some(r) => LazyRegex::ready(r),
            None => LazyRegex::new(format!("(?i){DEFAULT_REASONS}")),
        };
        let specific = format!(
            r"(?i)\d|\b(?:{})\b|{}|{}",
            noun_alternation(&default_nouns()),
            super::lexicon::FEMALE_RE,
            super::lexicon::MALE_RE
        );
        Ok(UnsupportedClaims {
            claim: Pattern::lazy(CLAIM_RE, false, CLAIM_SIZE_LIMIT),
            reasons,
            data: LazyRegex::new(DATA_RE),
            object: LazyRegex::new(OBJECT_RE),
            perspective: LazyRegex::new(PERSPECTIVE_RE),
            specific: LazyRegex::new(specific),
            topic: p.regex_list("topic")?,
        })
    }

    /// True when `text` (from a reason marker on) has specific content: a number, a person or
    /// group noun, or at least two longer content words not found in the claim.
    fn specific_after_marker(&self, text: &str, claim: &str) -> bool {
        let mut n = 0;
        let mut content = 0;
        for w in words(text) {
            n += 1;
            let word = &text[w];
            if letter_count(word) >= 8 && !claim.contains(word) {
                content += 1;
            }
        }
        n >= 4 && (self.specific.is_match(text) || content >= 2)
    }

    fn motivated(&self, claim_sentence: &str, claim: &str, next: Option<&str>) -> bool {
        for s in std::iter::once(claim_sentence).chain(next) {
            if self.data.is_match(s) {
                return true;
            }
            if let Some(m) = self.reasons.find(s) {
                if self.specific_after_marker(&s[m.start()..], claim) {
                    return true;
                }
            }
        }
        false
    }
}

impl Analyzer for UnsupportedClaims {
    fn prepare(&self) -> Result<(), ParamError> {
        self.claim.compile().map_err(|e| ParamError {
            param: None,
            message: format!("internt fel i reguljärt uttryck: {e}"),
        })?;
        for re in [
            &self.reasons,
            &self.data,
            &self.object,
            &self.perspective,
            &self.specific,
        ] {
            re.prepare()?;
        }
        Ok(())
    }

    fn run(&self, doc: &Document, out: &mut Vec<Finding>) {
        self.run_memo(doc, &mut MemoSlot::disabled(), out);
    }

    fn run_memo(&self, doc: &Document, slot: &mut MemoSlot, out: &mut Vec<Finding>) {
        let memo = &mut slot.memo::<Option<std::ops::Range<usize>>>();
        let prose = prose_sentences(doc);
        let claim = self.claim.searcher(doc.text.len());
        for (k, &i) in prose.iter().enumerate() {
            let span = &doc.sentences[i].span;
            let s = doc.slice(span);
            let Some(m) = (*cached(memo, s, || claim.find(s))).clone() else {
                continue;
            };
            if doc.in_quote(span) {
                continue;
            }
            let topic = match &self.topic {
                Some(re) => match re.find(s) {
                    Some(t) => t.as_str().to_string(),
                    None => continue,
                },
                None => self
                    .object
                    .captures(&s[m.end..])
                    .and_then(|c| c.get(1))
                    .map(|g| g.as_str().trim().to_string())
                    .or_else(|| self.perspective.find(s).map(|t| t.as_str().to_string()))
                    .unwrap_or_default(),
            };
            // The next sentence counts only when it is in the same paragraph or directly after.
            let next = prose.get(k + 1).map(|&j| doc.slice(&doc.sentences[j].span));
            if self.motivated(s, &s[m.clone()], next) {
                continue;
            }
            out.push(Finding {
                span: span.clone(),
                values: vec![("claim", s.to_string()), ("topic", topic)],
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testdoc::doc;
    use super::super::{build, ParamValue, Params};
    use super::*;

    fn run(params: &[(&str, ParamValue)], text: &str) -> (Document, Vec<Finding>) {
        let p: Params = params.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        let a = build("unsupported-claims", &p).unwrap_or_else(|e| panic!("{e:?}"));
        let d = doc(text);
        let mut out = Vec::new();
        a.run(&d, &mut out);
        (d, out)
    }

    #[test]
    fn claim_search_is_the_same_on_long_documents() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
        let claim = Pattern::new(CLAIM_RE, false, CLAIM_SIZE_LIMIT).unwrap();
        let plain = claim.searcher(0);
        let fast = claim.searcher(usize::MAX);
        assert!(matches!(fast, crate::rules::pattern::Searcher::Fast(_)));
        let mut found = 0;
        let claims = "Inga konsekvenser för barn. Ärendet bedöms inte påverka barn. Ärendet är könsneutralt.\n\
                      Beslutet berör inte flickor och pojkar. Förslaget bedöms inte ha några konsekvenser.";
        let texts = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap_or_default());
        for text in texts.chain([claims.to_string()]) {
            for s in text.split_inclusive(['.', '\n']) {
                assert_eq!(fast.find(s), plain.find(s), "{s}");
                found += usize::from(plain.find(s).is_some());
            }
        }
        assert!(found >= 5, "{found}");
    }

    /// The data markers with one shared `\w*` match where the one-per-word expression did.
    #[test]
    fn data_markers_are_the_same() {
        let old = regex::Regex::new(r"(?i)\b(?:statistik\w*|kartläggning\w*|enkät\w*|analys(?:en)?\s+visar|analyser\w*\s+visar|uppföljning\w*|undersökning\w*|utvärdering\w*|underlag\w*\s+visar|siffror\w*|andel(?:en)?)\b").unwrap();
        let new = regex::Regex::new(DATA_RE).unwrap();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
        let extra = "Statistiken, analysen visar, analyserna visar, underlagen visar, siffrorna, andelen, enkätsvar.";
        let mut found = 0;
        for text in std::fs::read_dir(dir)
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap_or_default())
            .chain([extra.to_string()])
        {
            for s in text.split_inclusive(['.', '\n']) {
                assert_eq!(new.is_match(s), old.is_match(s), "{s}");
                found += usize::from(new.is_match(s));
            }
        }
        assert!(found > 20, "{found}");
    }

    #[test]
    fn bare_claims_are_reported() {
        for claim in [
            "Förslaget bedöms inte ha några konsekvenser för jämställdheten.",
            "Ärendet bedöms inte påverka barn.",
            "Barnperspektivet bedöms inte vara relevant i ärendet.",
            "Inga konsekvenser för barn.",
            "Ärendet är könsneutralt.",
            "Beslutet berör inte flickor och pojkar.",
            "Förvaltningen bedömer inte att ärendet påverkar jämställdheten.",
        ] {
            let text = format!("Nämnden föreslås besluta om ny taxa. {claim} Beslutet gäller från 1 juli.");
            let (d, f) = run(&[], &text);
            assert_eq!(f.len(), 1, "{claim}");
            assert_eq!(d.slice(&f[0].span), claim);
        }
    }

    #[test]
    fn motivated_claims_are_not_reported() {
        for text in [
            "Förslaget bedöms inte ha några konsekvenser för jämställdheten eftersom avgiften är densamma för alla 412 brukare oavsett kön.",
            "Ärendet bedöms inte påverka barn. Skälet är att lokalen endast används av vuxna medarbetare under kvällstid.",
            "Ärendet bedöms inte påverka barn då det gäller byte av ventilationsaggregat i stadshusets källarplan.",
            "Inga konsekvenser för jämställdheten. Uppföljningen 2023 visade samma nöjdhet hos kvinnor och män.",
            "Förslaget påverkar inte kvinnor och män olika enligt kartläggningen av besökarna.",
        ] {
            let (_, f) = run(&[], text);
            assert!(f.is_empty(), "{text}: {f:?}");
        }
    }

    #[test]
    fn reason_without_content_is_still_unmotivated() {
        let (_, f) = run(&[], "Ärendet bedöms inte påverka barn eftersom det inte gör det.");
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn topic_param_narrows_claims_and_fills_value() {
        let text = "Ärendet bedöms inte påverka barn. Inga konsekvenser för jämställdheten.";
        let (_, f) = run(&[], text);
        assert_eq!(f.len(), 2);
        assert_eq!(f[1].values[1], ("topic", "jämställdheten".to_string()));
        let (d, f) = run(
            &[("topic", ParamValue::List(vec!["jämställd|kvinnor|män|kön".into()]))],
            text,
        );
        assert_eq!(f.len(), 1);
        assert_eq!(d.slice(&f[0].span), "Inga konsekvenser för jämställdheten.");
        assert_eq!(f[0].values[1], ("topic", "jämställd".to_string()));
    }

    #[test]
    fn reasons_param_replaces_markers() {
        let text =
            "Ärendet bedöms inte påverka barn eftersom lokalen bara används av vuxna föreningsmedlemmar på kvällstid.";
        assert!(run(&[], text).1.is_empty());
        let (_, f) = run(&[("reasons", ParamValue::List(vec!["\\bty\\b".into()]))], text);
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn positive_consequence_text_is_not_a_claim() {
        let (_, f) = run(
            &[],
            "Förslaget får konsekvenser för barn, som får kortare väg till skolan.",
        );
        assert!(f.is_empty());
    }
}
