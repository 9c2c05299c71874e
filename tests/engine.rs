//! The engine's behaviour for each kind of check, on a fixture pack.

use belysa::analysis::analyze;
use belysa::diagnostics::{Applicability, Severity};
use belysa::document::{DocKind, Format};
use belysa::engine::{check, run_examples, Selection};
use belysa::rules::{RuleSet, RuleSource};

fn rules() -> RuleSet {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/rules/engine.belysa");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    RuleSet::load(
        &[RuleSource {
            name: "engine.belysa".into(),
            text,
        }],
        false,
    )
    .unwrap_or_else(|e| panic!("{:?}", miette::Report::new(e)))
}

fn run(text: &str, select: &[&str]) -> Vec<(String, String, Severity)> {
    run_kind(text, select, DocKind::Tjansteutlatande)
}

fn run_kind(text: &str, select: &[&str], kind: DocKind) -> Vec<(String, String, Severity)> {
    let set = rules();
    let doc = analyze("t.md", text.to_string(), Format::Markdown, Some(kind));
    let sel = Selection {
        select: select.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    check(&doc, &set, &sel)
        .diagnostics
        .into_iter()
        .map(|d| (d.rule.clone(), doc.text[d.span.clone()].to_string(), d.severity))
        .collect()
}

fn texts(found: &[(String, String, Severity)]) -> Vec<&str> {
    found.iter().map(|f| f.1.as_str()).collect()
}

#[test]
fn terms_match_whole_words_in_every_form_case_insensitively() {
    let found = run(
        "Handikappade barn. Handikappades rätt. Talesmän och talesmannen. Partnern kom. \
         Pappersarbete och partnerskapet och handikappadressen.",
        &["prov/termer"],
    );
    assert_eq!(
        texts(&found),
        ["Handikappade", "Handikappades", "Talesmän", "talesmannen", "Partnern"]
    );
}

#[test]
fn compounds_are_opt_in_and_exceptions_are_respected() {
    let found = run(
        "Tjänstemannaförslaget och tjänstemannaansvar. Tjänstemän.",
        &["prov/termer"],
    );
    assert_eq!(texts(&found), ["Tjänstemannaförslaget", "Tjänstemän"]);
}

#[test]
fn match_case_entries_and_entry_severity() {
    let found = run(
        "Barnet har CP. Han gick till cp-mottagningen? Nej, cp.",
        &["prov/termer"],
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, "CP");
    assert_eq!(found[0].2, Severity::Error);
}

#[test]
fn phrases_match_across_line_breaks_and_quotes_lower_the_severity() {
    let found = run(
        "Vi är i dag vara i\nbehov av stöd. Hon sa ”vi vill erhålla stöd”.",
        &["prov/termer"],
    );
    assert_eq!(texts(&found), ["vara i\nbehov av", "erhålla"]);
    assert_eq!(found[0].2, Severity::Warning);
    assert_eq!(found[1].2, Severity::Hint, "a quotation is someone else's words");
}

#[test]
fn hyphenated_line_breaks_are_joined_for_matching() {
    let found = run("Den nya tales-\nmannen kom.", &["prov/termer"]);
    assert_eq!(texts(&found), ["tales-\nmannen"]);
}

#[test]
fn single_safe_replacements_become_fixes_with_the_original_case() {
    let set = rules();
    let doc = analyze(
        "t.md",
        "Talesman Erhålla handikappad talesmannen".into(),
        Format::Markdown,
        None,
    );
    let out = check(
        &doc,
        &set,
        &Selection {
            select: vec!["prov/termer".into()],
            ..Default::default()
        },
    );
    let fixes: Vec<(String, Option<String>)> = out
        .diagnostics
        .iter()
        .map(|d| {
            let fix = d.fix.as_ref().filter(|f| f.applicability == Applicability::Safe);
            (
                doc.text[d.span.clone()].to_string(),
                fix.map(|f| f.edits[0].replacement.clone()),
            )
        })
        .collect();
    assert_eq!(
        fixes,
        [
            ("Talesman".into(), Some("Talesperson".into())),
            ("Erhålla".into(), Some("Få".into())),
            // `manual`: a person must adjust the sentence
            ("handikappad".into(), None),
            // an inflected form: the base-form suggestion would not fit
            ("talesmannen".into(), None),
        ]
    );
    assert!(
        out.diagnostics[0].message.contains("skriv ”Talesperson”"),
        "{}",
        out.diagnostics[0].message
    );
}

#[test]
fn patterns_with_except_and_unless() {
    let found = run(
        "Vi beslutar i enlighet med föreliggande förslag. Vi beslutar inte i enlighet med föreliggande förslag. \
         Som citerat: i enlighet med bifogat förslag.",
        &["prov/monster"],
    );
    assert_eq!(texts(&found), ["i enlighet med föreliggande förslag"]);
}

#[test]
fn conditions_look_within_n_sentences() {
    let found = run(
        "Förslaget har inga konsekvenser. Det är bra.\n\nÄrendet har inga konsekvenser. Detta eftersom inget ändras.",
        &["prov/villkor"],
    );
    assert_eq!(texts(&found), ["inga konsekvenser"]);
}

#[test]
fn anywhere_paragraphs_count_in_any_section_and_are_checked_for_substance() {
    let found = run(
        "# Titel\n\n## Bakgrund\n\nEn jämställdhetsanalys visar att kvinnor och män använder tjänsten lika mycket.",
        &["prov/avsnitt"],
    );
    assert!(found.is_empty(), "{found:?}");
    let thin = run(
        "# Titel\n\n## Bakgrund\n\nEn jämställdhetsanalys ska göras senare under året av förvaltningen.",
        &["prov/avsnitt"],
    );
    assert_eq!(thin.len(), 1, "{thin:?}");
    assert!(thin[0].1.contains("jämställdhetsanalys"), "{thin:?}");
}

#[test]
fn required_sections_by_heading_or_paragraph_inside_a_section() {
    let missing = run("# Titel\n\n## Bakgrund\n\nText.", &["prov/avsnitt"]);
    assert_eq!(missing.len(), 1);
    let as_paragraph = run(
        "# Titel\n\n## Konsekvenser\n\nFör jämställdheten innebär förslaget att kvinnor och män får samma stöd.",
        &["prov/avsnitt"],
    );
    assert!(as_paragraph.is_empty(), "{as_paragraph:?}");
    let outside = run(
        "# Titel\n\n## Bakgrund\n\nJämställdheten gäller kvinnor och män i hela kommunen nu.",
        &["prov/avsnitt"],
    );
    assert_eq!(
        outside.len(),
        1,
        "a paragraph outside a Konsekvenser section does not count"
    );
}

#[test]
fn incomplete_sections_say_what_is_missing() {
    let set = rules();
    let doc = analyze(
        "t.md",
        "# T\n\n## Jämställdhet\n\nInga konsekvenser.\n".into(),
        Format::Markdown,
        Some(DocKind::Tjansteutlatande),
    );
    let out = check(
        &doc,
        &set,
        &Selection {
            select: vec!["prov/avsnitt".into()],
            ..Default::default()
        },
    );
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(
        out.diagnostics[0].message,
        "Jämställdhetsanalysen är ofullständig: avsnittet har bara 2 ord."
    );
    assert_eq!(&doc.text[out.diagnostics[0].span.clone()], "Jämställdhet");
}

#[test]
fn kinds_limit_where_a_rule_runs() {
    let found = run_kind("# Titel\n\nText.", &["prov/avsnitt"], DocKind::Budget);
    assert!(found.is_empty());
}

#[test]
fn default_off_rules_run_only_when_chosen() {
    assert!(run("Det kommer snart.", &[]).iter().all(|f| f.0 != "prov/avstangd"));
    // Naming the pack is choosing its opt-in rules too.
    assert_eq!(
        run("Det kommer snart.", &["prov"])
            .iter()
            .filter(|f| f.0 == "prov/avstangd")
            .count(),
        1
    );
    assert_eq!(run("Det kommer snart.", &["prov/avstangd"]).len(), 1);
}

fn run_profile(text: &str, select: &[&str], profile: Option<&str>) -> Vec<(String, String, Severity)> {
    let set = rules();
    let doc = analyze(
        "t.md",
        text.to_string(),
        Format::Markdown,
        Some(DocKind::Tjansteutlatande),
    );
    let sel = Selection {
        select: select.iter().map(|s| s.to_string()).collect(),
        profile: profile.map(str::to_string),
        ..Default::default()
    };
    check(&doc, &set, &sel)
        .diagnostics
        .into_iter()
        .map(|d| (d.rule.clone(), doc.text[d.span.clone()].to_string(), d.severity))
        .collect()
}

#[test]
fn profiles_limit_a_rule_to_the_chosen_bodies() {
    let text = "Nämnden beslutar i enlighet med föreliggande förslag.";
    let only = |p: Option<&str>| {
        run_profile(text, &["prov/malmoregel", "prov/monster"], p)
            .into_iter()
            .map(|f| f.0)
            .collect::<Vec<_>>()
    };
    // No profile is `generic`: a rule with profiles that do not include it stays off.
    assert!(!only(None).contains(&"prov/malmoregel".to_string()));
    assert!(!only(Some("generic")).contains(&"prov/malmoregel".to_string()));
    assert!(!only(Some("stockholm-stad")).contains(&"prov/malmoregel".to_string()));
    assert!(only(Some("malmo")).contains(&"prov/malmoregel".to_string()));
    assert!(only(Some("nacka")).contains(&"prov/malmoregel".to_string()));
    // The known profiles are always offered; a rule file may add its own.
    let set = rules();
    assert!(set.profiles().contains(&"region-stockholm"));
    let own = RuleSet::load(
        &[RuleSource {
            name: "egen.belysa".into(),
            text: "pack egen { title \"E\" }\nrule r { severity info profiles min-kommun message \"m\" help \"h\" source \"s\" pattern \"x\" }".into(),
        }],
        false,
    )
    .unwrap_or_else(|e| panic!("{:?}", miette::Report::new(e)));
    assert!(own.profiles().contains(&"min-kommun"));
}

#[test]
fn section_order_and_repeated_text_analyzers() {
    let found = run(
        "# T\n\n## Bakgrund\n\nText.\n\n## Förslag till beslut\n\nText.",
        &["prov/ordningsregel"],
    );
    assert_eq!(texts(&found), ["Förslag till beslut"]);
    let set = rules();
    let doc = analyze(
        "t.md",
        "# T\n\n## Barnperspektiv\n\nÄrendet berör inte barnen alls.\n\n## Miljöperspektiv\n\nÄrendet berör inte barnen alls.".into(),
        Format::Markdown,
        Some(DocKind::Tjansteutlatande),
    );
    let sel = Selection {
        select: vec!["prov/dubbeltext".into()],
        ..Default::default()
    };
    let out = check(&doc, &set, &sel).diagnostics;
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].message, "Samma text som under ”Barnperspektiv”.");
    assert_eq!(
        doc.location(out[0].span.start).section.as_deref(),
        Some("Miljöperspektiv")
    );
}

