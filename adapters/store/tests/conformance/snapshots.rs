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
