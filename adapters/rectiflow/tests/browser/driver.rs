//! A real browser for the tests: Debian's `chromium`, headless, driven through its
//! `chromedriver` (WebDriver) by fantoccini — a click is the browser's own click. Started once
//! for the test binary; missing, it fails the run in CI and elsewhere unless
//! `RECTIFLOW_SKIP_BROWSER=1` asks to skip.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder};
use serde_json::json;

/// What lets the browser tests skip outside CI when no Chromium is installed.
const SKIP_VAR: &str = "RECTIFLOW_SKIP_BROWSER";
/// How long chromedriver may take to start.
const PATIENCE: Duration = Duration::from_secs(30);

/// The WebDriver session and the chromedriver serving it.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

/// `name` as found on `PATH`.
pub fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|path| path.is_file())
    })
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

impl Browser {
    /// Headless Chromium at 1366×768, or `None` when it is missing and skipping was asked for.
    pub async fn start() -> Option<Self> {
        let (Some(driver), Some(chromium)) = (on_path("chromedriver"), on_path("chromium")) else {
            let skip = std::env::var(SKIP_VAR).is_ok_and(|v| v == "1");
            if skip && !in_ci() {
                eprintln!("browser tests skipped: no chromium and chromedriver ({SKIP_VAR}=1)");
                return None;
            }
            panic!(
                "the browser tests need Debian's chromium and chromium-driver (apt-get install \
                 chromium chromium-driver fonts-wqy-microhei poppler-utils); to run the rest \
                 without them, set {SKIP_VAR}=1"
            );
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut driver = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let stdout = driver.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if line.contains("started successfully") {
                    let _ = tx.send(());
                }
            }
        });
        if rx.recv_timeout(PATIENCE).is_err() {
            let _ = driver.kill();
            panic!("chromedriver did not start within {PATIENCE:?}");
        }
        let profile = tempfile::tempdir().expect("a browser profile folder");
        let options = json!({
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--window-size=1366,768", "--lang=zh-CN",
                format!("--user-data-dir={}", profile.path().display()),
            ],
        });
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".into(), options);
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session");
        Some(Self {
            client,
            driver,
            _profile: profile,
        })
    }

    /// Ends the session (closing the browser) and stops chromedriver.
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}
