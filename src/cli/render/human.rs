//! Human output: each diagnostic rendered by miette with the document excerpt, the rule id as
//! code and suggestions, help and sources as help; a Swedish summary line at the end.

use std::fmt;

use miette::{LabeledSpan, SourceCode, SourceSpan};

use super::{error_report, handler, DocSource, FileReport, Summary};
use crate::diagnostics::{Diagnostic, Severity};
use crate::document::{floor_char_boundary, Document, LineIndex};

/// How to render.
#[derive(Debug, Clone, Copy)]
pub struct HumanOptions {
    pub color: bool,
    pub width: usize,
}

/// A piece of output and the stream it belongs on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chunk {
    Stdout(String),
    Stderr(String),
}

/// Renders the reports in order, then the summary line.
pub fn render(reports: &[FileReport], opts: HumanOptions) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    for report in reports {
        let mut out = String::new();
        let mut err = String::new();
        render_report(report, opts, &mut |piece| out.push_str(piece), &mut |piece| {
            err.push_str(piece)
        });
        if !out.is_empty() {
            chunks.push(Chunk::Stdout(out));
        }
        if !err.is_empty() {
            chunks.push(Chunk::Stderr(err));
        }
    }
    chunks.push(Chunk::Stdout(summary_line(reports)));
    chunks
}

/// Writes what [`render`] returns piece by piece, without the whole report in memory: each
/// finding is written as it is rendered (findings to `out`, unreadable files to `err`).
pub fn write(
    reports: &[FileReport],
    opts: HumanOptions,
    out: &mut impl std::io::Write,
    err: &mut impl std::io::Write,
) -> std::io::Result<()> {
    let mut failed: Option<std::io::Error> = None;
    for report in reports {
        let mut to_out = |piece: &str| {
            if failed.is_none() {
                failed = out.write_all(piece.as_bytes()).err();
            }
        };
        let mut error_text = String::new();
        render_report(report, opts, &mut to_out, &mut |piece| error_text.push_str(piece));
        if let Some(e) = failed.take() {
            return Err(e);
        }
        if !error_text.is_empty() {
            // In order with what came before it on standard out.
            out.flush()?;
            err.write_all(error_text.as_bytes())?;
            err.flush()?;
        }
    }
    out.write_all(summary_line(reports).as_bytes())?;
    out.flush()
}

fn summary_line(reports: &[FileReport]) -> String {
    format!("{}\n", Summary::of(reports).line_sv())
}

/// One file's report: its notes and findings to `out`, one piece at a time, or its error to
/// `err`.
fn render_report(report: &FileReport, opts: HumanOptions, out: &mut dyn FnMut(&str), err: &mut dyn FnMut(&str)) {
    match &report.outcome {
        Ok(checked) => {
            let index = LineIndex::new(&checked.doc.text);
            for note in &checked.doc.notes {
                out(&format!("{}: obs: {note}\n", report.name));
            }
            for d in &checked.diagnostics {
                let mut piece = render_diagnostic(d, &report.name, &checked.doc.text, &index, opts);
                if let Some(place) = place_sv(&checked.doc, d.span.start) {
                    piece.push_str(&format!("  Plats: {place}\n"));
                }
                piece.push('\n');
                out(&piece);
            }
        }
        Err(e) => {
            let mut text = error_report(e, opts.color, opts.width);
            text.push('\n');
            err(&text);
        }
    }
}

/// Where a finding is in a Word, OpenDocument, PDF or HTML file, in words a person can follow
/// in the original ("sidan 2, stycke 15, avsnittet ”Bakgrund”"): the line numbers in the excerpt
/// are those of the text belysa read, not of the original. `None` for text formats.
pub fn place_sv(doc: &Document, pos: usize) -> Option<String> {
    if !doc.format.is_converted() {
        return None;
    }
    let loc = doc.location(pos);
    let mut parts = Vec::new();
    if let Some(page) = loc.page {
        parts.push(format!("sidan {page}"));
    }
    if let Some(paragraph) = loc.paragraph {
        parts.push(format!("stycke {paragraph}"));
    }
    if let Some(section) = loc.section {
        parts.push(format!("avsnittet ”{section}”"));
    }
    (!parts.is_empty()).then(|| format!("{} ({})", parts.join(", "), doc.format.label_sv()))
}

