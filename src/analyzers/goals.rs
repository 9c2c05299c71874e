//! Goals and their indicators in budget documents (mål och budget, nämndbudget, verksamhetsplan).
//!
//! A *goal* is a section whose heading matches `goals` ("Nämndmål 2: …"), or any section below a
//! section whose heading matches `under` ("5 Mål" → "5.1 En attraktiv kommun …"), except
//! sections whose heading matches `not-goals` ("Beslutats av", "Fokusområden", "Indikatorer"):
//! those belong to the goal above them. A goal's text is its section without the sections of
//! goals below it.
//!
//! An *indicator* is a body row of a table whose header has an indicator column (`Indikator`,
//! `Nyckeltal`, `Mått`), a paragraph or list item that starts with "Indikator:", or a list item
//! in a section headed "Indikatorer". Its *target value* is a non-empty cell in a target column
//! (`Målvärde`, `Målsättning 2025`, `Årsmål`) or a target phrase with a figure in its own text
//! ("målvärde 2030 är 70"). It is *individual-based* when its name counts people (a person noun
//! or "andel som …"), and *split by sex* when it, or the table's header, names women and men,
//! or another row of the table with the same beginning does.
//!
//! One analyzer reports one of three things, chosen with `report`: goals without an indicator
//! (`missing-indicator`), indicators without a target value (`missing-target`) and
//! individual-based indicators not split by sex (`unsplit`).

use std::sync::Arc;

use regex::Regex;

use super::lexicon::{default_nouns, noun_alternation, FEMALE_RE, MALE_RE};
use super::memo::{cached_by, MemoSlot};
use super::units::{in_table, shift, table_key};
use super::{builtin, Analyzer, Finding, ParamError, ParamReader, ParamValue, WordRegex};
use crate::document::{BlockKind, Document, Span, Table};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Report {
    MissingIndicator,
    MissingTarget,
    Unsplit,
}

#[derive(Debug)]
pub struct GoalsIndicators {
    report: Report,
    goals: Regex,
    under: Regex,
    not_goals: Regex,
    indicator_columns: Regex,
    indicator_headings: Regex,
    target_columns: Regex,
    target_text: Regex,
    persons: WordRegex,
    person_patterns: Regex,
    female: Regex,
    male: Regex,
    split_text: Regex,
}

const GOALS: &[&str] = &[
    r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:nämndmål|inriktningsmål|verksamhetsmål|effektmål|resultatmål|verksamhetsområdesmål|kf-mål|kommunfullmäktiges mål)\b",
    r"^(?:\d+(?:\.\d+)*\.?\s+)?mål\s*\d+\b",
    r"^(?:\d+(?:\.\d+)*\.?\s+)?mål\s*:",
];
const UNDER: &[&str] = &[
    r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:(?:nämndens|våra|kommunens|kommunfullmäktiges|kommunövergripande)\s+)?(?:mål|nämndmål|inriktningsmål|verksamhetsmål)(?:\s+och\s+(?:indikatorer|fokusområden|uppdrag|nyckeltal))?\s*:?$",
    r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:uppföljning(?:\s+av)?\s+mål|mål\s+och\s+indikatorer|mål\s+för\s+verksamheten|målstyrning)\b",
];
const NOT_GOALS: &[&str] = &[
    r"beslutats av",
    r"fokusområde",
    r"indikator",
    r"nyckeltal",
    r"\bmått\b",
    r"aktivitet",
    r"uppdrag",
    r"samordning",
    r"formulering",
    r"bedömning",
    r"analys",
    r"kommentar",
    r"sammanfattning",
    r"uppföljning",
    r"resultat",
    r"måluppfyllelse",
    r"bakgrund",
    r"inledning",
];
const INDICATOR_COLUMNS: &[&str] = &[r"^\s*(?:indikator(?:er|n)?|nyckeltal|mått|mätetal|målindikator(?:er)?)\b"];
const INDICATOR_HEADINGS: &[&str] = &[r"indikator", r"nyckeltal", r"\bmått\b", r"mätetal"];
const TARGET_COLUMNS: &[&str] = &[
    r"målvärde",
    r"målsättning",
    r"årsmål",
    r"målnivå",
    r"^\s*mål\b",
    r"\btarget\b",
];
const TARGET_TEXT: &[&str] = &[
    r"\b(?:målvärde(?:t)?|målnivå(?:n)?|årsmål(?:et)?|målsättning(?:en)?|mål(?:et)?\s+(?:för\s+)?\d{4})\b[^.\n]{0,30}?\d",
    r"\bska\s+(?:öka|minska|uppgå|vara|nå)\b[^.\n]{0,40}?\d",
];
const PERSON_PATTERNS: &[&str] = &[
    r"\bandel(?:en)?\s+(?:som|av\s+(?:de|dem|alla)\s+som)\b",
    r"\b(?:var|varannan|var\s+\w+)\s+\w+\s+som\b",
    r"sjukfrånvaro",
    r"frisknärvaro",
    r"personalomsättning",
    r"brukarbedömning",
    r"\bandel\s+heltid",
];
const SPLIT_TEXT: &[&str] = &[
    r"\bkön\b",
    r"könsuppdel",
    r"\bper kön\b",
    r"efter kön",
    r"\b[km]/[mk]\b",
];

