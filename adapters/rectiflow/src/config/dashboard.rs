//! The dashboard's settings (`[dashboard]` in `rectiflow.toml`): how its bulletin documents
//! are printed to PDF.

use std::ops::RangeInclusive;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{in_range, ConfigError};

/// Allowed [`DashboardSettings::pdf_timeout_seconds`].
pub const PDF_TIMEOUT_SECONDS: RangeInclusive<u32> = 5..=600;

/// The browsers looked for on `PATH` when [`DashboardSettings::chromium`] is unset: Debian's,
/// other distributions', Google's.
pub const CHROMIUM_NAMES: [&str; 3] = ["chromium", "chromium-browser", "google-chrome"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DashboardSettings {
    /// The headless Chromium that prints documents to PDF. Unset (the default): the first of
    /// `chromium`, `chromium-browser`, `google-chrome` on `PATH`; with none, the PDF links
    /// answer 503 and the documents are still served as HTML, CSV and XLSX.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chromium: Option<PathBuf>,
    /// Seconds one document may take to print before the attempt is abandoned.
    pub pdf_timeout_seconds: u32,
    /// The issuing body (发文机关) the documents are headed and signed with, 1 to 64
    /// characters: the county's own office, e.g. `竹溪县群众身边不正之风和腐败问题集中整治领导小组办公室`.
    pub issuer: String,
}

/// The issuing body of a county that has not named its own.
pub const ISSUER: &str = "群众身边不正之风和腐败问题集中整治领导小组办公室";

impl Default for DashboardSettings {
    fn default() -> Self {
        Self {
            chromium: None,
            pdf_timeout_seconds: 60,
            issuer: ISSUER.to_owned(),
        }
    }
}

impl DashboardSettings {
    pub fn validate(&self) -> Result<(), ConfigError> {
        in_range(
            "dashboard.pdf_timeout_seconds",
            PDF_TIMEOUT_SECONDS,
            self.pdf_timeout_seconds,
        )?;
        let length = self.issuer.trim().chars().count();
        if length == 0 || length > 64 || self.issuer.chars().any(char::is_control) {
            return Err(ConfigError::Issuer(self.issuer.clone()));
        }
        Ok(())
    }

    pub fn pdf_timeout(&self) -> Duration {
        Duration::from_secs(u64::from(self.pdf_timeout_seconds))
    }
}