/// Renders one diagnostic against its document text and the text's line index.
pub fn render_diagnostic(d: &Diagnostic, name: &str, text: &str, index: &LineIndex, opts: HumanOptions) -> String {
    let human = HumanDiagnostic::new(d, name, text, index);
    let mut out = String::new();
    if handler(opts.color, opts.width).render_report(&mut out, &human).is_err() {
        out = format!("{name}: {}: {} [{}]\n", d.severity.label_sv(), d.message, d.rule);
    }
    super::localize_report(&out)
}

/// The help text shown under a diagnostic: suggestions, the rule's help, its sources.
pub fn help_text(d: &Diagnostic) -> Option<String> {
    let mut parts = Vec::new();
    if !d.suggestions.is_empty() {
        let quoted: Vec<String> = d.suggestions.iter().map(|s| format!("”{s}”")).collect();
        parts.push(format!("Förslag: {}", quoted.join(" eller ")));
    }
    if let Some(help) = d.help.as_deref().map(str::trim).filter(|h| !h.is_empty()) {
        parts.push(help.to_string());
    }
    for source in d.sources.iter() {
        parts.push(format!("Källa: {source}"));
    }
    (!parts.is_empty()).then(|| parts.join("\n"))
}

struct HumanDiagnostic<'a> {
    d: &'a Diagnostic,
    src: DocSource<'a>,
    span: SourceSpan,
    help: Option<String>,
}

impl<'a> HumanDiagnostic<'a> {
    fn new(d: &'a Diagnostic, name: &'a str, text: &'a str, index: &'a LineIndex) -> Self {
        let start = floor_char_boundary(text, d.span.start);
        let end = floor_char_boundary(text, d.span.end.max(start));
        HumanDiagnostic {
            d,
            src: DocSource { name, text, index },
            span: SourceSpan::from(start..end),
            help: help_text(d),
        }
    }
}

impl fmt::Debug for HumanDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.d, f)
    }
}

impl fmt::Display for HumanDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl std::error::Error for HumanDiagnostic<'_> {}

