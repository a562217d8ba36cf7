//! Faults only one backend can hold, named by position and cause.

use super::*;

/// PostgreSQL: an event row deleted under its log row (foreign keys switched off, as a
/// superuser can) vanishes from the joined read; verify names the position and says why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_deleted_event_row_is_named() {
    let Some(fixture) = support::postgres().await else {
        return;
    };
    let store = fixture.store.clone();
    fill(&store, EVENTS, 5).await;
    let mut tx = store.pool().begin().await.expect("begin");
    sqlx::query("SET LOCAL session_replication_role = replica")
        .execute(&mut *tx)
        .await
        .expect("disable foreign keys");
    sqlx::query("DELETE FROM events WHERE id = (SELECT event_ref FROM log WHERE position = 64)")
        .execute(&mut *tx)
        .await
        .expect("delete event row");
    tx.commit().await.expect("commit");
    match tamper(verify(&store, &options()).await) {
        Tamper::Missing { position, detail } => {
            assert_eq!(position, 64);
            assert!(detail.contains("does not exist"), "{detail}");
        }
        other => panic!("expected a missing position, got {other:?}"),
    }
}

/// PostgreSQL: a log row deleted says so, and a consistent renumbering of the rest is still a
/// broken chain at the first renumbered position.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_deleted_log_row_is_named() {
    let Some(fixture) = support::postgres().await else {
        return;
    };
    let store = fixture.store.clone();
    fill(&store, EVENTS, 5).await;
    store.delete(70).await;
    match tamper(verify(&store, &options()).await) {
        Tamper::Missing { position, detail } => {
            assert_eq!(position, 70);
            assert!(detail.contains("log row was deleted"), "{detail}");
        }
        other => panic!("expected a missing position, got {other:?}"),
    }
    for position in 71..=EVENTS {
        store
            .sql(&format!(
                "UPDATE log SET position = {} WHERE position = {position}",
                position - 1
            ))
            .await;
    }
    assert_eq!(
        tamper(verify(&store, &options()).await).position(),
        70,
        "the renumbered event does not chain at its new position"
    );
}

/// SQLite keeps payloads as text: a row that is not JSON any more is named, not a panic.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_unreadable_row_is_named() {
    let fixture = support::sqlite().await;
    let store = fixture.store.clone();
    fill(&store, EVENTS, 5).await;
    store.edit_payload(33, "{not json").await;
    match tamper(verify(&store, &options()).await) {
        Tamper::Unreadable { position, reason } => {
            assert_eq!(position, 33);
            assert!(reason.contains("not JSON"), "{reason}");
        }
        other => panic!("expected an unreadable position, got {other:?}"),
    }
}

/// PostgreSQL chains an event only once it is sequenced; while no sequencer runs (every
/// process stopped), committed events wait unchained. One deleted then leaves no trace in the
/// chain, but its stream lacks the version: verify names the hole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_event_deleted_before_its_position_is_named() {
    let Some(fixture) = support::postgres().await else {
        return;
    };
    let store = fixture.store.clone();
    fill(&store, 10, 2).await;
    stop_sequencing(&fixture).await;
    let stream = StreamRef::new("counter", "held");
    for version in 1..=3u64 {
        commit_one(&store, &stream, version).await;
    }
    store
        .sql("DELETE FROM events WHERE stream_id = 'held' AND stream_version = 2")
        .await;
    let found = tamper(verify(&store, &options()).await);
    match found {
        Tamper::VersionHole {
            position,
            stream: named,
            missing,
            next,
        } => {
            assert_eq!((named, missing, next), (stream, 2, 3));
            assert_eq!(
                position, 11,
                "version 3 has no position yet: one past the head"
            );
        }
        other => panic!("expected a version hole, got {other:?}"),
    }
}

