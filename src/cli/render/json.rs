//! JSON output, as documented in `docs/json-format.md`.

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use super::{FileReport, Summary};
use crate::diagnostics::{Diagnostic, SourceRef, SuppressionReport};
use crate::document::{floor_char_boundary, Document, LineCol, LineIndex, Location};

/// The format version; raised when a field changes meaning or disappears.
pub const VERSION: u32 = 1;

/// The whole report: `version`, `files`, `summary`. Each file's diagnostics are converted while
/// they are written, so a large report is never held in memory twice.
struct JsonOutput<'a> {
    reports: &'a [FileReport],
}

impl Serialize for JsonOutput<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let s = Summary::of(self.reports);
        let mut out = serializer.serialize_struct("JsonOutput", 3)?;
        out.serialize_field("version", &VERSION)?;
        out.serialize_field("files", &Files(self.reports))?;
        out.serialize_field(
            "summary",
            &JsonSummary {
                files: s.files,
                error: s.error,
                warning: s.warning,
                info: s.info,
                hint: s.hint,
            },
        )?;
        out.end()
    }
}

struct Files<'a>(&'a [FileReport]);

impl Serialize for Files<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(JsonFile))
    }
}

/// One file: `path`, `kind`, `error`, `notes`, `diagnostics`, `suppressions`.
struct JsonFile<'a>(&'a FileReport);

impl Serialize for JsonFile<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let report = self.0;
        let mut out = serializer.serialize_struct("JsonFile", 6)?;
        out.serialize_field("path", &report.name)?;
        match &report.outcome {
            Ok(checked) => {
                let doc = &checked.doc;
                let index = LineIndex::new(&doc.text);
                out.serialize_field("kind", &Some(doc.kind.name()))?;
                out.serialize_field("error", &None::<String>)?;
                out.serialize_field("notes", &doc.notes)?;
                out.serialize_field(
                    "diagnostics",
                    &Diagnostics {
                        diagnostics: &checked.diagnostics,
                        doc,
                        index: &index,
                    },
                )?;
                out.serialize_field(
                    "suppressions",
                    &Suppressions {
                        suppressions: &checked.suppressions,
                        doc,
                        index: &index,
                    },
                )?;
            }
            Err(err) => {
                out.serialize_field("kind", &None::<&str>)?;
                out.serialize_field("error", &Some(err.to_string()))?;
                out.serialize_field("notes", &[] as &[String])?;
                out.serialize_field("diagnostics", &[] as &[JsonDiagnostic])?;
                out.serialize_field("suppressions", &[] as &[JsonSuppression])?;
            }
        }
        out.end()
    }
}

struct Diagnostics<'a> {
    diagnostics: &'a [Diagnostic],
    doc: &'a Document,
    index: &'a LineIndex,
}

impl Serialize for Diagnostics<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.diagnostics.iter().map(|d| diagnostic(d, self.doc, self.index)))
    }
}

struct Suppressions<'a> {
    suppressions: &'a [SuppressionReport],
    doc: &'a Document,
    index: &'a LineIndex,
}

impl Serialize for Suppressions<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.suppressions.iter().map(|s| suppression(s, self.doc, self.index)))
    }
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
    let mut out = Vec::new();
    match write(reports, &mut out) {
        // serde_json writes valid UTF-8.
        Ok(()) => String::from_utf8(out).unwrap_or_else(|_| String::from("{}\n")),
        // Serialising plain structs of strings and numbers into memory cannot fail.
        Err(_) => String::from("{}\n"),
    }
}

/// Writes the JSON document for a run to `out` as it is serialised, without building it in
/// memory first: the same bytes as [`render`].
pub fn write(reports: &[FileReport], out: &mut impl std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &JsonOutput { reports })?;
    out.write_all(b"\n")
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
                        }]
                        .into(),
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
