//! belysa: a rule engine and policy linter for Swedish public decision documents.
//!
//! The pipeline, each stage knowing nothing of the stages after it:
//! [`ingest`] (bytes → text) → [`analysis`] (text → [`document::Document`]) → [`rules`] (rule
//! files → compiled [`rules::RuleSet`]) and [`engine`] (document × rules → diagnostics) →
//! [`diagnostics`] (one type for everything) → frontends ([`cli`], [`lsp`]). [`fix`] applies the
//! safe fixes of a check and writes files back.

// Errors carry their source text and labels for miette; they are built rarely and never on a
// hot path, so their size does not matter.
#![allow(clippy::result_large_err)]

pub mod analysis;
pub mod analyzers;
pub mod cli;
pub mod config;
pub mod diagnostics;
pub mod document;
pub mod engine;
pub mod fix;
pub mod ingest;
pub mod lsp;
pub mod rules;
