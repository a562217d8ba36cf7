//! The loop `serve` runs: look at every campaign, then wait until the next occurrence falls
//! due, the next poll (which sees new campaigns, and schedules an administrator changed,
//! paused, resumed or triggered), a wake-up from this process, or shutdown. After losing a
//! race to another process it looks again at once: the other may die before completing.

use std::sync::Arc;
use std::time::Duration;

use rectiflow_engine::{CancellationToken, EventStore, WorkerError};
use tokio::sync::Notify;

use super::{Publisher, Scheduler, Tick};

/// How often the loop looks when nothing falls due sooner.
pub const DEFAULT_POLL: Duration = Duration::from_secs(30);

/// How soon the loop looks again after another process fired or completed something first.
const AFTER_A_LOST_RACE: Duration = Duration::from_secs(1);

/// Runs `scheduler` until `stop`. A look that cannot list the campaigns ends the loop with an
/// error (its supervisor restarts it); a campaign whose look failed is logged and tried again
/// at the next poll.
pub async fn run<S, P>(
    scheduler: Arc<Scheduler<S, P>>,
    poll: Duration,
    wake: Arc<Notify>,
    stop: CancellationToken,
) -> Result<(), WorkerError>
where
    S: EventStore + Clone,
    P: Publisher,
{
    loop {
        let tick = scheduler
            .tick(&stop)
            .await
            .map_err(|e| WorkerError::new(format!("listing the campaigns: {e}")))?;
        report(&tick);
        let now = scheduler.executor().clock().now();
        let until_due = tick
            .next_due
            .map(|due| (due - now).to_std().unwrap_or(Duration::ZERO));
        let wait = until_due.map_or(poll, |until| until.min(poll));
        let wait = if tick.lost > 0 {
            wait.min(AFTER_A_LOST_RACE)
        } else {
            wait
        };
        tokio::select! {
            _ = stop.cancelled() => return Ok(()),
            _ = tokio::time::sleep(wait) => {}
            _ = wake.notified() => {}
        }
    }
}

fn report(tick: &Tick) {
    // When the rhythm next fires (0: no schedule running), so an operator sees a scheduler
    // that stopped looking as a time that has passed.
    // A look that failed somewhere may not have seen every schedule: it leaves the last
    // reading rather than report "none running".
    if tick.next_due.is_some() || tick.failures.is_empty() {
        let next = tick.next_due.map_or(0.0, |due| due.timestamp() as f64);
        metrics::gauge!("rectiflow_scheduler_next_fire_timestamp_seconds").set(next);
    }
    for (outcome, count) in [
        ("fired", tick.fired.len()),
        ("skipped", tick.skipped.len()),
        ("completed", tick.completed.len()),
        ("lost", tick.lost),
    ] {
        if count > 0 {
            metrics::counter!("rectiflow_scheduler_occurrences_total", "outcome" => outcome)
                .increment(count as u64);
        }
    }
    for occurred in &tick.fired {
        tracing::info!(schedule = %occurred.schedule, nominal = %occurred.nominal,
            due_at = %occurred.due_at, "occurrence fired");
    }
    for occurred in &tick.skipped {
        tracing::info!(schedule = %occurred.schedule, nominal = %occurred.nominal,
            due_at = %occurred.due_at, "occurrence skipped: past its catch-up window");
    }
    for (schedule, nominal, publications) in &tick.completed {
        tracing::info!(%schedule, %nominal, publications = publications.len(), "occurrence completed");
    }
    for failure in &tick.failures {
        tracing::warn!(%failure, "scheduler: tried again at the next look");
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use metrics_exporter_prometheus::PrometheusBuilder;

    use super::*;

    /// What `report` leaves in a recorder of the test's own, after each look in turn.
    fn reported(looks: &[Tick]) -> String {
        let recorder = PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        metrics::with_local_recorder(&recorder, || looks.iter().for_each(report));
        handle.render()
    }

    fn next_fire(rendered: &str) -> Option<f64> {
        rendered.lines().find_map(|line| {
            line.strip_prefix("rectiflow_scheduler_next_fire_timestamp_seconds ")
                .and_then(|v| v.trim().parse().ok())
        })
    }

    #[test]
    fn the_next_fire_is_what_the_last_sound_look_found() {
        let due = Utc.with_ymd_and_hms(2026, 12, 7, 1, 0, 0).single();
        let found = Tick {
            next_due: due,
            ..Tick::default()
        };
        let expected = due.map(|d| d.timestamp() as f64);
        assert_eq!(next_fire(&reported(std::slice::from_ref(&found))), expected);
        // A look that failed and found nothing keeps the last reading …
        let failed = Tick {
            failures: vec!["campaign c2026: the store failed".into()],
            ..Tick::default()
        };
        assert_eq!(next_fire(&reported(&[found.clone(), failed])), expected);
        // … a sound look with no schedule running says 0.
        assert_eq!(next_fire(&reported(&[found, Tick::default()])), Some(0.0));
    }
}
