//! Built-in analyzers that rules call by name with parameters.
//!
//! A rule file says `analyzer person-statistics { min-count 5 }`; the compiler calls [`build`]
//! with the name and the parameters, and the engine calls [`Analyzer::run`] once per document.
//! Each analyzer reports [`Finding`]s; the rule that called it decides severity and message, and
//! the finding's `values` fill the message's `{placeholders}`.

use std::collections::BTreeMap;

use crate::document::{Document, Span};

/// A parameter value as written in a rule file.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    /// A bare parameter with no value: a switch that is on.
    Flag,
    Number(f64),
    /// One or more quoted strings.
    List(Vec<String>),
    /// A bare word, e.g. `report unsplit`.
    Word(String),
}

/// Parameters by name, as written in the rule file.
pub type Params = BTreeMap<String, ParamValue>;

/// A parameter problem, reported by the compiler at the parameter's place in the rule file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    /// The parameter at fault, or `None` when the problem concerns the analyzer as a whole.
    pub param: Option<String>,
    /// A Swedish explanation for the rule author.
    pub message: String,
}

/// What an analyzer found.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Bytes of the document text to underline.
    pub span: Span,
    /// Values for the rule message's placeholders, e.g. `("lix", "62")`.
    pub values: Vec<(&'static str, String)>,
}

pub trait Analyzer: Send + Sync + std::fmt::Debug {
    fn run(&self, doc: &Document, out: &mut Vec<Finding>);
}

/// Documentation of one parameter, for `belysa rules explain`, docs and editor completion.
#[derive(Debug, Clone, Copy)]
pub struct ParamDoc {
    pub name: &'static str,
    /// "tal", "lista", "ord" or "flagga".
    pub kind: &'static str,
    pub default: &'static str,
    pub help: &'static str,
}

/// Documentation of an analyzer.
#[derive(Debug, Clone, Copy)]
pub struct AnalyzerDoc {
    pub name: &'static str,
    pub help: &'static str,
    /// The placeholders its findings fill.
    pub values: &'static [&'static str],
    pub params: &'static [ParamDoc],
}

/// Every built-in analyzer.
pub fn catalog() -> &'static [AnalyzerDoc] {
    &[]
}

/// Builds an analyzer from its name and parameters.
pub fn build(name: &str, _params: &Params) -> Result<Box<dyn Analyzer>, ParamError> {
    Err(ParamError {
        param: None,
        message: format!("okänd analys `{name}`"),
    })
}
