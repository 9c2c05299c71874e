//! The stdio transport. lsp-server's own stops reading at the first malformed message; this one
//! answers it with a JSON-RPC error and reads on.

use std::io::{self, BufRead, Read, Write};
use std::thread::JoinHandle;

use crossbeam_channel::{select, unbounded, Receiver, Sender};
use lsp_server::{Connection, Message};
use serde_json::{json, Value};

use crate::ingest::human_size;

/// JSON-RPC: the text is not JSON.
const PARSE_ERROR: i64 = -32700;
/// JSON-RPC: JSON, but not a request, response or notification.
pub(super) const INVALID_REQUEST: i64 = -32600;

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

/// The largest message read. A document at the default limit of 50 MB, written as JSON, fits
/// several times over; a larger frame is skipped without being held and answered with an error,
/// so that a wrong or hostile `Content-Length` cannot make the server claim memory it has not
/// been sent.
const MAX_FRAME: usize = 256 * 1024 * 1024;

/// A header line is a few dozen bytes; one longer than this is skipped to its end.
const MAX_HEADER_LINE: u64 = 1024;

/// Why a frame was not read; the reading goes on after it.
#[derive(Debug, PartialEq)]
enum Unread {
    /// Headers or body not as the protocol says: answered as a parse error.
    Malformed(String),
    /// A body over [`MAX_FRAME`], skipped: answered, and the user told.
    TooLarge(usize),
}

/// Reads one header line, at most [`MAX_HEADER_LINE`] bytes of it (the rest is skipped), as
/// text with invalid UTF-8 replaced; `None` at the end of input.
fn read_header_line(input: &mut impl BufRead) -> io::Result<Option<(String, bool)>> {
    let mut line = Vec::new();
    let n = input.by_ref().take(MAX_HEADER_LINE).read_until(b'\n', &mut line)?;
    if n == 0 {
        return Ok(None);
    }
    let too_long = line.last() != Some(&b'\n') && n as u64 == MAX_HEADER_LINE;
    if too_long {
        input.skip_until(b'\n')?;
    }
    let text = String::from_utf8_lossy(&line);
    Ok(Some((text.trim_end_matches(['\r', '\n']).to_string(), too_long)))
}

/// Reads one frame's body; `None` at the end of input (also in the middle of a frame).
fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Result<String, Unread>>> {
    let mut length: Option<usize> = None;
    let mut bad_header = None;
    let mut headers = 0;
    loop {
        let Some((line, too_long)) = read_header_line(input)? else {
            return Ok(None);
        };
        if too_long {
            bad_header = Some(format!("för lång rubrikrad (över {MAX_HEADER_LINE} byte)"));
            headers += 1;
            continue;
        }
        if line.is_empty() {
            // The end of the headers; blank lines before the first header are passed over.
            if headers > 0 {
                break;
            }
            continue;
        }
        headers += 1;
        match line.split_once(':') {
            Some((name, value)) if name.eq_ignore_ascii_case("content-length") => match value.trim().parse::<usize>() {
                Ok(n) => length = Some(n),
                Err(_) => bad_header = Some(format!("ogiltig Content-Length: {}", value.trim())),
            },
            Some(_) => {}
            None => bad_header = Some(format!("ogiltig rubrikrad: {line}")),
        }
    }
    let Some(length) = length else {
        let problem = bad_header.unwrap_or_else(|| "Content-Length saknas".to_string());
        return Ok(Some(Err(Unread::Malformed(problem))));
    };
    let mut body = input.by_ref().take(length as u64);
    if let Some(problem) = bad_header {
        // The length is known: skip the body, so that the next frame is read from its start.
        let skipped = io::copy(&mut body, &mut io::sink())?;
        return Ok((skipped == length as u64).then_some(Err(Unread::Malformed(problem))));
    }
    if length > MAX_FRAME {
        let skipped = io::copy(&mut body, &mut io::sink())?;
        return Ok((skipped == length as u64).then_some(Err(Unread::TooLarge(length))));
    }
    // Read as it comes: the buffer grows with what was sent, not with what the header claims.
    let mut bytes = Vec::new();
    body.read_to_end(&mut bytes)?;
    if bytes.len() < length {
        return Ok(None);
    }
    Ok(Some(String::from_utf8(bytes).map_err(|_| {
        Unread::Malformed("meddelandet är inte giltig UTF-8".to_string())
    })))
}

