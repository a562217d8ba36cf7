//! The NATS settings (`[nats]` in `rectiflow.toml`): where events are published, if anywhere.

use std::ops::RangeInclusive;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{in_range, ConfigError};

/// Allowed [`NatsSettings::duplicate_window_seconds`].
pub const DUPLICATE_WINDOW_SECONDS: RangeInclusive<u32> = 1..=86_400;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NatsSettings {
    /// The NATS server (`nats://127.0.0.1:4222`); unset (the default), nothing is published.
    pub url: Option<String>,
    /// The JetStream stream the events are kept in, made if missing.
    pub stream: String,
    /// Put before each event's type to make its subject (`county1.` makes
    /// `county1.rectiflow.item.became_overdue`): several services on one NATS server keep
    /// their subjects apart. Empty, or tokens each ending in `.`.
    pub subject_prefix: String,
    /// How long JetStream remembers a message id to drop a repeat of it (a batch published
    /// again after a crash); consumers de-duplicate on the event id beyond it.
    pub duplicate_window_seconds: u32,
}

impl Default for NatsSettings {
    fn default() -> Self {
        Self {
            url: None,
            stream: "RECTIFLOW".to_owned(),
            subject_prefix: String::new(),
            duplicate_window_seconds: 120,
        }
    }
}

impl NatsSettings {
    pub fn validate(&self) -> Result<(), ConfigError> {
        in_range(
            "nats.duplicate_window_seconds",
            DUPLICATE_WINDOW_SECONDS,
            self.duplicate_window_seconds,
        )?;
        let stream_fine = !self.stream.is_empty()
            && self.stream.len() <= 64
            && self
                .stream
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !stream_fine {
            return Err(ConfigError::Nats(format!(
                "stream {:?} must be 1 to 64 letters, digits, `_` or `-`",
                self.stream
            )));
        }
        let prefix_fine = self.subject_prefix.is_empty()
            || self.subject_prefix.strip_suffix('.').is_some_and(|tokens| {
                tokens.split('.').all(|token| {
                    !token.is_empty()
                        && token
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                })
            });
        if !prefix_fine {
            return Err(ConfigError::Nats(format!(
                "subject_prefix {:?} must be empty or tokens of letters, digits, `_` or `-`, \
                 each ending in `.`",
                self.subject_prefix
            )));
        }
        Ok(())
    }

    pub fn duplicate_window(&self) -> Duration {
        Duration::from_secs(u64::from(self.duplicate_window_seconds))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_and_prefixes_are_checked() {
        let fine = NatsSettings {
            subject_prefix: "county1.test.".into(),
            ..NatsSettings::default()
        };
        assert!(fine.validate().is_ok());
        for prefix in ["county1", "a..", ".", "a b.", "a.*.", "a.>."] {
            let settings = NatsSettings {
                subject_prefix: prefix.into(),
                ..NatsSettings::default()
            };
            assert!(settings.validate().is_err(), "{prefix}");
        }
        let settings = NatsSettings {
            stream: "EVENTS.1".into(),
            ..NatsSettings::default()
        };
        assert!(settings.validate().is_err());
    }
}
