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
