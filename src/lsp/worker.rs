//! The checks, on a worker thread: debounced, so that a burst of keystrokes gives one check, and
//! off the main loop, so that requests never wait behind a check.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{after, never, select, Receiver, Sender};
use lsp_types::Url;

use super::features;
use super::position::{Encoding, PositionMap};
use super::rulefile;
use super::workspace::Workspace;
use crate::analysis::{analyze_reusing, Reuse};
use crate::analyzers::memo::Memo;
use crate::diagnostics::Diagnostic;
use crate::document::{Document, Format, LineIndex};
use crate::engine;
use crate::ingest::human_size;

/// The quiet time after the last change before a check starts.
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// The languages the server serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Markdown,
    Text,
    Rules,
}

/// One document version to check.
#[derive(Debug, Clone)]
pub struct Job {
    pub uri: Url,
    pub version: i32,
    pub text: Arc<str>,
    pub lang: Lang,
    pub path: Option<PathBuf>,
    pub workspace: Arc<Workspace>,
    pub encoding: Encoding,
}

/// A checked document, kept for code actions, hover and the outline.
#[derive(Debug)]
pub struct Checked {
    pub doc: Document,
    /// In the same order as [`Outcome::diagnostics`].
    pub findings: Vec<Diagnostic>,
}

#[derive(Debug)]
pub struct Outcome {
    pub uri: Url,
    pub version: i32,
    pub diagnostics: Vec<lsp_types::Diagnostic>,
    /// For documents (not rule files) whose check succeeded.
    pub checked: Option<Arc<Checked>>,
    /// Set when the check panicked: a Swedish message for the user.
    pub failure: Option<String>,
    /// The publishDiagnostics notification of `diagnostics`, serialized here, off the main loop.
    pub body: String,
    /// When the check started (the end of the debounce).
    pub started: Instant,
}

/// A publishDiagnostics notification as JSON-RPC text, written straight from the diagnostics
/// (no intermediate JSON value).
pub fn publish_body(uri: &Url, diagnostics: &[lsp_types::Diagnostic], version: Option<i32>) -> String {
    #[derive(serde::Serialize)]
    struct Params<'a> {
        uri: &'a Url,
        diagnostics: &'a [lsp_types::Diagnostic],
        #[serde(skip_serializing_if = "Option::is_none")]
        version: Option<i32>,
    }
    notification_body::<lsp_types::notification::PublishDiagnostics, _>(&Params {
        uri,
        diagnostics,
        version,
    })
}

/// A notification of type `N` as JSON-RPC text; `params` serializes as `N::Params` does.
pub fn notification_body<N: lsp_types::notification::Notification, P: serde::Serialize>(params: &P) -> String {
    #[derive(serde::Serialize)]
    struct Frame<'a, P> {
        jsonrpc: &'static str,
        method: &'static str,
        params: &'a P,
    }
    let frame = Frame {
        jsonrpc: "2.0",
        method: N::METHOD,
        params,
    };
    // The protocol's types serialize without fail (string keys only).
    serde_json::to_string(&frame).unwrap_or_default()
}

/// Starts the worker. It ends when `jobs` is closed.
pub fn spawn(
    jobs: Receiver<Work>,
    results: Sender<Outcome>,
    debounce: Duration,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("belysa-check".into())
        .spawn(move || run(jobs, results, debounce))
}

/// What the main loop asks of the worker.
#[derive(Debug)]
pub enum Work {
    Check(Job),
    /// The document was closed: forget what was kept for it.
    Forget(Url),
}

/// What is kept of a document between its checks: the analyzers' per-sentence work, valid for
/// the workspace (rule set) it was made with.
struct Kept {
    workspace: Arc<Workspace>,
    memory: Memory,
}

/// What the checks of one document keep for the next check of its next version: the analysis's
/// and the rules' work where the edit left the text unchanged.
#[derive(Debug)]
pub struct Memory {
    pub analysis: Reuse,
    pub rules: Memo,
}

impl Default for Memory {
    fn default() -> Memory {
        Memory {
            analysis: Reuse::default(),
            rules: Memo::new(),
        }
    }
}

