//! The NATS settings (`[nats]` in `rectiflow.toml`): where events are published, if anywhere.

use std::ops::RangeInclusive;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{in_range, ConfigError};

/// Allowed [`NatsSettings::max_age_days`] (0: no limit; at most ten years).
pub const MAX_AGE_DAYS: RangeInclusive<u32> = 0..=3_650;

/// `url` without the user, password or token it may carry (`nats://***@host:4222`): what log
/// lines and errors name.
pub fn redacted(url: &str) -> String {
    // Everything up to the last `@` is the user part (a host never holds one), whatever the
    // password holds — `/`, `?`, `#` included — and with or without a scheme.
    // A scheme is letters, digits, `+`, `-` or `.` after a letter; `://` anywhere else (in a
    // password) is not one.
    let (scheme, rest) = url
        .split_once("://")
        .filter(|(scheme, _)| {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        })
        .map_or(("", url), |(scheme, rest)| (scheme, rest));
    let Some(at) = rest.rfind('@') else {
        return url.to_owned();
    };
    let separator = if scheme.is_empty() { "" } else { "://" };
    format!("{scheme}{separator}***@{}", &rest[at + 1..])
}

/// Allowed [`NatsSettings::duplicate_window_seconds`].
pub const DUPLICATE_WINDOW_SECONDS: RangeInclusive<u32> = 1..=86_400;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NatsSettings {
    /// The NATS server (`nats://127.0.0.1:4222`); unset (the default), nothing is published.
    /// A user and password (`nats://user:password@host:4222`) or a token
    /// (`nats://token@host:4222`) go in the URL; they never appear in a log line or error.
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
    /// Retention of a stream rectiflow makes: messages older than this many days are dropped
    /// (0, the default: kept until `max_bytes` or for ever). The log stays the record; the
    /// stream is for following it.
    pub max_age_days: u32,
    /// Retention of a stream rectiflow makes: the oldest messages are dropped beyond this
    /// many bytes (0, the default: no limit).
    pub max_bytes: u64,
}

impl Default for NatsSettings {
    fn default() -> Self {
        Self {
            url: None,
            stream: "RECTIFLOW".to_owned(),
            subject_prefix: String::new(),
            duplicate_window_seconds: 120,
            max_age_days: 0,
            max_bytes: 0,
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
        in_range("nats.max_age_days", MAX_AGE_DAYS, self.max_age_days)?;
        if let Some(url) = &self.url {
            let scheme = url.split_once("://").map(|(scheme, _)| scheme);
            if !matches!(scheme, Some("nats" | "tls")) {
                return Err(ConfigError::Nats(format!(
                    "url {} must be nats://host:port or tls://host:port",
                    redacted(url)
                )));
            }
        }
        Ok(())
    }

    /// How long the stream keeps a message (zero: no limit, as JetStream reads it).
    pub fn max_age(&self) -> Duration {
        Duration::from_secs(u64::from(self.max_age_days) * 86_400)
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
        for (url, fine) in [
            ("nats://127.0.0.1:4222", true),
            ("tls://nats.county.gov.cn:4222", true),
            ("http://127.0.0.1:4222", false),
            ("127.0.0.1:4222", false),
        ] {
            let settings = NatsSettings {
                url: Some(url.into()),
                ..NatsSettings::default()
            };
            assert_eq!(settings.validate().is_ok(), fine, "{url}");
        }
        let too_long = NatsSettings {
            max_age_days: 3_651,
            ..NatsSettings::default()
        };
        assert!(too_long.validate().is_err());
    }

    #[test]
    fn credentials_never_leave_the_url() {
        assert_eq!(
            redacted("nats://user:s3cret@nats.local:4222"),
            "nats://***@nats.local:4222"
        );
        assert_eq!(redacted("nats://t0ken@nats.local"), "nats://***@nats.local");
        assert_eq!(redacted("nats://127.0.0.1:4222"), "nats://127.0.0.1:4222");
        assert_eq!(redacted("nats://u:pa/ss?x@h:4222"), "nats://***@h:4222");
        assert_eq!(redacted("user:s3cret@host:4222"), "***@host:4222");
        assert_eq!(redacted("user:a://b@host"), "***@host");
        let refused = NatsSettings {
            url: Some("http://user:s3cret@host".into()),
            ..NatsSettings::default()
        }
        .validate()
        .expect_err("not a NATS URL");
        assert!(!refused.to_string().contains("s3cret"), "{refused}");
    }
}
