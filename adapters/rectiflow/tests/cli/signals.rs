//! `rectiflow serve` as an operator (or systemd) stops it: a real SIGTERM or SIGINT sent to the
//! process. It must stop serving, stop its workers and exit 0 — not die of the signal (which
//! a process without a handler for it does), nor hang on.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use rectiflow_store::FingerprintKey;

use super::*;

/// How long the service may take to start, to answer, or to stop after the signal.
pub(super) const PATIENCE: Duration = Duration::from_secs(30);

/// A `rectiflow serve` process listening on a free local port.
pub(super) struct Served {
    child: Child,
    pub(super) address: SocketAddr,
}

/// Starts `rectiflow serve --listen 127.0.0.1:0` in `dir` with `args`, and waits for the line
/// it prints once it listens.
pub(super) fn serve(dir: &Path, args: &[&str]) -> Served {
    serve_logging(dir, args, "warn")
}

/// [`serve`] logging at `level` (`RUST_LOG`).
pub(super) fn serve_logging(dir: &Path, args: &[&str], level: &str) -> Served {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rectiflow"))
        .args(args)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .current_dir(dir)
        .env_remove("RECTIFLOW_DATABASE_URL")
        .env_remove(FAILPOINT_VAR)
        .env_remove("RECTIFLOW_FINGERPRINT_KEY_FILE")
        .env_remove("RECTIFLOW_LOG_FORMAT")
        .env("RUST_LOG", level)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start rectiflow serve");
    let stdout = child.stdout.take().expect("piped stdout");
    // Reading blocks; a thread reads, and the channel bounds the wait.
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = match rx.recv_timeout(PATIENCE) {
        Ok(line) => line,
        Err(_) => {
            let _ = child.kill();
            panic!("rectiflow serve did not say where it listens within {PATIENCE:?}");
        }
    };
    let address = line
        .trim()
        .strip_prefix("listening on ")
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("a 'listening on <address>' line, got {line:?}"));
    Served { child, address }
}

impl Served {
    /// `GET /healthz`: the status line and body.
    pub(super) fn health(&self) -> String {
        let mut stream = TcpStream::connect(self.address).expect("connect to the service");
        stream
            .set_read_timeout(Some(PATIENCE))
            .expect("a read timeout");
        write!(
            stream,
            "GET /healthz HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        )
        .expect("send the request");
        let mut response = String::new();
        stream
            .read_to_string(&mut response)
            .expect("read the response");
        response
    }

    /// Sends `signal` and waits (at most [`PATIENCE`]) for the process to exit: its status and
    /// what it wrote on standard error.
    pub(super) fn stop_with(mut self, signal: Signal) -> (ExitStatus, String) {
        let pid = Pid::from_raw(i32::try_from(self.child.id()).expect("a pid"));
        kill(pid, signal).expect("send the signal");
        let mut stderr = self.child.stderr.take().expect("piped stderr");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let status = self.child.wait();
            let _ = tx.send(status);
        });
        match rx.recv_timeout(PATIENCE) {
            Ok(status) => {
                let mut text = String::new();
                let _ = stderr.read_to_string(&mut text);
                (status.expect("the exit status"), text)
            }
            Err(_) => {
                let _ = kill(pid, Signal::SIGKILL);
                panic!("rectiflow serve did not stop within {PATIENCE:?} of {signal}");
            }
        }
    }
}

/// Serves on the store given by `args`, answers once, and stops on `signal`: exit status 0,
/// no error, and nothing listening any more.
fn stops_cleanly_on(dir: &Path, args: &[&str], signal: Signal, backend: &str) {
    let served = serve(dir, args);
    let address = served.address;
    let response = served.health();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(
        response.contains(&format!("\"backend\":\"{backend}\"")),
        "{response}"
    );
    let (status, stderr) = served.stop_with(signal);
    assert_eq!(
        status.code(),
        Some(0),
        "a clean exit after {signal}, not death by it ({status}); stderr: {stderr}"
    );
    assert!(
        !stderr.contains("rectiflow:"),
        "no error on the way out: {stderr}"
    );
    assert!(
        TcpStream::connect(address).is_err(),
        "nothing listens on {address} after the stop"
    );
}

#[test]
fn sqlite_serve_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}", dir.path().join("served.db").display());
    stops_cleanly_on(
        dir.path(),
        &["--database-url", &url],
        Signal::SIGTERM,
        "sqlite",
    );
}

#[test]
fn sqlite_serve_stops_cleanly_on_sigint() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}", dir.path().join("served.db").display());
    stops_cleanly_on(
        dir.path(),
        &["--database-url", &url],
        Signal::SIGINT,
        "sqlite",
    );
}

/// On PostgreSQL, where `serve` also runs the sequencer and the log's listeners: exit 0 means
/// `Application::run` returned `Ok`, which it does only once every worker stopped.
#[tokio::test]
async fn postgres_serve_stops_cleanly_on_sigterm() {
    let Some(db) = fresh_postgres_db().await else {
        return;
    };
    let dir = tempfile::tempdir().expect("temporary folder");
    let key = dir.path().join("fingerprint.key");
    FingerprintKey::create(&key).expect("a fingerprint key file");
    let args = [
        "--database-url".to_owned(),
        db.url.clone(),
        "--fingerprint-key-file".to_owned(),
        key.display().to_string(),
    ];
    let path = dir.path().to_owned();
    // The checks block (a child process, std sockets): off the runtime's threads.
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        stops_cleanly_on(&path, &args, Signal::SIGTERM, "postgres");
    })
    .await
    .expect("the check ran");
    drop(db);
}
