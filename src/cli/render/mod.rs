//! Renderers for `belysa check`: one file per format, all working from [`FileReport`]s.

pub mod html;
pub mod human;
pub mod json;
pub mod sarif;

use std::path::PathBuf;
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, MietteError, SourceCode, SourceSpan, SpanContents};

use crate::config::FailOn;
use crate::diagnostics::{Diagnostic, Severity, SuppressionReport};
use crate::document::{Document, LineIndex};
use crate::engine::Selection;
use crate::ingest::IngestError;
use crate::rules::RuleSet;

/// What happened to one input file.
#[derive(Debug)]
pub struct FileReport {
    /// The name as given or found while walking ("-" for standard input).
    pub name: String,
    pub outcome: Result<Checked, IngestError>,
}

/// A file that was read and checked.
#[derive(Debug)]
pub struct Checked {
    pub doc: Arc<Document>,
    /// Sorted by position, then rule.
    pub diagnostics: Vec<Diagnostic>,
    pub suppressions: Vec<SuppressionReport>,
}

/// What the SARIF and HTML reports need to know about the run besides the file reports.
#[derive(Debug, Clone, Copy)]
pub struct Run<'a> {
    /// Every loaded rule, whether it ran or not.
    pub rules: &'a RuleSet,
    /// Which rules ran, for each document kind.
    pub selection: &'a Selection,
    pub fail_on: FailOn,
    /// The paths as given on the command line.
    pub paths: &'a [PathBuf],
    /// The working directory, which relative file names are relative to.
    pub cwd: &'a std::path::Path,
    /// The day of the run, `YYYY-MM-DD`.
    pub date: &'a str,
    /// The exit status the run ends with.
    pub exit_code: u8,
}

/// Counts over a whole run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub failed: usize,
    pub error: usize,
    pub warning: usize,
    pub info: usize,
    pub hint: usize,
}

impl Summary {
    pub fn of(reports: &[FileReport]) -> Summary {
        let mut s = Summary {
            files: reports.len(),
            ..Summary::default()
        };
        for r in reports {
            match &r.outcome {
                Ok(c) => {
                    for d in &c.diagnostics {
                        *s.count_mut(d.severity) += 1;
                    }
                }
                Err(_) => s.failed += 1,
            }
        }
        s
    }

    fn count_mut(&mut self, severity: Severity) -> &mut usize {
        match severity {
            Severity::Error => &mut self.error,
            Severity::Warning => &mut self.warning,
            Severity::Info => &mut self.info,
            Severity::Hint => &mut self.hint,
        }
    }

    pub fn count(&self, severity: Severity) -> usize {
        match severity {
            Severity::Error => self.error,
            Severity::Warning => self.warning,
            Severity::Info => self.info,
            Severity::Hint => self.hint,
        }
    }

    /// "3 fel, 2 varningar i 4 filer", "Inga anmärkningar i 1 fil".
    pub fn line_sv(&self) -> String {
        let mut parts = Vec::new();
        for sev in Severity::ALL {
            let n = self.count(sev);
            if n > 0 {
                let word = match (sev, n) {
                    (Severity::Error, _) => "fel",
                    (Severity::Warning, 1) => "varning",
                    (Severity::Warning, _) => "varningar",
                    (Severity::Info, _) => "info",
                    (Severity::Hint, _) => "tips",
                };
                parts.push(format!("{n} {word}"));
            }
        }
        // Files that could not be read were not checked.
        let checked = self.files - self.failed.min(self.files);
        let files = if checked == 1 { "fil" } else { "filer" };
        let mut line = if parts.is_empty() {
            format!("Inga anmärkningar i {checked} {files}")
        } else {
            format!("{} i {checked} {files}", parts.join(", "))
        };
        if self.failed > 0 {
            let verb = if self.failed == 1 { "fil kunde" } else { "filer kunde" };
            line.push_str(&format!("; {} {verb} inte läsas", self.failed));
        }
        line
    }
}

/// The report handler for human output: colour or plain, fixed width.
pub fn handler(color: bool, width: usize) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_links(false)
}

