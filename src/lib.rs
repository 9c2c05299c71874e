//! belysa: a rule engine and policy linter for Swedish public decision documents.
//!
//! The pipeline, each stage knowing nothing of the stages after it:
//! [`ingest`] (bytes → text) → [`analysis`] (text → [`document::Document`]) → [`rules`] (rule
//! files → compiled [`rules::RuleSet`]) and [`engine`] (document × rules → diagnostics) →
//! [`diagnostics`] (one type for everything) → frontends ([`cli`]).

pub mod analysis;
pub mod analyzers;
pub mod cli;
pub mod config;
pub mod diagnostics;
pub mod document;
pub mod engine;
pub mod ingest;
pub mod rules;
