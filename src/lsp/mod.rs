//! `belysa lsp`: the language server, over standard input and output.
//!
//! Built on lsp-server and lsp-types; every protocol type stays inside this module. The main
//! loop keeps the open documents and answers requests at once; checks run on a worker thread
//! ([`worker`]), debounced, and a result for a version that is no longer current is dropped.
//! Positions are converted in one place ([`position`]).

mod features;
pub mod position;
mod rulefile;
mod session;
mod transport;
mod worker;
mod workspace;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crossbeam_channel::{select, unbounded, Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument, LogMessage,
    Notification as _, ShowMessage,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, HoverRequest, RegisterCapability, Request as _,
};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability, CompletionOptions,
    CompletionParams, CompletionResponse, DidChangeTextDocumentParams, DidChangeWatchedFilesRegistrationOptions,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DocumentSymbolParams, DocumentSymbolResponse,
    FileSystemWatcher, GlobPattern, Hover, HoverContents, HoverParams, HoverProviderCapability, InitializeParams,
    LogMessageParams, MarkupContent, MarkupKind, MessageType, OneOf, Registration, RegistrationParams,
    ServerCapabilities, ServerInfo, ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, Url,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::document::{Format, LineIndex};
pub use session::Session;

use position::{Encoding, PositionMap};
use worker::{Checked, Job, Lang, Outcome, Work};
use workspace::{Settings, Workspace};

/// Runs the server on standard input and output; returns the exit status (0 after a shutdown
/// request and exit, 1 otherwise).
pub fn run() -> u8 {
    let (connection, io) = match transport::stdio() {
        Ok(c) => c,
        Err(e) => {
            crate::cli::write_stderr(&format!("fel: språkservern kunde inte starta: {e}\n"));
            return 2;
        }
    };
    let status = serve_inner(&connection, &Options::from_env(), Some(io.raw.clone()));
    drop(connection);
    let _ = io.writer.join();
    status
}

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The quiet time after the last change before a check starts.
    pub debounce: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            debounce: worker::DEBOUNCE,
        }
    }
}

impl Options {
    /// The defaults, with the debounce from `BELYSA_LSP_DEBOUNCE_MS` when it is set (tests and
    /// benchmarks use a short one).
    pub fn from_env() -> Options {
        let debounce = std::env::var("BELYSA_LSP_DEBOUNCE_MS")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map_or(worker::DEBOUNCE, Duration::from_millis);
        Options { debounce }
    }
}

/// Serves one client on a connection (stdio, or in memory for tests) with the default options.
pub fn serve(connection: &Connection) -> u8 {
    serve_with(connection, &Options::default())
}

/// Serves one client on a connection with the given options.
pub fn serve_with(connection: &Connection, options: &Options) -> u8 {
    serve_inner(connection, options, None)
}

/// Serves one client; `raw` takes serialized messages when the transport has such a way.
fn serve_inner(connection: &Connection, options: &Options, raw: Option<Sender<String>>) -> u8 {
    let (id, params) = match connection.initialize_start() {
        Ok(x) => x,
        Err(_) => return 1,
    };
    let params: InitializeParams = match serde_json::from_value(params) {
        Ok(p) => p,
        Err(e) => {
            let _ = connection.sender.send(Message::Response(Response::new_err(
                id,
                ErrorCode::InvalidParams as i32,
                format!("ogiltiga initialize-parametrar: {e}"),
            )));
            return 1;
        }
    };
    let encoding = Encoding::negotiate(
        params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref()),
    );
    let capabilities = ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            ..Default::default()
        })),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..Default::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions::default()),
        ..Default::default()
    };
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": ServerInfo { name: "belysa".into(), version: Some(env!("CARGO_PKG_VERSION").into()) },
    });
    if connection.initialize_finish(id, result).is_err() {
        return 1;
    }
    let settings: Settings = params
        .initialization_options
        .clone()
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default();
    #[allow(deprecated)]
    let root = params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .map(|f| f.uri.clone())
        .or(params.root_uri.clone())
        .and_then(|u| u.to_file_path().ok());
    let watch = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files)
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false);

    let (job_tx, job_rx) = unbounded();
    let (result_tx, result_rx) = unbounded();
    let worker = match worker::spawn(job_rx, result_tx, options.debounce) {
        Ok(w) => w,
        Err(_) => return 1,
    };
    let mut server = match Server::new(connection.sender.clone(), raw, encoding, settings, root, job_tx) {
        Ok(s) => s,
        Err(message) => {
            let _ = connection.sender.send(show(MessageType::ERROR, &message));
            return 1;
        }
    };
    if watch {
        server.register_watchers();
    }
    let status = server.main_loop(connection, &result_rx);
    drop(server);
    let _ = worker.join();
    status
}

