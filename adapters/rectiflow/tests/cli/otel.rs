//! Traces over OTLP/HTTP: `serve --otlp-endpoint` exports the spans of what it does to a
//! collector — here a receiver in the test — and an API request's span continues the trace the
//! caller named in `traceparent`, as do the spans of the consumers its command's events set
//! moving.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;

use super::projections::key_file;
use super::rectiflow;
use super::signals::serve_logging;

/// A W3C trace context, as an instrumented client sends it.
const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";

/// What the receiver was sent: each request's path and body.
type Received = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

/// An OTLP/HTTP receiver on a free local port: every request's path and body, answered 200.
fn receiver() -> (String, Received) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let url = format!("http://{}", listener.local_addr().expect("its address"));
    let got: Received = Arc::default();
    let kept = Arc::clone(&got);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let kept = Arc::clone(&kept);
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().expect("a second handle"));
                let mut stream = stream;
                // One request after another on the connection, until it closes.
                loop {
                    let mut request_line = String::new();
                    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
                        return;
                    }
                    let path = request_line.split(' ').nth(1).unwrap_or("").to_owned();
                    let mut length = 0usize;
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        let line = line.trim_end();
                        if line.is_empty() {
                            break;
                        }
                        if let Some((name, value)) = line.split_once(':') {
                            if name.eq_ignore_ascii_case("content-length") {
                                length = value.trim().parse().unwrap_or(0);
                            }
                        }
                    }
                    let mut body = vec![0; length];
                    if reader.read_exact(&mut body).is_err() {
                        return;
                    }
                    kept.lock().expect("the requests").push((path, body));
                    let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n");
                }
            });
        }
    });
    (url, got)
}

#[test]
fn a_request_s_trace_is_exported_under_the_callers_trace_id() {
    let (endpoint, got) = receiver();
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}", dir.path().join("traced.db").display());
    let served = serve_logging(
        dir.path(),
        &["--database-url", &url, "--otlp-endpoint", &endpoint],
        "info",
    );
    assert!(served.health().starts_with("HTTP/1.1 200"));
    let mut stream = std::net::TcpStream::connect(served.address).expect("connect");
    write!(
        stream,
        "GET /api/v1/events/types HTTP/1.1\r\nHost: {}\r\ntraceparent: 00-{TRACE_ID}-00f067aa0ba902b7-01\r\nConnection: close\r\n\r\n",
        served.address
    )
    .expect("send the request");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("the response");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    // The exporter flushes what it holds when the process stops.
    let (status, stderr) = served.stop_with(Signal::SIGTERM);
    assert_eq!(status.code(), Some(0), "{stderr}");

    let exported = got.lock().expect("the requests").clone();
    assert!(
        exported.iter().all(|(path, _)| path == "/v1/traces"),
        "{:?}",
        exported.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    let trace_id: Vec<u8> = (0..TRACE_ID.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&TRACE_ID[i..i + 2], 16).expect("hex"))
        .collect();
    let carries = |body: &[u8], needle: &[u8]| body.windows(needle.len()).any(|w| w == needle);
    assert!(
        exported
            .iter()
            .any(|(_, body)| carries(body, &trace_id) && carries(body, b"/api/v1/events/types")),
        "no exported span of the request carries the caller's trace id ({} exports)",
        exported.len()
    );
}

/// `(trace id, name)` of every span in an OTLP `ExportTraceServiceRequest` body. A `Span`
/// message's fields come in number order: `trace_id` (1, 16 bytes), `span_id` (2, 8 bytes),
/// `trace_state` (3, if any), `parent_span_id` (4, 8 bytes, if any), `name` (5) — enough to
/// find each span without the protobuf types.
fn spans(body: &[u8]) -> Vec<(Vec<u8>, String)> {
    let varint = |at: &mut usize| -> Option<usize> {
        let mut value = 0usize;
        for shift in (0..35).step_by(7) {
            let byte = *body.get(*at)?;
            *at += 1;
            value |= usize::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    };
    let mut found = Vec::new();
    for start in 0..body.len().saturating_sub(28) {
        if body[start..start + 2] != [0x0a, 16] || body[start + 18..start + 20] != [0x12, 8] {
            continue;
        }
        let trace = body[start + 2..start + 18].to_vec();
        let mut at = start + 28;
        if body.get(at) == Some(&0x1a) {
            at += 1;
            let Some(len) = varint(&mut at) else { continue };
            at += len;
        }
        if body.get(at) == Some(&0x22) && body.get(at + 1) == Some(&8) {
            at += 10;
        }
        if body.get(at) != Some(&0x2a) {
            continue;
        }
        at += 1;
        let Some(len) = varint(&mut at) else { continue };
        if let Some(name) = body.get(at..at + len) {
            found.push((trace, String::from_utf8_lossy(name).into_owned()));
        }
    }
    found
}

#[test]
fn a_command_s_trace_follows_its_events_into_every_consumer() {
    let (endpoint, got) = receiver();
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}", dir.path().join("traced.db").display());
    let key = key_file(dir.path());
    let admin = rectiflow(
        dir.path(),
        &[
            "token",
            "create",
            "--role",
            "admin",
            "--label",
            "installer",
            "--database-url",
            &url,
            "--fingerprint-key-file",
            &key,
        ],
    );
    assert_eq!(admin.status.code(), Some(0), "{admin:?}");
    let secret = String::from_utf8_lossy(&admin.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .to_owned();
    let served = serve_logging(
        dir.path(),
        &[
            "--database-url",
            &url,
            "--fingerprint-key-file",
            &key,
            "--otlp-endpoint",
            &endpoint,
        ],
        "info",
    );
    let body = r#"{"admin":"bootstrap-admin"}"#;
    let mut stream = std::net::TcpStream::connect(served.address).expect("connect");
    write!(
        stream,
        "POST /api/v1/organisation/bootstrap HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {secret}\r\nContent-Type: application/json\r\nContent-Length: {}\r\ntraceparent: 00-{TRACE_ID}-00f067aa0ba902b7-01\r\nConnection: close\r\n\r\n{body}",
        served.address,
        body.len()
    )
    .expect("send the command");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("the response");
    assert!(response.starts_with("HTTP/1.1 201"), "{response}");

    let trace_id: Vec<u8> = (0..TRACE_ID.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&TRACE_ID[i..i + 2], 16).expect("hex"))
        .collect();
    let in_trace = |name: &str| {
        got.lock()
            .expect("the requests")
            .iter()
            .flat_map(|(_, body)| spans(body))
            .filter(|(trace, n)| *trace == trace_id && n == name)
            .count()
    };
    // The exporter sends what it holds every few seconds: wait for the consumers' spans.
    let deadline = Instant::now() + Duration::from_secs(60);
    while in_trace("consume") < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
    }
    let (status, stderr) = served.stop_with(Signal::SIGTERM);
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(
        in_trace("request") >= 1,
        "the request's span in the caller's trace"
    );
    assert!(
        in_trace("consume") >= 2,
        "the consumers of the command's event in the caller's trace: {:?}",
        got.lock()
            .expect("the requests")
            .iter()
            .flat_map(|(_, body)| spans(body))
            .map(|(_, name)| name)
            .collect::<Vec<_>>()
    );
}
