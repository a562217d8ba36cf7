//! Export and import: a round trip reproduces positions, hashes and digest on PostgreSQL →
//! PostgreSQL, SQLite → SQLite, SQLite → PostgreSQL and PostgreSQL → SQLite; a file that does
//! not verify, or that repeats an event id, is refused with nothing written; a non-empty store
//! is refused; commands during an open PostgreSQL import land after it; the PostgreSQL
//! sequencer continues the imported chain; the golden log of `docs/CHAIN.md` hashes alike on
//! both backends and moves between them.

#[path = "../support/mod.rs"]
mod support;

mod concurrency;
mod continuation;
mod golden;
mod ranges;
mod refusals;
mod round_trips;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use rectiflow_domain::clock::ManualClock;
use rectiflow_domain::values::PersonId;
use rectiflow_engine::model::{to_micros, Commit, NewEvent};
use rectiflow_engine::{
    CancellationToken, CommandContext, EventStore, Executor, LoggedEvent, StreamRef,
};
use rectiflow_store::chain::{chain_hash, GENESIS};
use rectiflow_store::integrity::{digest_at, verify, LogAudit, VerifyOptions};
use rectiflow_store::postgres::IMPORTED_TX_ID;
use rectiflow_store::transfer::{export, import, ImportTarget, Progress, TransferError};
use rectiflow_store::{PgSettings, PgStore};
use serde_json::json;
use support::counter::{Counter, CounterCommand};
use uuid::Uuid;

/// Commits `events` events over `streams` streams, in commits of up to `per_commit`, and waits
/// until they all have positions.
async fn fill<S: EventStore>(store: &S, events: u64, streams: u64, per_commit: u64) {
    let mut versions: HashMap<u64, u64> = HashMap::new();
    let mut written = 0;
    let mut commit_no = 0u64;
    while written < events {
        let stream_no = commit_no % streams;
        let n = (1 + commit_no % per_commit).min(events - written);
        let version = versions.entry(stream_no).or_default();
        let batch = (0..n)
            .map(|i| NewEvent {
                event_id: Uuid::now_v7(),
                event_type: "Added".into(),
                schema_version: "1.0".into(),
                payload: json!({
                    "Added": {"by": 1, "seq": written + i, "note": "整改 \"quoted\" ✓",
                              "ratio": 0.1 * (i as f64), "nested": {"z": [1, 2.5, null], "a": true}}
                }),
                metadata: json!({"actor": "filler", "correlation_id": Uuid::now_v7()}),
                recorded_at: to_micros(Utc::now()),
            })
            .collect::<Vec<_>>();
        store
            .commit(Commit {
                stream: StreamRef::new("counter", format!("s{stream_no}")),
                expected_version: *version,
                events: batch,
                snapshot: None,
                idempotency: None,
            })
            .await
            .expect("commit");
        *version += n;
        written += n;
        commit_no += 1;
    }
    support::wait_for_head(store, events).await;
}

/// An empty PostgreSQL store that is not started: no sequencer holds the lock an import takes.
async fn idle_postgres() -> Option<(PgStore, support::FreshDb)> {
    support::init_tracing();
    let db = support::fresh_postgres_db().await?;
    let store = PgStore::connect(PgSettings::new(&db.url))
        .await
        .expect("connect to the test database");
    Some((store, db))
}

async fn export_to_file<S: EventStore>(store: &S, dir: &Path, from: Option<u64>) -> PathBuf {
    let path = dir.join(format!("export-{}.ndjson", Uuid::now_v7()));
    let file = std::fs::File::create(&path).expect("create export file");
    export(store, from, None, file, &Progress::hidden())
        .await
        .expect("export");
    path
}

/// Both logs, batch by batch: the same events at the same positions with the same hashes.
async fn assert_same_log<A: EventStore, B: EventStore>(a: &A, b: &B) {
    let mut after = 0;
    loop {
        let left = a.read_log(after, 5_000).await.expect("read source");
        let right = b.read_log(after, 5_000).await.expect("read target");
        assert_eq!(left, right, "logs differ after position {after}");
        let Some(last) = left.last() else { break };
        after = last.position;
    }
}

async fn round_trip<S: LogAudit, T: ImportTarget + LogAudit>(source: &S, target: &T, events: u64) {
    fill(source, events, 40, 50).await;
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = export_to_file(source, dir.path(), None).await;
    let imported = import(target, &path, &Progress::hidden())
        .await
        .expect("import");
    assert_eq!(imported.events, events);

    let options = VerifyOptions::default();
    let source_summary = verify(source, &options).await.expect("source verifies");
    let target_summary = verify(target, &options).await.expect("target verifies");
    assert_eq!(target_summary, source_summary);
    assert_eq!(imported.head, source_summary.head);
    let middle = Some(events / 2);
    assert_eq!(
        digest_at(target, middle, &Progress::hidden())
            .await
            .expect("target digest"),
        digest_at(source, middle, &Progress::hidden())
            .await
            .expect("source digest"),
    );
    assert_same_log(source, target).await;
}

fn ctx() -> CommandContext {
    CommandContext::new(PersonId::parse("clerk-1").expect("valid actor"))
}

fn executor<S: EventStore>(store: &S) -> Executor<S> {
    let clock = ManualClock::starting_at(
        Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0)
            .single()
            .expect("valid"),
    );
    Executor::new(store.clone(), Arc::new(clock))
}

/// Rewrites the lines of an export file with `edit` (line number from 1, text).
fn rewrite(path: &Path, edit: impl Fn(usize, &str) -> Option<String>) -> PathBuf {
    let text = std::fs::read_to_string(path).expect("read export");
    let out: Vec<String> = text
        .lines()
        .enumerate()
        .filter_map(|(i, line)| edit(i + 1, line))
        .collect();
    let edited = path.with_extension("edited.ndjson");
    std::fs::write(&edited, out.join("\n") + "\n").expect("write edited export");
    edited
}

fn refused_at(result: Result<impl std::fmt::Debug, TransferError>) -> (u64, String) {
    match result {
        Err(TransferError::Refused { line, reason, .. }) => (line, reason),
        other => panic!("expected the file to be refused, got {other:?}"),
    }
}

use refusals::{
    failed_write_leaves_the_store_empty, non_empty_store_is_refused,
    repeated_event_ids_are_refused, tampered_export_is_refused,
};

macro_rules! both_targets {
    ($($name:ident),* $(,)?) => {
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some((target, _db)) = super::idle_postgres().await else { return };
                    super::$name(target).await;
                }
            )*
        }
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let fixture = crate::support::sqlite().await;
                    super::$name(fixture.store.clone()).await;
                }
            )*
        }
    };
}

both_targets!(
    tampered_export_is_refused,
    non_empty_store_is_refused,
    failed_write_leaves_the_store_empty,
    repeated_event_ids_are_refused,
);
