//! One conformance suite, run against both backends: every test below is instantiated once for
//! PostgreSQL (a fresh database each) and once for SQLite (a fresh file each).

mod support;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use cqrs_es::persist::{EventUpcaster, SemanticVersionEventUpcaster};
use rectiflow_domain::clock::ManualClock;
use rectiflow_domain::values::PersonId;
use rectiflow_engine::consumer::{self, ConsumerOptions};
use rectiflow_engine::model::{Commit, NewEvent};
use rectiflow_engine::{
    CancellationToken, CommandContext, EventStore, ExecuteError, Executor, IdempotencyKey,
    StoreError, StreamRef,
};
use rectiflow_store::chain::{chain_hash, hash_from_bytes, GENESIS};
use support::counter::{Counter, CounterCommand, Refused};
use support::{seen_ids, Harness, Seen};
use uuid::Uuid;

fn clock() -> ManualClock {
    ManualClock::starting_at(
        Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0)
            .single()
            .expect("valid"),
    )
}

fn executor<S: EventStore>(store: &S) -> Executor<S> {
    Executor::new(store.clone(), Arc::new(clock()))
}

fn ctx(actor: &str) -> CommandContext {
    CommandContext::new(PersonId::parse(actor).expect("valid actor"))
}

fn hex32(hash: &str) -> [u8; 32] {
    hash_from_bytes(&hex::decode(hash).expect("hex")).expect("32 bytes")
}

/// Checks the log from position 1: dense positions and an unbroken hash chain.
async fn assert_log_sound<S: EventStore>(store: &S, expected_len: u64) {
    let log = store.read_log(0, 1_000_000).await.expect("read log");
    assert_eq!(log.len() as u64, expected_len, "log length");
    let mut previous = GENESIS;
    for (i, logged) in log.iter().enumerate() {
        assert_eq!(logged.position, i as u64 + 1, "positions are dense");
        let hash = chain_hash(&previous, logged.position, &logged.event);
        assert_eq!(
            hex::encode(hash),
            logged.hash,
            "chain hash at {}",
            logged.position
        );
        previous = hex32(&logged.hash);
    }
}

async fn append_and_read<S: Harness>(store: S) {
    let exec = executor(&store);
    let first = exec
        .execute::<Counter, _>(&ctx("clerk-1"), "c1", None, CounterCommand::Add(5), &())
        .await
        .expect("first command");
    assert_eq!((first.version, first.replayed), (1, false));
    let second = exec
        .execute::<Counter, _>(
            &ctx("clerk-1"),
            "c1",
            Some(1),
            CounterCommand::AddMany(3),
            &(),
        )
        .await
        .expect("second command");
    assert_eq!(second.version, 4);
    assert_eq!(
        second.events.iter().map(|e| e.version).collect::<Vec<_>>(),
        vec![2, 3, 4]
    );
    exec.execute::<Counter, _>(&ctx("clerk-2"), "c2", None, CounterCommand::Add(1), &())
        .await
        .expect("other stream");

    let (counter, version) = exec.load::<Counter>("c1").await.expect("load");
    assert_eq!((counter.value, counter.events, version), (8, 4, 4));
    let stream = store
        .load_events(&StreamRef::new("counter", "c1"), 2)
        .await
        .expect("events");
    assert_eq!(
        stream.iter().map(|e| e.stream_version).collect::<Vec<_>>(),
        vec![3, 4]
    );
    let metadata = &stream[0].metadata;
    assert_eq!(metadata["actor"], "clerk-1");
    assert_eq!(stream[0].recorded_at, clock().now_for_tests());

    support::wait_for_head(&store, 5).await;
    assert_log_sound(&store, 5).await;
    let log = store.read_log(3, 10).await.expect("read after 3");
    assert_eq!(
        log.iter().map(|e| e.position).collect::<Vec<_>>(),
        vec![4, 5]
    );

    // A refused command and a command with no events write nothing.
    let refused = exec
        .execute::<Counter, _>(&ctx("clerk-1"), "c1", None, CounterCommand::Refuse, &())
        .await;
    let refused = refused.expect_err("refused");
    assert!(matches!(refused, ExecuteError::Refused(Refused::AsAsked)));
    assert!(
        refused.is_sender_fault(),
        "a refusal is the sender's to fix (4xx)"
    );
    // A port that fails is not the sender's mistake: a typed 5xx, nothing written.
    let unavailable = exec
        .execute::<Counter, _>(&ctx("clerk-1"), "c1", None, CounterCommand::NeedsPort, &())
        .await
        .expect_err("the port failed");
    assert!(
        matches!(&unavailable, ExecuteError::Unavailable(port) if port.port == "test_port"),
        "{unavailable:?}"
    );
    assert!(!unavailable.is_sender_fault());
    let nothing = exec
        .execute::<Counter, _>(&ctx("clerk-1"), "c1", None, CounterCommand::Nothing, &())
        .await
        .expect("no-op");
    assert_eq!(nothing.version, 4);
    assert_eq!(exec.load::<Counter>("c1").await.expect("load").1, 4);
}