fn joined(list: &[&str]) -> String {
    list.iter().map(|s| format!("(?:{s})")).collect::<Vec<_>>().join("|")
}

fn regex_or_default(p: &ParamReader, name: &str, default: &[&str]) -> Result<Regex, ParamError> {
    match p.regex_list(name)? {
        Some(re) => Ok(re),
        None => builtin(&format!("(?i){}", joined(default))),
    }
}

/// What the analyzer keeps between checks, by key: a table's indicators (key "T" and the table,
/// spans relative to it) and a heading's class (key "H" and the heading).
#[derive(Debug)]
enum Kept {
    Indicators(Vec<Indicator>),
    Heading(HeadingClass),
}

/// What a heading is to the analyzer.
#[derive(Debug, Clone, Copy, Default)]
struct HeadingClass {
    goal: bool,
    not_goal: bool,
    under: bool,
    indicators: bool,
}

/// An indicator found in a goal's text.
#[derive(Debug, Clone)]
struct Indicator {
    /// Where to report it: the name cell or the paragraph.
    span: Span,
    name: String,
    has_target: bool,
    /// Not split by sex and counting persons (looked for only by the `unsplit` report).
    unsplit_person: bool,
}

impl GoalsIndicators {
    pub(crate) fn new(p: &ParamReader) -> Result<Self, ParamError> {
        let report = match p.params.get("report") {
            None => Report::MissingIndicator,
            Some(ParamValue::Word(w)) => match w.as_str() {
                "missing-indicator" => Report::MissingIndicator,
                "missing-target" => Report::MissingTarget,
                "unsplit" => Report::Unsplit,
                other => {
                    return Err(ParamError {
                        param: Some("report".into()),
                        message: format!(
                            "okänt värde `{other}` för `report`: välj missing-indicator, missing-target eller unsplit"
                        ),
                    })
                }
            },
            Some(_) => {
                return Err(ParamError {
                    param: Some("report".into()),
                    message: "`report` ska vara ett ord: missing-indicator, missing-target eller unsplit".into(),
                })
            }
        };
        let nouns = noun_alternation(&default_nouns());
        Ok(GoalsIndicators {
            report,
            goals: regex_or_default(p, "goals", GOALS)?,
            under: regex_or_default(p, "under", UNDER)?,
            not_goals: regex_or_default(p, "not-goals", NOT_GOALS)?,
            indicator_columns: regex_or_default(p, "indicator-columns", INDICATOR_COLUMNS)?,
            indicator_headings: builtin(&format!("(?i){}", joined(INDICATOR_HEADINGS)))?,
            target_columns: regex_or_default(p, "target-columns", TARGET_COLUMNS)?,
            target_text: builtin(&format!("(?i){}", joined(TARGET_TEXT)))?,
            persons: WordRegex::new("(?i)", &nouns)?,
            person_patterns: regex_or_default(p, "person-patterns", PERSON_PATTERNS)?,
            female: builtin(&format!("(?i){FEMALE_RE}|\\bk\\b"))?,
            male: builtin(&format!("(?i){MALE_RE}|\\bm\\b"))?,
            split_text: builtin(&format!("(?i){}", joined(SPLIT_TEXT)))?,
        })
    }