#[test]
fn ignore_and_severity_overrides() {
    let set = rules();
    let doc = analyze("t.md", "Talesman. Snart.".into(), Format::Markdown, None);
    let mut sel = Selection {
        ignore: vec!["prov/monster".into()],
        ..Default::default()
    };
    sel.severities.insert("prov".into(), Severity::Info);
    let out = check(&doc, &set, &sel);
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].severity, Severity::Info);
    sel.ignore.push("prov/termer".into());
    assert!(check(&doc, &set, &sel).diagnostics.is_empty());
}

#[test]
fn suppression_comments_silence_and_are_reported() {
    let set = rules();
    let text = "<!-- belysa-disable-next-line prov/termer -- citat ur lagtext -->\nTalesman här.\n\n\
                <!-- belysa-disable-next-line prov/monster -- onödig -->\nInget att tysta.\n\nTalesman där.\n";
    let doc = analyze("t.md", text.into(), Format::Markdown, None);
    let out = check(&doc, &set, &Selection::default());
    let rules: Vec<&str> = out.diagnostics.iter().map(|d| d.rule.as_str()).collect();
    assert_eq!(
        rules,
        ["belysa/oanvant-undantag", "prov/termer"],
        "{:?}",
        out.diagnostics
    );
    assert_eq!(out.suppressions.len(), 2);
    assert_eq!(out.suppressions[0].silenced, 1);
    assert_eq!(out.suppressions[0].reason.as_deref(), Some("citat ur lagtext"));
    assert_eq!(out.suppressions[1].silenced, 0);
}

#[test]
fn fixture_examples_pass_and_a_broken_example_fails() {
    let set = rules();
    let results = run_examples(&set, None);
    assert!(
        results.iter().all(|r| r.passed),
        "{:?}",
        results.iter().filter(|r| !r.passed).collect::<Vec<_>>()
    );
    // A pass example that the rule does report must fail the test run.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/rules/engine.belysa");
    let text = std::fs::read_to_string(path).unwrap_or_default().replace(
        "example pass \"Talespersonen kom.\"",
        "example pass \"Talesmannen kom.\"",
    );
    let broken = RuleSet::load(
        &[RuleSource {
            name: "broken.belysa".into(),
            text,
        }],
        false,
    )
    .unwrap_or_else(|e| panic!("{:?}", miette::Report::new(e)));
    let failed: Vec<_> = run_examples(&broken, Some("prov/termer"))
        .into_iter()
        .filter(|r| !r.passed)
        .collect();
    assert_eq!(failed.len(), 1);
    assert!(!failed[0].fail);
}
