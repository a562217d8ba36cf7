//! The demo campaign served as a new user serves it: `rectiflow demo` writes it (at a tenth of
//! its items, in seconds), `rectiflow serve --demo` serves it and prints the tokens of its
//! people; both in a folder of the test's own.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long the demo may take to be written, and the service to start.
const PATIENCE: Duration = Duration::from_secs(120);

/// A `rectiflow serve --demo` process and what it printed.
pub struct Demo {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// The tokens it printed, by role: `leadership`, `secretariat`, `admin`.
    pub tokens: BTreeMap<&'static str, String>,
    _dir: tempfile::TempDir,
}

impl Demo {
    /// Writes the demo campaign at 240 items and serves it on a free local port.
    pub fn start() -> Self {
        let dir = tempfile::tempdir().expect("a folder for the demo");
        let written = command(dir.path())
            .args(["demo", "--items", "240"])
            .output()
            .expect("run rectiflow demo");
        assert!(
            written.status.success(),
            "rectiflow demo failed: {}",
            String::from_utf8_lossy(&written.stderr)
        );
        let mut child = command(dir.path())
            .args(["serve", "--demo", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start rectiflow serve --demo");
        let stdout = child.stdout.take().expect("piped stdout");
        // Reading blocks; a thread reads, and the channel bounds the wait.
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut tokens = BTreeMap::new();
        let base = loop {
            let Ok(line) = rx.recv_timeout(PATIENCE) else {
                let _ = child.kill();
                panic!("rectiflow serve --demo did not say where it listens within {PATIENCE:?}");
            };
            if let Some(address) = line.strip_prefix("listening on ") {
                break format!("http://{}", address.trim());
            }
            let line = line.trim();
            let role = ["leadership", "secretariat", "admin"]
                .into_iter()
                .find(|role| line.starts_with(role));
            let secret = line.rsplit(": ").next().filter(|s| s.starts_with("rft_"));
            if let (Some(role), Some(secret)) = (role, secret) {
                tokens.insert(role, secret.to_owned());
            }
        };
        for role in ["leadership", "secretariat", "admin"] {
            assert!(tokens.contains_key(role), "no {role} token printed");
        }
        Self {
            child,
            base,
            tokens,
            _dir: dir,
        }
    }
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `rectiflow` in `dir`, with nothing of the developer's environment that would change what
/// it serves.
fn command(dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rectiflow"));
    command
        .current_dir(dir)
        .env_remove("RECTIFLOW_DATABASE_URL")
        .env_remove("RECTIFLOW_FINGERPRINT_KEY_FILE")
        .env_remove("RECTIFLOW_LOG_FORMAT")
        .env("RUST_LOG", "warn");
    command
}