impl miette::Diagnostic for HumanDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.d.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info | Severity::Hint => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display + 'b>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let label = self.d.severity.label_sv().to_string();
        Some(Box::new(std::iter::once(LabeledSpan::new_primary_with_span(
            Some(label),
            self.span,
        ))))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::analysis::analyze;
    use crate::cli::render::Checked;
    use crate::diagnostics::SourceRef;
    use crate::document::Format;
    use crate::ingest::IngestError;

    fn diag(text: &str, word: &str, severity: Severity) -> Diagnostic {
        let start = text.find(word).unwrap();
        Diagnostic {
            rule: "normkritik/handikapp".into(),
            severity,
            message: format!("Undvik ”{word}”: skriv hellre ”funktionsnedsättning”."),
            help: Some("Ordet är negativt laddat.".into()),
            sources: vec![SourceRef {
                title: "Socialstyrelsens termbank".into(),
                url: Some("http://termbank.socialstyrelsen.se/".into()),
            }]
            .into(),
            span: start..start + word.len(),
            suggestions: vec!["funktionsnedsättning".into()],
            fix: None,
        }
    }

    fn plain(chunks: &[Chunk]) -> String {
        chunks
            .iter()
            .map(|c| match c {
                Chunk::Stdout(s) => s.clone(),
                Chunk::Stderr(s) => format!("[stderr] {s}"),
            })
            .collect()
    }

    #[test]
    fn renders_diagnostics_errors_and_summary() {
        let text = "# Beslut\n\nNämnden har en plan för handikapp i skolan.\nÅtgärder följer.\n";
        let mut doc = analyze("beslut.md", text.to_string(), Format::Markdown, None);
        doc.notes.push("avkodad som Windows-1252".into());
        let reports = vec![
            FileReport {
                name: "beslut.md".into(),
                outcome: Ok(Checked {
                    diagnostics: vec![
                        diag(text, "handikapp", Severity::Warning),
                        Diagnostic {
                            rule: "klarsprak/atgarder".into(),
                            suggestions: vec![],
                            help: None,
                            sources: vec![].into(),
                            ..diag(text, "Åtgärder", Severity::Error)
                        },
                    ],
                    doc: Arc::new(doc),
                    suppressions: vec![],
                }),
            },
            FileReport {
                name: "trasig.txt".into(),
                outcome: Err(IngestError::Binary {
                    name: "trasig.txt".into(),
                }),
            },
        ];
        let out = plain(&render(
            &reports,
            HumanOptions {
                color: false,
                width: 80,
            },
        ));
        insta::assert_snapshot!(out);

        // Streamed, the same text: findings and the summary to standard out, the error to
        // standard error.
        let opts = HumanOptions {
            color: false,
            width: 80,
        };
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        write(&reports, opts, &mut stdout, &mut stderr).unwrap();
        let chunks = render(&reports, opts);
        let of = |want_err: bool| -> String {
            chunks
                .iter()
                .filter_map(|c| match c {
                    Chunk::Stdout(s) if !want_err => Some(s.as_str()),
                    Chunk::Stderr(s) if want_err => Some(s.as_str()),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(String::from_utf8(stdout).unwrap(), of(false));
        assert_eq!(String::from_utf8(stderr).unwrap(), of(true));
        assert!(of(true).contains("trasig.txt"));
    }

    #[test]
    fn colour_only_when_asked() {
        let text = "handikapp";
        let d = diag(text, "handikapp", Severity::Warning);
        let plain = render_diagnostic(
            &d,
            "a.txt",
            text,
            &LineIndex::new(text),
            HumanOptions {
                color: false,
                width: 80,
            },
        );
        assert!(!plain.contains('\x1b'));
        let coloured = render_diagnostic(
            &d,
            "a.txt",
            text,
            &LineIndex::new(text),
            HumanOptions { color: true, width: 80 },
        );
        assert!(coloured.contains('\x1b'));
    }

    #[test]
    fn out_of_range_spans_do_not_panic() {
        let text = "åäö";
        let mut d = diag(text, "äö", Severity::Hint);
        d.span = 1..100;
        let out = render_diagnostic(
            &d,
            "a.txt",
            text,
            &LineIndex::new(text),
            HumanOptions {
                color: false,
                width: 80,
            },
        );
        assert!(out.contains("normkritik/handikapp"));
    }

    /// miette reads only a window around the span; the line numbers come from the line index
    /// and must be those of the whole text, deep in a large document with mixed line breaks.
    #[test]
    fn line_numbers_are_right_deep_in_a_large_document() {
        let mut text = String::new();
        for i in 1..=20_000 {
            let line = if i == 15_000 {
                format!("rad {i} handikapp")
            } else {
                format!("rad {i}")
            };
            text.push_str(&line);
            text.push_str(if i % 7 == 0 { "\r\n" } else { "\n" });
        }
        let d = diag(&text, "handikapp", Severity::Warning);
        let opts = HumanOptions {
            color: false,
            width: 80,
        };
        let out = render_diagnostic(&d, "a.txt", &text, &LineIndex::new(&text), opts);
        assert!(out.contains("a.txt:15000:11"), "{out}");
        assert!(out.contains("14999 │ rad 14999"), "{out}");
        assert!(out.contains("15000 │ rad 15000 handikapp"), "{out}");
        assert!(out.contains("15001 │ rad 15001"), "{out}");
        // The same as miette gives reading the whole text itself.
        let whole = miette::SourceCode::read_span(text.as_str(), &SourceSpan::from(d.span.clone()), 1, 1).unwrap();
        let idx = LineIndex::new(&text);
        let window = DocSource {
            name: "a.txt",
            text: &text,
            index: &idx,
        };
        let part = window.read_span(&SourceSpan::from(d.span.clone()), 1, 1).unwrap();
        assert_eq!(
            (part.data(), part.span(), part.line(), part.column(), part.line_count()),
            (
                whole.data(),
                whole.span(),
                whole.line(),
                whole.column(),
                whole.line_count()
            )
        );
    }
}