/// A JSON-RPC error answer to the message with this id (null when it has none).
pub(super) fn error_answer(id: Value, code: i64, message: String) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } })
}

fn error_body(id: Value, code: i64, message: String) -> String {
    error_answer(id, code, message).to_string()
}

fn show_message_body(message: &str) -> String {
    json!({ "jsonrpc": "2.0", "method": "window/showMessage", "params": { "type": 1, "message": message } }).to_string()
}

fn read_loop(input: &mut impl BufRead, incoming: &Sender<Message>, raw: &Sender<String>) {
    loop {
        let body = match read_frame(input) {
            Ok(Some(Ok(body))) => body,
            Ok(Some(Err(Unread::Malformed(problem)))) => {
                let _ = raw.send(error_body(
                    Value::Null,
                    PARSE_ERROR,
                    format!("felaktigt meddelande: {problem}"),
                ));
                continue;
            }
            Ok(Some(Err(Unread::TooLarge(length)))) => {
                let problem = format!(
                    "ett meddelande från redigeraren var för stort för att läsas ({}); gränsen är {}",
                    human_size(length as u64),
                    human_size(MAX_FRAME as u64)
                );
                let _ = raw.send(error_body(Value::Null, PARSE_ERROR, problem.clone()));
                let _ = raw.send(show_message_body(&format!(
                    "belysa: {problem}. Ett dokument så stort granskas inte."
                )));
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
                // Answered with the message's id, or a null one when it has none or is not
                // JSON: JSON-RPC 2.0 answers an invalid request such as `{}` with id null, as
                // it does text that does not parse (only a valid notification goes unanswered).
                let _ = raw.send(error_body(id, code, format!("felaktigt meddelande: {e}")));
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

    #[test]
    fn json_that_is_no_message_is_answered_with_its_id_or_null() {
        // `{}` is what the property test below found unanswered: valid JSON, no id.
        for (body, id) in [
            ("{}", Value::Null),
            (r#"{"jsonrpc":"2.0","method":1,"params":"bar"}"#, Value::Null),
            ("[]", Value::Null),
            (r#"{"jsonrpc":"2.0","id":7,"error":5}"#, json!(7)),
        ] {
            let mut input = frame(body);
            input.extend(frame(GOOD));
            let (messages, raw) = run(io::Cursor::new(input));
            assert_eq!(messages.len(), 1, "{body}");
            assert_eq!(raw.len(), 1, "{body}: {raw:?}");
            assert_eq!(raw[0]["error"]["code"], INVALID_REQUEST, "{body}");
            assert_eq!(raw[0]["id"], id, "{body}");
        }
    }

    fn frame(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    const GOOD: &str = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;

    fn run(input: impl Read) -> (Vec<Message>, Vec<Value>) {
        let (tx, rx) = unbounded();
        let (raw_tx, raw_rx) = unbounded();
        read_loop(&mut io::BufReader::new(input), &tx, &raw_tx);
        let raw = raw_rx.try_iter().map(|b| serde_json::from_str(&b).unwrap()).collect();
        (rx.try_iter().collect(), raw)
    }

    /// A frame over the limit is skipped as it streams past, never held: answered, the user
    /// told, and the next message read.
    #[test]
    fn a_frame_over_the_limit_is_skipped_and_reading_goes_on() {
        let length = MAX_FRAME + 1;
        let input = io::Cursor::new(format!("Content-Length: {length}\r\n\r\n"))
            .chain(io::repeat(b' ').take(length as u64))
            .chain(io::Cursor::new(frame(GOOD)));
        let (messages, raw) = run(input);
        assert!(matches!(&messages[..], [Message::Notification(n)] if n.method == "initialized"));
        assert_eq!(raw.len(), 2, "{raw:?}");
        assert_eq!(raw[0]["error"]["code"], PARSE_ERROR);
        assert!(raw[0]["error"]["message"].as_str().unwrap().contains("för stort"));
        assert_eq!(raw[1]["method"], "window/showMessage");
        assert!(raw[1]["params"]["message"].as_str().unwrap().contains("256 MB"));
    }

    /// A length the input never delivers (up to the largest number) ends the reading as the
    /// end of input does, without claiming the memory first.
    #[test]
    fn a_length_never_delivered_claims_nothing() {
        for length in [usize::MAX, MAX_FRAME, 100_000_000] {
            let (messages, raw) = run(io::Cursor::new(format!("Content-Length: {length}\r\n\r\n{{}}")));
            assert!(messages.is_empty() && raw.is_empty(), "{length}: {raw:?}");
        }
    }

    /// A header line that is not UTF-8, or too long, is a malformed frame, not the end of the
    /// connection.
    #[test]
    fn odd_header_lines_do_not_end_the_reading() {
        let mut input = b"X-Anything: \xff\xfe\r\n".to_vec();
        input.extend(frame(GOOD));
        let (messages, raw) = run(io::Cursor::new(input));
        assert_eq!(messages.len(), 1, "{raw:?}");
        assert!(raw.is_empty(), "an unknown header is ignored: {raw:?}");

        let mut input = format!("X-Long: {}\r\nContent-Length: 2\r\n\r\n{{}}", "a".repeat(5000)).into_bytes();
        input.extend(frame(GOOD));
        let (messages, raw) = run(io::Cursor::new(input));
        assert_eq!(messages.len(), 1);
        assert_eq!(raw.len(), 1);
        assert!(
            raw[0]["error"]["message"]
                .as_str()
                .unwrap()
                .contains("för lång rubrikrad"),
            "{raw:?}"
        );
    }
    /// One frame of a stream, well-formed or not in one of the ways a client can get it wrong.
    #[derive(Debug, Clone)]
    enum Piece {
        Good,
        NotJson(Vec<u8>),
        BadHeader(Vec<u8>),
        NoLength,
        Noise(Vec<u8>),
    }

    fn piece() -> impl proptest::strategy::Strategy<Value = Piece> {
        use proptest::prelude::*;
        let bytes = || proptest::collection::vec(any::<u8>(), 0..64);
        prop_oneof![
            Just(Piece::Good),
            bytes().prop_map(Piece::NotJson),
            bytes().prop_map(Piece::BadHeader),
            Just(Piece::NoLength),
            // Bytes without a line break or a colon: one bad header line, nothing swallowed.
            bytes().prop_map(|b| Piece::Noise(b.into_iter().filter(|&c| c != b'\n' && c != b':').collect())),
        ]
    }

    fn bytes_of(p: &Piece) -> Vec<u8> {
        match p {
            Piece::Good => frame(GOOD),
            Piece::NotJson(body) => {
                let mut out = format!("Content-Length: {}\r\n\r\n", body.len() + 1).into_bytes();
                out.push(b'{');
                out.extend(body);
                out
            }
            Piece::BadHeader(junk) => {
                let mut out = b"Content-Type: \xff".to_vec();
                out.extend(junk.iter().filter(|&&c| c != b'\n'));
                out.extend(b"\r\nBroken\r\nContent-Length: 4\r\n\r\nnull");
                out
            }
            Piece::NoLength => b"Content-Type: application/json\r\n\r\n".to_vec(),
            Piece::Noise(junk) => {
                let mut out = b"x".to_vec();
                out.extend(junk);
                out.extend(b"\r\n\r\n");
                out
            }
        }
    }

    proptest::proptest! {
        /// Whatever the bytes, reading ends without a panic.
        #[test]
        fn any_bytes_are_read_to_their_end(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048)) {
            run(io::Cursor::new(bytes));
        }

        /// Every well-formed message among malformed frames arrives, and every malformed
        /// frame is answered once.
        #[test]
        fn malformed_frames_lose_no_good_message(pieces in proptest::collection::vec(piece(), 0..12)) {
            let input: Vec<u8> = pieces.iter().flat_map(bytes_of).collect();
            let (messages, raw) = run(io::Cursor::new(input));
            let good = pieces.iter().filter(|p| matches!(p, Piece::Good)).count();
            proptest::prop_assert_eq!(messages.len(), good, "{:?}", raw);
            let answered = pieces.iter().filter(|p| !matches!(p, Piece::Good)).count();
            proptest::prop_assert_eq!(raw.len(), answered, "{:?}", raw);
        }
    }
}