/// Stops the fixture's sequencer (every process stopped): committed events then wait unchained.
async fn stop_sequencing(fixture: &support::PgFixture) {
    fixture.shutdown.cancel();
    let stats = fixture.store.stats();
    let stopped = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        // No signal for "the lock was let go": a bounded poll of the flag.
        while stats.is_active() {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(stopped.is_ok(), "the sequencer stopped");
}

/// Commits one event as `version` of `stream`, through the store's own write path.
async fn commit_one(store: &PgStore, stream: &StreamRef, version: u64) {
    store
        .commit(Commit {
            stream: stream.clone(),
            expected_version: version - 1,
            events: vec![NewEvent {
                event_id: Uuid::now_v7(),
                event_type: "Added".into(),
                schema_version: "1.0".into(),
                payload: json!({"Added": {"by": 1}}),
                metadata: json!({"actor": "clerk"}),
                recorded_at: to_micros(Utc::now()),
            }],
            snapshot: None,
            idempotency: None,
        })
        .await
        .expect("commit");
}

/// Chain v3: the writer hashes an event's content before its commit, and the sequencer chains
/// that hash. An event edited after its commit but before it has a position — while no
/// sequencer runs, or while a transaction holds it back — is therefore caught once sequenced,
/// at its position; under chain v2 the sequencer hashed whatever it read back and the edit
/// verified. A row inserted by hand, with no content hash, is hashed from its fields instead
/// and verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_event_edited_before_its_position_is_caught() {
    let Some(fixture) = support::postgres().await else {
        return;
    };
    let store = fixture.store.clone();
    fill(&store, 10, 2).await;
    stop_sequencing(&fixture).await;
    let stream = StreamRef::new("counter", "edited");
    commit_one(&store, &stream, 1).await;
    store
        .sql(
            "UPDATE events SET payload = '{\"Added\": {\"by\": 1000}}' \
             WHERE stream_id = 'edited'",
        )
        .await;
    store
        .sql(
            "INSERT INTO events (stream_type, stream_id, stream_version, event_id, event_type, \
             schema_version, payload, metadata, recorded_at) \
             VALUES ('counter', 'by-hand', 1, gen_random_uuid(), 'Added', '1.0', \
                     '{\"Added\": {\"by\": 2}}', '{\"actor\": \"console\"}', now())",
        )
        .await;
    let restarted = PgStore::connect(rectiflow_store::PgSettings::new(&fixture.db.url))
        .await
        .expect("a second process");
    let stop = rectiflow_engine::CancellationToken::new();
    let _workers = restarted.start(stop.clone());
    support::wait_for_head(&restarted, 12).await;
    let found = tamper(verify(&restarted, &options()).await);
    assert!(
        matches!(found, Tamper::HashMismatch { position: 11, .. }),
        "{found:?}"
    );
    assert!(
        digest_at(&restarted, Some(10), &Progress::hidden())
            .await
            .is_ok(),
        "the log before the edited event is intact"
    );
    store
        .sql("UPDATE events SET payload = '{\"Added\": {\"by\": 1}}' WHERE stream_id = 'edited'")
        .await;
    verify(&restarted, &options())
        .await
        .expect("with the edit undone the log verifies, the row inserted by hand included");
    stop.cancel();
}

/// PostgreSQL: with the unique key on the log's event reference dropped, a row given a second
/// position hashes consistently there — the chain cannot tell — but verify names it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_event_with_two_positions_is_named() {
    let Some(fixture) = support::postgres().await else {
        return;
    };
    let store = fixture.store.clone();
    fill(&store, 20, 3).await;
    fixture.shutdown.cancel();
    store.sql("DROP INDEX log_event_ref_unique").await;
    let log = store.read_log(0, 100).await.expect("log");
    let hash = chain_hash(&hex32(&log[19].hash), 21, &log[4].event);
    sqlx::query(
        "INSERT INTO log (position, event_ref, hash) \
         SELECT 21, event_ref, $1 FROM log WHERE position = 5",
    )
    .bind(hash.to_vec())
    .execute(store.pool())
    .await
    .expect("a second position");
    match tamper(verify(&store, &options()).await) {
        Tamper::SequencedTwice {
            position, first, ..
        } => assert_eq!((position, first), (21, 5)),
        other => panic!("expected an event with two positions, got {other:?}"),
    }
}

/// PostgreSQL: a transaction still running when the sequencer passed its id commits while no
/// sequencer runs. Its event lies behind the recorded cursor without a position — legitimately:
/// the sequencer recorded the transaction as pending. Verify tells it from a row slipped in
/// behind the sequencer's back, which it still names.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_late_commit_awaiting_its_position_is_not_a_tamper() {
    let Some(fixture) = support::postgres().await else {
        return;
    };
    let store = fixture.store.clone();
    let mut late = store.pool().begin().await.expect("begin");
    sqlx::query(
        "INSERT INTO events (stream_type, stream_id, stream_version, event_id, event_type, \
         schema_version, payload, metadata, recorded_at) \
         VALUES ('counter', 'late', 1, $1, 'Added', '1.0', '{\"Added\":{\"by\":1}}', '{}', now())",
    )
    .bind(Uuid::now_v7())
    .execute(&mut *late)
    .await
    .expect("an event in an open transaction");
    fill(&store, 10, 2).await;
    let stats = store.stats();
    let recorded = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        // No signal for "the state was recorded": a bounded poll of the sequencer's counter.
        while stats.pending_transactions() == 0 {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(recorded.is_ok(), "the open transaction became pending");
    fixture.shutdown.cancel();
    let stopped = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        while stats.is_active() {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(stopped.is_ok(), "the sequencer stopped");
    late.commit().await.expect("the late commit");

    let summary = verify(&store, &options())
        .await
        .expect("a pending transaction's event is not a tamper");
    assert_eq!(summary.events, 10);
    store.insert_stray().await;
    assert!(matches!(
        tamper(verify(&store, &options()).await),
        Tamper::Unsequenced { .. }
    ));
}
