//! Configuration, layered: built-in defaults → `rectiflow.toml` → `RECTIFLOW_*` environment
//! variables → command-line flags. Each layer overrides the one before it.

use std::net::SocketAddr;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::time::Duration;

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use rectiflow_domain::item::Severity;
use rectiflow_domain::values::{CountyId, ValueError};
use rectiflow_store::any::is_postgres_url;
use rectiflow_store::{FingerprintKey, KeyFileError};
use serde::{Deserialize, Serialize};

mod dashboard;
mod nats;
mod webhooks;

pub use dashboard::{DashboardSettings, CHROMIUM_NAMES};
pub use nats::{redacted, NatsSettings};
pub use webhooks::WebhookSettings;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// `sqlite://data/rectiflow.db` (the embedded default) or `postgres://…`.
    pub database_url: String,
    /// The address `serve` listens on.
    pub listen: SocketAddr,
    /// Hours an idempotency key is remembered: from 24 (a client retrying over a day still
    /// gets its first outcome) to 87,600 (ten years; longer keeps keys no client will send
    /// again, and the purge's cut-off must stay a representable instant).
    pub idempotency_retention_hours: u32,
    /// Seconds `serve` waits, once told to stop, for requests in flight and background workers
    /// to finish; workers still running then (e.g. waiting on a database that stopped
    /// answering) are abandoned and named in the log, so the process exits in time. Keep it
    /// below the service manager's stop timeout (`TimeoutStopSec=30` in the systemd unit).
    pub shutdown_grace_seconds: u32,
    /// The file holding the secret that keys the fingerprints of idempotent commands: 64 hex
    /// digits (`openssl rand -hex 32`), owner-readable only. A file, not a value in the
    /// environment or this file: a secret in the environment is inherited by every child
    /// process and shows in process listings and crash reports, while a file can be locked
    /// down and is what systemd credentials and container secrets deliver. Required with
    /// PostgreSQL (every process must share the key); with SQLite, when unset, the store keeps
    /// a key of its own beside the database file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint_key_file: Option<PathBuf>,
    /// The county (e.g. `zhuxi`) whose working-day declarations — the `county_calendar`
    /// stream of that id — the rules count with beside China's arrangement.
    pub county: String,
    /// The days from a case's repair item being spawned to its deadline: the case does not
    /// say, so the policy that registers the item uses this. From 1 to 365.
    pub repair_item_deadline_days: u32,
    /// The severity a case's repair items are registered with (`low`, `medium`, `high`,
    /// `critical`).
    pub repair_item_severity: Severity,
    /// The largest request body the API reads, in bytes (1 KiB to 16 MiB); a larger one is
    /// refused with 413 before it is parsed.
    pub api_body_limit_bytes: u32,
    /// Requests per second each API token may make on average (1 to 10,000); beyond it and
    /// its burst, 429 with `Retry-After`.
    pub api_rate_per_second: u32,
    /// Requests a token may make at once above its rate (1 to 100,000).
    pub api_rate_burst: u32,
    /// Requests per second each client address may make on average, before any token is
    /// looked at (1 to 100,000): what holds the public read model and a flood of bad tokens
    /// to a rate. Several people behind one county gateway share an address, so it is well
    /// above a token's.
    #[serde(default = "default_address_rate")]
    pub api_rate_per_address_per_second: u32,
    /// Requests an address may make at once above its rate (1 to 1,000,000).
    #[serde(default = "default_address_burst")]
    pub api_rate_per_address_burst: u32,
    /// Event streams (SSE) each token may hold open at once in one process (1 to 1,000);
    /// one more is refused with 429 until one ends.
    #[serde(default = "default_streams_per_token")]
    pub sse_streams_per_token: u32,
    /// Where webhook deliveries may go, and how hard they are tried.
    #[serde(default)]
    pub webhooks: WebhookSettings,
    /// Where events are published on NATS JetStream, if anywhere.
    #[serde(default)]
    pub nats: NatsSettings,
    /// How the dashboard prints its documents.
    #[serde(default)]
    pub dashboard: DashboardSettings,
}

fn default_address_rate() -> u32 {
    500
}

fn default_address_burst() -> u32 {
    2_000
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: rectiflow_store::DEFAULT_DATABASE_URL.to_owned(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            idempotency_retention_hours: 48,
            shutdown_grace_seconds: 10,
            fingerprint_key_file: None,
            county: "county".to_owned(),
            repair_item_deadline_days: 60,
            repair_item_severity: Severity::Medium,
            api_body_limit_bytes: 256 * 1024,
            api_rate_per_second: 50,
            api_rate_burst: 200,
            api_rate_per_address_per_second: default_address_rate(),
            api_rate_per_address_burst: default_address_burst(),
            sse_streams_per_token: default_streams_per_token(),
            webhooks: WebhookSettings::default(),
            dashboard: DashboardSettings::default(),
            nats: NatsSettings::default(),
        }
    }
}