fn run(jobs: Receiver<Work>, results: Sender<Outcome>, debounce: Duration) {
    let mut pending: HashMap<Url, Job> = HashMap::new();
    let mut kept: HashMap<Url, Kept> = HashMap::new();
    let mut deadline: Option<Instant> = None;
    loop {
        let timer = match deadline {
            Some(d) => after(d.saturating_duration_since(Instant::now())),
            None => never(),
        };
        select! {
            recv(jobs) -> work => match work {
                Ok(Work::Check(job)) => {
                    pending.insert(job.uri.clone(), job);
                    deadline = Some(Instant::now() + debounce);
                }
                Ok(Work::Forget(uri)) => {
                    pending.remove(&uri);
                    kept.remove(&uri);
                }
                Err(_) => return,
            },
            recv(timer) -> _ => {
                deadline = None;
                for (_, job) in pending.drain() {
                    let k = kept.entry(job.uri.clone()).or_insert_with(|| Kept {
                        workspace: job.workspace.clone(),
                        memory: Memory::default(),
                    });
                    if !Arc::ptr_eq(&k.workspace, &job.workspace) {
                        *k = Kept { workspace: job.workspace.clone(), memory: Memory::default() };
                    }
                    let outcome = check(&job, &mut k.memory);
                    if outcome.failure.is_some() {
                        // A check that panicked may have left the memo half-filled.
                        kept.remove(&job.uri);
                    }
                    if results.send(outcome).is_err() {
                        return;
                    }
                }
            }
        }
    }
}

/// A document over the workspace's `max-file-size`, or a rule file over the size a rule file may
/// have, is not checked, as on the command line: one diagnostic at its start says so, and why.
/// The editor holds and sends the text whatever its size; the limit bounds the work done on it.
fn too_large(job: &Job) -> Option<lsp_types::Diagnostic> {
    let size = job.text.len() as u64;
    let limit = size_limit(job.lang, &job.workspace);
    if size <= limit {
        return None;
    }
    let message = if job.lang == Lang::Rules {
        format!(
            "Regelfilen är för stor för att kontrolleras ({}); gränsen för en regelfil är {}.",
            human_size(size),
            human_size(limit)
        )
    } else {
        format!(
            "Dokumentet är för stort för att granskas ({}); gränsen är {}. Höj gränsen med \
             `limits.max-file-size` i belysa.toml om dokumentet verkligen ska granskas.",
            human_size(size),
            human_size(limit)
        )
    };
    Some(lsp_types::Diagnostic {
        range: lsp_types::Range::default(),
        severity: Some(lsp_types::DiagnosticSeverity::WARNING),
        code: Some(lsp_types::NumberOrString::String("belysa::for_stor".to_string())),
        source: Some(features::SOURCE.to_string()),
        message,
        ..Default::default()
    })
}

/// The largest text of this language the server works on: the workspace's `max-file-size` for
/// documents, the command line's limit for rule files.
pub fn size_limit(lang: Lang, workspace: &Workspace) -> u64 {
    match lang {
        Lang::Rules => crate::rules::MAX_RULE_FILE_SIZE,
        Lang::Markdown | Lang::Text => workspace.config.limits.max_file_size,
    }
}

/// Checks one job, keeping work in `memory` for the next check of the document; a panic in the
/// engine becomes a failure message, not a dead server.
pub fn check(job: &Job, memory: &mut Memory) -> Outcome {
    let started = Instant::now();
    // On a thread of the global pool, so that the analysis and the rules use every core.
    let result = catch_unwind(AssertUnwindSafe(|| rayon::scope(|_| check_inner(job, memory))));
    let (diagnostics, checked, failure) = match result {
        Ok((d, c)) => (d, c, None),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            (
                Vec::new(),
                None,
                Some(format!("belysa kunde inte granska {}: internt fel ({what})", job.uri)),
            )
        }
    };
    let body = publish_body(&job.uri, &diagnostics, Some(job.version));
    Outcome {
        uri: job.uri.clone(),
        version: job.version,
        diagnostics,
        checked,
        failure,
        body,
        started,
    }
}

