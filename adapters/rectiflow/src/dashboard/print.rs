//! Printing a document to PDF with headless Chromium (`--print-to-pdf`): the page is written
//! to a file of its own with its stylesheet inlined, so the browser needs neither the service
//! nor a session, and prints exactly what the reader was shown. Page numbers and the page
//! count (`— 1 —`, `共 N 页`) are the browser's own page counters in the stylesheet's page
//! margins, so the count a document prints is the count the PDF has.

use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::process::Command;
use tokio::sync::Semaphore;

use crate::config::{DashboardSettings, CHROMIUM_NAMES};

/// Documents printed at once: each is a browser process of its own, and a county's server
/// has few cores.
const PRINTING_AT_ONCE: usize = 2;

/// What prints documents, if this machine has a Chromium.
pub struct Printer {
    chromium: Option<PathBuf>,
    timeout: Duration,
    turns: Semaphore,
}

/// Why a document was not printed.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("本机未安装 Chromium，无法生成 PDF（Debian：apt-get install chromium；或在 [dashboard] chromium 中指定其路径）")]
    NoChromium,
    #[error("Chromium 未能在 {0:?} 内生成 PDF")]
    TimedOut(Duration),
    #[error("Chromium 未能生成 PDF：{0}")]
    Failed(String),
    /// Every printer was busy for the whole timeout.
    #[error("正在生成的 PDF 过多")]
    Busy,
}

impl Printer {
    /// The printer `settings` name, or the first Chromium on `PATH`.
    pub fn new(settings: &DashboardSettings) -> Self {
        let chromium = match &settings.chromium {
            Some(path) => Some(path.clone()),
            None => CHROMIUM_NAMES.iter().find_map(|name| on_path(name)),
        };
        Self {
            chromium,
            timeout: settings.pdf_timeout(),
            turns: Semaphore::new(PRINTING_AT_ONCE),
        }
    }

    /// `html` printed on A4, as the PDF's bytes.
    pub async fn print(&self, html: &str) -> Result<Vec<u8>, PrintError> {
        let chromium = self
            .chromium
            .as_ref()
            .filter(|path| path.is_file())
            .ok_or(PrintError::NoChromium)?;
        // One deadline for waiting for a turn and printing: readers asking for more documents
        // than can be printed are told so within it, not queued without end.
        let deadline = tokio::time::Instant::now() + self.timeout;
        let _turn = tokio::time::timeout_at(deadline, self.turns.acquire())
            .await
            .map_err(|_| PrintError::Busy)?
            .map_err(|e| PrintError::Failed(e.to_string()))?;
        let dir = tempfile::tempdir().map_err(|e| PrintError::Failed(e.to_string()))?;
        let page = dir.path().join("document.html");
        let pdf = dir.path().join("document.pdf");
        tokio::fs::write(&page, html)
            .await
            .map_err(|e| PrintError::Failed(e.to_string()))?;
        let printing = run(chromium, dir.path(), &page, &pdf);
        match tokio::time::timeout_at(deadline, printing).await {
            Err(_) => Err(PrintError::TimedOut(self.timeout)),
            Ok(Err(error)) => Err(error),
            Ok(Ok(())) => {
                let bytes = tokio::fs::read(&pdf)
                    .await
                    .map_err(|e| PrintError::Failed(format!("no PDF was written: {e}")))?;
                if !bytes.starts_with(b"%PDF-") {
                    return Err(PrintError::Failed("the file written is not a PDF".into()));
                }
                Ok(bytes)
            }
        }
    }
}

/// One headless Chromium printing `page` to `pdf`, with a profile of its own in `dir`, no
/// network of its own (a county intranet has none to give it) and no header or footer but the
/// stylesheet's. Killed if dropped (on timeout).
async fn run(chromium: &Path, dir: &Path, page: &Path, pdf: &Path) -> Result<(), PrintError> {
    let url = reqwest::Url::from_file_path(page)
        .map_err(|()| PrintError::Failed(format!("{} is not an absolute path", page.display())))?;
    let output = Command::new(chromium)
        .arg("--headless")
        .arg("--no-sandbox")
        .arg("--disable-gpu")
        .arg("--disable-dev-shm-usage")
        .arg("--no-first-run")
        .arg("--disable-background-networking")
        .arg("--disable-component-update")
        .arg("--disable-sync")
        .arg("--disable-extensions")
        .arg("--no-pdf-header-footer")
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(url.as_str())
        .kill_on_drop(true)
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .map_err(|e| PrintError::Failed(e.to_string()))?;
    if !output.status.success() {
        // What Chromium said goes to the log, not to the reader.
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().last().unwrap_or_default();
        tracing::warn!(status = %output.status, said = last, "chromium failed to print");
        return Err(PrintError::Failed(output.status.to_string()));
    }
    Ok(())
}

/// `name` as found on `PATH`, if it is there.
fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|path| path.is_file())
    })
}
