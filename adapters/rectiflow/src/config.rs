//! Configuration, layered: built-in defaults → `rectiflow.toml` → `RECTIFLOW_*` environment
//! variables → command-line flags. Each layer overrides the one before it.

use std::net::SocketAddr;
use std::path::Path;

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// `sqlite://data/rectiflow.db` (the embedded default) or `postgres://…`.
    pub database_url: String,
    /// The address `serve` listens on.
    pub listen: SocketAddr,
    /// Hours an idempotency key is remembered (at least 24).
    pub idempotency_retention_hours: u32,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: rectiflow_store::DEFAULT_DATABASE_URL.to_owned(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            idempotency_retention_hours: 48,
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
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Invalid(#[from] Box<figment::Error>),
    #[error("configuration: idempotency_retention_hours must be at least 24, got {0}")]
    RetentionTooShort(u32),
}

impl Config {
    /// Loads the layers; `file` is the TOML file (missing is fine).
    pub fn load(file: &Path, overrides: Overrides) -> Result<Self, ConfigError> {
        let config: Config = Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(file))
            .merge(Env::prefixed("RECTIFLOW_"))
            .merge(Serialized::defaults(overrides))
            .extract()
            .map_err(Box::new)?;
        if config.idempotency_retention_hours < 24 {
            return Err(ConfigError::RetentionTooShort(
                config.idempotency_retention_hours,
            ));
        }
        Ok(config)
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
                listen: None,
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
            assert!(error.is_some_and(|e| e.contains("at least 24")));
            Ok(())
        });
    }
}