fn notification<N: lsp_types::notification::Notification>(params: N::Params) -> Message {
    Message::Notification(Notification::new(N::METHOD.to_string(), params))
}

fn show(typ: MessageType, message: &str) -> Message {
    notification::<ShowMessage>(ShowMessageParams {
        typ,
        message: message.to_string(),
    })
}

struct OpenDoc {
    text: String,
    version: i32,
    lang: Lang,
    index: LineIndex,
    /// The last published check, when it is of the current version.
    checked: Option<(i32, Arc<Checked>, Vec<lsp_types::Diagnostic>)>,
}

impl OpenDoc {
    fn current(&self) -> Option<(&Checked, &[lsp_types::Diagnostic])> {
        self.checked
            .as_ref()
            .filter(|(v, _, _)| *v == self.version)
            .map(|(_, c, d)| (c.as_ref(), d.as_slice()))
    }
}

/// What a request handler can fail with: an error response.
struct Failure {
    code: ErrorCode,
    message: String,
}

impl From<position::OutOfRange> for Failure {
    fn from(e: position::OutOfRange) -> Self {
        Failure {
            code: ErrorCode::InvalidParams,
            message: e.to_string(),
        }
    }
}

struct Server {
    out: Sender<Message>,
    /// Serialized messages for the transport, when it takes them (stdio).
    raw: Option<Sender<String>>,
    encoding: Encoding,
    settings: Settings,
    root: Option<PathBuf>,
    workspace: Arc<Workspace>,
    docs: HashMap<Url, OpenDoc>,
    jobs: Sender<Work>,
    next_id: i32,
    /// `BELYSA_LSP_TIMING` is set: log how long each check took (for the latency benchmark).
    timing: bool,
}

/// The language a document is served as, from its language id or else its file name; `None`
/// for documents the server does not serve.
fn language(language_id: &str, uri: &Url) -> Option<Lang> {
    match language_id {
        "markdown" => return Some(Lang::Markdown),
        "plaintext" | "text" => return Some(Lang::Text),
        "belysa" => return Some(Lang::Rules),
        _ => {}
    }
    let path = uri.path().to_ascii_lowercase();
    if path.ends_with(".md") || path.ends_with(".markdown") {
        Some(Lang::Markdown)
    } else if path.ends_with(".txt") {
        Some(Lang::Text)
    } else if path.ends_with(".belysa") {
        Some(Lang::Rules)
    } else {
        None
    }
}

impl Server {
    fn new(
        out: Sender<Message>,
        raw: Option<Sender<String>>,
        encoding: Encoding,
        settings: Settings,
        root: Option<PathBuf>,
        jobs: Sender<Work>,
    ) -> Result<Server, String> {
        let (workspace, problems) = Workspace::load(root.as_deref(), &settings)?;
        let server = Server {
            out,
            raw,
            encoding,
            settings,
            root,
            workspace,
            docs: HashMap::new(),
            jobs,
            next_id: 0,
            timing: std::env::var_os("BELYSA_LSP_TIMING").is_some(),
        };
        server.report(&problems);
        Ok(server)
    }

    fn send(&self, msg: Message) {
        let _ = self.out.send(msg);
    }

    fn report(&self, problems: &[String]) {
        for p in problems {
            self.send(show(MessageType::WARNING, &format!("belysa: {p}")));
        }
    }

    fn register_watchers(&mut self) {
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: ["**/belysa.toml", "**/*.belysa"]
                .into_iter()
                .map(|g| FileSystemWatcher {
                    glob_pattern: GlobPattern::String(g.to_string()),
                    kind: None,
                })
                .collect(),
        };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "belysa-konfiguration".into(),
                method: DidChangeWatchedFiles::METHOD.into(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.next_id += 1;
        let id = RequestId::from(format!("belysa-{}", self.next_id));
        self.send(Message::Request(Request::new(
            id,
            RegisterCapability::METHOD.into(),
            params,
        )));
    }

    fn main_loop(&mut self, connection: &Connection, results: &Receiver<Outcome>) -> u8 {
        loop {
            select! {
                recv(connection.receiver) -> msg => {
                    let Ok(msg) = msg else { return 1 };
                    match msg {
                        Message::Request(req) => {
                            match connection.handle_shutdown(&req) {
                                Ok(true) => return 0,
                                Ok(false) => self.request(req),
                                Err(_) => return 1,
                            }
                        }
                        Message::Notification(n) if n.method == "exit" => return 1,
                        Message::Notification(n) => self.notification(n),
                        // Answers to our own requests (registration): nothing to do.
                        Message::Response(_) => {}
                    }
                }
                recv(results) -> outcome => {
                    if let Ok(outcome) = outcome {
                        self.outcome(outcome);
                    }
                }
            }
        }
    }