/// Values given on the command line; `None` leaves the lower layers in force.
#[derive(Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<SocketAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint_key_file: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Invalid(#[from] Box<figment::Error>),
    #[error(
        "configuration: {setting} must be from {} to {}, got {value}",
        allowed.start(),
        allowed.end()
    )]
    OutOfRange {
        setting: &'static str,
        allowed: RangeInclusive<u32>,
        value: u32,
    },
    #[error(
        "configuration: fingerprint_key_file is required with PostgreSQL (every process \
         writing to the database must key command fingerprints alike); make one with \
         `openssl rand -hex 32 > FILE && chmod 600 FILE` (see ops/RUNBOOK.md)"
    )]
    NoFingerprintKey,
    #[error("configuration: {0}")]
    FingerprintKey(#[from] KeyFileError),
    #[error("configuration: county: {0}")]
    County(#[from] ValueError),
    #[error(
        "configuration: webhooks.allowed_hosts: {0:?} is neither a host name, an address nor \
         `*.` and a domain"
    )]
    WebhookHost(String),
    #[error("configuration: nats: {0}")]
    Nats(String),
    #[error(
        "configuration: dashboard.issuer: {0:?} must be 1 to 64 characters, none of them a \
         control character"
    )]
    Issuer(String),
}

/// The idempotency retentions accepted, in hours: a day to ten years.
pub const IDEMPOTENCY_RETENTION_HOURS: RangeInclusive<u32> = 24..=87_600;

/// The shutdown grace periods accepted, in seconds.
pub const SHUTDOWN_GRACE_SECONDS: RangeInclusive<u32> = 1..=600;

/// The repair-item deadlines accepted, in days.
pub const REPAIR_ITEM_DEADLINE_DAYS: RangeInclusive<u32> = 1..=365;

/// Allowed [`Config::api_body_limit_bytes`].
pub const API_BODY_LIMIT_BYTES: RangeInclusive<u32> = 1024..=16 * 1024 * 1024;

/// Allowed [`Config::api_rate_per_second`].
pub const API_RATE_PER_SECOND: RangeInclusive<u32> = 1..=10_000;

/// Allowed [`Config::api_rate_burst`].
pub const API_RATE_BURST: RangeInclusive<u32> = 1..=100_000;

/// Allowed [`Config::api_rate_per_address_per_second`].
pub const API_RATE_PER_ADDRESS: RangeInclusive<u32> = 1..=100_000;

/// Allowed [`Config::sse_streams_per_token`].
pub const SSE_STREAMS_PER_TOKEN: RangeInclusive<u32> = 1..=1_000;

fn default_streams_per_token() -> u32 {
    16
}

/// Allowed [`Config::api_rate_per_address_burst`].
pub const API_RATE_PER_ADDRESS_BURST: RangeInclusive<u32> = 1..=1_000_000;

