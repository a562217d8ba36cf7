//! The webhook settings (`[webhooks]` in `rectiflow.toml`): where deliveries may go and how
//! hard they are tried.

use std::ops::RangeInclusive;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{in_range, ConfigError};

/// Allowed [`WebhookSettings::timeout_seconds`].
pub const TIMEOUT_SECONDS: RangeInclusive<u32> = 1..=120;
/// Allowed [`WebhookSettings::max_attempts`].
pub const MAX_ATTEMPTS: RangeInclusive<u32> = 1..=100;
/// Allowed [`WebhookSettings::backoff_initial_ms`].
pub const BACKOFF_INITIAL_MS: RangeInclusive<u32> = 10..=600_000;
/// Allowed [`WebhookSettings::backoff_max_seconds`].
pub const BACKOFF_MAX_SECONDS: RangeInclusive<u32> = 1..=86_400;
/// Allowed [`WebhookSettings::max_per_token`].
pub const MAX_PER_TOKEN: RangeInclusive<u32> = 1..=1_000;
/// Allowed [`WebhookSettings::rotation_overlap_hours`] (0 to 30 days).
pub const ROTATION_OVERLAP_HOURS: RangeInclusive<u32> = 0..=720;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WebhookSettings {
    /// The hosts a subscription's URL may name: a host name or address (`notify.county.gov.cn`,
    /// `10.2.3.4`) or every host under a domain (`*.county.gov.cn`). Empty (the default): no
    /// webhook can be made — a service that posts wherever it is told is a way into the
    /// county's network.
    pub allowed_hosts: Vec<String>,
    /// Whether a URL may name this machine (`localhost`, `127.0.0.0/8`, `::1`), and a name may
    /// resolve to it: refused unless set, allow-listed or not.
    pub allow_loopback: bool,
    /// Seconds one delivery may take before it counts as failed.
    pub timeout_seconds: u32,
    /// Tries per event before it is given up on (dead-lettered, or the subscription paused).
    pub max_attempts: u32,
    /// The wait before the first retry, in milliseconds; each retry waits twice the one before,
    /// up to `backoff_max_seconds`, each wait jittered down by up to half.
    pub backoff_initial_ms: u32,
    pub backoff_max_seconds: u32,
    /// The most subscriptions one integrator's token may make: each is a task polling the log
    /// and a share of the database's reads.
    pub max_per_token: u32,
    /// How long a rotated-out secret keeps signing beside the new one, in hours (0: not at
    /// all): the time a receiver has to switch to the new secret.
    pub rotation_overlap_hours: u32,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        Self {
            allowed_hosts: Vec::new(),
            allow_loopback: false,
            timeout_seconds: 10,
            max_attempts: 8,
            backoff_initial_ms: 1_000,
            backoff_max_seconds: 300,
            max_per_token: 20,
            rotation_overlap_hours: 24,
        }
    }
}

impl WebhookSettings {
    pub fn validate(&self) -> Result<(), ConfigError> {
        in_range(
            "webhooks.timeout_seconds",
            TIMEOUT_SECONDS,
            self.timeout_seconds,
        )?;
        in_range("webhooks.max_attempts", MAX_ATTEMPTS, self.max_attempts)?;
        in_range(
            "webhooks.backoff_initial_ms",
            BACKOFF_INITIAL_MS,
            self.backoff_initial_ms,
        )?;
        in_range(
            "webhooks.backoff_max_seconds",
            BACKOFF_MAX_SECONDS,
            self.backoff_max_seconds,
        )?;
        in_range("webhooks.max_per_token", MAX_PER_TOKEN, self.max_per_token)?;
        in_range(
            "webhooks.rotation_overlap_hours",
            ROTATION_OVERLAP_HOURS,
            self.rotation_overlap_hours,
        )?;
        for host in &self.allowed_hosts {
            // What a URL's host would read as: a name, an IPv4 address, or an IPv6 address in
            // brackets — no port, no path, nothing a URL's host could never equal.
            let name = host.strip_prefix("*.").unwrap_or(host);
            let fine = !name.is_empty()
                && reqwest::Url::parse(&format!("http://{name}/"))
                    .ok()
                    .is_some_and(|url| {
                        url.host_str() == Some(name.to_ascii_lowercase().as_str())
                            && url.port().is_none()
                    });
            if !fine {
                return Err(ConfigError::WebhookHost(host.clone()));
            }
        }
        Ok(())
    }

    /// [`Self::rotation_overlap_hours`] as a span of time.
    pub fn rotation_overlap(&self) -> chrono::Duration {
        chrono::Duration::hours(i64::from(self.rotation_overlap_hours))
    }

    pub fn timeout(&self) -> Duration {
        Duration::from_secs(u64::from(self.timeout_seconds))
    }

    /// The wait before retry `n` (1 for the first), before jitter.
    pub fn backoff(&self, n: u32) -> Duration {
        let initial = Duration::from_millis(u64::from(self.backoff_initial_ms));
        let max = Duration::from_secs(u64::from(self.backoff_max_seconds));
        initial
            .checked_mul(1u32.checked_shl(n.saturating_sub(1)).unwrap_or(u32::MAX))
            .map_or(max, |wait| wait.min(max))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_its_ceiling() {
        let settings = WebhookSettings {
            backoff_initial_ms: 100,
            backoff_max_seconds: 1,
            ..WebhookSettings::default()
        };
        let waits: Vec<u128> = (1..=6).map(|n| settings.backoff(n).as_millis()).collect();
        assert_eq!(waits, [100, 200, 400, 800, 1000, 1000]);
        assert_eq!(settings.backoff(90).as_millis(), 1000);
    }

    #[test]
    fn hosts_must_be_names_or_addresses() {
        for bad in ["", "*.", "http://x", "a b", "x/y", "host:8080", "::1"] {
            let settings = WebhookSettings {
                allowed_hosts: vec![bad.into()],
                ..WebhookSettings::default()
            };
            assert!(settings.validate().is_err(), "{bad}");
        }
        let settings = WebhookSettings {
            allowed_hosts: vec!["*.county.gov.cn".into(), "10.0.0.7".into(), "[::1]".into()],
            ..WebhookSettings::default()
        };
        assert!(settings.validate().is_ok());
    }
}
