//! The normkritik pack covers every term of the peer comparison (`../shared/bench/terms.txt`,
//! copied to `tests/fixtures/peers-terms.txt`), so that `bench/`'s and peers.sh's figures compare
//! the same work. `--select normkritik` also runs the pack's opt-in rules, as here.

use belysa::analysis::analyze;
use belysa::document::{DocKind, Format};
use belysa::engine::{check, Selection};
use belysa::rules::RuleSet;

#[test]
fn normkritik_reports_every_peer_term() {
    let rules = RuleSet::builtin().unwrap();
    let selection = Selection {
        select: vec!["normkritik".into()],
        ..Default::default()
    };
    let terms = include_str!("fixtures/peers-terms.txt");
    let mut missing = Vec::new();
    let mut count = 0;
    for term in terms.lines().map(str::trim).filter(|t| !t.is_empty()) {
        count += 1;
        let text = format!("Nämnden skrev om {term} i ärendet.");
        let start = text.find(term).unwrap();
        let doc = analyze("termer", text.clone(), Format::Text, Some(DocKind::Tjansteutlatande));
        let found = check(&doc, &rules, &selection)
            .diagnostics
            .into_iter()
            .any(|d| d.rule.starts_with("normkritik/") && d.span.start <= start && start < d.span.end);
        if !found {
            missing.push(term.to_string());
        }
    }
    assert!(count > 80, "{count}");
    assert!(missing.is_empty(), "not reported: {missing:?}");
}
