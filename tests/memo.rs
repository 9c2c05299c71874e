//! A check that keeps the analyzers' work between checks (the language server's) gives exactly
//! what a fresh check gives, after edits inside tables and in the lines around them, which some
//! analyzers read.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use belysa::analysis::analyze;
use belysa::analyzers::memo::Memo;
use belysa::document::{DocKind, Format};
use belysa::engine::{check, check_memo, Selection};
use belysa::rules::RuleSet;

type Found = Vec<(String, String, String)>;

fn found(text: &str, rules: &RuleSet, memo: Option<&mut Memo>) -> Found {
    let doc = analyze("t.md", text.to_string(), Format::Markdown, Some(DocKind::Budget));
    let sel = Selection::default();
    let out = match memo {
        Some(m) => check_memo(&doc, rules, &sel, m),
        None => check(&doc, rules, &sel),
    };
    out.diagnostics
        .into_iter()
        .map(|d| (d.rule.clone(), doc.text[d.span.clone()].to_string(), d.message.clone()))
        .collect()
}

const BASE: &str = "# Statistik\n\nAntal elever i skolan under året.\n\nSe tabellen.\n\n\
| Grupp | Antal |\n|---|---|\n| Elever | 120 |\n| Lärare | 14 |\n\nTabellen visar läget.\n\n\
| Kön | Antal |\n|---|---|\n| Kvinnor | 3 |\n| Män | 2 |\n| Totalt | 6 |\n\nSlut.\n\n\
Personalen i siffror.\nMedarbetare yngre än 30 år 7,7 % 7,7 % 5,2 %\n\nSlutord.\n";

#[test]
fn edits_in_and_around_tables_give_the_fresh_result() {
    let rules = RuleSet::builtin().unwrap();
    let mut memo = Memo::new();
    // Each step replaces a piece of the text of the step before.
    let steps: [(&str, &str); 10] = [
        // The other sex's rows just below the table: the "Lärare" row is a split block now.
        ("Tabellen visar läget.\n", "Lärare kvinnor 7\nLärare män 7\n"),
        // Two other lines in between: no longer neighbours.
        (
            "Lärare kvinnor 7\n",
            "Tabellen visar läget.\n\nOch mer.\n\nLärare kvinnor 7\n",
        ),
        ("Och mer.\n", ""),
        // Inside a cell, and a total that no longer adds up.
        ("| Elever | 120 |", "| Elever | 121 |"),
        ("| Totalt | 6 |", "| Totalt | 5 |"),
        // The line below the second table, and the blank line between the tables removed.
        ("Slut.\n", "Män 4 och kvinnor 1.\n"),
        ("\n\nTabellen visar läget.\n\n", "\nTabellen visar läget.\n"),
        ("Lärare män 7\n", ""),
        // A table row flattened into prose, and the other sex's rows in the next paragraph.
        ("Slutord.\n", "Medarbetare kvinnor 7 % 8 %\nMedarbetare män 6 % 9 %\n"),
        ("Medarbetare män 6 % 9 %\n", "Medarbetare 1 2\n"),
    ];
    let mut text = BASE.to_string();
    let mut results: Vec<Found> = Vec::new();
    for i in 0..=steps.len() {
        if i > 0 {
            let (from, to) = steps[i - 1];
            assert!(text.contains(from), "step {i}: {from:?} is not in the text");
            text = text.replacen(from, to, 1);
        }
        let fresh = found(&text, &rules, None);
        let kept = found(&text, &rules, Some(&mut memo));
        assert_eq!(kept, fresh, "step {i}, text:\n{text}");
        results.push(fresh);
    }
    // The edits below the first table change its findings: a memo keyed by the table's text
    // alone would fail the comparison above.
    let larare = |f: &Found| {
        f.iter()
            .any(|(rule, t, _)| rule == "statistik/konsuppdelning" && t == "Lärare")
    };
    assert!(larare(&results[0]), "{:#?}", results[0]);
    assert!(!larare(&results[1]), "{:#?}", results[1]);
    assert!(larare(&results[2]), "{:#?}", results[2]);
    // And the edits below the flattened row change its finding.
    let flat = |f: &Found| f.iter().any(|(_, t, _)| t == "Medarbetare yngre än 30 år");
    assert!(flat(&results[8]), "{:#?}", results[8]);
    assert!(!flat(&results[9]), "{:#?}", results[9]);
    assert!(flat(&results[10]), "{:#?}", results[10]);
}

