//! The tail hands every reader exactly what the log holds after its position, whether it
//! comes from memory or the store, and however many read at once.

use chrono::Utc;
use rectiflow_engine::model::{to_micros, Commit, NewEvent};
use rectiflow_engine::{EventStore, StreamRef};
use rectiflow_store::SqliteStore;
use serde_json::json;
use uuid::Uuid;

use super::*;

async fn store() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let url = format!("sqlite://{}", dir.path().join("tail.db").display());
    let store = SqliteStore::connect(&url).await.expect("a SQLite store");
    (dir, store)
}

/// Appends `n` events to one stream.
async fn write(store: &SqliteStore, n: u64) {
    let version = store
        .load_events(&StreamRef::new("counter", "c1"), 0)
        .await
        .expect("the stream")
        .len() as u64;
    let events = (0..n)
        .map(|i| NewEvent {
            event_id: Uuid::now_v7(),
            event_type: "Added".into(),
            schema_version: "1.0".into(),
            payload: json!({ "Added": { "by": i } }),
            metadata: json!({ "actor": "clerk-1" }),
            recorded_at: to_micros(Utc::now()),
        })
        .collect();
    store
        .commit(Commit {
            stream: StreamRef::new("counter", "c1"),
            expected_version: version,
            events,
            snapshot: None,
            idempotency: None,
        })
        .await
        .expect("the commit");
}

fn positions(events: &[Arc<Tailed>]) -> Vec<u64> {
    events.iter().map(|e| e.event.position).collect()
}

/// What the tail gives for `after`, checked against the log itself.
async fn read(tail: &Tail, store: &SqliteStore, after: u64, limit: u32) -> Vec<u64> {
    let got = tail.read(store, after, limit).await.expect("the tail");
    let logged = store.read_log(after, limit).await.expect("the log");
    assert_eq!(
        got.iter().map(|e| e.event.clone()).collect::<Vec<_>>(),
        logged,
        "after {after}"
    );
    positions(&got)
}

#[tokio::test]
async fn readers_get_what_the_log_holds_from_memory_or_the_store() {
    let (_dir, store) = store().await;
    let tail = Tail::new(20);
    assert!(read(&tail, &store, 0, 10).await.is_empty(), "an empty log");
    write(&store, 30).await;
    assert_eq!(read(&tail, &store, 0, 5).await, (1..=5).collect::<Vec<_>>());
    // The first reader read on for everyone; the window keeps the last 20.
    assert_eq!(
        read(&tail, &store, 12, 100).await,
        (13..=30).collect::<Vec<_>>()
    );
    assert_eq!(
        read(&tail, &store, 30, 100).await,
        Vec::<u64>::new(),
        "at the head"
    );
    // Behind the window: read from the store.
    assert_eq!(read(&tail, &store, 2, 3).await, vec![3, 4, 5]);
    write(&store, 10).await;
    assert_eq!(
        read(&tail, &store, 30, 100).await,
        (31..=40).collect::<Vec<_>>()
    );
    assert_eq!(read(&tail, &store, 35, 2).await, vec![36, 37]);
    // A page the window cuts short is filled from the log: short means at the head.
    write(&store, 50).await;
    assert_eq!(
        read(&tail, &store, 35, 100).await,
        (36..=90).collect::<Vec<_>>()
    );
    assert_eq!(
        read(&tail, &store, 75, 10).await,
        (76..=85).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn many_readers_at_the_head_read_the_same_events_once_each() {
    let (_dir, store) = store().await;
    let tail = Arc::new(Tail::default());
    write(&store, 5).await;
    assert_eq!(read(&tail, &store, 0, 100).await.len(), 5);
    write(&store, 7).await;
    let mut readers = Vec::new();
    for _ in 0..32 {
        let (tail, store) = (Arc::clone(&tail), store.clone());
        readers.push(tokio::spawn(async move {
            tail.read(&store, 5, 100).await.expect("the tail")
        }));
    }
    let mut first: Option<Vec<Arc<Tailed>>> = None;
    for reader in readers {
        let got = reader.await.expect("a reader");
        assert_eq!(positions(&got), (6..=12).collect::<Vec<_>>());
        // One copy of each event for every reader: what is made of it is made once.
        let first = first.get_or_insert_with(|| got.clone());
        assert!(got.iter().zip(first.iter()).all(|(a, b)| Arc::ptr_eq(a, b)));
    }
}
