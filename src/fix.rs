//! Safe automatic fixes: applying a check's [`Applicability::Safe`] fixes to a text, iterating
//! until nothing is left to fix, and writing the result back to the file atomically.
//!
//! The library holds all of it so that every frontend (the command line's `--fix`/`--diff`, the
//! language server's code actions) applies fixes the same way.
//!
//! - Only `Safe` fixes are applied; a fix whose edits are out of range, off a character boundary,
//!   touch a line break or overlap an edit already chosen in this round is left for the next round,
//!   which re-checks the new text. Fixes are never merged.
//! - The rounds stop when a check finds nothing left to apply, when a text comes back that was
//!   seen before (two rules undoing each other), or after [`MAX_ROUNDS`].
//! - Only UTF-8 files (with or without a BOM) are written, exactly as read apart from the edits:
//!   BOM kept, line endings untouched. Files read as Windows-1252 or UTF-16 are refused.
//! - A write goes to a temporary file in the same folder, is flushed to disk and renamed over the
//!   original, with the original's permissions. A file whose bytes changed since they were read is
//!   not written.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::analysis::analyze;
use crate::diagnostics::{Applicability, Diagnostic, Edit};
use crate::document::{DocKind, Format};
use crate::engine::{self, Selection};
use crate::ingest::{self, IngestError, Limits};
use crate::rules::RuleSet;

/// The most check-and-fix rounds per text.
pub const MAX_ROUNDS: usize = 10;

/// The UTF-8 byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The edits applied in one pass, in the positions of the text they were applied to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pass {
    pub text: String,
    /// Sorted by position, not overlapping.
    pub applied: Vec<Edit>,
}

/// Whether an edit can be applied to `text` on its own: in range, on character boundaries, no
/// line break in the replaced text or the replacement, and a real change.
fn edit_is_sound(text: &str, edit: &Edit) -> bool {
    let span = &edit.span;
    span.start <= span.end
        && span.end <= text.len()
        && text.is_char_boundary(span.start)
        && text.is_char_boundary(span.end)
        && !text[span.clone()].contains(['\n', '\r'])
        && !edit.replacement.contains(['\n', '\r'])
        && !inside_crlf(text, span.start)
        && !inside_crlf(text, span.end)
}

/// Whether `at` lies between the two bytes of a "\r\n" line break: an edit there would split it
/// (found by the property test `arbitrary_edits_never_touch_text_outside_them`).
fn inside_crlf(text: &str, at: usize) -> bool {
    let b = text.as_bytes();
    at > 0 && b.get(at - 1) == Some(&b'\r') && b.get(at) == Some(&b'\n')
}

/// Applies every safe fix of `diagnostics` that does not overlap one applied before it (by
/// position). A fix with several edits is applied whole or not at all.
pub fn apply_once(text: &str, diagnostics: &[Diagnostic]) -> Pass {
    let mut fixes: Vec<&[Edit]> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| f.applicability == Applicability::Safe && !f.edits.is_empty())
        .map(|f| f.edits.as_slice())
        .collect();
    fixes.sort_by_key(|edits| edits.iter().map(|e| (e.span.start, e.span.end)).min());
    let mut chosen: Vec<Edit> = Vec::new();
    for edits in fixes {
        let mut sorted: Vec<&Edit> = edits.iter().collect();
        sorted.sort_by_key(|e| (e.span.start, e.span.end));
        let sound = sorted.iter().all(|e| edit_is_sound(text, e));
        let changes = sound && sorted.iter().any(|e| text[e.span.clone()] != *e.replacement);
        let apart_from_each_other = sorted.windows(2).all(|w| w[0].span.end <= w[1].span.start);
        let apart_from_chosen = sorted.iter().all(|e| {
            chosen
                .iter()
                .all(|c| e.span.end <= c.span.start || c.span.end <= e.span.start)
                && !chosen.iter().any(|c| c.span.start == e.span.start)
        });
        if sound && changes && apart_from_each_other && apart_from_chosen {
            chosen.extend(sorted.into_iter().cloned());
        }
    }
    chosen.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in &chosen {
        out.push_str(&text[at..e.span.start]);
        out.push_str(&e.replacement);
        at = e.span.end;
    }
    out.push_str(&text[at..]);
    Pass {
        text: out,
        applied: chosen,
    }
}

/// The result of fixing a text until nothing is left to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    pub text: String,
    /// Edits applied over all rounds.
    pub applied: usize,
    /// Check-and-fix rounds run (each round re-checks the text).
    pub rounds: usize,
    /// False when the rounds stopped at [`MAX_ROUNDS`] or on a text seen before, with fixes
    /// still to apply.
    pub converged: bool,
    /// True when the rounds stopped because the text came back to one seen before: fixes that
    /// undo each other.
    pub cycled: bool,
}