trait ClockExt {
    fn now_for_tests(&self) -> chrono::DateTime<Utc>;
}
impl ClockExt for ManualClock {
    fn now_for_tests(&self) -> chrono::DateTime<Utc> {
        rectiflow_domain::clock::Clock::now(self)
    }
}

async fn conflicts<S: Harness>(store: S) {
    let exec = executor(&store);
    exec.execute::<Counter, _>(&ctx("a"), "c", Some(0), CounterCommand::Add(1), &())
        .await
        .expect("first");
    match exec
        .execute::<Counter, _>(&ctx("a"), "c", Some(0), CounterCommand::Add(1), &())
        .await
    {
        Err(ExecuteError::Conflict {
            expected, actual, ..
        }) => assert_eq!((expected, actual), (0, 1)),
        other => panic!("expected a conflict, got {other:?}"),
    }
    // Two raw commits racing for the same version: exactly one wins, the other is a typed
    // conflict naming the actual version.
    let stream = StreamRef::new("counter", "c");
    let commit = |by: u64| Commit {
        stream: stream.clone(),
        expected_version: 1,
        events: vec![NewEvent {
            event_id: Uuid::now_v7(),
            event_type: "Added".into(),
            schema_version: "1.0".into(),
            payload: serde_json::json!({"Added": {"by": by}}),
            metadata: serde_json::json!({"actor": "a"}),
            recorded_at: Utc::now(),
        }],
        snapshot: None,
        idempotency: None,
    };
    let (a, b) = tokio::join!(store.commit(commit(10)), store.commit(commit(20)));
    let results = [a, b];
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    assert!(results.iter().any(|r| matches!(
        r,
        Err(StoreError::Conflict {
            expected: 1,
            actual: 2,
            ..
        })
    )));
    let (counter, version) = exec.load::<Counter>("c").await.expect("load");
    assert_eq!(version, 2);
    assert!(counter.value == 11 || counter.value == 21);
    // Without an expected version the executor retries on the latest state.
    let a = ctx("a");
    let racing = futures::future::join_all(
        (0..8).map(|_| exec.execute::<Counter, _>(&a, "c", None, CounterCommand::Add(1), &())),
    )
    .await;
    let ok = racing.iter().filter(|r| r.is_ok()).count() as u64;
    assert!(ok >= 1);
    for failed in racing.iter().filter(|r| r.is_err()) {
        assert!(
            matches!(failed, Err(ExecuteError::Conflict { .. })),
            "{failed:?}"
        );
    }
    assert_eq!(exec.load::<Counter>("c").await.expect("load").1, 2 + ok);
    // A commit that claims a version the stream has not reached is a conflict, not a hole.
    let mut ahead = commit(5);
    ahead.expected_version = 7;
    assert!(matches!(
        store.commit(ahead).await,
        Err(StoreError::Conflict { expected: 7, .. })
    ));
}

