//! The PostgreSQL sequencer across processes and under a held-back horizon.

mod support;

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use rectiflow_domain::clock::ManualClock;
use rectiflow_domain::values::PersonId;
use rectiflow_store::chain::{chain_hash, hash_from_bytes, GENESIS};
use rectiflow_store::{
    CancellationToken, CommandContext, EventStore, Executor, PgSettings, PgStore,
};
use sqlx::{Connection, PgConnection};
use support::counter::{Counter, CounterCommand};

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
    a.start(stop_a.clone());
    eventually("a is the sequencer", || a.stats().is_active()).await;
    b.start(stop_b.clone());

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
    assert_eq!(b.stats().events(), 50);
    assert_chain(&b, 150).await;
    stop_b.cancel();
}

/// A transaction holding an xid anywhere in the cluster holds positions back; the wait shows
/// in the sequencer's stats, and the events are sequenced as soon as it ends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_long_transaction_elsewhere_delays_but_loses_nothing() {
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
    let stats = store.stats();
    eventually("the sequencer reports a horizon wait", || {
        stats.current_horizon_wait() > Duration::ZERO
    })
    .await;
    assert_eq!(
        store.head().await.expect("head"),
        1,
        "nothing sequenced past the horizon"
    );
    assert!(stats.horizon_waits() >= 1);

    sqlx::raw_sql("COMMIT")
        .execute(&mut blocker)
        .await
        .expect("release");
    support::wait_for_head(&store, 5).await;
    assert_chain(&store, 5).await;
    assert!(stats.horizon_wait() > Duration::ZERO);
}
