//! PostgreSQL: a database restored from another cluster carries that cluster's transaction
//! ids. Whatever their interleaving with the row ids, and wherever the restore cut the
//! sequencer's work, the sequencer of the new cluster gives every event exactly one position,
//! sequences the rows it had not, and the log verifies.

mod support;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use rectiflow_domain::clock::ManualClock;
use rectiflow_domain::values::PersonId;
use rectiflow_engine::{CancellationToken, CommandContext, EventStore, Executor, Supervisor};
use rectiflow_store::integrity::{verify, VerifyOptions};
use rectiflow_store::{PgSettings, PgStore};
use support::counter::{Counter, CounterCommand};

/// Far beyond any transaction id a test cluster reaches.
const FUTURE: i64 = 900_000_000_000;

struct Running {
    store: PgStore,
    stop: CancellationToken,
    _workers: Supervisor,
}

async fn start(url: &str) -> Running {
    let store = PgStore::connect(PgSettings::new(url))
        .await
        .expect("connect");
    let stop = CancellationToken::new();
    let workers = store.start(stop.clone());
    Running {
        store,
        stop,
        _workers: workers,
    }
}

impl Running {
    /// Stops the sequencer (and waits until it let go of its lock).
    async fn stop(self) -> PgStore {
        self.stop.cancel();
        let stats = self.store.stats();
        let stopped = tokio::time::timeout(Duration::from_secs(30), async {
            while stats.is_active() {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await;
        assert!(stopped.is_ok(), "the sequencer did not stop");
        self.store
    }
}

/// Inserts a committed event row as written by transaction `tx` of another cluster.
async fn plant(store: &PgStore, tx: i64, stream: &str) {
    sqlx::query(
        "INSERT INTO events (tx_id, stream_type, stream_id, stream_version, event_id, \
         event_type, schema_version, payload, metadata, recorded_at) \
         VALUES ($1::text::xid8, 'counter', $2, 1, gen_random_uuid(), 'Added', '1.0', \
                 '{\"Added\":{\"by\":1}}', '{\"actor\":\"restored\"}', now())",
    )
    .bind(tx.to_string())
    .bind(stream)
    .execute(store.pool())
    .await
    .expect("plant a row");
}

/// As a restore into a cluster whose counter is far behind: every row keeps its relative
/// order but lies ahead of this cluster.
async fn shift_into_the_future(store: &PgStore) {
    sqlx::query("UPDATE events SET tx_id = (tx_id::text::bigint + $1)::text::xid8")
        .bind(FUTURE)
        .execute(store.pool())
        .await
        .expect("shift transaction ids");
}

async fn write_one(store: &PgStore, stream: &str) {
    Executor::new(
        store.clone(),
        Arc::new(ManualClock::starting_at(Utc::now())),
    )
    .execute::<Counter, _>(
        &CommandContext::new(PersonId::parse("writer").expect("valid")),
        stream,
        None,
        CounterCommand::Add(1),
        &(),
    )
    .await
    .expect("write");
}

/// Waits until the event of `stream` has a position; returns the log then.
async fn wait_until_logged(store: &PgStore, stream: &str) -> Vec<rectiflow_engine::LoggedEvent> {
    let mut head = store.watch_head();
    let found = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            let log = store.read_log(0, u32::MAX).await.expect("read log");
            if log.iter().any(|e| e.event.stream.stream_id == stream) {
                return log;
            }
            head.changed().await.expect("head watch");
        }
    })
    .await;
    let diagnostics = format!("{:?}", store.stats());
    found.unwrap_or_else(|_| panic!("{stream} was never sequenced; sequencer: {diagnostics}"))
}

/// Every event row holds exactly one position, and the positions are 1..=n.
async fn assert_one_position_each(store: &PgStore, expected_events: usize) {
    let (rows, refs, distinct, max): (i64, i64, i64, Option<i64>) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM events), count(*), count(DISTINCT event_ref), \
                max(position) FROM log",
    )
    .fetch_one(store.pool())
    .await
    .expect("count");
    assert_eq!(rows as usize, expected_events, "event rows");
    assert_eq!(refs, rows, "log rows: one per event");
    assert_eq!(distinct, rows, "no event holds two positions");
    assert_eq!(max, Some(rows), "positions are dense");
    let summary = verify(store, &VerifyOptions::default())
        .await
        .expect("the log verifies");
    assert_eq!(summary.events as usize, expected_events);
}