    fn request(&mut self, req: Request) {
        let id = req.id.clone();
        let result = match req.method.as_str() {
            CodeActionRequest::METHOD => self.with_params(req, Server::code_action),
            HoverRequest::METHOD => self.with_params(req, Server::hover),
            DocumentSymbolRequest::METHOD => self.with_params(req, Server::symbols),
            Completion::METHOD => self.with_params(req, Server::completion),
            _ => Err(Failure {
                code: ErrorCode::MethodNotFound,
                message: format!("okänd metod: {}", req.method),
            }),
        };
        let response = match result {
            Ok(value) => Response::new_ok(id, value),
            Err(f) => Response::new_err(id, f.code as i32, f.message),
        };
        self.send(Message::Response(response));
    }

    fn with_params<P: DeserializeOwned>(
        &mut self,
        req: Request,
        handler: fn(&mut Server, P) -> Result<Value, Failure>,
    ) -> Result<Value, Failure> {
        let params: P = serde_json::from_value(req.params).map_err(|e| Failure {
            code: ErrorCode::InvalidParams,
            message: format!("ogiltiga parametrar till {}: {e}", req.method),
        })?;
        handler(self, params)
    }

    fn code_action(&mut self, p: CodeActionParams) -> Result<Value, Failure> {
        let Some(doc) = self.docs.get(&p.text_document.uri) else {
            return Ok(Value::Null);
        };
        let map = PositionMap::new(&doc.text, &doc.index, self.encoding);
        let range = map.span(p.range)?;
        let Some((checked, published)) = doc.current() else {
            return Ok(serde_json::json!([]));
        };
        let actions = features::code_actions(
            &p.text_document.uri,
            &checked.doc,
            &checked.findings,
            published,
            &self.workspace,
            &map,
            &range,
        );
        Ok(serde_json::to_value(actions).unwrap_or(Value::Null))
    }

    /// The open document at `uri`, unless it is over the size the server works on (its check
    /// says so): a request about it then gets an empty answer, not a pass over the whole text.
    fn workable(&self, uri: &Url) -> Option<&OpenDoc> {
        let doc = self.docs.get(uri)?;
        (doc.text.len() as u64 <= worker::size_limit(doc.lang, &self.workspace)).then_some(doc)
    }

