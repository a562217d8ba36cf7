//! Many commands decided in memory and written in one transaction ([`Executor::batch`],
//! [`EventStore::commit_all`]): all or none, in the order decided.

use super::*;

pub(crate) async fn a_batch_is_written_whole_in_the_order_decided<S: Harness>(store: S) {
    let exec = executor(&store);
    exec.execute::<Counter, _>(&ctx("clerk-1"), "c1", None, CounterCommand::Add(1), &())
        .await
        .expect("an earlier command");
    let mut batch = exec.batch();
    // c1 loaded from the store, then held: the second command sees the first's event.
    let first = batch
        .execute::<Counter, _>(&ctx("clerk-1"), "c1", CounterCommand::Add(2), &())
        .await
        .expect("first in the batch");
    assert_eq!(first.version, 2);
    batch
        .execute::<Counter, _>(&ctx("clerk-2"), "c2", CounterCommand::AddMany(2), &())
        .await
        .expect("another stream");
    // A refusal leaves the batch as it was.
    let refused = batch
        .execute::<Counter, _>(&ctx("clerk-1"), "c1", CounterCommand::Refuse, &())
        .await;
    assert!(matches!(
        refused,
        Err(ExecuteError::Refused(Refused::AsAsked))
    ));
    let third = batch
        .execute::<Counter, _>(&ctx("clerk-1"), "c1", CounterCommand::Add(3), &())
        .await
        .expect("after the refusal");
    assert_eq!(third.version, 3);
    let keyed = batch
        .execute::<Counter, _>(
            &ctx("clerk-1").with_idempotency_key(IdempotencyKey::parse("k-1").expect("key")),
            "c1",
            CounterCommand::Add(1),
            &(),
        )
        .await;
    assert!(
        matches!(keyed, Err(ExecuteError::Store(StoreError::Misuse(_)))),
        "{keyed:?}"
    );
    // A command that fails after its events were applied (a NUL character the store cannot
    // keep) loses its stream to the batch: later commands on it are refused, others go on.
    let nul = batch
        .execute::<Counter, _>(
            &ctx("clerk-3"),
            "c3",
            CounterCommand::Note("a\0b".into()),
            &(),
        )
        .await;
    assert!(
        matches!(nul, Err(ExecuteError::NulCharacter { .. })),
        "{nul:?}"
    );
    let after = batch
        .execute::<Counter, _>(&ctx("clerk-3"), "c3", CounterCommand::Add(1), &())
        .await;
    assert!(
        matches!(after, Err(ExecuteError::Store(StoreError::Misuse(_)))),
        "{after:?}"
    );
    assert_eq!(batch.events(), 4);
    // Nothing is written before the commit.
    assert_eq!(store.committed().await.expect("committed"), 1);

    assert_eq!(batch.commit().await.expect("the batch"), 4);
    support::wait_for_head(&store, 5).await;
    assert_log_sound(&store, 5).await;
    let log = store.read_log(1, 10).await.expect("the batch's part");
    let placed: Vec<(String, u64)> = log
        .iter()
        .map(|e| (e.event.stream.stream_id.clone(), e.event.stream_version))
        .collect();
    assert_eq!(
        placed,
        [
            ("c1".to_owned(), 2),
            ("c2".to_owned(), 1),
            ("c2".to_owned(), 2),
            ("c1".to_owned(), 3)
        ]
    );
    let (counter, version) = exec.load::<Counter>("c1").await.expect("load");
    assert_eq!((counter.value, version), (6, 3));
}

pub(crate) async fn a_batch_with_one_moved_stream_writes_nothing<S: Harness>(store: S) {
    let exec = executor(&store);
    let mut batch = exec.batch();
    batch
        .execute::<Counter, _>(&ctx("clerk-1"), "c1", CounterCommand::Add(1), &())
        .await
        .expect("c1");
    batch
        .execute::<Counter, _>(&ctx("clerk-1"), "c2", CounterCommand::Add(1), &())
        .await
        .expect("c2");
    // Another writer moves c2 before the batch is written.
    exec.execute::<Counter, _>(&ctx("clerk-2"), "c2", None, CounterCommand::Add(5), &())
        .await
        .expect("the other writer");
    match batch.commit().await {
        Err(StoreError::Conflict {
            stream,
            expected,
            actual,
        }) => {
            assert_eq!(stream, StreamRef::new("counter", "c2"));
            assert_eq!((expected, actual), (0, 1));
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    // All or none: c1's event was not written either.
    assert_eq!(store.committed().await.expect("committed"), 1);
    let (_, version) = exec.load::<Counter>("c1").await.expect("c1");
    assert_eq!(version, 0);

    // Raw commits: a stream may appear twice, each commit expecting what the one before left.
    let event = |n: u64| NewEvent {
        event_id: Uuid::now_v7(),
        event_type: "Added".into(),
        schema_version: "1.0".into(),
        payload: serde_json::json!({ "Added": { "by": n } }),
        metadata: serde_json::json!({ "actor": "clerk-1" }),
        recorded_at: clock().now_for_tests(),
    };
    let commit = |id: &str, expected_version, n| Commit {
        stream: StreamRef::new("counter", id),
        expected_version,
        events: vec![event(n)],
        snapshot: None,
        idempotency: None,
    };
    store
        .commit_all(vec![commit("c1", 0, 1), commit("c1", 1, 2)])
        .await
        .expect("two commits of one stream");
    let stale = store
        .commit_all(vec![commit("c3", 0, 1), commit("c1", 1, 2)])
        .await;
    assert!(
        matches!(stale, Err(StoreError::Conflict { .. })),
        "{stale:?}"
    );
    // An event id repeated by two commits of one batch: refused as such, on both backends.
    let id = Uuid::now_v7();
    let (mut first, mut second) = (commit("c4", 0, 1), commit("c5", 0, 1));
    first.events[0].event_id = id;
    second.events[0].event_id = id;
    let repeated = store.commit_all(vec![first, second]).await;
    assert!(
        matches!(repeated, Err(StoreError::DuplicateEventId { event_id }) if event_id == id),
        "{repeated:?}"
    );
    support::wait_for_head(&store, 3).await;
    assert_log_sound(&store, 3).await;
    let (counter, version) = exec.load::<Counter>("c1").await.expect("c1");
    assert_eq!((counter.value, version), (3, 2));
}
