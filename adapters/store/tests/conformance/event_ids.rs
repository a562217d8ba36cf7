//! Event ids are unique on both backends alike: a commit that repeats one is refused with the
//! same typed error naming the id, and the schema refuses a repeated id written behind the
//! store's back, in any spelling of the UUID.

use super::*;

fn added(event_id: Uuid) -> NewEvent {
    NewEvent {
        event_id,
        event_type: "Added".into(),
        schema_version: "1.0".into(),
        payload: serde_json::json!({"Added": {"by": 1}}),
        metadata: serde_json::json!({"actor": "a"}),
        recorded_at: Utc::now(),
    }
}

fn commit(stream: &StreamRef, events: Vec<NewEvent>) -> Commit {
    Commit {
        stream: stream.clone(),
        expected_version: 0,
        events,
        snapshot: None,
        idempotency: None,
    }
}

#[track_caller]
fn assert_duplicate(result: Result<u64, StoreError>, id: Uuid) {
    match result {
        Err(StoreError::DuplicateEventId { event_id }) => assert_eq!(event_id, id),
        other => panic!("expected the repeated event id {id} to be refused, got {other:?}"),
    }
}

pub(crate) async fn repeated_event_ids<S: Harness>(store: S) {
    let (first, second) = (
        StreamRef::new("counter", "a"),
        StreamRef::new("counter", "b"),
    );
    let taken = Uuid::now_v7();
    store
        .commit(commit(&first, vec![added(taken)]))
        .await
        .expect("first use of the id");

    // An id already stored, on another stream: refused, and nothing of the commit written.
    assert_duplicate(
        store
            .commit(commit(&second, vec![added(Uuid::now_v7()), added(taken)]))
            .await,
        taken,
    );
    // An id twice within one commit.
    let twin = Uuid::now_v7();
    assert_duplicate(
        store
            .commit(commit(&second, vec![added(twin), added(twin)]))
            .await,
        twin,
    );
    assert!(store
        .load_events(&second, 0)
        .await
        .expect("load")
        .is_empty());
    // The stream takes a commit with fresh ids afterwards.
    store
        .commit(commit(&second, vec![added(Uuid::now_v7())]))
        .await
        .expect("fresh ids");

    // Behind the store's back the schema refuses the id too, in canonical form or not (on
    // PostgreSQL a UUID in capitals is the same UUID; on SQLite it is not canonical).
    let third = StreamRef::new("counter", "c");
    for spelling in [taken.to_string(), taken.to_string().to_uppercase()] {
        let refused = store.raw_insert_with_event_id(&third, 1, &spelling).await;
        assert!(
            refused.is_err(),
            "a raw row with the taken id {spelling} was accepted"
        );
    }
    store
        .raw_insert_with_event_id(&third, 1, &Uuid::now_v7().to_string())
        .await
        .expect("a raw row with a fresh id");
}
