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
}
