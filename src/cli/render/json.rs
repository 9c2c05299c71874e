//! JSON output, as documented in `docs/json-format.md`.

use serde::Serialize;

use super::{FileReport, Summary};
use crate::diagnostics::{Diagnostic, SourceRef, SuppressionReport};
use crate::document::{floor_char_boundary, Document, LineCol, LineIndex, Location};

/// The format version; raised when a field changes meaning or disappears.
pub const VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct JsonOutput<'a> {
    pub version: u32,
    pub files: Vec<JsonFile<'a>>,
    pub summary: JsonSummary,
}

#[derive(Debug, Serialize)]
pub struct JsonFile<'a> {
    pub path: &'a str,
    pub kind: Option<&'static str>,
    pub error: Option<String>,
    pub notes: &'a [String],
    pub diagnostics: Vec<JsonDiagnostic<'a>>,
    pub suppressions: Vec<JsonSuppression<'a>>,
}

#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub rule: &'a str,
    pub severity: &'static str,
    pub message: &'a str,
    pub help: Option<&'a str>,
    pub source: Option<JsonSource<'a>>,
    pub range: JsonRange,
    pub offset: [usize; 2],
    pub text: &'a str,
    pub suggestions: &'a [String],
    /// Page (PDF), paragraph number and section heading.
    pub location: Location,
    /// Every source of the rule; `source` is the first.
    pub sources: &'a [SourceRef],
}

#[derive(Debug, Serialize)]
pub struct JsonSource<'a> {
    pub title: &'a str,
    pub url: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct JsonRange {
    pub start: LineCol,
    pub end: LineCol,
}

#[derive(Debug, Serialize)]
pub struct JsonSuppression<'a> {
    pub rules: &'a [String],
    pub reason: Option<&'a str>,
    pub line: usize,
    pub silenced: usize,
}

#[derive(Debug, Serialize)]
pub struct JsonSummary {
    pub files: usize,
    pub error: usize,
    pub warning: usize,
    pub info: usize,
    pub hint: usize,
}

/// The JSON document for a run, pretty-printed, with a final newline.
pub fn render(reports: &[FileReport]) -> String {
    let files = reports.iter().map(file).collect();
    let s = Summary::of(reports);
    let out = JsonOutput {
        version: VERSION,
        files,
        summary: JsonSummary {
            files: s.files,
            error: s.error,
            warning: s.warning,
            info: s.info,
            hint: s.hint,
        },
    };
    match serde_json::to_string_pretty(&out) {
        Ok(mut text) => {
            text.push('\n');
            text
        }
        // Serialising plain structs of strings and numbers cannot fail.
        Err(_) => String::from("{}\n"),
    }
}

fn file(report: &FileReport) -> JsonFile<'_> {
    match &report.outcome {
        Ok(checked) => {
            let doc = &checked.doc;
            let index = LineIndex::new(&doc.text);
            JsonFile {
                path: &report.name,
                kind: Some(doc.kind.name()),
                error: None,
                notes: &doc.notes,
                diagnostics: checked.diagnostics.iter().map(|d| diagnostic(d, doc, &index)).collect(),
                suppressions: checked
                    .suppressions
                    .iter()
                    .map(|s| suppression(s, doc, &index))
                    .collect(),
            }
        }
        Err(err) => JsonFile {
            path: &report.name,
            kind: None,
            error: Some(err.to_string()),
            notes: &[],
            diagnostics: Vec::new(),
            suppressions: Vec::new(),
        },
    }
}

fn diagnostic<'a>(d: &'a Diagnostic, doc: &'a Document, index: &LineIndex) -> JsonDiagnostic<'a> {
    let text = &doc.text;
    let start = floor_char_boundary(text, d.span.start);
    let end = floor_char_boundary(text, d.span.end.max(start));
    JsonDiagnostic {
        rule: &d.rule,
        severity: d.severity.name(),
        message: &d.message,
        help: d.help.as_deref(),
        source: d.sources.first().map(|s| JsonSource {
            title: &s.title,
            url: s.url.as_deref(),
        }),
        range: JsonRange {
            start: index.line_col(text, start),
            end: index.line_col(text, end),
        },
        offset: [start, end],
        text: text.get(start..end).unwrap_or(""),
        suggestions: &d.suggestions,
        location: doc.location(start),
        sources: &d.sources,
    }
}

fn suppression<'a>(s: &'a SuppressionReport, doc: &Document, index: &LineIndex) -> JsonSuppression<'a> {
    JsonSuppression {
        rules: &s.rules,
        reason: s.reason.as_deref(),
        line: index.line_col(&doc.text, s.span.start).line,
        silenced: s.silenced,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::analysis::analyze;
    use crate::cli::render::Checked;
    use crate::diagnostics::{Severity, SourceRef};
    use crate::document::{DocKind, Format};
    use crate::ingest::IngestError;

    #[test]
    fn shape_positions_and_errors() {
        let text = "Rubrik\r\nÅr 2024 fick handikappade stöd.\n<!-- belysa-disable-next-line a/b -- citat -->\n";
        let mut doc = analyze("a.md", text.to_string(), Format::Markdown, Some(DocKind::Budget));
        doc.notes.push("avkodad som Windows-1252".into());
        let start = text.find("handikappade").unwrap();
        let supp = text.find("<!--").unwrap();
        let reports = vec![
            FileReport {
                name: "a.md".into(),
                outcome: Ok(Checked {
                    doc: Arc::new(doc),
                    diagnostics: vec![Diagnostic {
                        rule: "normkritik/handikapp".into(),
                        severity: Severity::Warning,
                        message: "Undvik ”handikappade”.".into(),
                        help: Some("Skriv hellre personer med funktionsnedsättning.".into()),
                        sources: vec![SourceRef {
                            title: "Socialstyrelsens termbank".into(),
                            url: None,
                        }],
                        span: start..start + "handikappade".len(),
                        suggestions: vec!["personer med funktionsnedsättning".into()],
                        fix: None,
                    }],
                    suppressions: vec![SuppressionReport {
                        rules: vec!["a/b".into()],
                        reason: Some("citat".into()),
                        span: supp..supp + 4,
                        silenced: 2,
                    }],
                }),
            },
            FileReport {
                name: "b.txt".into(),
                outcome: Err(IngestError::Binary { name: "b.txt".into() }),
            },
        ];
        let out = render(&reports);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let d = &v["files"][0]["diagnostics"][0];
        assert_eq!(d["range"]["start"]["line"], 2);
        // "År 2024 fick " is 13 characters, 14 bytes.
        assert_eq!(d["range"]["start"]["column"], 14);
        assert_eq!(d["range"]["end"]["column"], 26);
        assert_eq!(d["offset"][0], start);
        assert_eq!(d["text"], "handikappade");
        assert_eq!(d["source"]["url"], serde_json::Value::Null);
        assert_eq!(v["files"][0]["suppressions"][0]["line"], 3);
        assert_eq!(v["files"][1]["error"], "b.txt: filen ser ut att vara binär, inte text");
        assert_eq!(v["summary"]["warning"], 1);
        insta::assert_snapshot!(out);
    }
}
