//! Individual-based statistics that are not split by sex.
//!
//! A person statistic is a figure attached to a person noun: "412 brukare", "35 procent av
//! deltagarna", "var tredje ungdom", "andelen elever … 95 %", or a table row whose label names
//! persons and whose cells hold numbers. Small numbers count too (the corpus labels count "två
//! ungdomskonsulenter"); `min-count` raises the floor. The article "en"/"ett" is never a figure.

use std::sync::{Arc, LazyLock};

use aho_corasick::AhoCorasick;

use super::lexicon::{
    default_nouns, noun_alternation, FEMALE_NOUNS, FEMALE_RE, MALE_NOUNS, MALE_RE, NOT_UNITS, PERSON_MEASURES,
};
use super::memo::{cached, MemoSlot, UnitMemo};
use super::numbers::{cell_number, figures, Figure};
use super::tokens::{eq_lower, words};
use super::units::{in_table, per_table, prose_sentences, shift, TableFindings};
use super::{Analyzer, Finding, LazyRegex, ParamError, ParamReader, WordRegex};
use crate::document::{Document, Span, Table};
use crate::rules::Pattern;

/// The regex crate's default size limit, for the [`Pattern`]s.
const SIZE_LIMIT: usize = 10 << 20;

// The two expressions below are only asked whether they match, so words that may go on share
// one `\w*`: every copy of the Unicode class is a large automaton to compile.
const EXPLICIT_SPLIT_RE: &str = r"(?i)\b(?:(?:fördela|uppdela|redovisa|fördelning|uppdelning)\w*\s+(?:på|efter)\s+kön|(?:könsuppdela|könsfördelning)\w*|andel(?:en)?\s+(?:kvinnor|män|flickor|pojkar)\b|varav\b[^.]{0,60}\b(?:kvinnor|män|flickor|pojkar|tjejer|killar)\b|per\s+kön)";
const EXCEPTION_RE: &str = r"(?i)\b(?:för\s+få|färre\s+än\s+\d+|(?:röjande|sekretess)\w*|av\s+integritetsskäl|går\s+inte\s+att\s+(?:redovisa|dela\s+upp)|uppgift\s+om\s+kön\s+saknas|särskilda\s+skäl|kön\s+registreras\s+inte)";
/// A share word right before the noun: "var tredje", "varannan", "hälften av".
const SHARE_BEFORE_RE: &str = r"(?i)(?:\bvar\s+(?:tredje|fjärde|femte|sjätte|sjunde|åttonde|nionde|tionde)|\bvar\s*annan|\bvartannat|\b(?:hälften|majoriteten|merparten|en\s+(?:tredjedel|fjärdedel|femtedel))\s+av(?:\s+(?:de|alla|samtliga|våra))?)\s+$";
/// "andel(en) (av) (de)" right before the noun; needs a figure after it.
const ANDEL_BEFORE_RE: &str = r"(?i)\bandel(?:en|ar|arna)?\s+(?:av\s+)?(?:(?:de|alla|samtliga|våra)\s+)?$";
/// "var tredje", "varannan" before a word that is not a person noun from the list; the word
/// decides ([`person_like`]).
const SHARE_WORD_RE: &str =
    r"(?i)\b(?:var\s+(?:tredje|fjärde|femte|sjätte|sjunde|åttonde|nionde|tionde)|var\s*annan)\s+(\w+)";
/// A share of "those who …" or of the respondents: "hälften av de som svarade", "drygt hälften
/// av de tillfrågade".
const SHARE_OF_THOSE_RE: &str = r"(?i)\b(?:hälften|majoriteten|merparten|minoriteten|en\s+(?:tredjedel|fjärdedel|femtedel))\s+(?:av\s+(?:de|dem|alla|samtliga)\s+(?:som\s+\w+|tillfrågade|intervjuade|svarande|anställda)\b|(?:av|i)\s+(?:(?:båda|alla|samtliga|de\s+två)\s+)?åldersgrupp\w*)";
/// "antal(et) (nya) " right before the noun; the count follows later in the clause ("antalet
/// nya skyddssökande beräknas uppgå till cirka 11 000").
const ANTAL_BEFORE_RE: &str = r"(?i)\bantal(?:et)?\s+(?:\w+\s+)?$";
/// "andel(en) som <verb>": a share of people who did something; needs a figure after it.
const ANDEL_SOM_RE: &str = r"(?i)\bandel(?:en|ar|arna)?\s+som\s+(\w+)";
/// Verbs after "andel som" that describe things rather than people.
const ANDEL_SOM_NOT: &[&str] = &[
    "är", "var", "utgör", "utgjorde", "finns", "fanns", "gäller", "avser", "kommer", "går", "ligger", "blir", "blev",
];
/// Words after "var tredje", "varannan" that are time or things.
const NOT_PERSON_WORDS: &[&str] = &[
    "gång",
    "vecka",
    "månad",
    "dag",
    "timme",
    "minut",
    "termin",
    "kvartal",
    "krona",
    "kommun",
    "region",
    "skola",
    "förskola",
    "enhet",
    "verksamhet",
    "ärende",
    "fall",
];
/// Words of approximation before a figure in brackets ("(ca. 30 %)").
const APPROX_WORDS: &[&str] = &[
    "ca", "cirka", "drygt", "nästan", "knappt", "omkring", "runt", "över", "under", "totalt",
];
/// Words allowed between a percentage and its noun ("35 % av de deltagarna").
const PERCENT_GAP: &[&str] = &["av", "de", "dessa", "alla", "samtliga", "våra", "kommunens"];
/// Words that tie a figure to something other than the noun.
const GAP_STOP: &[&str] = &[
    "att", "där", "av", "per", "och", "eller", "till", "från", "om", "i", "på", "för", "med", "än", "som",
];
/// Words before a four-digit number that make it a year.
const YEAR_BEFORE: &[&str] = &[
    "år",
    "året",
    "läsåret",
    "sedan",
    "under",
    "till",
    "från",
    "inför",
    "hösten",
    "våren",
    "i",
    "efter",
    "budget",
    "bokslut",
];

#[derive(Debug)]
pub struct PersonStatistics {
    noun: WordRegex,
    // Compiled on first use: most are needed only for a sentence with a candidate.
    female: LazyRegex,
    male: LazyRegex,
    explicit: LazyRegex,
    exception: LazyRegex,
    share_before: LazyRegex,
    andel_before: LazyRegex,
    antal_before: LazyRegex,
    // Searched in every sentence: [`Pattern`]s, which run on the DFAs in a long document.
    share_word: Pattern,
    share_of_those: Pattern,
    andel_som: Pattern,
    measure: Pattern,
    not_units: Vec<String>,
    /// Lower-case lemmas of the nouns that end compounds, for abbreviated row labels.
    compound_lemmas: Vec<String>,
    window: usize,
    min_count: f64,
}

/// A noun match in a unit's text.
struct Word<'t> {
    text: &'t str,
    span: Span,
}

impl<'t> Word<'t> {
    fn start(&self) -> usize {
        self.span.start
    }
    fn end(&self) -> usize {
        self.span.end
    }
    fn as_str(&self) -> &'t str {
        &self.text[self.span.clone()]
    }
}

/// A candidate in one unit (sentence or row), spans relative to the unit text.
#[derive(Debug)]
struct Cand {
    span: Span,
    figure: String,
    noun: String,
}

