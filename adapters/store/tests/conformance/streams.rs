//! Streams are listed by type, in ascending byte order of their ids, a page at a time, once
//! each however many events they hold — as the scheduler reads every campaign and schedule.

use super::*;

fn added() -> NewEvent {
    NewEvent {
        event_id: Uuid::now_v7(),
        event_type: "Added".into(),
        schema_version: "1.0".into(),
        payload: serde_json::json!({"Added": {"by": 1}}),
        metadata: serde_json::json!({"actor": "a"}),
        recorded_at: Utc::now(),
    }
}

pub(crate) async fn streams_are_listed_by_type_a_page_at_a_time<S: Harness>(store: S) {
    // Ids chosen so byte order differs from a natural-language collation ("B" < "a", "a:b"
    // < "a~").
    let ids = ["qunfu-2026:weekly-dispatch", "B", "a~", "a:b", "a"];
    for id in ids {
        let stream = StreamRef::new("schedule", id);
        for version in 0..2 {
            store
                .commit(Commit {
                    stream: stream.clone(),
                    expected_version: version,
                    events: vec![added()],
                    snapshot: None,
                    idempotency: None,
                })
                .await
                .expect("commit");
        }
    }
    store
        .commit(Commit {
            stream: StreamRef::new("campaign", "a-campaign"),
            expected_version: 0,
            events: vec![added()],
            snapshot: None,
            idempotency: None,
        })
        .await
        .expect("commit another type");

    let mut listed = Vec::new();
    let mut after = String::new();
    loop {
        let page = store
            .stream_ids("schedule", &after, 2)
            .await
            .expect("list a page");
        assert!(page.len() <= 2, "a page holds at most its limit");
        let Some(last) = page.last() else { break };
        after = last.clone();
        listed.extend(page);
    }
    assert_eq!(
        listed,
        ["B", "a", "a:b", "a~", "qunfu-2026:weekly-dispatch"],
        "every stream of the type once, in byte order"
    );
    assert_eq!(
        store.stream_ids("campaign", "", 10).await.expect("list"),
        ["a-campaign"]
    );
    assert!(store
        .stream_ids("item", "", 10)
        .await
        .expect("list")
        .is_empty());
}
