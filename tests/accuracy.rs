//! Accuracy of the built-in packs on the labelled corpus in `tests/fixtures/corpus`
//! (`LABELS.jsonl`), measured through the whole pipeline as `belysa check` runs it: default
//! rules, document kind detected automatically, Markdown or plain text by extension.
//!
//! `cargo test --test accuracy -- --nocapture` prints the table and every finding;
//! `BELYSA_UPDATE_DOCS=1 cargo test --test accuracy` writes the table into docs/accuracy.md.
//! The test fails when a family falls below its floor (see `FLOORS`).
//!
//! What counts:
//! - konsekvens, presence: on documents labelled tjansteutlatande, a "missing" finding of
//!   konsekvens/jamstalldhet, /barn or /ekonomi (the rule's own message, not its `incomplete`
//!   one) is a positive; the truth is `present == false` for the matching label.
//! - konsekvens, substance: any finding of those three rules is a positive; the truth is that the
//!   analysis is absent or labelled `substantive == false`.
//! - statistik/konsuppdelning: a finding is correct when it overlaps a labelled person statistic
//!   with `sex_disaggregated == false`; a label is found when a finding overlaps it. Quotes are
//!   located with whitespace normalised.
//! - statistik/summa: the same against `breakdown_sum_errors`.
//! - normkritik: findings of any normkritik rule against `normkritisk_flags` quotes, once with
//!   every finding at info level or above (contested terms are info) and once with warnings only.
//! - Findings at hint level (for instance words inside quotation marks) are not counted: they
//!   are shown as tips, not as alarms.
//! - guidance: findings at info level or above on documents labelled guidance and on the
//!   guidance texts in `seeds/`, which are not decision documents and should stay quiet.

#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use belysa::analysis::analyze;
use belysa::diagnostics::{Diagnostic, Severity};
use belysa::document::Format;
use belysa::engine::{check, Selection};
use belysa::rules::RuleSet;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus")
}

/// Text with whitespace runs squashed to one space, and a map back to byte offsets.
fn squash(text: &str) -> (String, Vec<usize>) {
    let mut s = String::new();
    let mut map = Vec::new();
    let mut space = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if !space {
                s.push(' ');
                map.push(i);
            }
            space = true;
        } else {
            space = false;
            for _ in 0..c.len_utf8() {
                map.push(i);
            }
            s.push(c);
        }
    }
    map.push(text.len());
    (s, map)
}