/// A sentence's candidates, spans relative to the sentence: first those with a person noun
/// (`..with_noun`), then those without.
#[derive(Debug)]
struct SentenceCands {
    all: Vec<Cand>,
    with_noun: usize,
}

fn tail(s: &str, n: usize) -> &str {
    let mut i = s.len().saturating_sub(n);
    while !s.is_char_boundary(i) {
        i += 1;
    }
    &s[i..]
}

/// The last word of `s`, looked for in its last 256 bytes only: called for every noun, it must not
/// walk the whole text before it (a document on one long line would take quadratic time).
fn last_word(s: &str) -> Option<&str> {
    let near = tail(s, 256);
    words(near).last().map(|w| &near[w])
}

/// A word that names a person by its form: an agent noun ("hallänning", "skåning",
/// "göteborgare", "studerande") or a resident ("stockholmsbo").
fn person_like(w: &str) -> bool {
    let w = w.to_lowercase();
    let chars: Vec<char> = w.chars().collect();
    let n = chars.len();
    if n < 4 {
        return false;
    }
    // "-nning"/"-Vning" (hallänning, skåning), not "-dning", "-mning" (utredning, bedömning)
    let demonym = w.ends_with("ing")
        && n >= 5
        && chars[n - 4] == 'n'
        && (chars[n - 5] == 'n' || "aeiouyåäö".contains(chars[n - 5]));
    demonym || ["are", "ande", "ende", "bo", "ist"].iter().any(|s| w.ends_with(s))
}

/// Whether `text` holds "var" in any case, which every match of [`SHARE_WORD_RE`] starts with:
/// a sentence without it is not searched.
fn may_hold_share_word(text: &str) -> bool {
    text.as_bytes().windows(3).any(|w| w.eq_ignore_ascii_case(b"var"))
}

/// The words one of which every match of [`SHARE_OF_THOSE_RE`] holds, in any case (ASCII letters
/// fold by themselves, `ä` is listed in both cases).
const SHARE_OF_THOSE_WORDS: &[&str] = &[
    "hälften",
    "hÄlften",
    "majoriteten",
    "merparten",
    "minoriteten",
    "tredjedel",
    "fjärdedel",
    "fjÄrdedel",
    "femtedel",
];

static SHARE_OF_THOSE_AC: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(SHARE_OF_THOSE_WORDS)
        .ok()
});