fn check_inner(job: &Job, memory: &mut Memory) -> (Vec<lsp_types::Diagnostic>, Option<Arc<Checked>>) {
    if let Some(diagnostic) = too_large(job) {
        // Nothing of an earlier version is worth keeping for a text that is not checked.
        *memory = Memory::default();
        return (vec![diagnostic], None);
    }
    let name = job
        .path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| job.uri.to_string());
    let format = match job.lang {
        Lang::Rules => {
            let index = LineIndex::new(&job.text);
            let map = PositionMap::new(&job.text, &index, job.encoding);
            return (rulefile::diagnostics(&name, &job.text, &map), None);
        }
        Lang::Markdown => Format::Markdown,
        Lang::Text => Format::Text,
    };
    let ws = &job.workspace;
    let kind = ws.kind_for(job.path.as_deref());
    let doc = analyze_reusing(&name, job.text.to_string(), format, kind, &mut memory.analysis);
    let out = engine::check_memo(&doc, &ws.rules, &ws.selection, &mut memory.rules);
    let index = LineIndex::new(&doc.text);
    let map = PositionMap::new(&doc.text, &index, job.encoding);
    let mut urls = features::UrlCache::new();
    let diagnostics = out
        .diagnostics
        .iter()
        .map(|d| features::to_lsp(d, &map, &mut urls))
        .collect();
    (
        diagnostics,
        Some(Arc::new(Checked {
            doc,
            findings: out.diagnostics,
        })),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsp::workspace::Settings;

    fn job(workspace: &Arc<Workspace>, lang: Lang, text: &str) -> Job {
        Job {
            uri: Url::parse("file:///utkast.md").unwrap(),
            version: 1,
            text: Arc::from(text),
            lang,
            path: None,
            workspace: workspace.clone(),
            encoding: Encoding::Utf16,
        }
    }

    fn is_too_large(d: &lsp_types::Diagnostic) -> bool {
        d.code == Some(lsp_types::NumberOrString::String("belysa::for_stor".into()))
    }

    /// The workspace's `max-file-size` bounds what the server checks, as it bounds the command
    /// line: over it, one warning at the start and no analysis; under it, the findings.
    #[test]
    fn a_document_over_the_size_limit_is_not_checked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("belysa.toml"), "[limits]\nmax-file-size = \"1 kB\"\n").unwrap();
        let (ws, problems) = Workspace::load(Some(dir.path()), &Settings::default()).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        let line = "Nämnden vill stödja handikappade i kommunen.\n";

        let small = check(&job(&ws, Lang::Markdown, line), &mut Memory::default());
        assert!(!small.diagnostics.is_empty() && !small.diagnostics.iter().any(is_too_large));
        assert!(small.checked.is_some());

        let mut memory = Memory::default();
        let big = check(&job(&ws, Lang::Markdown, &line.repeat(30)), &mut memory);
        assert_eq!(big.diagnostics.len(), 1, "{:?}", big.diagnostics);
        let d = &big.diagnostics[0];
        assert!(is_too_large(d));
        assert_eq!(d.range, lsp_types::Range::default());
        assert!(
            d.message.contains("gränsen är 1 kB") && d.message.contains("max-file-size"),
            "{}",
            d.message
        );
        assert!(big.checked.is_none() && big.failure.is_none());

        // Cut back under the limit, the document is checked again.
        let again = check(&job(&ws, Lang::Markdown, line), &mut memory);
        assert_eq!(again.diagnostics, small.diagnostics);
    }

    /// A rule file open in the editor has the command line's limit for rule files.
    #[test]
    fn a_rule_file_over_its_limit_is_not_parsed() {
        let (ws, _) = Workspace::load(None, &Settings::default()).unwrap();
        let text = "#".repeat(crate::rules::MAX_RULE_FILE_SIZE as usize + 1);
        let out = check(&job(&ws, Lang::Rules, &text), &mut Memory::default());
        assert_eq!(out.diagnostics.len(), 1);
        assert!(is_too_large(&out.diagnostics[0]));
        assert!(
            out.diagnostics[0].message.contains("16 MB"),
            "{}",
            out.diagnostics[0].message
        );
        let out = check(&job(&ws, Lang::Rules, "# en kommentar\n"), &mut Memory::default());
        assert!(!out.diagnostics.iter().any(is_too_large));
    }
}
