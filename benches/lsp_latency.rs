//! Latency of the language server on a 1 MB budget document with the default packs.
//!
//! Two figures, each as p50 and p95 over a series of edits:
//! - the check itself: analysis, rules, conversion to protocol diagnostics and the
//!   publishDiagnostics notification serialized, measured inside the server from the end of the
//!   debounce to the notification handed to the writer (the server logs it when
//!   `BELYSA_LSP_TIMING` is set), and in-process (analysis and rules only) for comparison;
//! - didChange → publishDiagnostics as the client sees it, debounce (150 ms) included.
//!
//! The document is the budget documents of `tests/fixtures/corpus/` repeated to 1 MB.
//! Run with `cargo bench --bench lsp_latency`; method and figures are in docs/performance.md.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

use belysa::analysis::analyze;
use belysa::document::{DocKind, Format};
use belysa::engine::{check, Selection};
use belysa::rules::RuleSet;
use serde_json::{json, Value};

const EDITS: usize = 40;
const BUDGETS: [&str; 5] = ["004", "009", "015", "020", "045"];

fn budget_document(size: usize) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
    let texts: Vec<String> = BUDGETS
        .iter()
        .map(|id| std::fs::read_to_string(root.join(format!("{id}.txt"))).unwrap())
        .collect();
    let mut out = String::with_capacity(size + 100_000);
    let mut i = 0;
    while out.len() < size {
        out.push_str(&texts[i % texts.len()]);
        out.push_str("\n\n");
        i += 1;
    }
    out
}

fn percentile(values: &mut [f64], p: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * values.len() as f64).ceil() as usize;
    values[rank.saturating_sub(1).min(values.len() - 1)]
}

fn report(name: &str, values: &mut [f64]) {
    println!(
        "{name:<48} p50 {:>7.1} ms   p95 {:>7.1} ms   (n = {})",
        percentile(values, 50.0),
        percentile(values, 95.0),
        values.len()
    );
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

fn main() {
    let text = budget_document(1_000_000);
    println!("dokument: {} byte, {} rader", text.len(), text.lines().count());

    // In-process: the check alone.
    let rules = RuleSet::builtin().unwrap();
    let selection = Selection::default();
    let mut inproc = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let doc = analyze("budget.txt", text.clone(), Format::Text, Some(DocKind::Budget));
        let out = check(&doc, &rules, &selection);
        std::hint::black_box(out.diagnostics.len());
        inproc.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    report("analys + granskning i processen", &mut inproc);

    // Through the server.
    let mut child = Command::new(env!("CARGO_BIN_EXE_belysa"))
        .arg("lsp")
        .env("BELYSA_LSP_TIMING", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut r = BufReader::new(stdout);
        while let Some(v) = read_frame(&mut r) {
            if tx.send((Instant::now(), v)).is_err() {
                break;
            }
        }
    });
    let mut send = |v: Value| {
        let body = v.to_string();
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    };
    let dir = std::env::temp_dir();
    let uri = format!("file://{}/belysa-bench-budget.txt", dir.display());
    send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "processId": null, "rootUri": null, "capabilities": {},
        "initializationOptions": {"kind": "budget"}}}));
    send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    send(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}}}));
    let wait_for = |version: i64| -> (Instant, usize, Option<f64>) {
        let mut check_ms = None;
        loop {
            let (at, v) = rx.recv_timeout(Duration::from_secs(120)).expect("the server answers");
            let method = v["method"].as_str().unwrap_or("");
            if method == "window/logMessage" {
                let m = v["params"]["message"].as_str().unwrap_or("");
                if let Some(rest) = m.strip_prefix(&format!("belysa: granskning av version {version} tog ")) {
                    check_ms = rest.trim_end_matches(" µs").parse::<f64>().ok().map(|us| us / 1000.0);
                }
            }
            if method == "textDocument/publishDiagnostics" && v["params"]["version"] == version {
                return (at, v["params"]["diagnostics"].as_array().map_or(0, Vec::len), check_ms);
            }
        }
    };
    let (_, n, _) = wait_for(1);
    println!("fynd i dokumentet: {n}");

    let mut round_trip = Vec::new();
    let mut server_check = Vec::new();
    for i in 0..EDITS {
        let version = i as i64 + 2;
        let line = 10 + (i * 97) % 5000;
        let sent = Instant::now();
        send(json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}, "text": "Åtgärd 😀 "}]}}));
        let (at, _, check_ms) = wait_for(version);
        round_trip.push(at.duration_since(sent).as_secs_f64() * 1000.0);
        if let Some(ms) = check_ms {
            server_check.push(ms);
        }
        // Let the editor be idle between edits, as a person typing a word and pausing would.
        std::thread::sleep(Duration::from_millis(50));
    }
    report("granskning i servern (efter debounce → publicering)", &mut server_check);
    report("didChange → publishDiagnostics (med 150 ms debounce)", &mut round_trip);

    send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": null}));
    send(json!({"jsonrpc": "2.0", "method": "exit", "params": null}));
    let _ = child.wait();
}