/// Whether `text` may hold a match of [`SHARE_OF_THOSE_RE`]: a sentence without any of its
/// words is not searched.
fn may_hold_share_of_those(text: &str) -> bool {
    SHARE_OF_THOSE_AC.as_ref().is_none_or(|ac| ac.is_match(text))
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl PersonStatistics {
    pub(crate) fn new(p: &ParamReader) -> Result<Self, ParamError> {
        let mut nouns = match p.list("nouns")? {
            Some(l) => l.into_iter().map(|n| (n, false)).collect(),
            None => default_nouns(),
        };
        if let Some(extra) = p.list("extra-nouns")? {
            nouns.extend(extra.into_iter().map(|n| (n, false)));
        }
        let compound_lemmas = nouns
            .iter()
            .filter(|(_, c)| *c)
            .map(|(n, _)| n.to_lowercase())
            .collect();
        let gendered: Vec<&str> = FEMALE_NOUNS.iter().chain(MALE_NOUNS).copied().collect();
        let noun_src = format!("{}|{}", noun_alternation(&nouns), gendered.join("|"));
        let not_units = match p.list("not-units")? {
            Some(l) => l.into_iter().map(|s| s.to_lowercase()).collect(),
            None => NOT_UNITS.iter().map(|s| s.to_string()).collect(),
        };
        Ok(PersonStatistics {
            noun: WordRegex::new("(?i)", &noun_src)?,
            female: LazyRegex::new(format!("(?i){FEMALE_RE}")),
            male: LazyRegex::new(format!("(?i){MALE_RE}")),
            explicit: LazyRegex::new(EXPLICIT_SPLIT_RE),
            exception: LazyRegex::new(EXCEPTION_RE),
            share_before: LazyRegex::new(SHARE_BEFORE_RE),
            andel_before: LazyRegex::new(ANDEL_BEFORE_RE),
            antal_before: LazyRegex::new(ANTAL_BEFORE_RE),
            share_word: Pattern::lazy(SHARE_WORD_RE, false, SIZE_LIMIT),
            share_of_those: Pattern::lazy(SHARE_OF_THOSE_RE, false, SIZE_LIMIT),
            andel_som: Pattern::lazy(ANDEL_SOM_RE, false, SIZE_LIMIT),
            measure: Pattern::lazy(
                &format!(
                    r"(?i)\b\w*(?:{})\w*",
                    match p.list("measures")? {
                        Some(l) => l
                            .iter()
                            .map(|m| regex::escape(&m.to_lowercase()))
                            .collect::<Vec<_>>()
                            .join("|"),
                        None => PERSON_MEASURES.join("|"),
                    }
                ),
                false,
                SIZE_LIMIT,
            ),
            not_units,
            compound_lemmas,
            window: p.count("window", 1)?,
            min_count: p.number("min-count", 0.0)?,
        })
    }

    fn is_not_unit(&self, w: &str) -> bool {
        self.not_units.iter().any(|u| eq_lower(w, u))
    }

    /// Whether a figure may count persons at all.
    fn figure_counts(&self, text: &str, f: &Figure) -> bool {
        if f.word && f.value == 1.0 && !f.approx {
            return false; // the article "en"/"ett"
        }
        if !f.percent && f.value < self.min_count {
            return false;
        }
        let before = text[..f.span.start].trim_end();
        // Heading numbers ("2.3 Boende") at the start of a line.
        let line_start = before.is_empty() || before.ends_with('\n');
        if line_start && !f.word && text[f.span.clone()].contains('.') {
            return false;
        }
        if before.ends_with('/') {
            return false;
        }
        if let Some(w) = last_word(before) {
            if eq_lower(w, "per") {
                return false;
            }
            let digits = &text[f.span.clone()];
            if !f.percent
                && digits.len() == 4
                && (1900.0..=2100.0).contains(&f.value)
                && YEAR_BEFORE.iter().any(|y| eq_lower(w, y))
            {
                return false;
            }
        }
        true
    }

    /// Whether the text between a figure and its noun keeps them together.
    fn gap_ok(&self, gap: &str, f: &Figure) -> bool {
        // At most two words fit; a longer gap is not looked at (which keeps a long line linear).
        if gap.len() > 256 {
            return false;
        }
        if gap.contains(['.', ';', ':', '|', '(', ')', '/', '=', '+', '-', '–', '—', '•', '§']) {
            return false;
        }
        let mut n = 0;
        for w in words(gap) {
            let w = &gap[w];
            n += 1;
            if self.is_not_unit(w) {
                return false;
            }
            if f.percent {
                if !PERCENT_GAP.iter().any(|g| eq_lower(w, g)) && n == 1 {
                    return false;
                }
            } else if GAP_STOP.iter().any(|g| eq_lower(w, g)) {
                return false;
            }
        }
        n <= 2
    }

    /// `figs`: the figures of `text`.
    fn candidates(&self, text: &str, figs: &[Figure], out: &mut Vec<Cand>) {
        for m in self.noun.find_iter(text) {
            let m = Word { text, span: m };
            if text[m.end()..].starts_with('-') {
                continue; // "Nöjd-kund-index", "barn-" in "barn- och ungdomsnämnden"
            }
            let before = &text[..m.start()];
            if let Some(w) = last_word(before) {
                if eq_lower(w, "per") && before.trim_end().ends_with(w) {
                    continue;
                }
            }
            let k = figs.partition_point(|f| f.span.end <= m.start());
            // The first figure after the noun. It is figure `k` unless a figure overlaps the
            // noun: a noun match can take in digits glued to it ("431Handläggare").
            let next = figs.partition_point(|f| f.span.start < m.end());
            // A figure that ends a line and a noun on a next line that starts with a capital
            // belong to different rows ("… Budget 2024" / "Antal medarbetare …").
            let new_row = |f: &Figure| {
                let gap = &text[f.span.end..m.end()];
                gap.rfind('\n')
                    .is_some_and(|i| gap[i + 1..].trim_start().starts_with(char::is_uppercase))
            };
            if let Some(f) = k.checked_sub(1).map(|k| &figs[k]).filter(|f| !new_row(f)) {
                if self.gap_ok(&text[f.span.end..m.start()], f) {
                    if self.figure_counts(text, f) {
                        out.push(Cand {
                            span: f.span.start..m.end(),
                            figure: squash(&text[f.span.start..m.end()]),
                            noun: m.as_str().to_string(),
                        });
                    }
                    continue;
                }
            }
            // A figure in brackets right after the noun: "gymnasieelever (ca 30 %)",
            // "deltagare (412)".
            if let Some(f) = figs.get(next).filter(|f| {
                let between = text[m.end()..f.span.start].trim();
                let close = text[f.span.end..].trim_start().starts_with(')');
                close
                    && between.starts_with('(')
                    && words(&between[1..]).count() <= 1
                    && words(&between[1..]).all(|w| {
                        let w = &between[1..][w];
                        APPROX_WORDS.iter().any(|a| eq_lower(w, a))
                    })
                    && self.figure_counts(text, f)
            }) {
                out.push(Cand {
                    span: m.start()..f.span.end,
                    figure: squash(&text[m.start()..f.span.end]),
                    noun: m.as_str().to_string(),
                });
                continue;
            }
            let near = tail(before, 48);
            if let Some(s) = self.share_before.find(near) {
                let start = m.start() - near.len() + s.start();
                out.push(Cand {
                    span: start..m.end(),
                    figure: squash(&text[start..m.end()]),
                    noun: m.as_str().to_string(),
                });
                continue;
            }
            if let Some(a) = self.andel_before.find(near) {
                // The share's value: the next figure in the unit, if any.
                // A percentage, or a number that is not an age or another unit ("16–74 år").
                let value = figs.get(next).filter(|f| {
                    let after = &text[f.span.end..];
                    f.percent || words(after).next().is_none_or(|w| !self.is_not_unit(&after[w]))
                });
                if let Some(f) = value {
                    let start = m.start() - near.len() + a.start();
                    out.push(Cand {
                        span: start..m.end(),
                        figure: format!("{} … {}", squash(&text[start..m.end()]), squash(&text[f.span.clone()])),
                        noun: m.as_str().to_string(),
                    });
                }
            }
            if let Some(a) = self.antal_before.find(near) {
                // The count: the next figure in the same clause, not a rate, an age or another
                // unit, and not a year.
                // The articles "en"/"ett" on the way ("med ett antagande på 10 000") are skipped;
                // "100 st" is a count of the noun itself.
                let count = figs[next.min(figs.len())..]
                    .iter()
                    .find(|f| !(f.word && f.value == 1.0 && !f.approx));
                let value = count.filter(|f| {
                    let gap = &text[m.end()..f.span.start];
                    let after = &text[f.span.end..];
                    let unit = words(after).next().map(|w| &after[w]);
                    !f.percent
                        && gap.len() <= 120
                        && !gap.contains(['.', ';', ':', '|', '/'])
                        && !words(gap).any(|w| eq_lower(&gap[w], "per"))
                        && unit.is_none_or(|u| !self.is_not_unit(u) || eq_lower(u, "st") || eq_lower(u, "stycken"))
                        && self.figure_counts(text, f)
                        && !(text[f.span.clone()].len() == 4 && (1900.0..=2100.0).contains(&f.value))
                });
                if let Some(f) = value {
                    let start = m.start() - near.len() + a.start();
                    out.push(Cand {
                        span: start..m.end(),
                        figure: format!("{} … {}", squash(&text[start..m.end()]), squash(&text[f.span.clone()])),
                        noun: m.as_str().to_string(),
                    });
                }
            }
        }
    }

    /// Statistics of persons without a person noun: shares of people ("varannan hallänning",
    /// "hälften av de som svarade", "andelen som börjat arbeta … 36 %") and person measures with
    /// a percentage ("sjukfrånvaron minskade med 0,6 %"). Spans relative to `text`.
    /// `doc_len` is the document's length, which decides how the patterns search.
    fn nounless_candidates(&self, text: &str, figs: &[Figure], doc_len: usize, out: &mut Vec<Cand>) {
        let push = |out: &mut Vec<Cand>, span: Span, figure: String, noun: &str| {
            if !out.iter().any(|c| c.span.start < span.end && span.start < c.span.end) {
                out.push(Cand {
                    span,
                    figure,
                    noun: noun.to_string(),
                });
            }
        };
        // The groups of a match are read by a search from its start, which finds that match.
        let share_word = if may_hold_share_word(text) {
            self.share_word.searcher(doc_len).find_ranges(text)
        } else {
            Vec::new()
        };
        for c in share_word
            .into_iter()
            .filter_map(|m| self.share_word.captures_at(text, m.start))
        {
            let (Some(all), Some(w)) = (c.get(0), c.get(1)) else {
                continue;
            };
            if person_like(w.as_str()) && !NOT_PERSON_WORDS.iter().any(|n| eq_lower(w.as_str(), n)) {
                push(out, all.range(), squash(all.as_str()), w.as_str());
            }
        }
        if may_hold_share_of_those(text) {
            for m in self.share_of_those.searcher(doc_len).find_ranges(text) {
                push(out, m.clone(), squash(&text[m]), "personer");
            }
        }
        // A share or a measure counts only with a percentage after it, close by: without a
        // percentage in the sentence there is nothing to search for.
        if !figs.iter().any(|f| f.percent) {
            return;
        }
        let percent_after = |end: usize| {
            figs.iter().find(|f| {
                f.span.start >= end
                    && f.percent
                    && words(&text[end..f.span.start]).count() <= 10
                    && !text[end..f.span.start].contains(['.', ';', '|'])
            })
        };
        let andel_som = self.andel_som.searcher(doc_len).find_ranges(text);
        for c in andel_som
            .into_iter()
            .filter_map(|m| self.andel_som.captures_at(text, m.start))
        {
            let (Some(all), Some(verb)) = (c.get(0), c.get(1)) else {
                continue;
            };
            let v = verb.as_str().to_lowercase();
            // Passive and deponent verbs ("andelen som återvinns") describe things.
            if v.ends_with('s') || ANDEL_SOM_NOT.contains(&v.as_str()) {
                continue;
            }
            if let Some(f) = percent_after(all.end()) {
                push(
                    out,
                    all.range(),
                    format!("{} … {}", squash(all.as_str()), squash(&text[f.span.clone()])),
                    "personer",
                );
            }
        }
        for m in self.measure.searcher(doc_len).find_ranges(text) {
            if let Some(f) = percent_after(m.end) {
                push(out, m.start..f.span.end, squash(&text[m.start..f.span.end]), &text[m]);
            }
        }
    }

    fn both_sexes(&self, s: &str) -> bool {
        self.female.is_match(s) && self.male.is_match(s)
    }

    /// The candidates of one sentence: a pure function of its text (`doc_len` only chooses how
    /// to search, not what is found).
    fn sentence_candidates(&self, text: &str, doc_len: usize) -> SentenceCands {
        let figs = figures(text);
        let mut all = Vec::new();
        self.candidates(text, &figs, &mut all);
        let with_noun = all.len();
        self.nounless_candidates(text, &figs, doc_len, &mut all);
        SentenceCands { all, with_noun }
    }

    /// The candidates of prose sentence `j`, computed once per check (a sentence is also read as
    /// the previous one's neighbour) and kept in `memo` between checks.
    fn facts(
        &self,
        memo: &mut Option<&mut UnitMemo<SentenceCands>>,
        seen: &mut [Option<Arc<SentenceCands>>],
        j: usize,
        text: &str,
        doc_len: usize,
    ) -> Arc<SentenceCands> {
        if let Some(f) = &seen[j] {
            return f.clone();
        }
        let f = cached(memo, text, || self.sentence_candidates(text, doc_len));
        seen[j] = Some(f.clone());
        f
    }

    fn run_sentences(&self, doc: &Document, memo: &mut Option<&mut UnitMemo<SentenceCands>>, out: &mut Vec<Finding>) {
        let prose = prose_sentences(doc);
        let slice = |j: usize| doc.slice(&doc.sentences[prose[j]].span);
        let doc_len = doc.text.len();
        let mut seen: Vec<Option<Arc<SentenceCands>>> = vec![None; prose.len()];
        for (k, &i) in prose.iter().enumerate() {
            let span = &doc.sentences[i].span;
            let text = doc.slice(span);
            let facts = self.facts(memo, &mut seen, k, text, doc_len);
            if facts.all.is_empty() {
                continue;
            }
            // A following sentence gives this figure's split only while it has no person
            // figure of its own: in "412 besökare. … 87 deltagare, varav 52 flickor och 38
            // pojkar." the split belongs to the 87 participants.
            let mut hi = k;
            while hi < (k + self.window).min(prose.len() - 1) {
                let own = self.facts(memo, &mut seen, hi + 1, slice(hi + 1), doc_len);
                // Figures of women and men are the split itself, not a figure of its own.
                if own.all[..own.with_noun]
                    .iter()
                    .any(|c| !self.female.is_match(&c.noun) && !self.male.is_match(&c.noun))
                {
                    break;
                }
                hi += 1;
            }
            let split = (k..=hi).any(|j| self.explicit.is_match(slice(j))) || {
                let joined: Vec<&str> = (k..=hi).map(slice).collect();
                let joined = joined.join(" ");
                self.both_sexes(&joined)
            };
            let lo = k.saturating_sub(1);
            let excused = (lo..=hi).any(|j| self.exception.is_match(slice(j)));
            if split || excused || doc.in_quote(span) {
                continue;
            }
            for c in &facts.all {
                out.push(Finding {
                    span: shift(&c.span, span.start),
                    values: vec![("figure", c.figure.clone()), ("noun", c.noun.clone())],
                });
            }
        }
    }

    fn table_split(&self, doc: &Document, t: &Table) -> bool {
        let Some(h) = t.rows.first().filter(|_| t.header) else {
            return false;
        };
        let htext = doc.slice(&h.span);
        let cell_is = |c: &Span, l: &str| eq_lower(doc.slice(c), l);
        self.both_sexes(htext)
            || self.explicit.is_match(htext)
            || (h.cells.iter().any(|c| cell_is(c, "k")) && h.cells.iter().any(|c| cell_is(c, "m")))
    }

    /// The tables' findings: a pure function of each table and the lines around its rows, kept
    /// in `memo` between checks.
    fn run_tables(&self, doc: &Document, memo: &mut Option<&mut UnitMemo<TableFindings>>, out: &mut Vec<Finding>) {
        let window = |t: &Table| {
            let (a, b) = t.rows.iter().fold((t.span.start, t.span.end), |(a, b), r| {
                let w = nearby_window(&doc.text, &r.span, 2);
                (a.min(w.start), b.max(w.end))
            });
            a..b
        };
        per_table(doc, memo, window, out, |t, out| self.table(doc, t, out));
    }

    fn table(&self, doc: &Document, t: &Table, out: &mut Vec<Finding>) {
        let mut cands = Vec::new();
        if self.table_split(doc, t) {
            return;
        }
        let first = usize::from(t.header);
        let header_excused = t
            .rows
            .first()
            .is_some_and(|h| self.exception.is_match(doc.slice(&h.span)));
        for (r, row) in t.rows.iter().enumerate().skip(first) {
            let text = doc.slice(&row.span);
            if header_excused || self.exception.is_match(text) || self.explicit.is_match(text) {
                continue;
            }
            let f = self.female.is_match(text);
            let m = self.male.is_match(text);
            // The lines around the row in the text: a table from a PDF export often breaks
            // where a row has another number of columns, so its neighbours may have ended up
            // in another table.
            let near_lines = nearby_lines(&doc.text, &row.span, 2);
            if f || m {
                // One sex here, the other in a neighbouring row: a split block.
                let neighbour = |j: usize| {
                    t.rows.get(j).is_some_and(|x| {
                        let s = doc.slice(&x.span);
                        (f && self.male.is_match(s)) || (m && self.female.is_match(s))
                    })
                };
                let near = near_lines
                    .iter()
                    .any(|s| (f && self.male.is_match(s)) || (m && self.female.is_match(s)));
                if (f && m) || neighbour(r + 1) || (r > 0 && neighbour(r - 1)) || near {
                    continue;
                }
            }
            // A total row next to rows of the same measure per sex ("Sjukfrånvaro",
            // "Sjukfrånvaro kvinnor", "Sjukfrånvaro män"): a split block.
            let first_word = |x: &crate::document::Row| {
                let l = x.cells.first().map_or("", |c| doc.slice(c));
                words(l).next().map(|w| l[w].to_lowercase())
            };
            let mine = first_word(row);
            let mut near: Vec<&str> = (r.saturating_sub(2)..(r + 3).min(t.rows.len()))
                .filter(|&j| j != r && mine.is_some() && first_word(&t.rows[j]) == mine)
                .map(|j| doc.slice(&t.rows[j].span))
                .collect();
            near.extend(
                near_lines
                    .iter()
                    .filter(|l| mine.is_some() && line_first_word(l) == mine)
                    .copied(),
            );
            if near.iter().any(|x| self.female.is_match(x)) && near.iter().any(|x| self.male.is_match(x)) {
                continue;
            }
            cands.clear();
            self.candidates(text, &figures(text), &mut cands);
            if cands.is_empty() {
                self.row_label_candidate(doc, row, &mut cands);
                for c in cands.drain(..) {
                    out.push(Finding {
                        span: c.span,
                        values: vec![("figure", c.figure), ("noun", c.noun)],
                    });
                }
                continue;
            }
            for c in cands.drain(..) {
                out.push(Finding {
                    span: shift(&c.span, row.span.start),
                    values: vec![("figure", c.figure), ("noun", c.noun)],
                });
            }
        }
    }

    /// A row whose label cell names persons and whose other cells hold numbers. Spans are
    /// absolute.
    fn row_label_candidate(&self, doc: &Document, row: &crate::document::Row, out: &mut Vec<Cand>) {
        let Some(label) = row.cells.first() else {
            return;
        };
        let ltext = doc.slice(label);
        // Rates per person ("brott per invånare", "antal/100 000 invånare") are not counts.
        if ltext.contains('/') || words(ltext).any(|w| eq_lower(&ltext[w], "per")) {
            return;
        }
        let noun = self
            .noun
            .find_iter(ltext)
            .map(|span| Word { text: ltext, span })
            .find(|m| !ltext[m.end()..].starts_with('-') && !m.as_str().to_lowercase().starts_with("boende"))
            .map(|m| m.as_str())
            .or_else(|| self.abbreviated_noun(ltext))
            .or_else(|| self.measure.find(ltext).map(|m| m.as_str()))
            .or_else(|| {
                let c = self.andel_som.captures(ltext)?;
                let v = c.get(1)?.as_str().to_lowercase();
                (!v.ends_with('s') && !ANDEL_SOM_NOT.contains(&v.as_str())).then_some("personer")
            });
        let Some(noun) = noun else {
            return;
        };
        let Some((cell, _)) = row.cells[1..]
            .iter()
            .find_map(|c| cell_number(doc.slice(c)).map(|f| (c, f)))
        else {
            return;
        };
        out.push(Cand {
            span: label.clone(),
            figure: format!("{}: {}", squash(ltext), doc.slice(cell)),
            noun: noun.to_string(),
        });
    }

    /// Lines of prose that are table rows flattened by a PDF export: a label, then two or more
    /// figures and nothing else ("Andel heltid 91,7 % 93 % 93,5 %", "Medarbetare yngre än 30
    /// år 7,7 % 7,7 % 5,2 %"). The label must count persons (a person noun, a person measure,
    /// "andel som …"); a sex in the line, or the other sex in a neighbouring line, is a split
    /// block. Findings already made for the line by the sentence check are not repeated.
    fn run_flat_rows(
        &self,
        doc: &Document,
        start: usize,
        memo: &mut Option<&mut UnitMemo<FlatRows>>,
        out: &mut Vec<Finding>,
    ) {
        for p in &doc.paragraphs {
            if in_table(doc, &p.span) || doc.in_quote(&p.span) {
                continue;
            }
            let text = doc.slice(&p.span);
            let rows = cached(memo, text, || self.flat_rows(text));
            for row in &rows.0 {
                let span = shift(&row.label, p.span.start);
                let l = row.line.as_str();
                let near = nearby_lines(&doc.text, &span, 2);
                let mine = line_first_word(l);
                let same: Vec<&str> = near.iter().filter(|n| line_first_word(n) == mine).copied().collect();
                let (f, m) = (row.female, row.male);
                let split = (f && m)
                    || near
                        .iter()
                        .any(|n| (f && self.male.is_match(n)) || (m && self.female.is_match(n)))
                    || (!f
                        && !m
                        && same.iter().any(|n| self.female.is_match(n))
                        && same.iter().any(|n| self.male.is_match(n)));
                let (at, end) = (p.span.start + row.at, p.span.start + row.end);
                if split || out[start..].iter().any(|o| o.span.start < end && at < o.span.end) {
                    continue;
                }
                out.push(Finding {
                    span,
                    values: vec![("figure", squash(l)), ("noun", squash(&l[..row.label_len]))],
                });
            }
        }
    }

    /// The flattened table rows of a paragraph whose label counts persons: a pure function of
    /// the paragraph's text, spans relative to it.
    fn flat_rows(&self, text: &str) -> FlatRows {
        let mut rows = Vec::new();
        let mut pos = 0;
        let mut prev: Option<(usize, &str)> = None;
        for line in text.split_inclusive('\n') {
            let line_at = pos;
            pos += line.len();
            let this = line.trim_end();
            let before = prev.replace((line_at, this));
            // The row itself, or a line of figures only under its label ("Antal medarbetare
            // per" / "30,4 18,6 21,5"): the label is then the line above.
            let (at, label, l) = match flat_row_label(this) {
                Some(end) => (line_at, this[..end].trim_end(), this.to_string()),
                None => match (trailing_figures(this), before) {
                    (Some(0), Some((b_at, b))) if label_ok(b) && trailing_figures(b).is_none() => {
                        (b_at, b, format!("{b} {this}"))
                    }
                    _ => continue,
                },
            };
            let (f, m) = (self.female.is_match(&l), self.male.is_match(&l));
            // "Andel män som har heltid": a figure for one sex is split only when a
            // neighbouring row gives the other.
            let explicit = self.explicit.is_match(&l) && f == m;
            if !self.names_persons(label) || self.exception.is_match(&l) || explicit {
                continue;
            }
            rows.push(FlatRow {
                at,
                end: line_at + this.len(),
                label: at + (label.len() - label.trim_start().len())..at + label.len(),
                label_len: label.len(),
                line: l,
                female: f,
                male: m,
            });
        }
        FlatRows(rows)
    }

    /// An abbreviated staff title as a whole row label, "Specialped." for specialpedagog: one
    /// word of at least six letters with a full stop, ending in the first three or more letters
    /// of a person noun that ends compounds.
    fn abbreviated_noun<'t>(&self, label: &'t str) -> Option<&'t str> {
        let l = label.trim();
        let stem = l.strip_suffix('.')?;
        if stem.chars().count() < 6 || !stem.chars().all(char::is_alphabetic) {
            return None;
        }
        let lower = stem.to_lowercase();
        let found = lower.char_indices().any(|(i, _)| {
            let tail = &lower[i..];
            i > 0
                && tail.chars().count() >= 3
                && self
                    .compound_lemmas
                    .iter()
                    .any(|n| n.starts_with(tail) && n.len() > tail.len())
        });
        found.then_some(l)
    }

    /// Whether a row label counts persons: a person noun (not the denominator of a rate, "per
    /// invånare", and not the first part of a compound), a person measure or "andel som
    /// <verb>". "Antal medarbetare per enhetschef" counts the staff.
    fn names_persons(&self, label: &str) -> bool {
        let rate_before = |at: usize| {
            let before = &label[..at];
            before.contains('/') || words(before).any(|w| eq_lower(&before[w], "per"))
        };
        self.noun
            .find_iter(label)
            .any(|r| !label[r.end..].starts_with('-') && !rate_before(r.start))
            || self.measure.is_match(label)
            || self.andel_som.captures(label).is_some_and(|c| {
                let v = c.get(1).map_or(String::new(), |v| v.as_str().to_lowercase());
                !v.ends_with('s') && !ANDEL_SOM_NOT.contains(&v.as_str())
            })
    }
}

