//! The rule-file parser and compiler, then the examples of whatever compiled.
//!
//! The input is one rule file, or several separated by the byte 0xFF (which UTF-8 text never
//! holds), loaded together as packs from different files are: so that the same pack or rule id
//! in two files, and errors in one file beside another, are reached too.

use belysa::engine::run_examples;
use belysa::rules::{RuleSet, RuleSource};

/// At most this many files are loaded from one input.
const MAX_FILES: usize = 4;

/// Runs one input of the `rules` fuzz target.
pub fn run(data: &[u8]) {
    let mut sources = Vec::new();
    for (i, part) in data.split(|&b| b == 0xFF).take(MAX_FILES).enumerate() {
        let Ok(text) = std::str::from_utf8(part) else {
            return;
        };
        sources.push(RuleSource {
            name: format!("fuzz{i}.belysa"),
            text: text.to_string(),
        });
    }
    match RuleSet::load(&sources, false) {
        Ok(rules) => {
            let _ = run_examples(&rules, None);
        }
        Err(e) => {
            for err in &e.errors {
                // Every error names one of the files and points into it.
                let file = sources.iter().find(|s| s.name == err.file());
                let len = file.map(|s| s.text.len());
                assert!(
                    len.is_some(),
                    "an error names {}, which is not one of the files",
                    err.file()
                );
                assert!(
                    Some(err.span.end) <= len && err.span.start <= err.span.end,
                    "{}: {:?}",
                    err.file(),
                    err.span
                );
            }
        }
    }
}
