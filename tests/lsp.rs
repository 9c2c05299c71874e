//! The language server over stdio, as an editor drives it: `belysa lsp` is spawned and spoken to
//! in JSON-RPC frames.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

/// Guards against a hung server; no test depends on how fast anything is.
const HANG: Duration = Duration::from_secs(60);

struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    /// Notifications and server requests seen while waiting for something else.
    seen: Vec<Value>,
    next_id: i64,
}

fn read_frame(r: &mut impl BufRead) -> Option<Value> {
    let mut length = 0;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            length = v.parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    fn start(dir: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_belysa"))
            .arg("lsp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(v) = read_frame(&mut r) {
                if tx.send(v).is_err() {
                    break;
                }
            }
        });
        Client {
            child,
            stdin,
            incoming,
            seen: Vec::new(),
            next_id: 0,
        }
    }

    fn raw(&mut self, body: &str) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send(&mut self, v: Value) {
        self.raw(&v.to_string());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn next(&mut self) -> Value {
        self.incoming.recv_timeout(HANG).expect("the server answers")
    }

    /// Waits for the response with `id`, keeping everything else in `seen`.
    fn response(&mut self, id: &Value) -> Value {
        loop {
            let v = self.next();
            if v.get("method").is_none() && &v["id"] == id {
                return v;
            }
            self.seen.push(v);
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = json!(self.next_id);
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.response(&id)
    }

    fn initialize(&mut self, root: &Path, encodings: &[&str], options: Value) -> Value {
        let uri = url(root);
        let r = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri,
                "capabilities": {
                    "general": {"positionEncodings": encodings},
                    "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}
                },
                "initializationOptions": options,
            }),
        );
        self.notify("initialized", json!({}));
        r
    }

    /// The diagnostics published for `uri` at `version`, skipping earlier ones.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        loop {
            let v = self.next();
            let is_it = v["method"] == "textDocument/publishDiagnostics"
                && v["params"]["uri"] == uri
                && v["params"]["version"] == version;
            if is_it {
                return v["params"]["diagnostics"].as_array().unwrap().clone();
            }
            self.seen.push(v);
        }
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
    }

    fn shutdown(mut self) -> (i32, Vec<Value>) {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r["result"], Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        while let Ok(v) = self.incoming.try_recv() {
            self.seen.push(v);
        }
        (status.code().unwrap(), self.seen)
    }
}

fn url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Byte offset of a UTF-16 position (written here independently of the server).
fn offset_utf16(text: &str, line: u64, character: u64) -> usize {
    let mut start = 0;
    for _ in 0..line {
        start += text[start..].find('\n').unwrap() + 1;
    }
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units == character as usize {
            return start + i;
        }
        units += c.len_utf16() as u64 as usize;
    }
    start + text[start..].find('\n').unwrap_or(text.len() - start)
}

fn apply_edits(text: &str, edits: &[Value]) -> String {
    let mut out = text.to_string();
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let r = &e["range"];
            let s = offset_utf16(
                text,
                r["start"]["line"].as_u64().unwrap(),
                r["start"]["character"].as_u64().unwrap(),
            );
            let t = offset_utf16(
                text,
                r["end"]["line"].as_u64().unwrap(),
                r["end"]["character"].as_u64().unwrap(),
            );
            (s, t, e["newText"].as_str().unwrap().to_string())
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    for (s, t, new) in spans {
        out.replace_range(s..t, &new);
    }
    out
}

const DRAFT: &str = "# Tjänsteutlåtande: Stöd till föreningar\n\n## Förslag till beslut\n\nÅsa 😀 föreslår stöd till föreningar för handikappade.\n\n## Konsekvenser\n\nFörslaget kostar 100 000 kronor.\n";

fn by_code<'a>(diags: &'a [Value], code: &str) -> Option<&'a Value> {
    diags.iter().find(|d| d["code"] == code)
}