/// A paragraph's flattened table rows (see [`PersonStatistics::run_flat_rows`]).
#[derive(Debug)]
struct FlatRows(Vec<FlatRow>);

#[derive(Debug)]
struct FlatRow {
    /// Where the row starts (its label's line) and ends, relative to the paragraph.
    at: usize,
    end: usize,
    /// The label, trimmed, relative to the paragraph.
    label: Span,
    /// The label's length in `line`, untrimmed at the end.
    label_len: usize,
    /// The row's text: the line, or the label's line and the figures' line joined.
    line: String,
    female: bool,
    male: bool,
}

/// Where the label of a flattened table row ends: the line is a label of at most eight words
/// with letters and no sentence punctuation, then two or more figures separated only by
/// spaces, up to the end of the line.
fn flat_row_label(line: &str) -> Option<usize> {
    let first = trailing_figures(line)?;
    label_ok(&line[..first]).then_some(first)
}

/// Where a run of two or more figures that ends the line starts.
fn trailing_figures(line: &str) -> Option<usize> {
    // Only figures written with digits count, and the last one ends the line: its span ends in
    // a digit, `%`, or a letter ("-tal", "procent"). A line without both is not parsed.
    let ends_like_a_figure = line
        .trim_end()
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_digit() || c == '%' || c.is_alphabetic());
    if !ends_like_a_figure || !line.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let figs = figures(line);
    let mut end = line.len();
    let mut n = 0;
    let mut first = None;
    for f in figs.iter().rev() {
        if f.word || !line[f.span.end..end].trim().is_empty() {
            break;
        }
        n += 1;
        end = f.span.start;
        first = Some(f.span.start);
    }
    first.filter(|_| n >= 2)
}