    /// The indexes of the goal sections. A section directly below a `under` section is a goal;
    /// below a goal, only a section numbered as its part ("5.2.1" below "5.2") is a goal of its
    /// own, and other headings ("Fokusområde", a highlighted line) belong to the goal. Where both
    /// are numbered, a goal's number must continue its parent's ("7.2" is not below "5 Mål").
    fn goal_sections(&self, doc: &Document, classes: &[Arc<Kept>]) -> Vec<usize> {
        let heading = |i: usize| doc.slice(&doc.sections[i].heading).trim();
        let class = |i: usize| match classes[i].as_ref() {
            Kept::Heading(c) => *c,
            Kept::Indicators(_) => HeadingClass::default(),
        };
        let mut is_goal = vec![false; doc.sections.len()];
        for i in 0..doc.sections.len() {
            let h = heading(i);
            if class(i).goal {
                is_goal[i] = true;
                continue;
            }
            if class(i).not_goal {
                continue;
            }
            let Some(p) = doc.sections[i].parent else {
                continue;
            };
            let (mine, theirs) = (numbering(h), numbering(heading(p)));
            let continues = match (mine, theirs) {
                (Some(m), Some(t)) => m.len() > t.len() && m.starts_with(t) && m[t.len()..].starts_with('.'),
                _ => false,
            };
            is_goal[i] = if class(p).under {
                continues || mine.is_none() || theirs.is_none()
            } else {
                is_goal[p] && continues
            };
        }
        (0..doc.sections.len()).filter(|&i| is_goal[i]).collect()
    }

    /// The parts of goal `g`'s section that are not inside another goal's section.
    fn own_text(doc: &Document, goals: &[usize], g: usize) -> Vec<Span> {
        let span = doc.sections[g].span.clone();
        let mut inner: Vec<Span> = goals
            .iter()
            .filter(|&&o| o != g)
            .map(|&o| doc.sections[o].span.clone())
            .filter(|s| s.start > span.start && s.start < span.end)
            .collect();
        inner.sort_by_key(|s| s.start);
        let mut parts = Vec::new();
        let mut at = doc.sections[g].heading.end;
        for s in inner {
            if s.start > at {
                parts.push(at..s.start);
            }
            at = at.max(s.end);
        }
        if span.end > at {
            parts.push(at..span.end);
        }
        parts
    }

    fn person_based(&self, name: &str) -> bool {
        if self.person_patterns.is_match(name) {
            return true;
        }
        self.persons.find_iter(name).any(|r| {
            // "per invånare", "per 1 000 invånare", "antal/100 000 invånare" are rates, not
            // counts of people.
            let before = name[..r.start].to_lowercase();
            let last: Vec<&str> = before.split_whitespace().rev().take(3).collect();
            let rate = last.iter().any(|w| *w == "per" || w.contains('/'));
            // "Nöjd-kund-index" is an index, not people.
            let in_compound = name[r.end..].starts_with('-') || before.ends_with('-');
            !rate && !in_compound
        })
    }

    fn names_sex(&self, text: &str) -> bool {
        self.split_text.is_match(text) || self.female.is_match(text) && self.male.is_match(text)
    }

    fn names_a_sex(&self, text: &str) -> bool {
        self.female.is_match(text) || self.male.is_match(text)
    }