async fn idempotency<S: Harness>(store: S) {
    let exec = executor(&store);
    let key = IdempotencyKey::parse("req-2026-0001").expect("key");
    let with_key = ctx("clerk").with_idempotency_key(key.clone());
    let first = exec
        .execute::<Counter, _>(&with_key, "c", None, CounterCommand::AddMany(2), &())
        .await
        .expect("first");
    let repeat = exec
        .execute::<Counter, _>(&with_key, "c", None, CounterCommand::AddMany(2), &())
        .await
        .expect("repeat");
    assert!(repeat.replayed && !first.replayed);
    assert_eq!(repeat.version, first.version);
    assert_eq!(
        repeat.events, first.events,
        "the repeat returns the first outcome"
    );
    assert_eq!(
        exec.load::<Counter>("c").await.expect("load").1,
        2,
        "nothing written twice"
    );

    let other_command = exec
        .execute::<Counter, _>(&with_key, "c", None, CounterCommand::AddMany(3), &())
        .await;
    assert!(matches!(
        other_command,
        Err(ExecuteError::IdempotencyKeyReused { .. })
    ));
    let other_stream = exec
        .execute::<Counter, _>(&with_key, "d", None, CounterCommand::AddMany(2), &())
        .await;
    assert!(matches!(
        other_stream,
        Err(ExecuteError::IdempotencyKeyReused { .. })
    ));

    // Keys are scoped per actor.
    let other_actor = ctx("auditor").with_idempotency_key(key);
    let theirs = exec
        .execute::<Counter, _>(&other_actor, "c", None, CounterCommand::AddMany(2), &())
        .await
        .expect("another actor's key");
    assert_eq!((theirs.replayed, theirs.version), (false, 4));

    // Concurrent repeats of one keyed command: written once, every caller gets the outcome.
    let racing_key = ctx("clerk").with_idempotency_key(IdempotencyKey::parse("race").expect("key"));
    let racing =
        futures::future::join_all((0..6).map(|_| {
            exec.execute::<Counter, _>(&racing_key, "e", None, CounterCommand::Add(7), &())
        }))
        .await;
    for result in &racing {
        assert_eq!(
            result.as_ref().map(|o| o.version).ok(),
            Some(1),
            "{result:?}"
        );
    }
    assert_eq!(exec.load::<Counter>("e").await.expect("load").0.value, 7);

    // Concurrent repeats of a keyed command that is not valid twice, with and without an
    // expected version: every caller gets the first outcome, none a refusal or a conflict.
    for (stream, expected) in [("once-a", Some(0)), ("once-b", None)] {
        let key = ctx("clerk").with_idempotency_key(IdempotencyKey::parse(stream).expect("key"));
        let racing = futures::future::join_all((0..6).map(|_| {
            exec.execute::<Counter, _>(&key, stream, expected, CounterCommand::SetOnce(3), &())
        }))
        .await;
        for result in &racing {
            assert_eq!(
                result.as_ref().map(|o| o.version).ok(),
                Some(1),
                "{result:?}"
            );
        }
        assert_eq!(exec.load::<Counter>(stream).await.expect("load").0.value, 3);
    }

    // Records older than the retention are purged; younger ones are kept.
    let purged = store
        .purge_idempotency(clock().now_for_tests() - chrono::Duration::hours(24))
        .await
        .expect("purge");
    assert_eq!(purged, 0, "keys are kept at least 24 h");
    let purged = store
        .purge_idempotency(clock().now_for_tests() + chrono::Duration::seconds(1))
        .await
        .expect("purge");
    assert_eq!(purged, 5);
}