/// Whether text reads as a row label: at most eight words with letters, no sentence
/// punctuation, starting with a capital (a line that starts in lower case continues the label
/// of the row above: "Sjukfrånvaro, andel av" / "sjukfrånvaro 60 dagar eller 57 %").
fn label_ok(label: &str) -> bool {
    let label = label.trim();
    let n_words = words(label).count();
    let letters = label.chars().filter(|c| c.is_alphabetic()).count();
    let capital = label.chars().next().is_some_and(char::is_uppercase);
    n_words <= 8 && letters >= 4 && capital && !label.contains(['.', ':', ';', '?', '!', '|'])
}

/// The first word of a line, lower-case, after any table bar.
fn line_first_word(line: &str) -> Option<String> {
    let l = line.trim_start_matches(|c: char| c == '|' || c.is_whitespace());
    words(l).next().map(|w| l[w].to_lowercase())
}

/// The part of `text` that [`nearby_lines`] reads for `span`: from the line break before the
/// `n`th non-blank line before (or the start of the text) to the line break after the `n`th
/// non-blank line after (or the end of the text).
fn nearby_window(text: &str, span: &Span, n: usize) -> Span {
    let mut a = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let mut found = 0;
    while found < n && a > 0 {
        let line_end = a - 1;
        let line_start = text[..line_end].rfind('\n').map_or(0, |i| i + 1);
        if !text[line_start..line_end].trim().is_empty() {
            found += 1;
        }
        a = line_start;
    }
    let end = text[span.end..].find('\n').map_or(text.len(), |i| span.end + i);
    let mut b = text.len();
    let mut pos = end;
    let mut found = 0;
    for line in text[end..].split_inclusive('\n') {
        pos += line.len();
        if !line.trim().is_empty() {
            found += 1;
            if found == n {
                b = pos;
                break;
            }
        }
    }
    a.saturating_sub(1)..b
}