    fn table_indicators(&self, doc: &Document, t: &Table, out: &mut Vec<Indicator>) {
        if !t.header || t.rows.len() < 2 {
            return;
        }
        let head = &t.rows[0];
        let cell = |span: &Span| doc.slice(span).trim();
        let Some(name_col) = head.cells.iter().position(|c| self.indicator_columns.is_match(cell(c))) else {
            return;
        };
        let target_cols: Vec<usize> = head
            .cells
            .iter()
            .enumerate()
            .filter(|(i, c)| *i != name_col && self.target_columns.is_match(cell(c)))
            .map(|(i, _)| i)
            .collect();
        let header_text: Vec<&str> = head.cells.iter().map(cell).collect();
        let header_split =
            header_text.iter().any(|h| self.female.is_match(h)) && header_text.iter().any(|h| self.male.is_match(h));
        let names: Vec<(usize, &str)> = t.rows[1..]
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.cells.get(name_col).map(|c| (i + 1, cell(c))))
            .filter(|(_, n)| !n.is_empty() && !n.chars().all(|c| c == '-' || c == ':' || c == ' '))
            .collect();
        // Each name's first three words and whether it names a sex, once per table (the rows are
        // compared pairwise).
        let starts: Vec<Option<Vec<String>>> = names.iter().map(|&(_, n)| first_words(n)).collect();
        let sexed: Vec<bool> = names.iter().map(|&(_, n)| self.names_a_sex(n)).collect();
        let same_start = |a: usize, b: usize| starts[a].is_some() && starts[a] == starts[b];
        for (a, &(i, name)) in names.iter().enumerate() {
            let row = &t.rows[i];
            let has_target = target_cols.iter().any(|&c| {
                row.cells
                    .get(c)
                    .is_some_and(|s| cell(s).chars().any(|ch| ch.is_alphanumeric()))
            }) || self.target_text.is_match(name);
            let others = || (0..names.len()).filter(|&b| b != a && same_start(a, b) && sexed[b]);
            let split = header_split || self.names_sex(name) || sexed[a] && others().next().is_some();
            // A total row next to rows of the same indicator for women and men is split too.
            let split = split || !sexed[a] && others().next().is_some();
            out.push(Indicator {
                span: row.cells[name_col].clone(),
                name: name.to_string(),
                has_target,
                unsplit_person: self.report == Report::Unsplit && !split && self.person_based(name),
            });
        }
    }

    /// What the heading of a section is to this analyzer: a pure function of its text.
    fn classify(&self, heading: &str) -> HeadingClass {
        let h = heading.trim();
        HeadingClass {
            goal: self.goals.is_match(h),
            not_goal: self.not_goals.is_match(h),
            under: self.under.is_match(h),
            indicators: self.indicator_headings.is_match(heading),
        }
    }

    fn text_indicators(&self, doc: &Document, parts: &[Span], classes: &[Arc<Kept>], out: &mut Vec<Indicator>) {
        // The paragraphs inside a part, found by binary search (parts and paragraphs are in
        // document order).
        let inside = parts.iter().flat_map(|s| {
            let lo = doc.paragraphs.partition_point(|p| p.span.start < s.start);
            doc.paragraphs[lo..]
                .iter()
                .take_while(move |p| p.span.start < s.end)
                .filter(move |p| p.span.end <= s.end)
        });
        for p in inside {
            if in_table(doc, &p.span) {
                continue;
            }
            let text = doc.slice(&p.span);
            // Lower-cased lazily: the same as `to_lowercase().starts_with(…)`.
            let labelled = text
                .trim_start_matches(['-', '*', '•', ' '])
                .chars()
                .flat_map(char::to_lowercase)
                .take("indikator".len())
                .eq("indikator".chars());
            let listed = p.kind == BlockKind::ListItem
                && p.section
                    .is_some_and(|s| matches!(classes[s].as_ref(), Kept::Heading(c) if c.indicators));
            if !(labelled && text.contains(':') || listed) {
                continue;
            }
            let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let split = self.names_sex(text);
            out.push(Indicator {
                span: p.span.clone(),
                unsplit_person: self.report == Report::Unsplit && !split && self.person_based(&name),
                name,
                has_target: self.target_text.is_match(text),
            });
        }
    }
}