impl Config {
    /// Loads the layers; `file` is the TOML file (missing is fine). Values out of their range
    /// are refused here, naming the setting and the range.
    pub fn load(file: &Path, overrides: Overrides) -> Result<Self, ConfigError> {
        let config: Config = Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(file))
            .merge(Env::prefixed("RECTIFLOW_"))
            .merge(Serialized::defaults(overrides))
            .extract()
            .map_err(Box::new)?;
        config.validate()?;
        Ok(config)
    }

    /// Refuses values out of their range. [`Config::load`] calls it, and so does
    /// `Application::build`, for a configuration made in code.
    pub fn validate(&self) -> Result<(), ConfigError> {
        in_range(
            "idempotency_retention_hours",
            IDEMPOTENCY_RETENTION_HOURS,
            self.idempotency_retention_hours,
        )?;
        in_range(
            "shutdown_grace_seconds",
            SHUTDOWN_GRACE_SECONDS,
            self.shutdown_grace_seconds,
        )?;
        in_range(
            "repair_item_deadline_days",
            REPAIR_ITEM_DEADLINE_DAYS,
            self.repair_item_deadline_days,
        )?;
        in_range(
            "api_body_limit_bytes",
            API_BODY_LIMIT_BYTES,
            self.api_body_limit_bytes,
        )?;
        in_range(
            "api_rate_per_second",
            API_RATE_PER_SECOND,
            self.api_rate_per_second,
        )?;
        in_range("api_rate_burst", API_RATE_BURST, self.api_rate_burst)?;
        in_range(
            "api_rate_per_address_per_second",
            API_RATE_PER_ADDRESS,
            self.api_rate_per_address_per_second,
        )?;
        in_range(
            "api_rate_per_address_burst",
            API_RATE_PER_ADDRESS_BURST,
            self.api_rate_per_address_burst,
        )?;
        in_range(
            "sse_streams_per_token",
            SSE_STREAMS_PER_TOKEN,
            self.sse_streams_per_token,
        )?;
        self.webhooks.validate()?;
        self.nats.validate()?;
        self.dashboard.validate()?;
        self.county_id()?;
        Ok(())
    }

    /// [`Self::county`] as the id it must be.
    pub fn county_id(&self) -> Result<CountyId, ConfigError> {
        Ok(CountyId::parse(self.county.as_str())?)
    }

    /// [`Self::shutdown_grace_seconds`] as a duration.
    pub fn shutdown_grace(&self) -> Duration {
        Duration::from_secs(u64::from(self.shutdown_grace_seconds))
    }

    /// The key for command fingerprints: read from `fingerprint_key_file`, or `None` to let a
    /// SQLite store keep its own; refused when PostgreSQL has none.
    pub fn fingerprint_key(&self) -> Result<Option<FingerprintKey>, ConfigError> {
        match &self.fingerprint_key_file {
            Some(path) => Ok(Some(FingerprintKey::read(path)?)),
            None if is_postgres_url(&self.database_url) => Err(ConfigError::NoFingerprintKey),
            None => Ok(None),
        }
    }
}

fn in_range(
    setting: &'static str,
    allowed: RangeInclusive<u32>,
    value: u32,
) -> Result<(), ConfigError> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(ConfigError::OutOfRange {
            setting,
            allowed,
            value,
        })
    }
}