/// Up to `n` non-blank lines before and after the line(s) that `span` covers in `text`.
fn nearby_lines<'t>(text: &'t str, span: &Span, n: usize) -> Vec<&'t str> {
    let start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let end = text[span.end..].find('\n').map_or(text.len(), |i| span.end + i);
    let mut out: Vec<&str> = text[..start]
        .lines()
        .rev()
        .filter(|l| !l.trim().is_empty())
        .take(n)
        .collect();
    out.extend(text[end..].lines().filter(|l| !l.trim().is_empty()).take(n));
    out
}

impl Analyzer for PersonStatistics {
    fn prepare(&self) -> Result<(), ParamError> {
        for re in [
            &self.female,
            &self.male,
            &self.explicit,
            &self.exception,
            &self.share_before,
            &self.andel_before,
            &self.antal_before,
        ] {
            re.prepare()?;
        }
        for p in [&self.share_word, &self.share_of_those, &self.andel_som, &self.measure] {
            p.compile().map_err(|e| ParamError {
                param: None,
                message: format!("internt fel i reguljärt uttryck: {e}"),
            })?;
        }
        Ok(())
    }

    fn run(&self, doc: &Document, out: &mut Vec<Finding>) {
        self.run_memo(doc, &mut MemoSlot::disabled(), out);
    }

