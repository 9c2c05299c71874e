//! One diagnostic type for everything the engine reports.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::document::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub const ALL: [Severity; 4] = [Severity::Error, Severity::Warning, Severity::Info, Severity::Hint];

    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|k| k.name() == s)
    }

    /// The Swedish label shown to people.
    pub fn label_sv(self) -> &'static str {
        match self {
            Severity::Error => "fel",
            Severity::Warning => "varning",
            Severity::Info => "info",
            Severity::Hint => "tips",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The law, guide or policy behind a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRef {
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl fmt::Display for SourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.url {
            Some(url) => write!(f, "{} <{}>", self.title, url),
            None => f.write_str(&self.title),
        }
    }
}

/// Whether a fix may be applied without a person looking at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Shown as a suggestion only.
    Manual,
    /// `belysa check --fix` may apply it.
    Safe,
}

/// One text replacement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// `pack/rule`.
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    /// The rule's help, shared by its findings.
    pub help: Option<std::sync::Arc<str>>,
    /// The rule's sources, shared by its findings.
    pub sources: std::sync::Arc<[SourceRef]>,
    /// Bytes of the document text.
    pub span: Span,
    /// Replacement texts for the span, best first.
    pub suggestions: Vec<String>,
    /// The unambiguous fix, when there is one.
    pub fix: Option<Fix>,
}

impl Diagnostic {
    pub fn pack(&self) -> &str {
        self.rule.split('/').next().unwrap_or(&self.rule)
    }
}

/// A suppression comment and what it silenced, so that a registrar can see what was waived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuppressionReport {
    pub rules: Vec<String>,
    pub reason: Option<String>,
    pub span: Span,
    pub silenced: usize,
}