async fn snapshots<S: Harness>(store: S) {
    let exec = executor(&store).with_snapshot_every(5);
    for _ in 0..13 {
        exec.execute::<Counter, _>(&ctx("a"), "c", None, CounterCommand::Add(1), &())
            .await
            .expect("add");
    }
    let snapshot = store
        .load_snapshot(&StreamRef::new("counter", "c"))
        .await
        .expect("snapshot")
        .expect("a snapshot was taken");
    assert_eq!(snapshot.version, 10);
    assert_eq!(
        snapshot.state["value"], 10,
        "the snapshot is the state after handle, applied once"
    );
    let (counter, version) = exec.load::<Counter>("c").await.expect("load");
    assert_eq!((counter.value, counter.events, version), (13, 13, 13));
    // A multi-event commit crossing two intervals snapshots its end state.
    exec.execute::<Counter, _>(&ctx("a"), "c", None, CounterCommand::AddMany(9), &())
        .await
        .expect("add many");
    let snapshot = store
        .load_snapshot(&StreamRef::new("counter", "c"))
        .await
        .expect("snapshot")
        .expect("snapshot");
    assert_eq!(
        (snapshot.version, snapshot.state["value"].as_u64()),
        (22, Some(22))
    );
    assert_eq!(exec.load::<Counter>("c").await.expect("load").0.value, 22);
}

