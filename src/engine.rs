//! Runs compiled rules over a document.
// TEMPORARY: replaced by the lead's implementation at merge

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, Severity, SuppressionReport};
use crate::document::Document;
use crate::rules::RuleSet;

#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// Rule id or pack name → severity.
    pub severities: BTreeMap<String, Severity>,
}

#[derive(Debug, Clone, Default)]
pub struct CheckOutput {
    pub diagnostics: Vec<Diagnostic>,
    pub suppressions: Vec<SuppressionReport>,
}

pub fn check(doc: &Document, rules: &RuleSet, selection: &Selection) -> CheckOutput {
    let _ = (doc, rules, selection);
    CheckOutput::default()
}

/// The outcome of one `example pass` / `example fail` of a rule.
#[derive(Debug, Clone)]
pub struct ExampleResult {
    /// `pack/rule`.
    pub rule: String,
    pub passed: bool,
    /// What went wrong, in Swedish, when it did not pass; a short description otherwise.
    pub message: String,
}

pub fn run_examples(rules: &RuleSet, only: Option<&str>) -> Vec<ExampleResult> {
    let _ = (rules, only);
    Vec::new()
}