/// Replaces `removed` bytes at `at` (both moved out to character boundaries, within the text)
/// with `inserted`.
fn edit(text: &mut String, at: usize, removed: usize, inserted: &str) {
    let at = belysa::document::floor_char_boundary(text, at);
    let mut end = (at + removed).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    text.replace_range(at..end, inserted);
}

/// The budget documents of the corpus, one after the other, to more than `len` bytes: long
/// enough for the patterns' fast path.
fn long_budget(len: usize) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
    let mut out = String::new();
    for id in ["004", "009", "015", "020", "045"].iter().cycle() {
        if out.len() > len {
            break;
        }
        out.push_str(&std::fs::read_to_string(root.join(format!("{id}.txt"))).unwrap());
        out.push_str("\n\n");
    }
    out
}

#[test]
fn edits_that_make_and_break_pattern_and_term_matches_give_the_fresh_result() {
    let rules = RuleSet::builtin().unwrap();
    let mut memo = Memo::new();
    let mut text = long_budget(60_000);
    // (where, as a fraction of the text; what is removed there, in bytes; what goes in)
    let steps: [(f64, usize, &str); 12] = [
        (0.5, 0, "Vi gör en utredning av saken. "),
        (0.5, 3, ""),
        (0.1, 0, "Av de anställda är 15 % av de äldre kvinnor. "),
        (0.1, 12, "ålder "),
        (0.9, 0, "Två kvinnliga chefer och en handikappad "),
        (0.9, 5, "."),
        (0.3, 0, "han/hon "),
        (0.0, 0, "Inga konsekvenser. "),
        (1.0, 0, " Mannen och frun gör en bedömning."),
        (0.7, 40, ""),
        (0.2, 0, "manlig förskollärare"),
        (0.2, 1, "M"),
    ];
    for (i, (at, removed, inserted)) in steps.into_iter().enumerate() {
        let at = (text.len() as f64 * at) as usize;
        edit(&mut text, at, removed, inserted);
        let doc = analyze("t.txt", text.clone(), Format::Text, Some(DocKind::Budget));
        // Every pack, the rules that are off by default too.
        let sel = Selection {
            enable: rules.packs().iter().map(|p| p.name.clone()).collect(),
            ..Selection::default()
        };
        let fresh = check(&doc, &rules, &sel).diagnostics;
        let kept = check_memo(&doc, &rules, &sel, &mut memo).diagnostics;
        assert_eq!(kept.len(), fresh.len(), "step {i}");
        for (k, f) in kept.iter().zip(&fresh) {
            assert_eq!(
                (&k.rule, &k.span, &k.message),
                (&f.rule, &f.span, &f.message),
                "step {i}"
            );
        }
    }
}

#[test]
fn rules_that_skip_a_check_do_not_reuse_matches_of_an_older_text() {
    let rules = RuleSet::builtin().unwrap();
    let mut memo = Memo::new();
    let all = Selection {
        enable: rules.packs().iter().map(|p| p.name.clone()).collect(),
        ..Selection::default()
    };
    // The pattern and term packs sit out the second check, as when another kind is detected.
    let some = Selection {
        ignore: vec!["klarsprak".into(), "normkritik".into(), "statistik".into()],
        ..all.clone()
    };
    let mut text = long_budget(60_000);
    let mut results = Vec::new();
    for (step, sel) in [&all, &some, &all].into_iter().enumerate() {
        let at = text.len() / 3;
        edit(
            &mut text,
            at,
            0,
            "Vi gör en utredning om kvinnliga chefer och handikappade. ",
        );
        let doc = analyze("t.txt", text.clone(), Format::Text, Some(DocKind::Budget));
        let fresh: Vec<_> = check(&doc, &rules, sel)
            .diagnostics
            .into_iter()
            .map(|d| (d.rule, d.span))
            .collect();
        let kept: Vec<_> = check_memo(&doc, &rules, sel, &mut memo)
            .diagnostics
            .into_iter()
            .map(|d| (d.rule, d.span))
            .collect();
        assert_eq!(kept, fresh, "step {step}");
        results.push(fresh);
    }
    assert!(results[2].iter().any(|(r, _)| r == "klarsprak/substantivsjuka"));
}
