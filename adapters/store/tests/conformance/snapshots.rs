//! Snapshots: taken every n versions, and used by a load.

use super::*;

pub(crate) async fn snapshots<S: Harness>(store: S) {
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

    // A load starts from the snapshot: with its stored state overwritten by a value no replay
    // of the events can give, a load returns that value plus the events after the snapshot —
    // a load that replayed every event instead would say 7.
    let other = StreamRef::new("counter", "d");
    for _ in 0..7 {
        exec.execute::<Counter, _>(&ctx("a"), "d", None, CounterCommand::Add(1), &())
            .await
            .expect("add");
    }
    let snapshot = store
        .load_snapshot(&other)
        .await
        .expect("snapshot")
        .expect("a snapshot at version 5");
    assert_eq!(snapshot.version, 5);
    store
        .set_snapshot_state(&other, r#"{"value": 1000, "events": 5}"#)
        .await;
    let (counter, version) = exec.load::<Counter>("d").await.expect("load");
    assert_eq!(
        (counter.value, counter.events, version),
        (1002, 7, 7),
        "the snapshot's state, then the two events after it, each once"
    );
    // A command loads the same way: it runs on the snapshot's state.
    let outcome = exec
        .execute::<Counter, _>(&ctx("a"), "d", Some(7), CounterCommand::Add(1), &())
        .await
        .expect("add on the snapshot's state");
    assert_eq!(outcome.version, 8);
    assert_eq!(exec.load::<Counter>("d").await.expect("load").0.value, 1003);
}

/// A snapshot records the fold version of the aggregate that made it. After the fold changes
/// (the counter declared at version 2), a load passes over the old fold's snapshot and replays
/// the events, and the next commit replaces it with one of the new fold — which the old fold
/// in turn does not trust. Each snapshot is planted with a state no fold of these events could
/// produce, so a load shows which path it took.
pub(crate) async fn snapshots_of_another_fold_are_ignored<S: Harness>(store: S) {
    let stream = StreamRef::new("counter", "refolded");
    let exec = executor(&store).with_snapshot_every(5);
    for _ in 0..6 {
        exec.execute::<Counter, _>(&ctx("a"), "refolded", None, CounterCommand::Add(1), &())
            .await
            .expect("add");
    }
    let snapshot = store
        .load_snapshot(&stream)
        .await
        .expect("snapshot")
        .expect("a snapshot was taken");
    assert_eq!((snapshot.version, snapshot.fold_version), (5, 1));
    store
        .set_snapshot_state(&stream, r#"{"value": 1000, "events": 1000}"#)
        .await;
    let (v1, version) = exec.load::<Counter>("refolded").await.expect("load");
    assert_eq!(
        (v1.value, version),
        (1001, 6),
        "the fold that made the snapshot uses it"
    );

    let (v2, version) = exec.load::<CounterV2>("refolded").await.expect("load");
    assert_eq!(
        (v2.0.value, v2.0.events, version),
        (6, 6, 6),
        "another fold replays the events instead"
    );
    // Its next commit replaces the snapshot at once, without waiting for the interval.
    exec.execute::<CounterV2, _>(&ctx("a"), "refolded", None, CounterCommand::Add(1), &())
        .await
        .expect("add under the new fold");
    let snapshot = store
        .load_snapshot(&stream)
        .await
        .expect("snapshot")
        .expect("a snapshot");
    assert_eq!(
        (
            snapshot.version,
            snapshot.fold_version,
            snapshot.state["value"].as_u64()
        ),
        (7, 2, Some(7))
    );
    store
        .set_snapshot_state(&stream, r#"{"value": 2000, "events": 2000}"#)
        .await;
    assert_eq!(
        exec.load::<CounterV2>("refolded")
            .await
            .expect("load")
            .0
             .0
            .value,
        2000,
        "the new fold uses its own snapshot"
    );
    assert_eq!(
        exec.load::<Counter>("refolded")
            .await
            .expect("load")
            .0
            .value,
        7,
        "and the old fold no longer trusts it"
    );
}

/// A snapshot taken as the store did before migration 0006: no fold version column, the
/// migration not applied.
async fn as_before_0006<S: Harness>(store: &S) {
    let exec = executor(store).with_snapshot_every(5);
    for _ in 0..5 {
        exec.execute::<Counter, _>(&ctx("a"), "old", None, CounterCommand::Add(1), &())
            .await
            .expect("add");
    }
    store
        .set_snapshot_state(
            &StreamRef::new("counter", "old"),
            r#"{"value": 1000, "events": 1000}"#,
        )
        .await;
    store
        .tamper("ALTER TABLE snapshots DROP COLUMN fold_version")
        .await;
    store
        .tamper("DELETE FROM rectiflow_migrations WHERE version = 6")
        .await;
}

/// After migration 0006 a snapshot taken before it counts as made by the first fold: the
/// first fold uses it, the second replays.
async fn assert_first_fold<S: EventStore>(store: &S) {
    let snapshot = store
        .load_snapshot(&StreamRef::new("counter", "old"))
        .await
        .expect("snapshot")
        .expect("the snapshot stays");
    assert_eq!((snapshot.version, snapshot.fold_version), (5, 1));
    let exec = executor(store);
    assert_eq!(
        exec.load::<Counter>("old").await.expect("load").0.value,
        1000
    );
    assert_eq!(
        exec.load::<CounterV2>("old")
            .await
            .expect("load")
            .0
             .0
            .value,
        5
    );
}

#[tokio::test]
async fn sqlite_migration_0006_reads_older_snapshots_as_the_first_fold() {
    let fixture = support::sqlite().await;
    as_before_0006(&fixture.store).await;
    let url = format!(
        "sqlite://{}",
        fixture.dir.path().join("rectiflow.db").display()
    );
    let reopened = rectiflow_store::SqliteStore::connect(&url)
        .await
        .expect("reopen, migrating");
    assert_first_fold(&reopened).await;
}

#[tokio::test]
async fn postgres_migration_0006_reads_older_snapshots_as_the_first_fold() {
    let Some(fixture) = support::postgres().await else {
        return;
    };
    as_before_0006(&fixture.store).await;
    let reopened =
        rectiflow_store::PgStore::connect(rectiflow_store::PgSettings::new(&fixture.db.url))
            .await
            .expect("reconnect, migrating");
    assert_first_fold(&reopened).await;
}