async fn upcasting<S: Harness>(store: S) {
    let stream = StreamRef::new("counter", "legacy");
    // Version 0.9 of the event called the field `amount`.
    store
        .raw_insert(&stream, 1, "Added", "0.9", r#"{"Added": {"amount": 3}}"#)
        .await;
    let upcaster: Box<dyn EventUpcaster> = Box::new(SemanticVersionEventUpcaster::new(
        "Added",
        "1.0",
        Box::new(|mut payload| {
            if let Some(added) = payload.get_mut("Added").and_then(|a| a.as_object_mut()) {
                if let Some(amount) = added.remove("amount") {
                    added.insert("by".into(), amount);
                }
            }
            payload
        }),
    ));
    let plain = executor(&store);
    assert!(
        matches!(
            plain.load::<Counter>("legacy").await,
            Err(StoreError::Corrupt { .. })
        ),
        "without the upcaster the old shape is refused"
    );
    let exec = executor(&store).with_upcasters("counter", vec![upcaster]);
    let (counter, version) = exec.load::<Counter>("legacy").await.expect("upcast load");
    assert_eq!((counter.value, version), (3, 1));
    let outcome = exec
        .execute::<Counter, _>(&ctx("a"), "legacy", Some(1), CounterCommand::Add(1), &())
        .await
        .expect("command on an upcast stream");
    assert_eq!(outcome.version, 2);
    assert_eq!(
        exec.load::<Counter>("legacy").await.expect("load").0.value,
        4
    );
}

async fn corrupt_rows<S: Harness>(store: S) {
    let exec = executor(&store);
    exec.execute::<Counter, _>(&ctx("a"), "ok", None, CounterCommand::Add(1), &())
        .await
        .expect("good event");
    let stream = StreamRef::new("counter", "bad");
    store
        .raw_insert(
            &stream,
            1,
            "Exploded",
            "1.0",
            r#"{"Exploded": {"boom": true}}"#,
        )
        .await;
    match exec.load::<Counter>("bad").await {
        Err(StoreError::Corrupt { location, reason }) => {
            assert!(location.contains("counter/bad version 1"), "{location}");
            assert!(reason.contains("Exploded"), "{reason}");
        }
        other => panic!("expected a corrupt-row error, got {other:?}"),
    }
    // Commands on the broken stream are refused with the same error, not a panic.
    let refused = exec
        .execute::<Counter, _>(&ctx("a"), "bad", None, CounterCommand::Add(1), &())
        .await;
    assert!(matches!(
        refused,
        Err(ExecuteError::Store(StoreError::Corrupt { .. }))
    ));
    // The log still reads: the row is well-formed JSON, only its type is unknown; decoding it
    // names its position.
    support::wait_for_head(&store, 2).await;
    let log = store.read_log(0, 10).await.expect("log");
    assert_eq!(log[1].event.event_type, "Exploded");
    match exec.decode_logged::<Counter>(&log[1]) {
        Err(StoreError::Corrupt { location, .. }) => {
            assert!(location.starts_with("log position 2"), "{location}")
        }
        other => panic!("expected a corrupt-row error, got {other:?}"),
    }
}

/// SQLite stores JSON as text, so a row can hold text that is not JSON at all (PostgreSQL's
/// JSONB cannot): reading it is a clear error naming the position, never a panic.
#[tokio::test]
async fn sqlite_payload_that_is_not_json_is_named_by_position() {
    let fixture = support::sqlite().await;
    let store = fixture.store.clone();
    let exec = executor(&store);
    exec.execute::<Counter, _>(&ctx("a"), "ok", None, CounterCommand::Add(1), &())
        .await
        .expect("good event");
    store
        .raw_insert(
            &StreamRef::new("counter", "bad"),
            1,
            "Added",
            "1.0",
            "{not json",
        )
        .await;
    match store.read_log(0, 10).await {
        Err(StoreError::Corrupt { location, reason }) => {
            assert!(location.contains("log position 2"), "{location}");
            assert!(reason.contains("not JSON"), "{reason}");
        }
        other => panic!("expected a corrupt-row error, got {other:?}"),
    }
    assert!(matches!(
        exec.load::<Counter>("bad").await,
        Err(StoreError::Corrupt { .. })
    ));
    // The good stream is unaffected.
    assert_eq!(exec.load::<Counter>("ok").await.expect("load").0.value, 1);
}

/// Follows the log with the seen-handler until `shutdown`, in a task.
fn spawn_consumer<S: Harness>(
    store: &S,
    handler: Seen,
    shutdown: CancellationToken,
) -> tokio::task::JoinHandle<()> {
    let mut options = ConsumerOptions::new("seen");
    options.batch_size = 300;
    tokio::spawn(consumer::run(store.clone(), options, handler, shutdown))
}

async fn consumer_checkpoints<S: Harness>(store: S) {
    let exec = executor(&store);
    for i in 0..40 {
        exec.execute::<Counter, _>(
            &ctx("a"),
            &format!("s{}", i % 7),
            None,
            CounterCommand::Add(1),
            &(),
        )
        .await
        .expect("write");
    }
    support::wait_for_head(&store, 40).await;
    let positions = Arc::new(Mutex::new(Vec::new()));
    let shutdown = CancellationToken::new();
    let handler = Seen(positions.clone());
    let task = spawn_consumer(&store, handler, shutdown.clone());
    wait_for_checkpoint(&store, "seen", 40).await;
    // A second instance under the same name cannot run while the first holds the lease.
    assert!(store.try_lease("seen").await.expect("lease").is_none());
    shutdown.cancel();
    task.await.expect("the consumer ran cleanly");

    for i in 0..25 {
        exec.execute::<Counter, _>(
            &ctx("a"),
            &format!("t{i}"),
            None,
            CounterCommand::AddMany(2),
            &(),
        )
        .await
        .expect("write");
    }
    let shutdown = CancellationToken::new();
    let handler = Seen(positions.clone());
    let task = spawn_consumer(&store, handler, shutdown.clone());
    wait_for_checkpoint(&store, "seen", 90).await;
    shutdown.cancel();
    task.await.expect("the consumer ran cleanly");
    let seen = positions.lock().expect("lock").clone();
    assert_eq!(
        seen,
        (1..=90).collect::<Vec<_>>(),
        "every event once, in order, across a restart"
    );
    assert_eq!(seen_ids(&store).await.len(), 90);
}

async fn wait_for_checkpoint<S: Harness>(store: &S, name: &str, position: u64) {
    let mut head = store.watch_head();
    let reached = tokio::time::timeout(Duration::from_secs(120), async {
        while store.load_checkpoint(name).await.expect("checkpoint") < position {
            let _ = tokio::time::timeout(Duration::from_millis(100), head.changed()).await;
        }
    })
    .await;
    if reached.is_err() {
        panic!(
            "consumer {name} did not reach {position}: checkpoint {}, head {}; {}",
            store.load_checkpoint(name).await.expect("checkpoint"),
            store.head().await.expect("head"),
            store.diagnostics().await
        );
    }
}

/// 8 writers append 20,000 events in commits of 1–50 (some transactions rolled back on purpose)
/// while a live consumer follows; the consumer is stopped mid-way and restarted from its
/// checkpoint. It must receive every committed event exactly once, in position order, none of
/// the rolled-back ones, and the positions must be dense.
async fn ordering_stress<S: Harness>(store: S) {
    const WRITERS: u64 = 8;
    const TOTAL: u64 = 20_000;
    let exec = executor(&store).with_snapshot_every(0);
    let positions = Arc::new(Mutex::new(Vec::new()));
    let shutdown = CancellationToken::new();
    let handler = Seen(positions.clone());
    let mut consumer = spawn_consumer(&store, handler, shutdown.clone());

    let writers = (0..WRITERS).map(|w| {
        let exec = exec.clone();
        let store = store.clone();
        tokio::spawn(async move {
            let mut written = 0u64;
            let mut rolled_back = Vec::new();
            let mut i = 0u64;
            // A simple deterministic generator of sizes 1..=50 per writer.
            let mut seed = 0x9E37_79B9_7F4A_7C15u64 ^ (w + 1);
            while written < TOTAL / WRITERS {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let size = (1 + seed % 50).min(TOTAL / WRITERS - written) as u32;
                let stream_id = format!("w{w}-{}", i % 40);
                i += 1;
                if i.is_multiple_of(25) {
                    let version = exec.load::<Counter>(&stream_id).await.expect("load").1;
                    rolled_back.extend(
                        store
                            .rolled_back_write(&StreamRef::new("counter", &stream_id), version, 3)
                            .await,
                    );
                }
                exec.execute::<Counter, _>(
                    &ctx("writer"),
                    &stream_id,
                    None,
                    CounterCommand::AddMany(size),
                    &(),
                )
                .await
                .expect("write");
                written += u64::from(size);
            }
            rolled_back
        })
    });
    let writers: Vec<_> = writers.collect();

    // Restart the consumer once it is part-way through.
    wait_for_checkpoint(&store, "seen", TOTAL / 3).await;
    shutdown.cancel();
    consumer
        .await
        .expect("the first consumer run ended cleanly");
    let shutdown = CancellationToken::new();
    let handler = Seen(positions.clone());
    consumer = spawn_consumer(&store, handler, shutdown.clone());

    let mut rolled_back = HashSet::new();
    for writer in writers {
        rolled_back.extend(writer.await.expect("writer"));
    }
    assert!(!rolled_back.is_empty());
    support::wait_for_head_or_explain(&store, TOTAL).await;
    wait_for_checkpoint(&store, "seen", TOTAL).await;
    shutdown.cancel();
    consumer
        .await
        .expect("the second consumer run ended cleanly");

    assert_eq!(
        store.head().await.expect("head"),
        TOTAL,
        "exactly the committed events"
    );
    let seen = positions.lock().expect("lock").clone();
    assert_eq!(
        seen,
        (1..=TOTAL).collect::<Vec<_>>(),
        "each position once, in order"
    );
    let seen_ids: HashSet<Uuid> = seen_ids(&store).await.into_iter().collect();
    assert_eq!(seen_ids.len() as u64, TOTAL);
    assert!(
        seen_ids.is_disjoint(&rolled_back),
        "no rolled-back event was delivered"
    );
    let log = store.read_log(0, u32::MAX).await.expect("log");
    let logged: HashSet<Uuid> = log.iter().map(|e| e.event.event_id).collect();
    assert_eq!(logged, seen_ids);
    assert_log_sound(&store, TOTAL).await;
    let total: u64 = futures::future::join_all(
        (0..WRITERS)
            .flat_map(|w| (0..40).map(move |s| format!("w{w}-{s}")))
            .map(|id| {
                let exec = exec.clone();
                async move { exec.load::<Counter>(&id).await.expect("load").0.value }
            }),
    )
    .await
    .into_iter()
    .sum();
    assert_eq!(total, TOTAL);
}

macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(fixture) = crate::support::postgres().await else { return };
                    super::$name(fixture.store.clone()).await;
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

conformance!(
    append_and_read,
    conflicts,
    idempotency,
    snapshots,
    upcasting,
    corrupt_rows,
    consumer_checkpoints,
    ordering_stress,
);