/// The case that gave events a second position: the row at the highest position is not the
/// last in row-id order (transaction 20 wrote row 1, transaction 10 wrote row 2, so row 2 was
/// sequenced first). Collapsed onto one transaction id by the rebase, row 1 would have been the
/// cursor and row 2 would have been sequenced again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_restore_never_gives_an_event_a_second_position() {
    support::init_tracing();
    let Some(db) = support::fresh_postgres_db().await else {
        return;
    };
    let setup = PgStore::connect(PgSettings::new(&db.url))
        .await
        .expect("connect");
    plant(&setup, 20, "first-row").await;
    plant(&setup, 10, "second-row").await;
    let first = start(&db.url).await;
    support::wait_for_head(&first.store, 2).await;
    let store = first.stop().await;
    shift_into_the_future(&store).await;

    let second = start(&db.url).await;
    write_one(&second.store, "new").await;
    let log = wait_until_logged(&second.store, "new").await;
    assert_eq!(log.len(), 3, "the head advanced by one: {log:?}");
    assert_one_position_each(&second.store, 3).await;
}

/// A committed row from the future beside a cursor of this cluster: rebasing it behind the
/// cursor would leave it without a position for ever (and `verify` would call the log
/// tampered). Any row from the future rebases all of them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_row_from_the_future_behind_a_local_cursor_is_sequenced() {
    support::init_tracing();
    let Some(db) = support::fresh_postgres_db().await else {
        return;
    };
    let first = start(&db.url).await;
    write_one(&first.store, "local").await;
    support::wait_for_head(&first.store, 1).await;
    let store = first.stop().await;
    plant(&store, FUTURE, "from-the-future").await;

    let second = start(&db.url).await;
    write_one(&second.store, "after").await;
    let log = wait_until_logged(&second.store, "after").await;
    assert_eq!(
        log.iter()
            .map(|e| e.event.stream.stream_id.as_str())
            .collect::<Vec<_>>(),
        vec!["local", "from-the-future", "after"]
    );
    assert_one_position_each(&second.store, 3).await;
}

/// A small deterministic generator (xorshift), so a failing case is reproducible by its seed.
struct Cases(u64);

impl Cases {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}

/// Random interleavings of transaction ids and row ids, and random cuts (how many rows the
/// old cluster had sequenced before the dump): after the restore every event has exactly one
/// position, the rows that had none get one, and the log verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_restore_of_any_interleaving_and_cut_sequences_each_event_once() {
    support::init_tracing();
    if support::fresh_postgres_db().await.is_none() {
        return;
    }
    let mut cases = Cases(0x5eed_2026_1129);
    for case in 0..6 {
        let db = support::fresh_postgres_db()
            .await
            .expect("a fresh database");
        let setup = PgStore::connect(PgSettings::new(&db.url))
            .await
            .expect("connect");
        let rows = 3 + cases.next(6) as usize;
        let cut = cases.next(rows as u64 + 1) as usize;
        let mut streams = HashMap::new();
        for i in 0..cut {
            let tx = 10 + cases.next(40) as i64;
            plant(&setup, tx, &format!("sequenced-{i}")).await;
            streams.insert(format!("sequenced-{i}"), tx);
        }
        if cut > 0 {
            let old = start(&db.url).await;
            support::wait_for_head(&old.store, cut as u64).await;
            old.stop().await;
        }
        for i in cut..rows {
            let tx = 10 + cases.next(40) as i64;
            plant(&setup, tx, &format!("pending-{i}")).await;
            streams.insert(format!("pending-{i}"), tx);
        }
        shift_into_the_future(&setup).await;

        let new = start(&db.url).await;
        write_one(&new.store, "new").await;
        let log = wait_until_logged(&new.store, "new").await;
        assert_eq!(
            log.len(),
            rows + 1,
            "case {case}: {rows} rows cut after {cut} ({streams:?}): {log:?}"
        );
        assert_one_position_each(&new.store, rows + 1).await;
        new.stop().await;
    }
}
