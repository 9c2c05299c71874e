//! Errors in rule files, rendered by miette with the file, the place and a suggestion.

use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

use crate::document::Span;

/// One problem in one rule file.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(belysa::regelfil))]
pub struct RuleFileError {
    pub message: String,
    #[source_code]
    pub src: NamedSource<Arc<str>>,
    #[label("{label}")]
    pub at: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
    /// The rule the problem is in, when there is one (`pack/rule`).
    pub rule: Option<String>,
    /// The byte span, for the language server.
    pub span: Span,
}

/// Source text of a rule file shared between its errors.
#[derive(Debug, Clone)]
pub struct FileSource {
    pub name: String,
    pub text: Arc<str>,
}

impl FileSource {
    pub fn new(name: &str, text: &str) -> Self {
        FileSource {
            name: name.to_string(),
            text: Arc::from(text),
        }
    }

    pub fn error(&self, span: Span, message: impl Into<String>, label: impl Into<String>) -> RuleFileError {
        let len = self.text.len();
        let start = span.start.min(len);
        let end = span.end.clamp(start, len);
        RuleFileError {
            message: message.into(),
            src: NamedSource::new(self.name.clone(), self.text.clone()),
            at: (start, end - start).into(),
            label: label.into(),
            help: None,
            rule: None,
            span: start..end,
        }
    }
}

impl RuleFileError {
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn in_rule(mut self, id: &str) -> Self {
        self.rule = Some(id.to_string());
        self
    }

    pub fn file(&self) -> &str {
        self.src.name()
    }
}

/// Every problem found while loading rule files. One bad file does not hide the others'
/// problems, and nothing is loaded while any error remains.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("{summary}")]
#[diagnostic(code(belysa::regler))]
pub struct RuleLoadError {
    pub summary: String,
    #[related]
    pub errors: Vec<RuleFileError>,
}

impl RuleLoadError {
    pub fn new(errors: Vec<RuleFileError>) -> Self {
        let files: std::collections::BTreeSet<&str> = errors.iter().map(|e| e.file()).collect();
        let n = errors.len();
        let summary = format!("{} {} i {}", n, "fel", files.into_iter().collect::<Vec<_>>().join(", "));
        RuleLoadError { summary, errors }
    }
}
