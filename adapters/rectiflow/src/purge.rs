//! The idempotency purge: once an hour, forget the records of keyed commands older than the
//! retention (`idempotency_retention_hours`).
//!
//! The cut-off is computed with checked arithmetic. The retention comes from configuration,
//! and `now - retention` with an unchecked `chrono` subtraction panics once the instant falls
//! before the earliest one `chrono` represents (about 262,000 years back) — which took the
//! worker down and into restarts. Configuration refuses such retentions anyway
//! ([`crate::config::IDEMPOTENCY_RETENTION_HOURS`]); here a retention reaching that far back
//! simply means nothing has expired yet.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use rectiflow_engine::shutdown::pause;
use rectiflow_engine::{EventStore, StoreError, Worker};

/// How often the purge runs.
const EVERY: Duration = Duration::from_secs(3600);

/// The instant before which a record has expired, or `None` when the retention reaches back
/// before any instant `chrono` can represent (then nothing can have expired).
pub fn cutoff(now: DateTime<Utc>, retention_hours: u32) -> Option<DateTime<Utc>> {
    let retention = TimeDelta::try_hours(i64::from(retention_hours))?;
    now.checked_sub_signed(retention)
}

/// Forgets the records older than the retention, as of `now`; returns how many.
pub async fn purge_once<S: EventStore>(
    store: &S,
    retention_hours: u32,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    match cutoff(now, retention_hours) {
        Some(before) => store.purge_idempotency(before).await,
        None => Ok(0),
    }
}

/// The purge as a supervised worker: runs at start and then hourly until shutdown. A failed
/// purge is logged and tried again an hour later (the records only wait longer).
pub fn worker<S: EventStore>(store: S, retention_hours: u32) -> Worker {
    Worker::restarting("idempotency-purge", move |shutdown| {
        let store = store.clone();
        async move {
            loop {
                match purge_once(&store, retention_hours, Utc::now()).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(purged = n, "forgot expired idempotency keys"),
                    Err(error) => tracing::warn!(%error, "could not purge idempotency keys"),
                }
                if !pause(&shutdown, EVERY).await {
                    return Ok(());
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use rectiflow_engine::model::{Commit, IdempotencyRecord};
    use rectiflow_engine::StreamRef;
    use rectiflow_store::SqliteStore;

    use super::*;
    use crate::config::IDEMPOTENCY_RETENTION_HOURS;

    #[test]
    fn a_retention_reaching_before_any_instant_has_no_cutoff_and_does_not_panic() {
        let now = Utc::now();
        assert_eq!(cutoff(now, u32::MAX), None);
        let longest = cutoff(now, *IDEMPOTENCY_RETENTION_HOURS.end()).expect("representable");
        assert_eq!(now - longest, TimeDelta::hours(87_600));
    }

    /// A keyed command's record, created `age` ago.
    async fn remember(store: &SqliteStore, key: &str, now: DateTime<Utc>, age: TimeDelta) {
        let stream = StreamRef::new("counter", key);
        store
            .commit(Commit {
                stream: stream.clone(),
                expected_version: 0,
                events: Vec::new(),
                snapshot: None,
                idempotency: Some(IdempotencyRecord {
                    actor: "purge-test".into(),
                    key: key.into(),
                    command_hash: "hmac-sha256:00".into(),
                    stream,
                    from_version: 0,
                    to_version: 0,
                    created_at: now - age,
                    refusal: None,
                }),
            })
            .await
            .expect("commit an idempotency record");
    }

    #[tokio::test]
    async fn the_purge_runs_with_the_longest_and_shortest_accepted_retention() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let url = format!("sqlite://{}", dir.path().join("purge.db").display());
        let store = SqliteStore::connect(&url).await.expect("open SQLite");
        let now = Utc::now();
        remember(&store, "day-old", now, TimeDelta::hours(25)).await;
        remember(&store, "fresh", now, TimeDelta::hours(1)).await;

        let longest = *IDEMPOTENCY_RETENTION_HOURS.end();
        assert_eq!(purge_once(&store, longest, now).await.expect("purge"), 0);
        assert_eq!(purge_once(&store, u32::MAX, now).await.expect("purge"), 0);
        let shortest = *IDEMPOTENCY_RETENTION_HOURS.start();
        assert_eq!(purge_once(&store, shortest, now).await.expect("purge"), 1);
        assert!(store
            .find_idempotency("purge-test", "fresh")
            .await
            .expect("read")
            .is_some());
    }
}
