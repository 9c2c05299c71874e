//! The rule-file parser and compiler, then the examples of whatever compiled.

use belysa::engine::run_examples;
use belysa::rules::{RuleSet, RuleSource};

/// Runs one input of the `rules` fuzz target.
pub fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = RuleSource {
        name: "fuzz.belysa".to_string(),
        text: text.to_string(),
    };
    match RuleSet::load(&[source], false) {
        Ok(rules) => {
            let _ = run_examples(&rules, None);
        }
        Err(e) => {
            for err in &e.errors {
                // Every error points into the file it names.
                assert!(err.span.end <= text.len() && err.span.start <= err.span.end);
            }
        }
    }
}
