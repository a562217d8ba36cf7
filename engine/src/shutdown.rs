//! Waiting that yields to shutdown: every background loop pauses through here, so each stops
//! within moments of the signal instead of finishing its sleep.

use std::time::Duration;

pub use tokio_util::sync::CancellationToken;

/// Sleeps for `duration` unless `shutdown` is cancelled first; returns `false` if it was (the
/// caller should stop).
pub async fn pause(shutdown: &CancellationToken, duration: Duration) -> bool {
    tokio::select! {
        _ = shutdown.cancelled() => false,
        _ = tokio::time::sleep(duration) => true,
    }
}

/// Doubling backoff between `min` and `max`, for loops that retry a passing fault.
#[derive(Debug, Clone)]
pub struct Backoff {
    min: Duration,
    max: Duration,
    next: Duration,
}

impl Backoff {
    pub fn new(min: Duration, max: Duration) -> Self {
        Self {
            min,
            max,
            next: min,
        }
    }

    /// The delay to wait now; the next one doubles, up to the maximum.
    pub fn next_delay(&mut self) -> Duration {
        let delay = self.next;
        self.next = (self.next * 2).min(self.max);
        delay
    }

    /// Back to the minimum, after a success.
    pub fn reset(&mut self) {
        self.next = self.min;
    }

    /// Pauses for the next delay unless shut down; `false` means stop.
    pub async fn pause(&mut self, shutdown: &CancellationToken) -> bool {
        let delay = self.next_delay();
        pause(shutdown, delay).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_its_cap_and_resets() {
        let mut backoff = Backoff::new(Duration::from_millis(50), Duration::from_millis(300));
        let delays: Vec<_> = (0..5).map(|_| backoff.next_delay().as_millis()).collect();
        assert_eq!(delays, [50, 100, 200, 300, 300]);
        backoff.reset();
        assert_eq!(backoff.next_delay().as_millis(), 50);
    }

    #[tokio::test]
    async fn pause_returns_false_at_once_when_shut_down() {
        let shutdown = CancellationToken::new();
        shutdown.cancel();
        let started = std::time::Instant::now();
        assert!(!pause(&shutdown, Duration::from_secs(3600)).await);
        assert!(started.elapsed() < Duration::from_secs(60));
    }
}
