//! The language server handling a sequence of edits and requests, in process
//! (`belysa::lsp::Session`: the main loop's own code, with the checks run in step).
//!
//! The input: a first byte of flags (bit 0: UTF-8 positions, else UTF-16; bits 1–2: Markdown,
//! text, a rule file, or Markdown known only by the file name), then parts separated by the byte
//! 0xFF. The first part is the opened text; each further part is one message, chosen by its
//! first byte: an incremental edit (four position numbers, then the new text), a whole-text
//! change, hover, code action, document symbols or completion. A position byte of 0xF0 or more
//! stands for a number near `u32::MAX`, so positions run far out of range too.
//!
//! Asserted: every request gets one answer with its id; every published range is ordered; the
//! server's final text is the one worked out here, independently, from the same edits; and
//! closing the document and opening its final text afresh publishes the same diagnostics as the
//! edits did.

use std::cell::RefCell;

use belysa::lsp::Session;
use serde_json::{json, Value};

const URI: &str = "file:///fuzz/utkast.md";
const MAX_MESSAGES: usize = 32;

thread_local! {
    static BASE: RefCell<Option<Session>> = const { RefCell::new(None) };
}

fn number(b: Option<&u8>) -> u32 {
    match b {
        None => 0,
        Some(&b) if b >= 0xF0 => u32::MAX - u32::from(0xFF - b),
        Some(&b) => u32::from(b),
    }
}

fn position(args: &[u8], at: usize) -> Value {
    json!({ "line": number(args.get(at)), "character": number(args.get(at + 1)) })
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The byte offset of an LSP position, worked out without belysa's code, as the protocol and the
/// server's documented rules have it: lines end at "\n", "\r\n" or a lone "\r"; a character
/// past its line's end is the line's end; a line past the last, or a position inside a character
/// (in UTF-8 or UTF-16 units), is no offset at all.
fn model_offset(text: &str, utf8: bool, line: u32, character: u32) -> Option<usize> {
    let b = text.as_bytes();
    let mut starts = vec![0];
    for i in 0..b.len() {
        if b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')) {
            starts.push(i + 1);
        }
    }
    let start = *starts.get(line as usize)?;
    let mut end = starts.get(line as usize + 1).copied().unwrap_or(b.len());
    for brk in [b'\n', b'\r'] {
        if end > start && b[end - 1] == brk {
            end -= 1;
        }
    }
    let mut units = 0;
    for (i, c) in text[start..end].char_indices() {
        if units == character as usize {
            return Some(start + i);
        }
        units += if utf8 { c.len_utf8() } else { c.len_utf16() };
        if units > character as usize {
            return None;
        }
    }
    Some(end)
}

/// `text` after replacing the range from `start` to `end` with `new`, or as it was when the range
/// is no range (the server then refuses the edit and says so).
fn model_edit(text: &mut String, utf8: bool, start: (u32, u32), end: (u32, u32), new: &str) {
    let from = model_offset(text, utf8, start.0, start.1);
    let to = model_offset(text, utf8, end.0, end.1);
    if let (Some(from), Some(to)) = (from, to) {
        if from <= to {
            text.replace_range(from..to, new);
        }
    }
}

struct Client {
    session: Session,
    next_id: i64,
    version: i32,
    /// The diagnostics last published for the document.
    published: Option<Value>,
}

impl Client {
    fn notify(&mut self, method: &str, params: Value) {
        let out = self
            .session
            .handle(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
        self.take(&out, None);
    }

    fn request(&mut self, method: &str, params: Value) {
        self.next_id += 1;
        let id = self.next_id;
        let out = self
            .session
            .handle(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.take(&out, Some(id));
    }

    fn take(&mut self, out: &[Value], id: Option<i64>) {
        let mut answers = 0;
        for m in out {
            if m.get("id").and_then(Value::as_i64) == id && id.is_some() {
                assert!(m.get("result").is_some() != m.get("error").is_some(), "{m}");
                answers += 1;
            }
            if m.get("method").and_then(Value::as_str) == Some("textDocument/publishDiagnostics") {
                let params = &m["params"];
                if params["uri"] == URI {
                    let diagnostics = params["diagnostics"].clone();
                    for d in diagnostics.as_array().into_iter().flatten() {
                        let (s, e) = (&d["range"]["start"], &d["range"]["end"]);
                        let key = |p: &Value| (p["line"].as_u64(), p["character"].as_u64());
                        assert!(key(s) <= key(e), "{d}");
                    }
                    self.published = Some(diagnostics);
                }
            }
        }
        assert_eq!(answers, usize::from(id.is_some()), "{out:?}");
    }
}

/// Runs one input of the `lsp` fuzz target.
pub fn run(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let session = BASE.with(|base| {
        let mut base = base.borrow_mut();
        if base.is_none() {
            *base = Session::new(false).ok();
        }
        base.as_ref().map(|b| b.fresh(flags & 1 != 0))
    });
    let Some(session) = session else {
        panic!("the server cannot start with the built-in rules");
    };
    let language = match (flags >> 1) & 3 {
        0 => "markdown",
        1 => "plaintext",
        2 => "belysa",
        _ => "",
    };
    let uri = URI;
    let mut parts = rest.split(|&b| b == 0xFF);
    let opened = text(parts.next().unwrap_or_default());
    let utf8 = flags & 1 != 0;
    let mut model = opened.clone();
    let mut client = Client {
        session,
        next_id: 0,
        version: 1,
        published: None,
    };
    let document = json!({ "uri": uri, "languageId": language, "version": 1, "text": opened });
    client.notify("textDocument/didOpen", json!({ "textDocument": document }));
    for part in parts.take(MAX_MESSAGES) {
        let Some((&op, args)) = part.split_first() else {
            continue;
        };
        let id = json!({ "uri": uri });
        match op % 6 {
            0 | 1 => {
                client.version += 1;
                let change = if op % 6 == 0 {
                    let range = json!({ "start": position(args, 0), "end": position(args, 2) });
                    let new = text(args.get(4..).unwrap_or_default());
                    let at = |i: usize| (number(args.get(i)), number(args.get(i + 1)));
                    model_edit(&mut model, utf8, at(0), at(2), &new);
                    json!({ "range": range, "text": new })
                } else {
                    model = text(args);
                    json!({ "text": model })
                };
                let versioned = json!({ "uri": uri, "version": client.version });
                client.notify(
                    "textDocument/didChange",
                    json!({ "textDocument": versioned, "contentChanges": [change] }),
                );
            }
            2 => client.request(
                "textDocument/hover",
                json!({ "textDocument": id, "position": position(args, 0) }),
            ),
            3 => {
                let range = json!({ "start": position(args, 0), "end": position(args, 2) });
                client.request(
                    "textDocument/codeAction",
                    json!({ "textDocument": id, "range": range, "context": { "diagnostics": [] } }),
                );
            }
            4 => client.request("textDocument/documentSymbol", json!({ "textDocument": id })),
            _ => client.request(
                "textDocument/completion",
                json!({ "textDocument": id, "position": position(args, 0) }),
            ),
        }
    }
    // The edited document and a fresh one with its final text get the same diagnostics.
    let Some(last) = client.session.text(uri).map(str::to_string) else {
        return;
    };
    assert_eq!(
        last, model,
        "the server's text after the edits is not the one worked out here"
    );
    let edited = client.published.take();
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    client.published = None;
    let document = json!({ "uri": uri, "languageId": language, "version": 1, "text": last });
    client.notify("textDocument/didOpen", json!({ "textDocument": document }));
    assert_eq!(edited, client.published, "final text: {last:?}");
}