#[test]
fn a_whole_session_over_stdio() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Client::start(dir.path());
    let init = c.initialize(dir.path(), &["utf-16"], Value::Null);
    let caps = &init["result"]["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(caps["hoverProvider"], true);
    // The client is asked to watch belysa.toml.
    let reg = c.next();
    assert_eq!(reg["method"], "client/registerCapability");
    assert!(reg["params"].to_string().contains("belysa.toml"));

    let uri = url(&dir.path().join("utkast.md"));
    c.open(&uri, "markdown", DRAFT);
    // A file the server does not serve: it says nothing about it.
    let other = url(&dir.path().join("main.rs"));
    c.open(&other, "rust", "fn main() { let handikappade = 1; }");
    let diags = c.diagnostics(&uri, 1);
    let term = by_code(&diags, "normkritik/funktionsnedsattning").expect("the term is reported");
    assert_eq!(term["severity"], 2);
    assert_eq!(term["source"], "belysa");
    assert!(term["codeDescription"]["href"].as_str().unwrap().starts_with("http"));
    // "Åsa 😀 föreslår stöd till föreningar för " is 41 UTF-16 units (the emoji counts two).
    assert_eq!(term["range"]["start"], json!({"line": 4, "character": 41}));
    assert_eq!(term["range"]["end"], json!({"line": 4, "character": 53}));
    assert!(by_code(&diags, "konsekvens/jamstalldhet").is_some());

    // Incremental change with multi-byte text before the finding: "ö👩🏽" after "Åsa 😀 ".
    let mut text = DRAFT.replace("Åsa 😀 ", "Åsa 😀 ö👩🏽 ");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": {"line": 4, "character": 7}, "end": {"line": 4, "character": 7}}, "text": "ö👩🏽 "}]}),
    );
    let diags = c.diagnostics(&uri, 2);
    let term = by_code(&diags, "normkritik/funktionsnedsattning").unwrap().clone();
    // Five more units: ö (1), 👩 (2), 🏽 (2)... and the space: 6.
    assert_eq!(term["range"]["start"], json!({"line": 4, "character": 47}));

    // Hover on the finding: help and sources as Markdown.
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 4, "character": 50}}),
    );
    let value = hover["result"]["contents"]["value"].as_str().unwrap();
    assert_eq!(hover["result"]["contents"]["kind"], "markdown");
    assert!(
        value.contains("normkritik/funktionsnedsattning") && value.contains("Källor:"),
        "{value}"
    );

    // Code action: replace with the suggestion, and apply its edit.
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": term["range"], "context": {"diagnostics": [term]}}),
    );
    let actions = actions["result"].as_array().unwrap();
    let titles: Vec<&str> = actions.iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("Undanta normkritik/funktionsnedsattning")),
        "{titles:?}"
    );
    let replace = actions
        .iter()
        .find(|a| a["title"] == "Ersätt med ”person med funktionsnedsättning”")
        .expect("a replacement");
    let edits = replace["edit"]["changes"][&uri].as_array().unwrap();
    text = apply_edits(&text, edits);
    assert!(text.contains("Åsa 😀 ö👩🏽 föreslår stöd till föreningar för person med funktionsnedsättning."));
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": text}]}),
    );
    let diags = c.diagnostics(&uri, 3);
    assert!(by_code(&diags, "normkritik/funktionsnedsattning").is_none());

    // The skeleton for the missing equality section goes under "Konsekvenser".
    let eq = by_code(&diags, "konsekvens/jamstalldhet").unwrap().clone();
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": eq["range"], "context": {"diagnostics": [eq]}}),
    );
    let skeleton = actions["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .starts_with("Infoga avsnittet ”Konsekvenser för jämställdhet”")
        })
        .expect("a skeleton action")
        .clone();
    let fixed = apply_edits(&text, skeleton["edit"]["changes"][&uri].as_array().unwrap());
    assert!(
        fixed.contains(
            "## Konsekvenser\n\nFörslaget kostar 100 000 kronor.\n\n### Konsekvenser för jämställdhet\n\n- Berör"
        ),
        "{fixed}"
    );

    // The outline of sections.
    let symbols = c.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}}));
    let top = &symbols["result"][0];
    assert_eq!(top["name"], "Tjänsteutlåtande: Stöd till föreningar");
    let children: Vec<&str> = top["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(children, ["Förslag till beslut", "Konsekvenser"]);

    // An out-of-range position gets an error, and the server lives on.
    let bad = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 999, "character": 0}}),
    );
    assert_eq!(bad["error"]["code"], -32602);
    // A malformed message gets an error with a null id, and the server lives on.
    c.raw("{this is not json");
    let err = c.response(&Value::Null);
    assert_eq!(err["error"]["code"], -32700);
    let again = c.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}}));
    assert!(again["result"].is_array());
    // A request with parameters of the wrong shape.
    let wrong = c.request("textDocument/hover", json!({"position": "here"}));
    assert_eq!(wrong["error"]["code"], -32602);

    let (status, seen) = c.shutdown();
    assert_eq!(status, 0);
    assert!(
        !seen.iter().any(|v| v["params"]["uri"] == other),
        "nothing about main.rs"
    );
}