#[cfg(test)]
// figment's `Jail` closures return its (large) error type; that is its API, not ours.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;
    use figment::Jail;

    fn load(overrides: Overrides) -> Result<Config, ConfigError> {
        Config::load(Path::new("rectiflow.toml"), overrides)
    }

    /// The configuration files `ops/` ships load as they are, and say what they mean to.
    #[test]
    fn the_shipped_configuration_files_load() {
        Jail::expect_with(|jail| {
            jail.create_file(
                "rectiflow.toml",
                include_str!("../../../ops/rectiflow.example.toml"),
            )?;
            let example = load(Overrides::default()).map_err(|e| e.to_string())?;
            assert_eq!(example.webhooks, WebhookSettings::default());
            assert_eq!(example.nats, NatsSettings::default());
            assert_eq!(example.dashboard, DashboardSettings::default());
            jail.create_file(
                "rectiflow.toml",
                include_str!("../../../ops/rectiflow.compose.toml"),
            )?;
            let compose = load(Overrides::default()).map_err(|e| e.to_string())?;
            assert!(is_postgres_url(&compose.database_url));
            assert_eq!(compose.nats.url.as_deref(), Some("nats://nats:4222"));
            Ok(())
        });
    }

    #[test]
    fn each_layer_overrides_the_one_before() {
        Jail::expect_with(|jail| {
            assert_eq!(
                load(Overrides::default()).map_err(|e| e.to_string())?,
                Config::default()
            );

            jail.create_file(
                "rectiflow.toml",
                "database_url = \"postgres://file@127.0.0.1/r\"\nlisten = \"127.0.0.1:9000\"",
            )?;
            let from_file = load(Overrides::default()).map_err(|e| e.to_string())?;
            assert_eq!(from_file.database_url, "postgres://file@127.0.0.1/r");
            assert_eq!(from_file.listen.port(), 9000);

            jail.set_env("RECTIFLOW_DATABASE_URL", "postgres://env@127.0.0.1/r");
            let from_env = load(Overrides::default()).map_err(|e| e.to_string())?;
            assert_eq!(from_env.database_url, "postgres://env@127.0.0.1/r");
            assert_eq!(
                from_env.listen.port(),
                9000,
                "the file still sets what env does not"
            );

            let from_flag = load(Overrides {
                database_url: Some("sqlite://flag.db".into()),
                ..Overrides::default()
            })
            .map_err(|e| e.to_string())?;
            assert_eq!(from_flag.database_url, "sqlite://flag.db");
            Ok(())
        });
    }

    #[test]
    fn bad_values_are_refused_with_a_clear_error() {
        Jail::expect_with(|jail| {
            jail.create_file("rectiflow.toml", "listen = \"not an address\"")?;
            let error = load(Overrides::default()).err().map(|e| e.to_string());
            assert!(error.is_some_and(|e| e.contains("listen")), "names the key");

            jail.create_file("rectiflow.toml", "idempotency_retention_hours = 12")?;
            let error = load(Overrides::default()).err().map(|e| e.to_string());
            assert!(error.is_some_and(|e| e.contains("from 24 to 87600")));
            Ok(())
        });
    }

    #[test]
    fn a_retention_beyond_the_range_is_refused_naming_the_setting_and_the_range() {
        Jail::expect_with(|jail| {
            jail.create_file("rectiflow.toml", "idempotency_retention_hours = 4294967295")?;
            let error = load(Overrides::default()).err().map(|e| e.to_string());
            assert_eq!(
                error.as_deref(),
                Some(
                    "configuration: idempotency_retention_hours must be from 24 to 87600, \
                     got 4294967295"
                )
            );

            jail.create_file("rectiflow.toml", "idempotency_retention_hours = 87600")?;
            let longest = load(Overrides::default()).map_err(|e| e.to_string())?;
            assert_eq!(longest.idempotency_retention_hours, 87_600);

            jail.set_env("RECTIFLOW_SHUTDOWN_GRACE_SECONDS", "0");
            let error = load(Overrides::default()).err().map(|e| e.to_string());
            assert!(
                error.is_some_and(|e| e.contains("shutdown_grace_seconds must be from 1 to 600")),
                "the grace is checked too"
            );
            Ok(())
        });
    }

    #[test]
    fn the_fingerprint_key_comes_from_a_file_and_postgres_needs_one() {
        Jail::expect_with(|jail| {
            let sqlite = load(Overrides::default()).map_err(|e| e.to_string())?;
            assert!(
                matches!(sqlite.fingerprint_key(), Ok(None)),
                "SQLite keeps its own"
            );

            jail.set_env("RECTIFLOW_DATABASE_URL", "postgres://env@127.0.0.1/r");
            let postgres = load(Overrides::default()).map_err(|e| e.to_string())?;
            let missing = postgres.fingerprint_key().err().map(|e| e.to_string());
            assert!(missing.is_some_and(|e| e.contains("fingerprint_key_file is required")));

            jail.create_file("fp.key", &format!("{}\n", "3a".repeat(32)))?;
            jail.set_env("RECTIFLOW_FINGERPRINT_KEY_FILE", "fp.key");
            let keyed = load(Overrides::default()).map_err(|e| e.to_string())?;
            assert_eq!(
                keyed.fingerprint_key_file.as_deref(),
                Some(Path::new("fp.key"))
            );
            assert!(matches!(keyed.fingerprint_key(), Ok(Some(_))));

            jail.create_file("bad.key", "hunter2")?;
            let bad = load(Overrides {
                fingerprint_key_file: Some("bad.key".into()),
                ..Overrides::default()
            })
            .map_err(|e| e.to_string())?;
            let error = bad.fingerprint_key().err().map(|e| e.to_string());
            assert!(
                error.is_some_and(|e| e.contains("bad.key") && !e.contains("hunter2")),
                "names the file, never its content"
            );
            Ok(())
        });
    }

    #[test]
    fn the_county_and_the_repair_terms_are_checked() {
        Jail::expect_with(|jail| {
            jail.create_file(
                "rectiflow.toml",
                "county = \"zhuxi\"\nrepair_item_deadline_days = 90\nrepair_item_severity = \"high\"",
            )?;
            let config = load(Overrides::default()).map_err(|e| e.to_string())?;
            assert_eq!(config.county, "zhuxi");
            assert_eq!(config.repair_item_deadline_days, 90);
            assert_eq!(config.repair_item_severity, Severity::High);

            jail.create_file("rectiflow.toml", "county = \"Zhu Xi\"")?;
            let error = load(Overrides::default()).err().map(|e| e.to_string());
            assert!(
                error.is_some_and(|e| e.starts_with("configuration: county: ")),
                "names the setting"
            );

            jail.create_file("rectiflow.toml", "repair_item_deadline_days = 0")?;
            let error = load(Overrides::default()).err().map(|e| e.to_string());
            assert!(error.is_some_and(|e| e.contains("from 1 to 365")));

            jail.create_file("rectiflow.toml", "repair_item_severity = \"urgent\"")?;
            let error = load(Overrides::default()).err().map(|e| e.to_string());
            assert!(error.is_some_and(|e| e.contains("repair_item_severity")));
            Ok(())
        });
    }
}
