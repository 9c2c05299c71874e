//! The server in process and in step, for tests and fuzzing: messages go in as JSON values, and
//! what the server sends comes back. There is no connection and no worker thread; the checks a
//! message scheduled run before [`Session::handle`] returns, one per document as after the
//! worker's debounce, so a sequence of messages always gives the same answers. Everything else
//! — the open documents, incremental edits, requests and their errors — is the main loop's own
//! code ([`Server`]).

use std::collections::HashMap;

use crossbeam_channel::{unbounded, Receiver};
use lsp_server::Message;
use serde_json::Value;

use super::position::Encoding;
use super::transport;
use super::worker::Memory;
use super::worker::{self, Job, Work};
use super::workspace::{Settings, Workspace};
use super::Server;

/// A server in process: without a workspace folder ([`Session::new`]: the built-in rules and the
/// default configuration) or with one ([`Session::in_folder`]).
pub struct Session {
    server: Server,
    jobs: Receiver<Work>,
    out: Receiver<Message>,
    /// The analyzers' per-sentence work per document, kept between checks as the worker does.
    /// The memo is valid only for the workspace (rule set) it was made with.
    kept: HashMap<lsp_types::Url, (std::sync::Arc<Workspace>, Memory)>,
}

impl Session {
    /// A server as after `initialize`, with UTF-8 (`utf8`) or UTF-16 positions.
    pub fn new(utf8: bool) -> Result<Session, String> {
        let (workspace, _problems) = Workspace::load(None, &Settings::default())?;
        Ok(Session::with(workspace, utf8))
    }

    /// A server whose workspace folder is `root`: its `belysa.toml` and the rules it names.
    /// Problems with them are the server's warnings, not an error here.
    pub fn in_folder(root: &std::path::Path, utf8: bool) -> Result<Session, String> {
        let (workspace, _problems) = Workspace::load(Some(root), &Settings::default())?;
        let mut session = Session::with(workspace, utf8);
        session.server.root = Some(root.to_path_buf());
        Ok(session)
    }

    /// A new server with this one's rules and configuration and no open documents: cheaper than
    /// [`Session::new`], which compiles the rules.
    pub fn fresh(&self, utf8: bool) -> Session {
        Session::with(self.server.workspace.clone(), utf8)
    }

    fn with(workspace: std::sync::Arc<Workspace>, utf8: bool) -> Session {
        let (out_tx, out) = unbounded();
        let (job_tx, jobs) = unbounded();
        let server = Server {
            out: out_tx,
            raw: None,
            encoding: if utf8 { Encoding::Utf8 } else { Encoding::Utf16 },
            settings: Settings::default(),
            root: None,
            workspace,
            docs: HashMap::new(),
            jobs: job_tx,
            next_id: 0,
            timing: false,
        };
        Session {
            server,
            jobs,
            out,
            kept: HashMap::new(),
        }
    }

    /// Handles one JSON-RPC message (a request, notification or response) as the main loop
    /// does, runs the checks it scheduled, and returns every message the server sent meanwhile.
    /// A value that is not a message is answered as the transport answers a malformed one.
    pub fn handle(&mut self, message: Value) -> Vec<Value> {
        let id = message.get("id").cloned().unwrap_or(Value::Null);
        match serde_json::from_value::<Message>(message) {
            Ok(Message::Request(req)) => self.server.request(req),
            // `exit` ends the main loop; here there is no loop to end.
            Ok(Message::Notification(n)) if n.method == "exit" => {}
            Ok(Message::Notification(n)) => self.server.notification(n),
            Ok(Message::Response(_)) => {}
            // As the transport: an error with the message's id, or a null one when it has none.
            Err(e) => {
                return vec![transport::error_answer(
                    id,
                    transport::INVALID_REQUEST,
                    format!("felaktigt meddelande: {e}"),
                )]
            }
        }
        // The worker keeps the last job per document and checks them when the debounce ends.
        let mut pending: Vec<Job> = Vec::new();
        while let Ok(work) = self.jobs.try_recv() {
            match work {
                Work::Check(job) => {
                    pending.retain(|j| j.uri != job.uri);
                    pending.push(job);
                }
                Work::Forget(uri) => {
                    pending.retain(|j| j.uri != uri);
                    self.kept.remove(&uri);
                }
            }
        }
        for job in pending {
            let kept = self
                .kept
                .entry(job.uri.clone())
                .or_insert_with(|| (job.workspace.clone(), Memory::default()));
            if !std::sync::Arc::ptr_eq(&kept.0, &job.workspace) {
                *kept = (job.workspace.clone(), Memory::default());
            }
            let outcome = worker::check(&job, &mut kept.1);
            if outcome.failure.is_some() {
                self.kept.remove(&job.uri);
            }
            self.server.outcome(outcome);
        }
        self.out
            .try_iter()
            .filter_map(|m| serde_json::to_value(m).ok())
            .collect()
    }

    /// The text of an open document as the server holds it after the edits so far.
    pub fn text(&self, uri: &str) -> Option<&str> {
        let uri = lsp_types::Url::parse(uri).ok()?;
        self.server.docs.get(&uri).map(|d| d.text.as_str())
    }
}