#[test]
fn utf8_positions_when_the_client_offers_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Client::start(dir.path());
    let init = c.initialize(dir.path(), &["utf-8", "utf-16"], Value::Null);
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-8");
    let uri = url(&dir.path().join("utkast.md"));
    c.open(&uri, "markdown", DRAFT);
    let diags = c.diagnostics(&uri, 1);
    let term = by_code(&diags, "normkritik/funktionsnedsattning").unwrap();
    let line = DRAFT.lines().nth(4).unwrap();
    let byte = line.find("handikappade").unwrap();
    assert_eq!(term["range"]["start"], json!({"line": 4, "character": byte}));
    assert_eq!(c.shutdown().0, 0);
}

#[test]
fn rule_files_get_errors_failing_examples_hover_and_completion() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Client::start(dir.path());
    c.initialize(dir.path(), &["utf-16"], Value::Null);
    let uri = url(&dir.path().join("egna.belysa"));
    let broken = "pack egna {\n  title \"Egna\"\n  description \"Prov\"\n  version \"1\"\n}\n\nrule ord {\n  severty warning\n}\n";
    c.open(&uri, "belysa", broken);
    let diags = c.diagnostics(&uri, 1);
    assert!(!diags.is_empty());
    assert_eq!(diags[0]["code"], "regelfil");
    assert_eq!(diags[0]["range"]["start"]["line"], 7, "{diags:?}");
    assert!(diags[0]["message"].as_str().unwrap().contains("severity"), "{diags:?}");

    let failing = "pack egna {\n  title \"Egna\"\n  description \"Prov\"\n  version \"1\"\n}\n\nrule ord {\n  severity warning\n  message \"Undvik {match}.\"\n  help \"Skriv enklare.\"\n  source \"Klarspråk\"\n  terms {\n    \"härvid\" -> \"då\"\n  }\n  example fail \"Vi gör så härmed.\"\n  example pass \"Vi gör så då.\"\n}\n";
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": failing}]}),
    );
    let diags = c.diagnostics(&uri, 2);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "exempel");
    assert_eq!(diags[0]["range"]["start"]["line"], 14);

    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 7, "character": 4}}),
    );
    assert!(hover["result"]["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("Allvarlighetsgrad"));
    let completion = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 7, "character": 2}}),
    );
    let labels: Vec<&str> = completion["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"analyzer") && labels.contains(&"terms"), "{labels:?}");
    assert_eq!(c.shutdown().0, 0);
}

#[test]
fn workspace_configuration_and_its_reload() {
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("belysa.toml");
    std::fs::write(&toml, "[packs]\ndisable = [\"normkritik\"]\n").unwrap();
    let mut c = Client::start(dir.path());
    c.initialize(dir.path(), &["utf-16"], json!({"kind": "tjansteutlatande"}));
    let uri = url(&dir.path().join("utkast.md"));
    c.open(&uri, "markdown", DRAFT);
    let diags = c.diagnostics(&uri, 1);
    assert!(by_code(&diags, "normkritik/funktionsnedsattning").is_none());
    assert!(by_code(&diags, "konsekvens/barn").is_some());

    std::fs::write(&toml, "[packs]\ndisable = [\"konsekvens\"]\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": url(&toml), "type": 2}]}),
    );
    let diags = c.diagnostics(&uri, 1);
    assert!(by_code(&diags, "normkritik/funktionsnedsattning").is_some());
    assert!(by_code(&diags, "konsekvens/barn").is_none());
    assert_eq!(c.shutdown().0, 0);
}

#[test]
fn initialization_options_choose_the_packs() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Client::start(dir.path());
    c.initialize(dir.path(), &["utf-16"], json!({"packs": ["normkritik"]}));
    let uri = url(&dir.path().join("utkast.txt"));
    c.open(&uri, "plaintext", "Stöd till föreningar för handikappade.\n");
    let diags = c.diagnostics(&uri, 1);
    assert!(!diags.is_empty());
    assert!(
        diags
            .iter()
            .all(|d| d["code"].as_str().unwrap().starts_with("normkritik/")),
        "{diags:?}"
    );
    // Plain text: the suppression goes at the end of the line.
    let d = diags[0].clone();
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let suppress = actions["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Undanta"))
        .unwrap()
        .clone();
    let text = apply_edits(
        "Stöd till föreningar för handikappade.\n",
        suppress["edit"]["changes"][&uri].as_array().unwrap(),
    );
    assert_eq!(
        text,
        format!(
            "Stöd till föreningar för handikappade. belysa: ignore {} -- skäl\n",
            d["code"].as_str().unwrap()
        )
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": text}]}),
    );
    assert!(c.diagnostics(&uri, 2).is_empty());
    assert_eq!(c.shutdown().0, 0);
}
