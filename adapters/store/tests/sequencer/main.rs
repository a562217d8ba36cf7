//! The PostgreSQL sequencer across processes and under a held-back horizon.

#[path = "../support/mod.rs"]
mod support;

mod session_loss;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use rectiflow_domain::clock::ManualClock;
use rectiflow_domain::values::PersonId;
use rectiflow_engine::{CancellationToken, CommandContext, EventStore, Executor};
use rectiflow_store::chain::{chain_hash, hash_from_bytes, GENESIS};
use rectiflow_store::{PgSettings, PgStore};
use sqlx::{Connection, PgConnection};
use support::counter::{Counter, CounterCommand};
use support::follower::follow;
use uuid::Uuid;

fn ctx() -> CommandContext {
    CommandContext::new(PersonId::parse("writer").expect("valid"))
}

async fn write(store: &PgStore, stream: &str, n: u32) {
    Executor::new(
        store.clone(),
        Arc::new(ManualClock::starting_at(Utc::now())),
    )
    .execute::<Counter, _>(&ctx(), stream, None, CounterCommand::AddMany(n), &())
    .await
    .expect("write");
}

/// Polls `condition` (a bounded wait for state another task changes; there is no signal for
/// "this process lost or took the lock").
async fn eventually(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !condition() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting until {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn assert_chain(store: &PgStore, len: u64) {
    let log = store.read_log(0, u32::MAX).await.expect("log");
    assert_eq!(log.len() as u64, len);
    let mut previous = GENESIS;
    for (i, e) in log.iter().enumerate() {
        assert_eq!(e.position, i as u64 + 1);
        assert_eq!(
            hex::encode(chain_hash(&previous, e.position, &e.event)),
            e.hash
        );
        previous = hash_from_bytes(&hex::decode(&e.hash).expect("hex")).expect("32 bytes");
    }
}

/// Two processes (two stores with their own pools and background tasks) on one database:
/// exactly one sequences; when it goes, the other takes over and the log stays dense.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_one_sequencer_per_database_with_takeover() {
    support::init_tracing();
    let Some(db) = support::fresh_postgres_db().await else {
        return;
    };
    let a = PgStore::connect(PgSettings::new(&db.url)).await.expect("a");
    let b = PgStore::connect(PgSettings::new(&db.url)).await.expect("b");
    let stop_a = CancellationToken::new();
    let stop_b = CancellationToken::new();
    let _a_workers = a.start(stop_a.clone());
    eventually("a is the sequencer", || a.stats().is_active()).await;
    let _b_workers = b.start(stop_b.clone());

    for i in 0..20 {
        write(&a, &format!("a{i}"), 3).await;
        write(&b, &format!("b{i}"), 2).await;
    }
    support::wait_for_head(&b, 100).await;
    support::wait_for_head(&a, 100).await;
    assert!(
        a.stats().is_active() && !b.stats().is_active(),
        "exactly one sequencer"
    );
    assert_eq!(b.stats().events(), 0);

    // The sequencer's process stops; the standby takes over.
    stop_a.cancel();
    eventually("b takes over", || b.stats().is_active()).await;
    for i in 0..10 {
        write(&b, &format!("c{i}"), 5).await;
    }
    support::wait_for_head(&b, 150).await;
    // The counter moves just after the positions commit.
    eventually("b counts the 50 events it sequenced", || {
        b.stats().events() == 50
    })
    .await;
    assert_eq!(
        a.stats().events(),
        100,
        "the stopped sequencer did nothing more"
    );
    assert_chain(&b, 150).await;
    stop_b.cancel();
}

/// A transaction holding an xid elsewhere in the cluster (another database on the same server)
/// holds nothing back: events committed meanwhile are sequenced at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_long_transaction_elsewhere_does_not_delay_positions() {
    support::init_tracing();
    let Some(fixture) = support::postgres().await else {
        return;
    };
    let store = fixture.store.clone();
    write(&store, "before", 1).await;
    support::wait_for_head(&store, 1).await;

    // Another database on the same server: a transaction that has written something.
    let Some(other) = support::fresh_postgres_db().await else {
        return;
    };
    let mut blocker = PgConnection::connect(&other.url).await.expect("connect");
    sqlx::raw_sql("BEGIN; CREATE TABLE held (x int); INSERT INTO held VALUES (1);")
        .execute(&mut blocker)
        .await
        .expect("hold an xid");

    write(&store, "during", 4).await;
    support::wait_for_head(&store, 5).await;
    assert_chain(&store, 5).await;
    sqlx::raw_sql("COMMIT")
        .execute(&mut blocker)
        .await
        .expect("release");
}

