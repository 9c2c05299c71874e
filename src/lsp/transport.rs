//! The stdio transport. lsp-server's own stops reading at the first malformed message; this one
//! answers it with a JSON-RPC error and reads on.

use std::io::{self, BufRead, Write};
use std::thread::JoinHandle;

use crossbeam_channel::{select, unbounded, Receiver, Sender};
use lsp_server::{Connection, Message};
use serde_json::{json, Value};

/// JSON-RPC: the text is not JSON.
const PARSE_ERROR: i64 = -32700;
/// JSON-RPC: JSON, but not a request, response or notification.
const INVALID_REQUEST: i64 = -32600;

pub struct Io {
    pub writer: JoinHandle<()>,
    /// Serialized messages (a JSON-RPC body each) for the writer, beside the connection's.
    pub raw: Sender<String>,
}

/// A connection over standard input and output.
pub fn stdio() -> io::Result<(Connection, Io)> {
    let (to_client, outgoing) = unbounded::<Message>();
    let (raw_tx, raw_rx) = unbounded::<String>();
    let server_raw = raw_tx.clone();
    let (incoming_tx, incoming) = unbounded::<Message>();
    let writer = std::thread::Builder::new()
        .name("belysa-lsp-writer".into())
        .spawn(move || write_loop(outgoing, raw_rx))?;
    std::thread::Builder::new()
        .name("belysa-lsp-reader".into())
        .spawn(move || {
            let stdin = io::stdin();
            read_loop(&mut stdin.lock(), &incoming_tx, &raw_tx);
        })?;
    Ok((
        Connection {
            sender: to_client,
            receiver: incoming,
        },
        Io {
            writer,
            raw: server_raw,
        },
    ))
}

fn write_frame(out: &mut impl Write, body: &str) -> io::Result<()> {
    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    out.flush()
}

fn write_loop(messages: Receiver<Message>, mut raw: Receiver<String>) {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    loop {
        let result = select! {
            recv(messages) -> m => match m {
                Ok(m) => m.write(&mut out),
                Err(_) => {
                    // The server has ended: write what it sent the other way, then stop.
                    for body in raw.try_iter() {
                        if write_frame(&mut out, &body).is_err() {
                            break;
                        }
                    }
                    return;
                }
            },
            recv(raw) -> r => match r {
                Ok(body) => write_frame(&mut out, &body),
                Err(_) => {
                    // The reader has ended: only the server's own messages remain.
                    raw = crossbeam_channel::never();
                    continue;
                }
            },
        };
        if result.is_err() {
            return;
        }
    }
}

/// Reads one frame's body; `None` at the end of input.
fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Result<String, String>>> {
    let mut length: Option<usize> = None;
    let mut bad_header = None;
    loop {
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if length.is_some() || bad_header.is_some() {
                break;
            }
            continue;
        }
        match line.split_once(':') {
            Some((name, value)) if name.eq_ignore_ascii_case("content-length") => match value.trim().parse::<usize>() {
                Ok(n) => length = Some(n),
                Err(_) => bad_header = Some(format!("ogiltig Content-Length: {}", value.trim())),
            },
            Some(_) => {}
            None => bad_header = Some(format!("ogiltig rubrikrad: {line}")),
        }
    }
    let Some(length) = length.filter(|_| bad_header.is_none()) else {
        return Ok(Some(Err(
            bad_header.unwrap_or_else(|| "Content-Length saknas".to_string())
        )));
    };
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(
        String::from_utf8(body).map_err(|_| "meddelandet är inte giltig UTF-8".to_string()),
    ))
}

fn error_body(id: Value, code: i64, message: String) -> String {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } }).to_string()
}

fn read_loop(input: &mut impl BufRead, incoming: &Sender<Message>, raw: &Sender<String>) {
    loop {
        let body = match read_frame(input) {
            Ok(Some(Ok(body))) => body,
            Ok(Some(Err(problem))) => {
                let _ = raw.send(error_body(
                    Value::Null,
                    PARSE_ERROR,
                    format!("felaktigt meddelande: {problem}"),
                ));
                continue;
            }
            Ok(None) | Err(_) => return,
        };
        match serde_json::from_str::<Message>(&body) {
            Ok(msg) => {
                let exit = matches!(&msg, Message::Notification(n) if n.method == "exit");
                if incoming.send(msg).is_err() || exit {
                    return;
                }
            }
            Err(e) => {
                let (id, code) = match serde_json::from_str::<Value>(&body) {
                    Ok(v) => (v.get("id").cloned().unwrap_or(Value::Null), INVALID_REQUEST),
                    Err(_) => (Value::Null, PARSE_ERROR),
                };
                // A notification (no id) that is malformed gets no answer, as JSON-RPC says;
                // unparsable text does get one, with a null id.
                if code == PARSE_ERROR || !id.is_null() {
                    let _ = raw.send(error_body(id, code, format!("felaktigt meddelande: {e}")));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_frames_get_errors_and_reading_goes_on() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let input = format!(
            "Content-Length: 9\r\n\r\n{{nonsense\r\nContent-Length: {}\r\n\r\n{good}",
            good.len()
        );
        let (tx, rx) = unbounded();
        let (raw_tx, raw_rx) = unbounded();
        read_loop(&mut io::Cursor::new(input.into_bytes()), &tx, &raw_tx);
        let err: Value = serde_json::from_str(&raw_rx.try_recv().unwrap()).unwrap();
        assert_eq!(err["error"]["code"], PARSE_ERROR);
        assert_eq!(err["id"], Value::Null);
        assert!(matches!(rx.try_recv().unwrap(), Message::Notification(n) if n.method == "initialized"));
    }
}