/// The heading's number ("5.2.1"), without a final dot.
fn numbering(heading: &str) -> Option<&str> {
    let end = heading
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || c == '.'))
        .map_or(heading.len(), |(i, _)| i);
    let n = heading[..end].trim_end_matches('.');
    (!n.is_empty() && n.starts_with(|c: char| c.is_ascii_digit())).then_some(n)
}

/// An indicator name's first three words in lower case, or `None` when it has fewer. Two names
/// with the same three words are the same indicator (the rest names the group).
fn first_words(s: &str) -> Option<Vec<String>> {
    let words: Vec<String> = s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(3)
        .map(str::to_lowercase)
        .collect();
    (words.len() == 3).then_some(words)
}

impl Analyzer for GoalsIndicators {
    fn run(&self, doc: &Document, out: &mut Vec<Finding>) {
        self.run_memo(doc, &mut MemoSlot::disabled(), out);
    }

    fn run_memo(&self, doc: &Document, slot: &mut MemoSlot, out: &mut Vec<Finding>) {
        let memo = &mut slot.memo::<Kept>();
        // Every heading classified once per check, and kept between checks.
        let classes: Vec<Arc<Kept>> = doc
            .sections
            .iter()
            .map(|sec| {
                let h = doc.slice(&sec.heading);
                cached_by(memo, || format!("H{h}"), || Kept::Heading(self.classify(h)))
            })
            .collect();
        let goals = self.goal_sections(doc, &classes);
        for &g in &goals {
            let parts = Self::own_text(doc, &goals, g);
            let mut indicators = Vec::new();
            for s in &parts {
                let lo = doc.tables.partition_point(|t| t.span.start < s.start);
                for t in doc.tables[lo..].iter().take_while(|t| t.span.start < s.end) {
                    // A table's indicators depend on the table alone: kept between checks, with
                    // spans relative to the table.
                    let found = cached_by(
                        memo,
                        || format!("T{}", table_key(doc, t)),
                        || {
                            let mut v = Vec::new();
                            self.table_indicators(doc, t, &mut v);
                            for i in &mut v {
                                i.span = i.span.start - t.span.start..i.span.end - t.span.start;
                            }
                            Kept::Indicators(v)
                        },
                    );
                    let Kept::Indicators(found) = found.as_ref() else {
                        continue;
                    };
                    indicators.extend(found.iter().map(|i| Indicator {
                        span: shift(&i.span, t.span.start),
                        ..i.clone()
                    }));
                }
            }
            self.text_indicators(doc, &parts, &classes, &mut indicators);
            let heading = doc.slice(&doc.sections[g].heading).trim().to_string();
            match self.report {
                Report::MissingIndicator => {
                    // A goal whose sub-goals carry the indicators is measured through them.
                    let has_subgoals = goals.iter().any(|&o| {
                        o != g
                            && doc.sections[o].span.start > doc.sections[g].span.start
                            && doc.sections[o].span.start < doc.sections[g].span.end
                    });
                    if indicators.is_empty() && !has_subgoals {
                        out.push(Finding {
                            span: doc.sections[g].heading.clone(),
                            values: vec![("goal", heading)],
                        });
                    }
                }
                Report::MissingTarget => {
                    for i in indicators.iter().filter(|i| !i.has_target) {
                        out.push(Finding {
                            span: i.span.clone(),
                            values: vec![("indicator", i.name.clone()), ("goal", heading.clone())],
                        });
                    }
                }
                Report::Unsplit => {
                    for i in indicators.iter().filter(|i| i.unsplit_person) {
                        out.push(Finding {
                            span: i.span.clone(),
                            values: vec![("indicator", i.name.clone()), ("goal", heading.clone())],
                        });
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testdoc::doc;
    use super::super::{build, ParamValue, Params};

    fn run(report: &str, text: &str) -> Vec<String> {
        let p: Params = [("report".to_string(), ParamValue::Word(report.into()))]
            .into_iter()
            .collect();
        let a = build("goals-indicators", &p).unwrap_or_else(|e| panic!("{e:?}"));
        let d = doc(text);
        let mut out = Vec::new();
        a.run(&d, &mut out);
        out.iter().map(|f| d.slice(&f.span).to_string()).collect()
    }

    const BUDGET: &str = "# Nämndbudget 2026\n\n# 3 Mål\n\nNämnden har tre mål.\n\n\
        ## 3.1 Fler i arbete\n\n### Beslutats av\n\nNämnd\n\n\
        | Indikator | Utfall 2024 | Målvärde 2026 |\n| --- | --- | --- |\n\
        | Andel deltagare som fått arbete | 41 % | 45 % |\n\
        | Antal företagsbesök | 120 |  |\n\n\
        ## 3.2 Trygga elever\n\n\
        | Indikator | Utfall 2024 | Målvärde 2026 |\n| --- | --- | --- |\n\
        | Andel elever som känner sig trygga, flickor | 80 % | 85 % |\n\
        | Andel elever som känner sig trygga, pojkar | 84 % | 85 % |\n\
        | Andel elever som känner sig trygga, totalt | 82 % | 85 % |\n\n\
        ## 3.3 En hållbar kommun\n\nNämnden ska minska sina utsläpp.\n\n\
        # 4 Ekonomi\n\n| Verksamhet | Budget |\n| --- | --- |\n| Skola | 100 |\n";

    #[test]
    fn a_goal_without_indicators_is_reported_on_its_heading() {
        assert_eq!(run("missing-indicator", BUDGET), ["3.3 En hållbar kommun"]);
    }

    #[test]
    fn an_empty_target_cell_is_reported_and_a_target_in_the_name_counts() {
        assert_eq!(run("missing-target", BUDGET), ["Antal företagsbesök"]);
        let text = "# Mål\n\n## Mindre avfall\n\n| Indikator | Utfall |\n| --- | --- |\n\
            | Avfallet ska minska med 30 %, målvärde 2030 är 70. | 97 |\n| Antal kunder | 5 |\n";
        assert_eq!(run("missing-target", text), ["Antal kunder"]);
    }

    #[test]
    fn person_indicators_must_be_split_by_sex() {
        // The participants' share is not split; the pupils' rows are, the total row beside them too.
        assert_eq!(run("unsplit", BUDGET), ["Andel deltagare som fått arbete"]);
        let by_header = "# Mål\n\n## Fler i arbete\n\n| Indikator | Kvinnor | Män | Målvärde |\n\
            | --- | --- | --- | --- |\n| Andel deltagare som fått arbete | 40 % | 42 % | 45 % |\n";
        assert!(run("unsplit", by_header).is_empty());
        let rate = "# Mål\n\n## Trygghet\n\n| Indikator | Utfall |\n| --- | --- |\n\
            | Anmälda brott per 1 000 invånare | 70 |\n| Antal påbörjade bostäder | 141 |\n";
        assert!(run("unsplit", rate).is_empty());
    }

    #[test]
    fn indicators_in_text_count() {
        let text = "# Nämndmål 1: Fler läser\n\n\
            Indikator: Antal boklån per invånare. Målvärde 2026: 9 lån.\n\n\
            Indikator: Andel elever som läser varje dag.\n\n\
            # Nämndmål 2: Nöjda besökare\n\nVi ska bli bättre.\n";
        assert_eq!(run("missing-indicator", text), ["Nämndmål 2: Nöjda besökare"]);
        assert_eq!(
            run("missing-target", text),
            ["Indikator: Andel elever som läser varje dag."]
        );
        assert_eq!(run("unsplit", text), ["Indikator: Andel elever som läser varje dag."]);
    }

    #[test]
    fn a_document_without_goals_is_quiet() {
        let text = "# Budget 2026\n\n| Verksamhet | Budget |\n| --- | --- |\n| Skola | 100 |\n";
        for r in ["missing-indicator", "missing-target", "unsplit"] {
            assert!(run(r, text).is_empty(), "{r}");
        }
    }
}
