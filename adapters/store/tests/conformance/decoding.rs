//! Reading back what the program did not write: older shapes (upcasting) and corrupt rows.

use super::*;

pub(crate) async fn upcasting<S: Harness>(store: S) {
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

pub(crate) async fn corrupt_rows<S: Harness>(store: S) {
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

/// A version read back negative (written behind the store's back; only the event table's own
/// column has a CHECK) is an error naming the record, never read as zero: a snapshot at "0"
/// would have the whole stream replayed on top of its state, and an idempotency record from
/// "0" would answer a replay with the wrong versions.
pub(crate) async fn corrupt_counts<S: Harness>(store: S) {
    let exec = executor(&store).with_snapshot_every(2);
    for _ in 0..2 {
        exec.execute::<Counter, _>(&ctx("a"), "snap", None, CounterCommand::Add(1), &())
            .await
            .expect("add");
    }
    store
        .tamper("UPDATE snapshots SET version = -2 WHERE stream_id = 'snap'")
        .await;
    match store
        .load_snapshot(&StreamRef::new("counter", "snap"))
        .await
    {
        Err(StoreError::Corrupt { location, reason }) => {
            assert!(location.contains("snapshot of counter/snap"), "{location}");
            assert!(reason.contains("-2"), "{reason}");
        }
        other => panic!("expected a corrupt snapshot, got {other:?}"),
    }
    // A snapshot is a shortcut: the load replays the events alone. Read as version 0, the
    // snapshot's state would have had every event applied a second time (value 4).
    let (counter, version) = exec.load::<Counter>("snap").await.expect("load");
    assert_eq!((counter.value, counter.events, version), (2, 2, 2));

    let keyed = ctx("a").with_idempotency_key(IdempotencyKey::parse("k-1").expect("key"));
    exec.execute::<Counter, _>(&keyed, "kept", None, CounterCommand::Add(1), &())
        .await
        .expect("keyed add");
    store
        .tamper("UPDATE idempotency SET from_version = -1 WHERE key = 'k-1'")
        .await;
    match exec
        .execute::<Counter, _>(&keyed, "kept", None, CounterCommand::Add(1), &())
        .await
    {
        Err(ExecuteError::Store(StoreError::Corrupt { location, .. })) => {
            assert!(location.contains("idempotency record a/k-1"), "{location}");
        }
        other => panic!("expected a corrupt idempotency record, got {other:?}"),
    }
    assert_eq!(
        exec.load::<Counter>("kept").await.expect("load").0.value,
        1,
        "the replay wrote nothing"
    );
}