/// miette's one English word, "help:", in Swedish. Only at a line's start (after indentation and
/// colour codes), so that document text is never touched; the help's continuation lines get one
/// more space of indentation to stay aligned under the longer word.
pub fn localize_report(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    // The indentation of help continuation lines, while inside a help text.
    let mut continuation: Option<String> = None;
    for line in text.split_inclusive('\n') {
        let rest = line.trim_start_matches([' ', '\t']);
        let indent = &line[..line.len() - rest.len()];
        if let Some(cont) = &continuation {
            if line.starts_with(cont.as_str()) && !rest.is_empty() && rest != "\n" {
                out.push(' ');
                out.push_str(line);
                continue;
            }
            continuation = None;
        }
        // Skip any ANSI colour codes before the word.
        let mut codes_end = 0;
        while rest[codes_end..].starts_with("\x1b[") {
            match rest[codes_end..].find('m') {
                Some(m) => codes_end += m + 1,
                None => break,
            }
        }
        if rest[codes_end..].starts_with("help:") {
            out.push_str(indent);
            out.push_str(&rest[..codes_end]);
            out.push_str("hjälp:");
            out.push_str(&rest[codes_end + "help:".len()..]);
            continuation = Some(format!("{indent}      "));
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Renders any error for standard error.
pub fn error_report(err: &dyn miette::Diagnostic, color: bool, width: usize) -> String {
    let mut out = String::new();
    if handler(color, width).render_report(&mut out, err).is_err() {
        out = format!("{err}\n");
    }
    localize_report(&out)
}

/// The most bytes of one line shown on each side of a finding.
const MAX_LINE_CONTEXT: usize = 240;

/// The smallest char boundary at or above `i`.
fn ceil_char_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i.min(text.len())
}

/// A document's text as a miette source, without copying it.
///
/// miette finds the line of a span by counting line breaks from the start of the text, which
/// for thousands of findings deep in a large document takes minutes. Given the document's
/// [`LineIndex`], only a window of lines around the span is handed to miette and the line number
/// comes from the index.
#[derive(Debug)]
pub struct DocSource<'a> {
    pub name: &'a str,
    pub text: &'a str,
    pub index: &'a LineIndex,
}

impl SourceCode for DocSource<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.text;
        let start = crate::document::floor_char_boundary(text, span.offset());
        let end = crate::document::floor_char_boundary(text, span.offset() + span.len()).max(start);
        // From the index, not by scanning: on a line of megabytes with thousands of findings a
        // scan per finding takes minutes.
        let line_start = self.index.line_start(self.index.line_of(start));
        // A span may end between the "\r" and "\n" of a line break, after the line's end.
        let line_end = self.index.line_end(text, self.index.line_of(end)).max(end);
        if start - line_start > MAX_LINE_CONTEXT || line_end - end > MAX_LINE_CONTEXT {
            // A long line is cut around the finding: miette would otherwise draw the whole line,
            // and panics on lines wider than 65 535 columns.
            let lo = ceil_char_boundary(text, start.saturating_sub(MAX_LINE_CONTEXT).max(line_start));
            let hi = crate::document::floor_char_boundary(text, (end + MAX_LINE_CONTEXT).min(line_end)).max(end);
            let at = self.index.line_col(text, lo);
            let (line, column) = (at.line - 1, at.column - 1);
            return Ok(Box::new(miette::MietteSpanContents::new_named(
                self.name.to_string(),
                &text.as_bytes()[lo..hi],
                SourceSpan::from(lo..hi),
                line,
                column,
                1,
            )));
        }
        // A window of whole lines, one more on each side than miette shows, so that miette
        // reads it exactly as it would read the whole text.
        let first = self.index.line_of(start).saturating_sub(context_lines_before + 1);
        let last = self.index.line_of(end) + context_lines_after + 2;
        let lo = self.index.line_start(first).min(start);
        let hi = self.index.line_start(last).clamp(end, text.len());
        let window = &text[lo..hi];
        let local = SourceSpan::from(start - lo..end - lo);
        let inner = window.read_span(&local, context_lines_before, context_lines_after)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.to_string(),
            inner.data(),
            SourceSpan::from(inner.span().offset() + lo..inner.span().offset() + lo + inner.span().len()),
            inner.line() + first,
            inner.column(),
            // miette counts the line breaks from the start of what it reads.
            inner.line_count() + first,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_word_in_swedish_only_at_line_start() {
        let text = "  × x\n  help: gör så\n        och så\n  │ help: i dokumentet\n  \x1b[36mhelp:\x1b[0m y\n";
        assert_eq!(
            localize_report(text),
            "  × x\n  hjälp: gör så\n         och så\n  │ help: i dokumentet\n  \x1b[36mhjälp:\x1b[0m y\n"
        );
    }

    #[test]
    fn summary_lines() {
        let mut s = Summary {
            files: 4,
            error: 3,
            warning: 2,
            ..Summary::default()
        };
        assert_eq!(s.line_sv(), "3 fel, 2 varningar i 4 filer");
        s.warning = 1;
        s.hint = 2;
        s.failed = 1;
        assert_eq!(
            s.line_sv(),
            "3 fel, 1 varning, 2 tips i 3 filer; 1 fil kunde inte läsas"
        );
        let s = Summary {
            files: 1,
            ..Summary::default()
        };
        assert_eq!(s.line_sv(), "Inga anmärkningar i 1 fil");
    }
}