/// Checks and fixes `text` round by round with `check`, until a check finds nothing to apply.
pub fn fix_until_stable(text: &str, max_rounds: usize, mut check: impl FnMut(&str) -> Vec<Diagnostic>) -> Fixed {
    let mut current = text.to_string();
    let mut seen: HashSet<String> = HashSet::new();
    let mut applied = 0;
    let max_rounds = max_rounds.max(1);
    for round in 1..=max_rounds {
        let pass = apply_once(&current, &check(&current));
        if pass.applied.is_empty() {
            return Fixed {
                text: current,
                applied,
                rounds: round,
                converged: true,
                cycled: false,
            };
        }
        seen.insert(std::mem::replace(&mut current, pass.text));
        applied += pass.applied.len();
        if seen.contains(&current) {
            return Fixed {
                text: current,
                applied,
                rounds: round,
                converged: false,
                cycled: true,
            };
        }
    }
    Fixed {
        text: current,
        applied,
        rounds: max_rounds,
        converged: false,
        cycled: false,
    }
}

/// Fixes a document's text with the given rules, as `belysa check --fix` does.
pub fn fix_text(
    name: &str,
    text: &str,
    format: Format,
    kind: Option<DocKind>,
    rules: &RuleSet,
    selection: &Selection,
) -> Fixed {
    fix_until_stable(text, MAX_ROUNDS, |t| {
        let doc = analyze(name, t.to_string(), format, kind);
        engine::check(&doc, rules, selection).diagnostics
    })
}

/// A unified diff between two texts, with `a/NAME` and `b/NAME` headers; empty when equal.
pub fn unified_diff(name: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let diff = similar::TextDiff::from_lines(old, new);
    let mut out = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Why a file cannot be fixed or written. Every message names the file.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum FixError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Read(#[from] IngestError),

    #[error("{name}: rättas inte automatiskt: {reason}")]
    #[diagnostic(code(belysa::rattas_inte), help("{help}"))]
    NotFixable { name: String, reason: String, help: String },

    #[error("{name}: filen har ändrats sedan den lästes och skrevs inte över")]
    #[diagnostic(
        code(belysa::andrad),
        help("Kör `belysa check --fix` igen när ingen annan skriver i filen.")
    )]
    Changed { name: String },

    #[error("{name}: rättelserna kunde inte skrivas: {}", ingest::io_message_sv(source))]
    #[diagnostic(code(belysa::skriv), help("Originalfilen är orörd."))]
    Write {
        name: String,
        #[source]
        source: std::io::Error,
    },
}

/// A file as read for fixing: its exact bytes, and its text as UTF-8.
#[derive(Debug, Clone)]
pub struct Original {
    pub path: PathBuf,
    pub name: String,
    pub bytes: Vec<u8>,
    /// The file starts with a UTF-8 byte order mark, which is written back.
    pub bom: bool,
    /// The text without the BOM; what the checks run on.
    pub text: String,
    pub format: Format,
    /// Notes from reading, e.g. "filen är tom".
    pub notes: Vec<String>,
}

/// Whether `belysa check --fix` may write a file of this name: `.md`, `.markdown`, `.txt` and
/// `.text` only.
pub fn fixable_path(path: &Path) -> bool {
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .is_some_and(|e| matches!(e.as_str(), "md" | "markdown" | "txt" | "text"))
}

/// Reads a file to fix. Refuses files other than `.md`/`.txt` and files that are not UTF-8
/// (belysa would otherwise have to write them back in another encoding).
pub fn read_original(path: &Path, limits: &Limits) -> Result<Original, FixError> {
    let name = path.display().to_string();
    if !fixable_path(path) {
        return Err(FixError::NotFixable {
            name,
            reason: "bara .md- och .txt-filer rättas".to_string(),
            help: "Rätta filen för hand, eller spara den som .md eller .txt.".to_string(),
        });
    }
    let bytes = ingest::read_file_bytes(path, limits)?;
    let format = ingest::format_for(path).unwrap_or(Format::Text);
    // The same checks as any other read (binary files, encodings), for the same messages.
    let decoded = ingest::decode(&name, &bytes, format)?;
    let bom = bytes.starts_with(BOM);
    let body = if bom { &bytes[BOM.len()..] } else { &bytes[..] };
    match std::str::from_utf8(body) {
        Ok(text) if text == decoded.text => Ok(Original {
            path: path.to_path_buf(),
            name,
            bom,
            text: text.to_string(),
            bytes,
            format,
            notes: decoded.notes,
        }),
        _ => Err(FixError::NotFixable {
            name,
            reason: format!(
                "filen är inte UTF-8 ({})",
                decoded.notes.first().map_or("okänd teckenkodning", String::as_str)
            ),
            help: "Spara filen som UTF-8 och kör `belysa check --fix` igen.".to_string(),
        }),
    }
}

/// The file read, when it may be written: a read-only file is refused (the rename that writes it
/// would replace it regardless of its mode). `--diff`, which writes nothing, does not ask.
pub fn writable(original: Original) -> Result<Original, FixError> {
    if std::fs::metadata(&original.path).is_ok_and(|m| m.permissions().readonly()) {
        return Err(FixError::NotFixable {
            name: original.name,
            reason: "filen är skrivskyddad".to_string(),
            help: "Ta bort skrivskyddet om filen ska rättas, eller rätta den för hand.".to_string(),
        });
    }
    Ok(original)
}

