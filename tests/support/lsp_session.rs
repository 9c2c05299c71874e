//! An in-process language server session for tests: the real server (`belysa::lsp::serve_with`)
//! on an in-memory connection, driven with JSON values as an editor would send them.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::thread::JoinHandle;
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};

/// Guards against a hung server; no test depends on how fast anything is.
const HANG: Duration = Duration::from_secs(120);

pub struct Session {
    client: Connection,
    server: Option<JoinHandle<u8>>,
    /// Messages seen while waiting for something else.
    pub seen: Vec<Value>,
    next_id: i32,
}

impl Session {
    /// Starts a server with the given debounce and `initializationOptions`, and initializes it
    /// (UTF-16 positions, no workspace root).
    pub fn start(debounce: Duration, options: Value) -> Session {
        let (server_side, client) = Connection::memory();
        let server =
            std::thread::spawn(move || belysa::lsp::serve_with(&server_side, &belysa::lsp::Options { debounce }));
        let mut s = Session {
            client,
            server: Some(server),
            seen: Vec::new(),
            next_id: 0,
        };
        s.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": {}, "initializationOptions": options}),
        );
        s.notify("initialized", json!({}));
        s
    }

    fn next(&mut self) -> Value {
        let Ok(msg) = self.client.receiver.recv_timeout(HANG) else {
            panic!("the server did not answer; it said before: {:?}", self.seen);
        };
        serde_json::to_value(msg).unwrap()
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        let n = Notification::new(method.to_string(), params);
        self.client.sender.send(Message::Notification(n)).unwrap();
    }

    pub fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        let r = Request::new(id, method.to_string(), params);
        self.client.sender.send(Message::Request(r)).unwrap();
        loop {
            let v = self.next();
            if v.get("method").is_none() && v["id"] == json!(self.next_id) {
                return v;
            }
            self.seen.push(v);
        }
    }

    pub fn open(&mut self, uri: &str, language: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": version, "text": text}}),
        );
    }

    /// Sends one incremental change: `text[start..end]` (byte offsets into `before`, the text
    /// the server has) replaced by `new_text`, with the range in UTF-16 positions.
    pub fn change(&mut self, uri: &str, version: i64, before: &str, start: usize, end: usize, new_text: &str) {
        let (sl, sc) = utf16_position(before, start);
        let (el, ec) = utf16_position(before, end);
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{
                    "range": {"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}},
                    "text": new_text
                }]
            }),
        );
    }

    /// The diagnostics published for `uri` at `version`, skipping earlier ones.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        loop {
            let v = self.next();
            let is_it = v["method"] == "textDocument/publishDiagnostics"
                && v["params"]["uri"] == uri
                && v["params"]["version"] == version;
            if is_it {
                return v["params"]["diagnostics"].as_array().cloned().unwrap_or_default();
            }
            self.seen.push(v);
        }
    }

    /// Shuts the server down and returns its exit status.
    pub fn shutdown(mut self) -> u8 {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r["result"], Value::Null);
        self.notify("exit", Value::Null);
        self.server.take().unwrap().join().unwrap()
    }
}

/// The 0-based line and UTF-16 column of a byte offset, lines ending at `\n`, `\r\n` or a lone
/// `\r` (written here independently of the server).
pub fn utf16_position(text: &str, offset: usize) -> (u32, u32) {
    let mut line = 0;
    let mut line_start = 0;
    let b = text.as_bytes();
    let mut i = 0;
    while i < offset {
        match b[i] {
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            b'\r' if b.get(i + 1) != Some(&b'\n') => {
                line += 1;
                line_start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    let column = text[line_start..offset].encode_utf16().count();
    (line, column as u32)
}
