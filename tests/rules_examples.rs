//! Every built-in rule's examples run as tests (`belysa rules test` does the same).

use belysa::engine::run_examples;
use belysa::rules::{RuleSet, RuleSource};

/// The built-in packs compile their patterns and build their analyzers on first use; here every
/// one of them is compiled and built, so a broken pattern cannot hide behind the laziness.
#[test]
fn builtin_rules_compile() {
    let set = match RuleSet::builtin() {
        Ok(s) => s,
        Err(e) => panic!("{:?}", miette::Report::new(e)),
    };
    assert!(!set.rules().is_empty());
    if let Err(errors) = set.compile_all() {
        panic!("{}", errors.join("\n"));
    }
}

/// The same files loaded as someone else's rule files are compiled at once, with every check a
/// rule author gets.
#[test]
fn builtin_rule_files_compile_as_user_files() {
    let files: Vec<RuleSource> = RuleSource::builtin()
        .into_iter()
        .map(|s| RuleSource {
            name: s.name.replace("rules/", "egna/"),
            text: s.text,
        })
        .collect();
    let set = RuleSet::load(&files, false).unwrap_or_else(|e| panic!("{:?}", miette::Report::new(e)));
    assert_eq!(set.rules().len(), RuleSet::builtin().map_or(0, |b| b.rules().len()));
    assert!(set.compile_all().is_ok());
}

#[test]
fn every_builtin_rule_has_failing_and_passing_examples() {
    let set = RuleSet::builtin().unwrap_or_else(|e| panic!("{:?}", miette::Report::new(e)));
    for (info, rule) in set.rules().iter().zip(set.compiled()) {
        assert!(
            rule.examples.iter().any(|e| e.fail),
            "{} has no failing example",
            info.id
        );
        assert!(
            rule.examples.iter().any(|e| !e.fail),
            "{} has no passing example",
            info.id
        );
    }
}

#[test]
fn builtin_examples_pass() {
    let set = RuleSet::builtin().unwrap_or_else(|e| panic!("{:?}", miette::Report::new(e)));
    let failures: Vec<String> = run_examples(&set, None)
        .into_iter()
        .filter(|r| !r.passed)
        .map(|r| {
            format!(
                "{} ({} example at {}:{:?}): {}",
                r.rule,
                if r.fail { "fail" } else { "pass" },
                r.file,
                r.span,
                r.found
                    .iter()
                    .map(|d| d.message.clone())
                    .collect::<Vec<_>>()
                    .join(" | ")
            )
        })
        .collect();
    assert!(failures.is_empty(), "failing examples:\n{}", failures.join("\n"));
}

#[test]
fn rule_reference_is_up_to_date() {
    let set = RuleSet::builtin().unwrap_or_else(|e| panic!("{:?}", miette::Report::new(e)));
    let generated = belysa::rules::reference::markdown(&set);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
    if std::env::var_os("BELYSA_UPDATE_DOCS").is_some() {
        std::fs::write(path, &generated).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/rules.md is out of date: run `BELYSA_UPDATE_DOCS=1 cargo test --test rules_examples` and commit it"
    );
}