/// Writes `text` over the original file, atomically: a temporary file in the same folder, flushed
/// to disk, given the original's permissions and renamed over it. Nothing is written when the
/// file's bytes changed since they were read. A symbolic link is followed, and its target written.
pub fn write_fixed(original: &Original, text: &str) -> Result<(), FixError> {
    let name = original.name.clone();
    let write_err = |source: std::io::Error| FixError::Write {
        name: name.clone(),
        source,
    };
    let target = std::fs::canonicalize(&original.path).map_err(write_err)?;
    if !unchanged(&target, &original.bytes).map_err(write_err)? {
        return Err(FixError::Changed { name });
    }
    let permissions = std::fs::metadata(&target).map_err(write_err)?.permissions();
    let dir = target.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".belysa-fix-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(write_err)?;
    if original.bom {
        tmp.write_all(BOM).map_err(write_err)?;
    }
    tmp.write_all(text.as_bytes()).map_err(write_err)?;
    tmp.as_file().sync_all().map_err(write_err)?;
    std::fs::set_permissions(tmp.path(), permissions).map_err(write_err)?;
    // The last moment to notice a concurrent writer before the rename.
    if !unchanged(&target, &original.bytes).map_err(write_err)? {
        return Err(FixError::Changed { name });
    }
    tmp.persist(&target).map_err(|e| write_err(e.error))?;
    // Make the rename itself durable where the platform allows opening a folder.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Whether the file still holds exactly `bytes`; reads no more than one byte past their length,
/// so a file that grew meanwhile is not read whole.
fn unchanged(path: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    let file = std::fs::File::open(path)?;
    if file.metadata()?.len() != bytes.len() as u64 {
        return Ok(false);
    }
    let mut now = Vec::with_capacity(bytes.len() + 1);
    file.take(bytes.len() as u64 + 1).read_to_end(&mut now)?;
    Ok(now == bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Fix, Severity};

    fn diag(span: std::ops::Range<usize>, replacement: &str, applicability: Applicability) -> Diagnostic {
        Diagnostic {
            rule: "t/r".into(),
            severity: Severity::Warning,
            message: "m".into(),
            help: None,
            sources: Vec::new().into(),
            span: span.clone(),
            suggestions: vec![replacement.into()],
            fix: Some(Fix {
                edits: vec![Edit {
                    span,
                    replacement: replacement.into(),
                }],
                applicability,
            }),
        }
    }

    #[test]
    fn applies_safe_fixes_only() {
        let text = "en handikappad man";
        let ds = [
            diag(3..14, "funktionsnedsatt", Applicability::Safe),
            diag(15..18, "person", Applicability::Manual),
        ];
        let pass = apply_once(text, &ds);
        assert_eq!(pass.text, "en funktionsnedsatt man");
        assert_eq!(pass.applied.len(), 1);
    }

    #[test]
    fn an_edit_between_the_two_bytes_of_a_crlf_is_not_applied() {
        // Found by the property test: an insertion between "\r" and "\n" split the line break.
        let text = "rad ett\r\nrad två";
        let ds = [
            diag(8..8, "¡", Applicability::Safe),
            diag(5..8, "x", Applicability::Safe),
            diag(0..3, "Rad", Applicability::Safe),
        ];
        let pass = apply_once(text, &ds);
        assert_eq!(pass.text, "Rad ett\r\nrad två");
        assert_eq!(pass.applied.len(), 1);
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_round() {
        let text = "abcdef";
        let ds = [
            diag(0..4, "X", Applicability::Safe),
            diag(2..6, "Y", Applicability::Safe),
        ];
        let pass = apply_once(text, &ds);
        assert_eq!(pass.text, "Xef");
        assert_eq!(pass.applied.len(), 1);
    }

    #[test]
    fn unsound_edits_are_skipped() {
        let text = "åä\nb";
        let ds = [
            diag(1..2, "x", Applicability::Safe),    // inside 'å'
            diag(2..4, "x", Applicability::Safe),    // 'ä': the only sound one
            diag(4..6, "x", Applicability::Safe),    // spans the line break
            diag(5..99, "x", Applicability::Safe),   // out of range
            diag(0..2, "a\nb", Applicability::Safe), // adds a line break
        ];
        let pass = apply_once(text, &ds);
        assert_eq!(pass.text, "åx\nb");
    }

    #[test]
    fn rounds_stop_on_a_cycle() {
        // Two rules undoing each other: a → b, b → a.
        let fixed = fix_until_stable("a", 50, |t| {
            let to = if t == "a" { "b" } else { "a" };
            vec![diag(0..1, to, Applicability::Safe)]
        });
        assert!(!fixed.converged);
        assert!(fixed.cycled);
        // a → b, then b → a: the second round brings back a text already seen.
        assert_eq!(fixed.rounds, 2);
    }

    #[test]
    fn diff_is_empty_for_equal_texts_and_has_headers() {
        assert_eq!(unified_diff("a.md", "x\n", "x\n"), "");
        let d = unified_diff("a.md", "x\ny\n", "x\nz\n");
        assert!(d.starts_with("--- a/a.md\n+++ b/a.md\n"), "{d}");
        assert!(d.contains("-y\n+z\n"), "{d}");
    }
}
