//! Traces over OTLP/HTTP: `serve --otlp-endpoint` exports the spans of what it does to a
//! collector — here a receiver in the test — and an API request's span continues the trace the
//! caller named in `traceparent`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use nix::sys::signal::Signal;

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
