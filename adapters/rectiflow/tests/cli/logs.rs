//! What `serve` writes on standard error: JSON lines with `--log-format json`, and for people
//! lines without colour codes when standard error is not a terminal (a file, a pipe, journald).

use nix::sys::signal::Signal;

use super::signals::serve_logging;
use super::*;

/// Serves a fresh SQLite store logging at `info` with `format`, answers once, stops: what it
/// logged.
fn logged(format: &str) -> String {
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}", dir.path().join("logs.db").display());
    let served = serve_logging(
        dir.path(),
        &["--database-url", &url, "--log-format", format],
        "info",
    );
    // Answering once: the service is up, its signal handlers in place.
    assert!(served.health().starts_with("HTTP/1.1 200"));
    let (status, stderr) = served.stop_with(Signal::SIGTERM);
    assert_eq!(status.code(), Some(0), "{stderr}");
    stderr
}

#[test]
fn json_logs_are_one_object_per_line() {
    let stderr = logged("json");
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(
        lines.iter().any(|l| l.contains("rectiflow is listening")),
        "{stderr}"
    );
    for line in lines {
        let object: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(object["level"].is_string(), "{line}");
        assert!(object["timestamp"].is_string(), "{line}");
    }
}

#[test]
fn human_logs_in_a_pipe_have_no_colour_codes() {
    let stderr = logged("human");
    assert!(stderr.contains("rectiflow is listening"), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "an escape code in: {stderr:?}");
}

#[test]
fn an_unknown_log_format_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = rectiflow(dir.path(), &["--log-format", "xml", "digest"]);
    assert_exit(&out, 64);
    assert!(stderr(&out).contains("--log-format"), "{}", stderr(&out));
}