    fn run_memo(&self, doc: &Document, slot: &mut MemoSlot, out: &mut Vec<Finding>) {
        let start = out.len();
        self.run_sentences(doc, &mut slot.memo(), out);
        self.run_tables(doc, &mut slot.memo(), out);
        self.run_flat_rows(doc, start, &mut slot.memo(), out);
        out[start..].sort_by_key(|f| (f.span.start, f.span.end));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testdoc::doc;
    use super::super::{build, ParamValue, Params};

    fn run(params: &[(&str, ParamValue)], text: &str) -> Vec<String> {
        let p: Params = params.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        let a = build("person-statistics", &p).unwrap_or_else(|e| panic!("{e:?}"));
        let d = doc(text);
        let mut out = Vec::new();
        a.run(&d, &mut out);
        out.iter().map(|f| d.slice(&f.span).to_string()).collect()
    }

    /// The split and exception markers with shared `\w*` match where the former expressions,
    /// one `\w*` per word, did.
    #[test]
    fn nearby_lines_read_only_their_window() {
        use super::{nearby_lines, nearby_window};
        let texts = [
            "a\n\nb\r\n  \nc\nROW\nd\n\n\ne\nf\n",
            "ROW",
            "\n\nROW\n\n",
            "x\nROW x\ny",
            "1\n2\n3\n4 ROW 5\n6\n7\n8",
        ];
        for text in texts {
            let at = text.find("ROW").unwrap();
            for span in [at..at + 3, at..at, at + 1..at + 2] {
                for n in 0..4 {
                    let w = nearby_window(text, &span, n);
                    let inner = &text[w.clone()];
                    let shifted = span.start - w.start..span.end - w.start;
                    assert_eq!(
                        nearby_lines(inner, &shifted, n),
                        nearby_lines(text, &span, n),
                        "{text:?} {span:?} {n}"
                    );
                    // Any text outside the window may change.
                    let changed = format!("zz\nqq\n{}\nqq\nzz", inner);
                    let s2 = span.start - w.start + 6..span.end - w.start + 6;
                    if w.start > 0 && w.end < text.len() {
                        assert_eq!(
                            nearby_lines(&changed, &s2, n),
                            nearby_lines(text, &span, n),
                            "{text:?} {n}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn markers_with_a_shared_suffix_are_the_same() {
        let pairs = [
            (
                super::EXPLICIT_SPLIT_RE,
                r"(?i)\b(?:(?:fördela\w*|uppdela\w*|redovisa\w*|fördelning\w*|uppdelning\w*)\s+(?:på|efter)\s+kön|könsuppdela\w*|könsfördelning\w*|andel(?:en)?\s+(?:kvinnor|män|flickor|pojkar)\b|varav\b[^.]{0,60}\b(?:kvinnor|män|flickor|pojkar|tjejer|killar)\b|per\s+kön)",
            ),
            (
                super::EXCEPTION_RE,
                r"(?i)\b(?:för\s+få|färre\s+än\s+\d+|röjande\w*|röjanderisk\w*|sekretess\w*|av\s+integritetsskäl|går\s+inte\s+att\s+(?:redovisa|dela\s+upp)|uppgift\s+om\s+kön\s+saknas|särskilda\s+skäl|kön\s+registreras\s+inte)",
            ),
        ];
        let extra = "Redovisas efter kön. Könsuppdelad statistik. Könsfördelningen. Röjanderisken. \
                     Sekretessen. Uppdelningen på kön. Fördelat på kön. Uppgift om kön saknas. \
                     Av integritetsskäl redovisas inget. För få svarande.";
        let texts = corpus_texts_and(extra);
        for (new, old) in pairs {
            let (new, old) = (regex::Regex::new(new).unwrap(), regex::Regex::new(old).unwrap());
            let mut found = 0;
            for s in texts.iter().flat_map(|t| t.split_inclusive(['.', '\n'])) {
                assert_eq!(new.is_match(s), old.is_match(s), "{s}");
                found += usize::from(new.is_match(s));
            }
            assert!(found >= 5, "{found}");
        }
    }

    /// The texts of the test corpus, and `extra`.
    fn corpus_texts_and(extra: &str) -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap_or_default())
            .chain([extra.to_string()])
            .collect()
    }

    /// The prefilters never pass over a sentence that the expressions match.
    #[test]
    fn share_prefilters_keep_every_match() {
        let extra = "VARANNAN skåning. Var Tredje hallänning. HÄLFTEN AV DE SOM SVARADE. En Fjärdedel \
                     av de tillfrågade. Minoriteten av alla anställda. Merparten i båda åldersgrupperna. \
                     Majoriteten av dem som bor här. En FEMTEDEL av samtliga intervjuade.";
        let texts = corpus_texts_and(extra);
        let share_word = regex::Regex::new(super::SHARE_WORD_RE).unwrap();
        let share_of_those = regex::Regex::new(super::SHARE_OF_THOSE_RE).unwrap();
        let (mut words, mut those) = (0, 0);
        for s in texts.iter().flat_map(|t| t.split_inclusive(['.', '\n'])) {
            if share_word.is_match(s) {
                assert!(super::may_hold_share_word(s), "{s}");
                words += 1;
            }
            if share_of_those.is_match(s) {
                assert!(super::may_hold_share_of_those(s), "{s}");
                those += 1;
            }
        }
        assert!(words >= 2 && those >= 6, "{words} {those}");
        assert!(!super::may_hold_share_word("Hälften av de tillfrågade."));
        assert!(!super::may_hold_share_of_those("Varannan skåning."));
    }

    #[test]
    fn unsplit_counts_and_shares_are_reported() {
        assert_eq!(run(&[], "Under året fick 412 brukare hemtjänst."), ["412 brukare"]);
        assert_eq!(run(&[], "Skolan har 1 230 elever."), ["1 230 elever"]);
        assert_eq!(
            run(&[], "Hela 35 procent av deltagarna avbröt."),
            ["35 procent av deltagarna"]
        );
        assert_eq!(run(&[], "Var tredje ungdom är orolig."), ["Var tredje ungdom"]);
        assert_eq!(run(&[], "Behovet är 15–17 nya medarbetare."), ["15–17 nya medarbetare"]);
        assert_eq!(
            run(&[], "Två ungdomskonsulenter och sju föräldrar deltog."),
            ["Två ungdomskonsulenter", "sju föräldrar"]
        );
        assert_eq!(
            run(&[], "Det var ett trettiotal ungdomar i Åsa."),
            ["trettiotal ungdomar"]
        );
        assert_eq!(
            run(&[], "Andelen elever med examen ökade till 95,1 %."),
            ["Andelen elever"]
        );
        assert_eq!(run(&[], "Hela 27% av tjejerna har utsatts."), ["27% av tjejerna"]);
    }

    #[test]
    fn split_figures_are_not_reported() {
        for t in [
            "Totalt deltog 87 deltagare, varav 52 kvinnor och 35 män.",
            "Skolan har 312 elever (160 flickor och 152 pojkar).",
            "Vi hade 412 brukare. Av dem var 230 kvinnor och 182 män.",
            "Statistiken över 412 brukare redovisas uppdelad på kön i bilagan.",
            "Hela 70 procent av tjejerna mot 46 procent av killarna har besvär.",
        ] {
            assert!(run(&[], t).is_empty(), "{t}");
        }
    }

    #[test]
    fn a_following_sentence_with_its_own_figure_does_not_split_this_one() {
        let t = "Gården hade 412 besökare under 2024. Lovprogrammet hade 87 deltagare, varav 52 flickor och 35 pojkar.";
        let f = run(&[], t);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].contains("412 besökare"), "{f:?}");
    }

    #[test]
    fn window_param_controls_the_following_sentences() {
        let t = "Vi hade 412 brukare. Det är fler än i fjol. Av dem var 230 kvinnor och 182 män.";
        assert_eq!(run(&[], t), ["412 brukare"]);
        assert!(run(&[("window", ParamValue::Number(2.0))], t).is_empty());
    }

    #[test]
    fn exceptions_silence() {
        for t in [
            "Tre brukare fick stödet. Uppgifterna redovisas inte per kön eftersom de är för få.",
            "Enheten har 12 klienter, men av sekretesskäl redovisas ingen uppdelning.",
            "Vi har 40 deltagare. Uppgift om kön saknas i registret.",
        ] {
            assert!(run(&[], t).is_empty(), "{t}");
        }
    }

    #[test]
    fn non_person_units_ages_and_per_capita_are_ignored() {
        for t in [
            "Förskolan tar emot barn 0–5 år.",
            "Det gäller 45 hushåll och 120 ärenden.",
            "Kostnaden är 5 000 kronor per elev.",
            "Det blev 5 691 brott per 100 000 invånare.",
            "Taxan gäller en brukare åt gången.",
            "Sedan 2019 elever har fått platser.",
        ] {
            assert!(run(&[], t).is_empty(), "{t}: {:?}", run(&[], t));
        }
    }

    #[test]
    fn nouns_extra_nouns_not_units_and_min_count() {
        let t = "Det finns 40 vårdtagare och 30 brukare.";
        assert_eq!(run(&[], t), ["30 brukare"]);
        assert_eq!(
            run(&[("extra-nouns", ParamValue::List(vec!["vårdtagare".into()]))], t),
            ["40 vårdtagare", "30 brukare"]
        );
        assert_eq!(
            run(&[("nouns", ParamValue::List(vec!["vårdtagare".into()]))], t),
            ["40 vårdtagare"]
        );
        assert_eq!(run(&[("min-count", ParamValue::Number(35.0))], t), Vec::<String>::new());
        let u = "Hela 12 lediga elever kom.";
        assert_eq!(run(&[], u), ["12 lediga elever"]);
        assert!(run(&[("not-units", ParamValue::List(vec!["lediga".into()]))], u).is_empty());
    }

    #[test]
    fn tables_with_sex_columns_or_rows_are_split() {
        let split = "| Verksamhet | Kvinnor | Män |\n| --- | --- | --- |\n| Antal brukare | 40 | 35 |\n";
        assert!(run(&[], split).is_empty());
        let km = "| Grupp | K | M |\n| --- | --- | --- |\n| Deltagare | 4 | 5 |\n";
        assert!(run(&[], km).is_empty());
        let rows = "| Mått | 2023 |\n| --- | --- |\n| Elever flickor | 80 % |\n| Elever pojkar | 82 % |\n| Antal elever | 312 |\n";
        assert_eq!(run(&[], rows), ["Antal elever"]);
        let unsplit =
            "| Indikator | 2023 |\n| --- | --- |\n| Andel nöjda brukare | 88 % |\n| Brott per invånare | 12 |\n";
        assert_eq!(run(&[], unsplit), ["Andel nöjda brukare"]);
    }

    #[test]
    fn spans_are_exact_with_unicode_and_in_order() {
        let t = "Åtta äldre och 12 nyanlända kom. Sökande: 7 sökande fick svar.";
        let p = build("person-statistics", &Params::new()).unwrap_or_else(|e| panic!("{e:?}"));
        let d = doc(t);
        let mut out = Vec::new();
        p.run(&d, &mut out);
        let got: Vec<&str> = out.iter().map(|f| d.slice(&f.span)).collect();
        assert_eq!(got, ["Åtta äldre", "12 nyanlända", "7 sökande"]);
        assert_eq!(out[0].values[0], ("figure", "Åtta äldre".to_string()));
        assert_eq!(out[2].values[1], ("noun", "sökande".to_string()));
    }

    #[test]
    fn shares_without_a_person_noun() {
        assert_eq!(
            run(&[], "Varannan skåning motionerar varje vecka."),
            ["Varannan skåning"]
        );
        assert_eq!(
            run(&[], "Var tredje stockholmare saknar bil."),
            ["Var tredje stockholmare"]
        );
        assert_eq!(
            run(&[], "Drygt hälften av de som svarade var nöjda."),
            ["hälften av de som svarade"]
        );
        assert_eq!(
            run(&[], "Andelen som fått jobb efter kursen var 42 procent."),
            ["Andelen som fått"]
        );
        for t in [
            "Vi träffas varannan vecka och var tredje månad.",
            "Varannan bedömning görs om efter ett år.",
            "Andelen som återvinns var 42 procent.",
            "Andelen som är förnybar ökade till 60 procent.",
            "Hälften av de som svarade var kvinnor och hälften män.",
        ] {
            assert!(run(&[], t).is_empty(), "{t}: {:?}", run(&[], t));
        }
    }

    #[test]
    fn staff_occupations_and_person_measures() {
        assert_eq!(
            run(&[], "Skolan har tre kuratorer och fyra specialpedagoger."),
            ["tre kuratorer", "fyra specialpedagoger"]
        );
        assert_eq!(
            run(&[], "Efter omorganisationen minskade korttidssjukfrånvaron till 3,2 %."),
            ["korttidssjukfrånvaron till 3,2 %"]
        );
        assert!(run(&[], "Sjukfrånvaron var 6,1 % bland kvinnorna och 3,9 % bland männen.").is_empty());
        assert!(run(&[], "Sjukfrånvaron ska följas upp varje månad.").is_empty());
        let staff = "| Nyckeltal | 2023 | 2024 |\n| --- | --- | --- |\n| Andel heltid | 88 % | 90 % |\n| Personalomsättning | 12 % | 10 % |\n| Andel som slutat inom ett år | 9 % | 7 % |\n| Lokalkostnad | 120 | 130 |\n";
        assert_eq!(
            run(&[], staff),
            ["Andel heltid", "Personalomsättning", "Andel som slutat inom ett år"]
        );
        let split = "| Nyckeltal | Kvinnor | Män |\n| --- | --- | --- |\n| Andel heltid | 88 % | 94 % |\n";
        assert!(run(&[], split).is_empty());
        let block = "| Nyckeltal | 2024 |\n| --- | --- |\n| Personalomsättning | 11 % |\n| Personalomsättning kvinnor | 12 % |\n| Personalomsättning män | 9 % |\n| Deltid | 20 % |\n";
        assert_eq!(run(&[], block), ["Deltid"]);
        assert_eq!(
            run(
                &[("measures", ParamValue::List(vec!["föräldraledighet".into()]))],
                "Föräldraledigheten ökade till 4 %."
            ),
            ["Föräldraledigheten ökade till 4 %"]
        );
    }

    #[test]
    fn a_count_after_antalet_and_its_noun() {
        assert_eq!(
            run(
                &[],
                "Antalet nya skyddssökande beräknas uppgå till cirka 11 000 per år."
            ),
            ["Antalet nya skyddssökande"]
        );
        assert_eq!(
            run(
                &[],
                "Antalet asylsökande minskar, med ett antagande på cirka 10 000 för 2024."
            ),
            ["Antalet asylsökande"]
        );
        assert_eq!(run(&[], "Antalet elever minskade med ca 100 st."), ["Antalet elever"]);
        assert!(run(&[], "Antalet elever per lärare är 12.").is_empty());
        assert!(run(&[], "Antalet brukare ökade mellan 2023 och 2024.").is_empty());
        assert!(run(&[], "Antalet deltagare ökade med 40 procent.").is_empty());
        assert!(run(&[], "Antalet elever var 412, varav 200 flickor och 212 pojkar.").is_empty());
    }

    #[test]
    fn a_figure_in_brackets_after_the_noun() {
        assert_eq!(
            run(&[], "En stor del av gymnasieeleverna (ca. 30%) vill bo kvar."),
            ["gymnasieeleverna (ca. 30%"]
        );
        assert_eq!(run(&[], "Kursen hade många deltagare (48) i år."), ["deltagare (48"]);
        assert!(run(&[], "Kursen hade många deltagare (48, varav 20 kvinnor och 28 män).").is_empty());
        assert!(run(&[], "Alla elever (se bilaga 2) får en dator.").is_empty());
    }

    #[test]
    fn abbreviated_titles_rates_of_staff_and_age_groups() {
        let staff = "| Yrke | Tjänster |\n| --- | --- |\n| Specialped. | 5,3 |\n| Övr. | 2 |\n| Bidr. | 1 |\n";
        assert_eq!(run(&[], staff), ["Specialped."]);
        let flat =
            "Nyckeltal 2023 2024\nAntal medarbetare per enhetschef 30,4 18,6\nAnmälda brott per invånare 70 68\n";
        assert_eq!(run(&[], flat), ["Antal medarbetare per enhetschef"]);
        assert_eq!(
            run(&[], "I år handlade det om drygt hälften i båda åldersgrupperna."),
            ["hälften i båda åldersgrupperna"]
        );
    }

    #[test]
    fn flattened_table_rows_in_prose() {
        // A staff table whose columns a PDF export lost: one line per row, no bars.
        let text = "Nyckeltal Utfall 2022 Utfall 2023\nAndel heltid 91,7 % 93 %\n\
            Medarbetare yngre än 30 år 7,7 % 7,2 %\nSjukfrånvaro totalt 4,6 % 5,8 %\n\
            Sjukfrånvaro kvinnor 5,8 % 7,3 %\nSjukfrånvaro män 2,6 % 3,2 %\nMedelålder 47 47\n\
            Lokaler 12 14\nAndel män som har heltid 94 % 93 %\nSjukfrånvaro, andel av\n\
            sjukfrånvaro 60 dagar eller 57,1 % 58,2 %\nmer\nAntal brukare per\n30,4 18,6\nenhetschef\n";
        assert_eq!(
            run(&[], text),
            [
                "Andel heltid",
                "Medarbetare yngre än 30 år",
                "Andel män som har heltid",
                "Antal brukare per"
            ]
        );
        // Figures inside a sentence are not a row, and rates are not counts.
        assert!(run(&[], "Budgeten för 2025 och 2026 ökar med 2 och 3 procent.\n").is_empty());
        assert!(run(&[], "Anmälda brott per 1 000 invånare 70 68\n").is_empty());
    }
}