/// Where a quote is in the text (whitespace-insensitive).
fn locate(text: &str, quote: &str) -> Option<Range<usize>> {
    let (s, map) = squash(text);
    let (q, _) = squash(quote.trim());
    let at = s.find(&q)?;
    Some(map[at]..map[(at + q.len()).min(map.len() - 1)])
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

#[derive(Default, Clone, Copy)]
struct Score {
    /// Findings (or reported documents) that are right.
    correct: usize,
    findings: usize,
    /// Labels that were found.
    found: usize,
    labels: usize,
}

impl Score {
    fn precision(&self) -> f64 {
        if self.findings == 0 {
            1.0
        } else {
            self.correct as f64 / self.findings as f64
        }
    }
    fn recall(&self) -> f64 {
        if self.labels == 0 {
            1.0
        } else {
            self.found as f64 / self.labels as f64
        }
    }
}

struct Checked {
    text: String,
    diags: Vec<Diagnostic>,
}

fn run(rules: &RuleSet, path: &Path) -> Checked {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let format = match path.extension().and_then(|e| e.to_str()) {
        Some("md" | "markdown") => Format::Markdown,
        _ => Format::Text,
    };
    let name = path.display().to_string();
    let doc = analyze(&name, text.clone(), format, None);
    let diags = check(&doc, rules, &Selection::default())
        .diagnostics
        .into_iter()
        .filter(|d| d.severity > Severity::Hint)
        .collect();
    Checked { text, diags }
}

/// Span-level scoring of the findings of `is_rule` against the quotes in `quotes`.
fn score_spans(
    id: &str,
    c: &Checked,
    quotes: &[String],
    is_rule: impl Fn(&Diagnostic) -> bool,
    sc: &mut Score,
    log: &mut Vec<String>,
) {
    let mut targets = Vec::new();
    for q in quotes {
        match locate(&c.text, q) {
            Some(r) => targets.push(r),
            None => log.push(format!("{id}: label not found in text: {q}")),
        }
    }
    sc.labels += targets.len();
    let mine: Vec<&Diagnostic> = c.diags.iter().filter(|d| is_rule(d)).collect();
    for t in &targets {
        if mine.iter().any(|d| overlaps(&d.span, t)) {
            sc.found += 1;
        } else {
            log.push(format!("{id} FN {:?}", one_line(&c.text[t.clone()])));
        }
    }
    for d in mine {
        sc.findings += 1;
        let ok = targets.iter().any(|t| overlaps(&d.span, t));
        if ok {
            sc.correct += 1;
        }
        log.push(format!(
            "{id} {} {} {:?}",
            if ok { "TP" } else { "FP" },
            d.rule,
            one_line(&c.text[d.span.clone()])
        ));
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct Measured {
    families: Vec<(&'static str, Score)>,
    /// Per guidance document: findings at info level or above, by pack.
    guidance: Vec<(String, BTreeMap<String, usize>)>,
    /// Words per guidance text.
    words: BTreeMap<String, usize>,
    log: Vec<String>,
}

const ANALYSES: [(&str, &str); 3] = [
    ("konsekvens/jamstalldhet", "gender_consequence"),
    ("konsekvens/barn", "child_consequence"),
    ("konsekvens/ekonomi", "economic_consequence"),
];

fn measure() -> Measured {
    let rules = RuleSet::builtin().unwrap_or_else(|e| panic!("{:?}", miette::Report::new(e)));
    let labels = std::fs::read_to_string(dir().join("LABELS.jsonl")).unwrap_or_else(|e| panic!("LABELS.jsonl: {e}"));
    let mut presence = Score::default();
    let mut substance = Score::default();
    let mut split = Score::default();
    let mut sums = Score::default();
    let mut norm = Score::default();
    let mut norm_warn = Score::default();
    let mut guidance = Vec::new();
    let mut words = BTreeMap::new();
    let mut log = Vec::new();
    for line in labels.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("LABELS.jsonl: {e}"));
        let id = v["id"].as_str().unwrap_or_default().to_string();
        let doc_type = v["doc_type"].as_str().unwrap_or_default();
        let c = run(&rules, &dir().join(format!("{id}.txt")));

        if doc_type == "tjansteutlatande" {
            for (rule, key) in ANALYSES {
                let info = rules.rule(rule).unwrap_or_else(|| panic!("no rule {rule}"));
                let present = v[key]["present"].as_bool().unwrap_or(false);
                let substantive = v[key]["substantive"].as_bool().unwrap_or(false);
                let mine: Vec<&Diagnostic> = c.diags.iter().filter(|d| d.rule == rule).collect();
                let missing = mine.iter().any(|d| d.message == info.message);
                let reported = !mine.is_empty();
                tally(&mut presence, missing, !present);
                tally(&mut substance, reported, !(present && substantive));
                if missing == present || reported == (present && substantive) {
                    log.push(format!(
                        "{id} {rule}: label present={present} substantive={substantive}, found {:?}",
                        mine.iter().map(|d| d.message.as_str()).collect::<Vec<_>>()
                    ));
                }
            }
        }

        let quotes = |key: &str, unsplit_only: bool| -> Vec<String> {
            v[key]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|item| match item {
                    serde_json::Value::String(s) => Some(s.clone()),
                    _ => {
                        let unsplit = !item["sex_disaggregated"].as_bool().unwrap_or(false);
                        (!unsplit_only || unsplit).then(|| item["quote"].as_str().unwrap_or_default().to_string())
                    }
                })
                .collect()
        };
        score_spans(
            &id,
            &c,
            &quotes("person_statistics", true),
            |d| d.rule == "statistik/konsuppdelning",
            &mut split,
            &mut log,
        );
        score_spans(
            &id,
            &c,
            &quotes("breakdown_sum_errors", false),
            |d| d.rule == "statistik/summa",
            &mut sums,
            &mut log,
        );
        score_spans(
            &id,
            &c,
            &quotes("normkritisk_flags", false),
            |d| d.rule.starts_with("normkritik/"),
            &mut norm,
            &mut log,
        );
        let mut quiet = Vec::new();
        score_spans(
            &id,
            &c,
            &quotes("normkritisk_flags", false),
            |d| d.rule.starts_with("normkritik/") && d.severity >= Severity::Warning,
            &mut norm_warn,
            &mut quiet,
        );
        if doc_type == "guidance" {
            words.insert(id.clone(), c.text.split_whitespace().count());
            guidance.push((id.clone(), by_pack(&c.diags)));
        }
    }
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(dir().join("seeds"))
        .unwrap_or_else(|e| panic!("seeds/: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    seeds.sort();
    for path in seeds {
        let c = run(&rules, &path);
        let name = format!(
            "seeds/{}",
            path.file_name().and_then(|n| n.to_str()).unwrap_or_default()
        );
        for d in &c.diags {
            log.push(format!("{name} {} {:?}", d.rule, one_line(&c.text[d.span.clone()])));
        }
        words.insert(name.clone(), c.text.split_whitespace().count());
        guidance.push((name, by_pack(&c.diags)));
    }
    Measured {
        families: vec![
            ("konsekvens (finns analysen)", presence),
            ("konsekvens (finns och har innehåll)", substance),
            ("statistik/konsuppdelning", split),
            ("statistik/summa", sums),
            ("normkritik (info och högre)", norm),
            ("normkritik (varning och högre)", norm_warn),
        ],
        guidance,
        words,
        log,
    }
}

fn tally(sc: &mut Score, predicted: bool, truth: bool) {
    if predicted {
        sc.findings += 1;
        if truth {
            sc.correct += 1;
        }
    }
    if truth {
        sc.labels += 1;
        if predicted {
            sc.found += 1;
        }
    }
}

fn by_pack(diags: &[Diagnostic]) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for d in diags {
        *m.entry(d.pack().to_string()).or_insert(0) += 1;
    }
    m
}

fn table(m: &Measured) -> String {
    let mut s = String::from("| familj | precision | recall |\n|---|---|---|\n");
    for (name, sc) in &m.families {
        s.push_str(&format!(
            "| {name} | {:.2} ({}/{}) | {:.2} ({}/{}) |\n",
            sc.precision(),
            sc.correct,
            sc.findings,
            sc.recall(),
            sc.found,
            sc.labels
        ));
    }
    s.push_str("\n| vägledningstext | ord | fynd (info eller högre) per regelpaket |\n|---|---|---|\n");
    for (name, packs) in &m.guidance {
        let total: usize = packs.values().sum();
        let detail: Vec<String> = packs.iter().map(|(p, n)| format!("{p} {n}")).collect();
        let words = m.words.get(name).copied().unwrap_or(0);
        s.push_str(&format!(
            "| {name} | {words} | {total}{} |\n",
            if detail.is_empty() {
                String::new()
            } else {
                format!(" ({})", detail.join(", "))
            }
        ));
    }
    s
}

/// Floors per family (precision, recall): the target 0.9 where it is reached, otherwise the
/// measured value, so that a change that makes a family worse fails here. docs/accuracy.md says
/// why a family is below the target.
const FLOORS: [(&str, f64, f64); 6] = [
    ("konsekvens (finns analysen)", 0.9, 0.9),
    ("konsekvens (finns och har innehåll)", 0.9, 0.9),
    ("statistik/konsuppdelning", 0.9, 0.9),
    ("statistik/summa", 0.9, 0.9),
    ("normkritik (info och högre)", 0.9, 0.9),
    ("normkritik (varning och högre)", 0.9, 0.8),
];

/// At most this many findings at info level or above on one guidance text, outside klarsprak
/// (plain-language findings are as true of a guidance page as of a decision document), or one
/// per thousand words on a longer text.
const GUIDANCE_MAX: usize = 5;

#[test]
fn accuracy_on_the_labelled_corpus() {
    let m = measure();
    for l in &m.log {
        println!("{l}");
    }
    let t = table(&m);
    println!("\n{t}");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/accuracy.md");
    if std::env::var_os("BELYSA_UPDATE_DOCS").is_some() {
        let doc = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let (begin, end) = ("<!-- accuracy:begin -->\n", "<!-- accuracy:end -->");
        let (Some(a), Some(b)) = (doc.find(begin), doc.find(end)) else {
            panic!("{path}: the markers {begin:?} and {end:?} are missing");
        };
        let updated = format!("{}{begin}{t}{}", &doc[..a], &doc[b..]);
        std::fs::write(path, updated).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    let mut failures = Vec::new();
    for (name, p, r) in FLOORS {
        let sc = m
            .families
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, s)| *s)
            .unwrap_or_else(|| panic!("no family {name}"));
        if sc.precision() < p || sc.recall() < r {
            failures.push(format!(
                "{name}: precision {:.2} (golv {p}), recall {:.2} (golv {r})",
                sc.precision(),
                sc.recall()
            ));
        }
    }
    for (name, packs) in &m.guidance {
        let total: usize = packs.iter().filter(|(p, _)| *p != "klarsprak").map(|(_, n)| n).sum();
        let words = m.words.get(name).copied().unwrap_or(0);
        let max = GUIDANCE_MAX.max(words / 1000);
        if total > max {
            failures.push(format!("{name}: {total} fynd på en vägledningstext (högst {max})"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn quotes_are_located_across_line_breaks() {
    let text = "Det finns 412\n  besökare i år.";
    let r = locate(text, "412 besökare").unwrap_or_else(|| panic!("not found"));
    assert_eq!(&text[r], "412\n  besökare");
    assert!(locate(text, "413 besökare").is_none());
}
