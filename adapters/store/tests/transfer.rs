//! Export and import: a round trip reproduces positions, hashes and digest on PostgreSQL →
//! PostgreSQL, SQLite → SQLite, SQLite → PostgreSQL and PostgreSQL → SQLite; a file that does
//! not verify is refused with nothing written; a non-empty store is refused; the PostgreSQL
//! sequencer continues the imported chain.

mod support;

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_to_postgres() {
    let Some(fixture) = support::postgres().await else {
        return;
    };
    let Some((target, _db)) = idle_postgres().await else {
        return;
    };
    round_trip(&fixture.store, &target, 3_000).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_to_sqlite() {
    let source = support::sqlite().await;
    let target = support::sqlite().await;
    round_trip(&source.store, &target.store, 3_000).await;
}

/// The large case: 50,000 events, crossing many batches in both directions.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_to_postgres() {
    let Some((target, _db)) = idle_postgres().await else {
        return;
    };
    let source = support::sqlite().await;
    round_trip(&source.store, &target, 50_000).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_to_sqlite() {
    let Some(fixture) = support::postgres().await else {
        return;
    };
    let target = support::sqlite().await;
    round_trip(&fixture.store, &target.store, 3_000).await;
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

/// After an import the sequencer, started later, resumes from the last imported row: events
/// committed before and after it starts get the next positions and the chain stays intact.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_sequencer_continues_after_import() {
    let Some(fixture) = support::postgres().await else {
        return;
    };
    let Some((target, _db)) = idle_postgres().await else {
        return;
    };
    const IMPORTED: u64 = 2_500;
    fill(&fixture.store, IMPORTED, 10, 20).await;
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = export_to_file(&fixture.store, dir.path(), None).await;
    import(&target, &path, &Progress::hidden())
        .await
        .expect("import");
    let imported_tx: Vec<String> = sqlx::query_scalar("SELECT DISTINCT tx_id::text FROM events")
        .fetch_all(target.pool())
        .await
        .expect("tx ids");
    assert_eq!(imported_tx, vec![IMPORTED_TX_ID.to_owned()]);
    // Commit order (transaction id, row id) must follow position order, or the sequencer's
    // cursor, recovered from the last position, would not be the last imported row.
    let out_of_order: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM ( \
             SELECT e.id, lag(e.id) OVER (ORDER BY l.position) AS previous \
             FROM log l JOIN events e ON e.id = l.event_ref) x \
         WHERE x.previous >= x.id",
    )
    .fetch_one(target.pool())
    .await
    .expect("row order");
    assert_eq!(out_of_order, 0, "row ids follow positions");

    let exec = executor(&target);
    // Committed before any sequencer runs: waits, and is not lost.
    let early = exec
        .execute::<Counter, _>(&ctx(), "s0", None, CounterCommand::AddMany(3), &())
        .await
        .expect("command on an imported stream");
    let s0_before = fixture
        .store
        .load_events(&StreamRef::new("counter", "s0"), 0)
        .await
        .expect("source s0")
        .len() as u64;
    assert_eq!(early.version, s0_before + 3, "the stream version continues");

    let shutdown = CancellationToken::new();
    let _workers = target.start(shutdown.clone());
    for i in 0..20 {
        exec.execute::<Counter, _>(
            &ctx(),
            &format!("new-{}", i % 4),
            None,
            CounterCommand::AddMany(2),
            &(),
        )
        .await
        .expect("command on a new stream");
    }
    let total = IMPORTED + 3 + 40;
    support::wait_for_head(&target, total).await;
    let summary = verify(&target, &VerifyOptions::default())
        .await
        .expect("the continued chain verifies");
    assert_eq!(summary.events, total);
    let after_import = target.read_log(IMPORTED, 3).await.expect("read");
    assert!(after_import
        .iter()
        .all(|e| e.event.stream.stream_id == "s0"));
    shutdown.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_continues_after_import() {
    let source = support::sqlite().await;
    let target = support::sqlite().await;
    fill(&source.store, 500, 10, 20).await;
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = export_to_file(&source.store, dir.path(), None).await;
    import(&target.store, &path, &Progress::hidden())
        .await
        .expect("import");
    let exec = executor(&target.store);
    exec.execute::<Counter, _>(&ctx(), "s1", None, CounterCommand::AddMany(5), &())
        .await
        .expect("command after import");
    let summary = verify(&target.store, &VerifyOptions::default())
        .await
        .expect("verifies");
    assert_eq!(summary.events, 505);
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

async fn tampered_export_is_refused<T: ImportTarget>(target: T) {
    let source = support::sqlite().await;
    fill(&source.store, 300, 7, 10).await;
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = export_to_file(&source.store, dir.path(), None).await;
    let hidden = Progress::hidden();

    let edited = rewrite(&path, |n, line| {
        Some(if n == 10 {
            line.replacen("\"by\":1", "\"by\":1000", 1)
        } else {
            line.to_owned()
        })
    });
    let (line, reason) = refused_at(import(&target, &edited, &hidden).await);
    assert_eq!(line, 10);
    assert!(reason.contains("position 10"), "{reason}");

    let lines: Vec<String> = std::fs::read_to_string(&path)
        .expect("read")
        .lines()
        .map(str::to_owned)
        .collect();
    let swapped = rewrite(&path, |n, line| {
        Some(match n {
            20 => lines[20].clone(),
            21 => lines[19].clone(),
            _ => line.to_owned(),
        })
    });
    let (line, reason) = refused_at(import(&target, &swapped, &hidden).await);
    assert_eq!(line, 20);
    assert!(reason.contains("dense"), "{reason}");

    let dropped = rewrite(&path, |n, line| (n != 150).then(|| line.to_owned()));
    assert_eq!(refused_at(import(&target, &dropped, &hidden).await).0, 150);

    let garbled = rewrite(&path, |n, line| {
        Some(if n == 300 {
            line[..line.len() / 2].to_owned()
        } else {
            line.to_owned()
        })
    });
    let (line, reason) = refused_at(import(&target, &garbled, &hidden).await);
    assert_eq!(line, 300);
    assert!(reason.contains("not an exported event"), "{reason}");

    let partial = export_to_file(&source.store, dir.path(), Some(5)).await;
    let (line, reason) = refused_at(import(&target, &partial, &hidden).await);
    assert_eq!(line, 1);
    assert!(reason.contains("starts at position 5"), "{reason}");

    assert_eq!(target.stored_events().await.expect("count"), 0);
    assert_eq!(target.head().await.expect("head"), 0);
}

async fn non_empty_store_is_refused<T: ImportTarget>(target: T) {
    let source = support::sqlite().await;
    fill(&source.store, 50, 3, 5).await;
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = export_to_file(&source.store, dir.path(), None).await;
    import(&target, &path, &Progress::hidden())
        .await
        .expect("first import");
    match import(&target, &path, &Progress::hidden()).await {
        Err(TransferError::NotEmpty { events }) => assert!(events >= 50),
        other => panic!("expected NotEmpty, got {other:?}"),
    }
    assert_eq!(target.head().await.expect("head"), 50);
}

/// A file whose chain verifies but which the database refuses part-way (a forged second event
/// at a stream version already taken, past the first batch): what was written is removed, the
/// store is empty again.
async fn failed_write_leaves_the_store_empty<T: ImportTarget>(target: T) {
    let source = support::sqlite().await;
    fill(&source.store, 4_500, 30, 50).await;
    let first = source.store.read_log(0, 1).await.expect("read")[0]
        .event
        .clone();
    let dir = tempfile::tempdir().expect("temporary folder");
    let forged = dir.path().join("forged.ndjson");
    let mut out = String::new();
    let mut previous = GENESIS;
    for mut logged in source.store.read_log(0, 10_000).await.expect("read") {
        if logged.position == 4_100 {
            logged.event.stream = first.stream.clone();
            logged.event.stream_version = first.stream_version;
        }
        let hash = chain_hash(&previous, logged.position, &logged.event);
        logged.hash = hex::encode(hash);
        previous = hash;
        out.push_str(&serde_json::to_string::<LoggedEvent>(&logged).expect("json"));
        out.push('\n');
    }
    std::fs::write(&forged, out).expect("write forged");
    match import(&target, &forged, &Progress::hidden()).await {
        Err(TransferError::Store(_)) => {}
        other => panic!("expected the database to refuse the duplicate, got {other:?}"),
    }
    assert_eq!(target.stored_events().await.expect("count"), 0);
    // And the store takes a good import afterwards.
    let path = export_to_file(&source.store, dir.path(), None).await;
    import(&target, &path, &Progress::hidden())
        .await
        .expect("import after a failed one");
}

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
);

/// A running sequencer (a `serve` on the same database) would assign positions while the
/// import writes its own: the import is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_import_refused_while_a_sequencer_runs() {
    let Some(fixture) = support::postgres().await else {
        return;
    };
    let source = support::sqlite().await;
    fill(&source.store, 10, 2, 5).await;
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = export_to_file(&source.store, dir.path(), None).await;
    // The sequencer takes its lock shortly after start; there is no signal for it but its flag.
    let active = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        while !fixture.store.stats().is_active() {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    })
    .await;
    assert!(active.is_ok(), "the sequencer did not become active");
    match import(&fixture.store, &path, &Progress::hidden()).await {
        Err(TransferError::SequencerRunning) => {}
        other => panic!("expected SequencerRunning, got {other:?}"),
    }
    assert_eq!(fixture.store.head().await.expect("head"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_range_and_bounds() {
    let source = support::sqlite().await;
    fill(&source.store, 20, 2, 5).await;
    let mut out = Vec::new();
    let summary = export(
        &source.store,
        Some(3),
        Some(7),
        &mut out,
        &Progress::hidden(),
    )
    .await
    .expect("export 3..=7");
    assert_eq!(
        (summary.events, summary.first, summary.last),
        (5, Some(3), Some(7))
    );
    let positions: Vec<u64> = String::from_utf8(out)
        .expect("utf-8")
        .lines()
        .map(|l| {
            serde_json::from_str::<LoggedEvent>(l)
                .expect("event")
                .position
        })
        .collect();
    assert_eq!(positions, vec![3, 4, 5, 6, 7]);
    let beyond = export(
        &source.store,
        None,
        Some(21),
        Vec::new(),
        &Progress::hidden(),
    )
    .await;
    assert!(
        matches!(&beyond, Err(TransferError::InvalidRange(r)) if r.contains("beyond the head")),
        "{beyond:?}"
    );
    let reversed = export(
        &source.store,
        Some(8),
        Some(7),
        Vec::new(),
        &Progress::hidden(),
    )
    .await;
    assert!(matches!(reversed, Err(TransferError::InvalidRange(_))));
    let empty = support::sqlite().await;
    let nothing = export(&empty.store, None, None, Vec::new(), &Progress::hidden())
        .await
        .expect("export of an empty log");
    assert_eq!(nothing.events, 0);
}