    fn hover(&mut self, p: HoverParams) -> Result<Value, Failure> {
        let pos = p.text_document_position_params;
        let Some(doc) = self.workable(&pos.text_document.uri) else {
            return Ok(Value::Null);
        };
        let map = PositionMap::new(&doc.text, &doc.index, self.encoding);
        let offset = map.offset(pos.position)?;
        let markdown = match doc.lang {
            Lang::Rules => rulefile::hover(&doc.text, offset),
            Lang::Markdown | Lang::Text => doc.current().and_then(|(c, _)| features::hover(&c.findings, offset)),
        };
        Ok(markdown
            .map(|value| Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value,
                }),
                range: None,
            })
            .and_then(|h| serde_json::to_value(h).ok())
            .unwrap_or(Value::Null))
    }

    fn symbols(&mut self, p: DocumentSymbolParams) -> Result<Value, Failure> {
        let Some(doc) = self.workable(&p.text_document.uri) else {
            return Ok(Value::Null);
        };
        let format = match doc.lang {
            Lang::Markdown => Format::Markdown,
            Lang::Text => Format::Text,
            Lang::Rules => return Ok(Value::Null),
        };
        let map = PositionMap::new(&doc.text, &doc.index, self.encoding);
        let symbols = match doc.current() {
            Some((c, _)) => features::symbols(&c.doc, &map),
            // Not checked yet: the structure alone is quick to work out.
            None => {
                let analysed = crate::analysis::analyze("", doc.text.clone(), format, None);
                features::symbols(&analysed, &map)
            }
        };
        Ok(serde_json::to_value(DocumentSymbolResponse::Nested(symbols)).unwrap_or(Value::Null))
    }

    fn completion(&mut self, p: CompletionParams) -> Result<Value, Failure> {
        let pos = p.text_document_position;
        let Some(doc) = self.workable(&pos.text_document.uri) else {
            return Ok(Value::Null);
        };
        if doc.lang != Lang::Rules {
            return Ok(Value::Null);
        }
        let map = PositionMap::new(&doc.text, &doc.index, self.encoding);
        let offset = map.offset(pos.position)?;
        let items = rulefile::completion(&doc.text, offset);
        Ok(serde_json::to_value(CompletionResponse::Array(items)).unwrap_or(Value::Null))
    }

    fn params<P: DeserializeOwned>(&self, n: Notification) -> Option<P> {
        match serde_json::from_value(n.params) {
            Ok(p) => Some(p),
            Err(e) => {
                self.log(&format!("ogiltiga parametrar till {}: {e}", n.method));
                None
            }
        }
    }

    fn log(&self, message: &str) {
        self.send(notification::<LogMessage>(LogMessageParams {
            typ: MessageType::WARNING,
            message: format!("belysa: {message}"),
        }));
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Some(p) = self.params::<DidOpenTextDocumentParams>(n) else {
                    return;
                };
                let doc = p.text_document;
                let Some(lang) = language(&doc.language_id, &doc.uri) else {
                    return;
                };
                self.docs.insert(
                    doc.uri.clone(),
                    OpenDoc {
                        index: LineIndex::new(&doc.text),
                        text: doc.text,
                        version: doc.version,
                        lang,
                        checked: None,
                    },
                );
                self.schedule(&doc.uri);
            }
            DidChangeTextDocument::METHOD => {
                let Some(p) = self.params::<DidChangeTextDocumentParams>(n) else {
                    return;
                };
                let uri = p.text_document.uri;
                let encoding = self.encoding;
                let Some(doc) = self.docs.get_mut(&uri) else { return };
                for change in p.content_changes {
                    match change.range {
                        None => doc.text = change.text,
                        Some(range) => {
                            let span = PositionMap::new(&doc.text, &doc.index, encoding).span(range);
                            match span {
                                Ok(span) => doc.text.replace_range(span, &change.text),
                                Err(e) => {
                                    let message = format!(
                                        "belysa: ändringen i {uri} kunde inte tillämpas ({e}); stäng och öppna dokumentet igen"
                                    );
                                    let _ = self.out.send(show(MessageType::ERROR, &message));
                                }
                            }
                        }
                    }
                    doc.index = LineIndex::new(&doc.text);
                }
                doc.version = p.text_document.version;
                self.schedule(&uri);
            }
            DidCloseTextDocument::METHOD => {
                let Some(p) = self.params::<DidCloseTextDocumentParams>(n) else {
                    return;
                };
                if self.docs.remove(&p.text_document.uri).is_some() {
                    let _ = self.jobs.send(Work::Forget(p.text_document.uri.clone()));
                    self.publish(p.text_document.uri, Vec::new(), None);
                }
            }
            DidChangeWatchedFiles::METHOD => self.reload(),
            _ => {}
        }
    }

    /// Reads `belysa.toml` and the rules again, and checks every open document again.
    fn reload(&mut self) {
        match Workspace::load(self.root.as_deref(), &self.settings) {
            Ok((ws, problems)) => {
                self.workspace = ws;
                self.report(&problems);
            }
            Err(message) => self.report(&[message]),
        }
        let uris: Vec<Url> = self.docs.keys().cloned().collect();
        for uri in uris {
            self.schedule(&uri);
        }
    }

    fn schedule(&self, uri: &Url) {
        let Some(doc) = self.docs.get(uri) else { return };
        let job = Job {
            uri: uri.clone(),
            version: doc.version,
            text: Arc::from(doc.text.as_str()),
            lang: doc.lang,
            path: uri.to_file_path().ok(),
            workspace: self.workspace.clone(),
            encoding: self.encoding,
        };
        let _ = self.jobs.send(Work::Check(job));
    }

    fn outcome(&mut self, outcome: Outcome) {
        let Some(doc) = self.docs.get_mut(&outcome.uri) else {
            return;
        };
        if doc.version != outcome.version {
            // Outdated: a newer version is on its way to the worker.
            return;
        }
        if let Some(failure) = &outcome.failure {
            let _ = self.out.send(show(MessageType::ERROR, failure));
        }
        doc.checked = outcome.checked.map(|c| (outcome.version, c, outcome.diagnostics));
        if self.timing {
            // From the end of the debounce to the notification handed to the writer.
            let took = outcome.started.elapsed();
            self.send_body(worker::notification_body::<LogMessage, _>(&LogMessageParams {
                typ: MessageType::LOG,
                message: format!(
                    "belysa: granskning av version {} tog {} µs",
                    outcome.version,
                    took.as_micros()
                ),
            }));
        }
        self.send_body(outcome.body);
    }

    fn publish(&self, uri: Url, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        self.send_body(worker::publish_body(&uri, &diagnostics, version));
    }

    /// Sends a notification already serialized: straight to the transport when it takes text
    /// (stdio), else as a message. Every publishDiagnostics goes this way, so they stay in order.
    fn send_body(&self, body: String) {
        match &self.raw {
            Some(raw) => {
                let _ = raw.send(body);
            }
            None => {
                if let Ok(msg) = serde_json::from_str::<Message>(&body) {
                    self.send(msg);
                }
            }
        }
    }
}