/// The case the pending transactions exist for: a transaction in the same database that
/// inserted an event and stays open while later transactions commit theirs. The later ones are
/// sequenced at once; the open one is pending (the sequencer says so), and when it commits its
/// event takes the next position — never skipped, never twice, and a reader following the log
/// meanwhile sees every position once, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_late_commit_in_the_same_database_is_not_skipped() {
    support::init_tracing();
    let Some(fixture) = support::postgres().await else {
        return;
    };
    let store = fixture.store.clone();
    write(&store, "first", 1).await;
    support::wait_for_head(&store, 1).await;
    let mut reader = follow(&store);
    reader.reached(1).await;

    let mut late = PgConnection::connect(&fixture.db.url)
        .await
        .expect("connect");
    sqlx::raw_sql(
        "BEGIN; INSERT INTO events (stream_type, stream_id, stream_version, event_id, event_type, \
         schema_version, payload, metadata, recorded_at) VALUES ('counter', 'late', 1, \
         '00000000-0000-7000-8000-000000000001', 'Added', '1.0', '{\"Added\":{\"by\":1}}', \
         '{\"actor\":\"late\"}', now());",
    )
    .execute(&mut late)
    .await
    .expect("open the late transaction");
    for i in 0..5 {
        write(&store, &format!("after{i}"), 2).await;
    }
    support::wait_for_head(&store, 11).await;
    let stats = store.stats();
    eventually("the open transaction is pending", || {
        stats.pending_transactions() >= 1
    })
    .await;
    reader.reached(11).await;
    assert_eq!(
        reader.seen().len(),
        11,
        "the reader was handed the later commits, nothing of the open transaction"
    );

    sqlx::raw_sql("COMMIT")
        .execute(&mut late)
        .await
        .expect("commit late");
    support::wait_for_head(&store, 12).await;
    reader.reached(12).await;
    let seen = reader.stop().await;
    let log = store.read_log(0, 100).await.expect("log");
    assert_eq!(log.len(), 12);
    assert_eq!(
        log[11].event.stream.stream_id, "late",
        "it takes the next position when it commits"
    );
    assert_eq!(
        seen,
        log.iter()
            .map(|e| (e.position, e.event.event_id))
            .collect::<Vec<_>>(),
        "the live reader saw the log as it stands, late event included"
    );
    assert_eq!(
        seen.iter().map(|(p, _)| *p).collect::<Vec<_>>(),
        (1..=12).collect::<Vec<_>>(),
        "dense positions, each once, in order"
    );
    assert_chain(&store, 12).await;
    let summary = rectiflow_store::integrity::verify(
        &store,
        &rectiflow_store::integrity::VerifyOptions::default(),
    )
    .await
    .expect("the log verifies");
    assert_eq!(summary.events, 12);
}

/// A database restored from another cluster carries that cluster's transaction ids, possibly
/// ahead of this one's counter. The sequencer rebases them at takeover and carries on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_sequencer_rebases_transaction_ids_from_another_cluster() {
    support::init_tracing();
    let Some(db) = support::fresh_postgres_db().await else {
        return;
    };
    let first = PgStore::connect(PgSettings::new(&db.url))
        .await
        .expect("connect");
    let stop_first = CancellationToken::new();
    let _first_workers = first.start(stop_first.clone());
    for i in 0..4 {
        write(&first, &format!("old{i}"), 2).await;
    }
    support::wait_for_head(&first, 8).await;
    stop_first.cancel();
    eventually("the first sequencer stops", || !first.stats().is_active()).await;

    // As after a restore: every row's transaction id lies far ahead of this cluster's, and two
    // committed rows were never sequenced.
    write(&first, "unsequenced", 2).await;
    sqlx::query("UPDATE events SET tx_id = '900000000000'::xid8")
        .execute(first.pool())
        .await
        .expect("simulate a restore");

    let second = PgStore::connect(PgSettings::new(&db.url))
        .await
        .expect("connect");
    let stop_second = CancellationToken::new();
    let _second_workers = second.start(stop_second.clone());
    write(&second, "new", 3).await;
    support::wait_for_head(&second, 13).await;
    let log = second.read_log(0, 100).await.expect("log");
    assert_eq!(
        log.iter()
            .skip(8)
            .map(|e| e.event.stream.stream_id.as_str())
            .collect::<Vec<_>>(),
        vec!["unsequenced", "unsequenced", "new", "new", "new"]
    );
    assert_chain(&second, 13).await;
    stop_second.cancel();
}

/// Transaction ids are ordered as numbers, never as their text: rows of transactions 9, 10
/// and 100 are sequenced in that order, each exactly once ('10' < '100' < '9' as text).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_transaction_ids_order_as_numbers_across_digit_boundaries() {
    support::init_tracing();
    let Some(db) = support::fresh_postgres_db().await else {
        return;
    };
    let store = PgStore::connect(PgSettings::new(&db.url))
        .await
        .expect("connect");
    for (tx, stream) in [("100", "c"), ("9", "a"), ("10", "b")] {
        sqlx::query(
            "INSERT INTO events (tx_id, stream_type, stream_id, stream_version, event_id, \
             event_type, schema_version, payload, metadata, recorded_at) \
             VALUES ($1::text::xid8, 'counter', $2, 1, gen_random_uuid(), 'Added', '1.0', \
                     '{\"Added\":{\"by\":1}}', '{\"actor\":\"restored\"}', now())",
        )
        .bind(tx)
        .bind(stream)
        .execute(store.pool())
        .await
        .expect("insert with a chosen transaction id");
    }
    let stop = CancellationToken::new();
    let _store_workers = store.start(stop.clone());
    write(&store, "d", 1).await;
    support::wait_for_head(&store, 4).await;
    let log = store.read_log(0, 100).await.expect("log");
    assert_eq!(
        log.iter()
            .map(|e| e.event.stream.stream_id.as_str())
            .collect::<Vec<_>>(),
        vec!["a", "b", "c", "d"]
    );
    assert_chain(&store, 4).await;
    stop.cancel();
}
