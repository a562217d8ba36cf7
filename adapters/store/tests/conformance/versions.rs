//! A consumer's code version, stored with its checkpoint: newer code rebuilds it from the log
//! on start, older code stands down and writes nothing; and the lag behind the log's head.

use rectiflow_engine::consumer::{consumer_lags, ConsumerLag, ConsumerPosition, RunOutcome};
use rectiflow_engine::readmodel::sea_query::{Alias, Order, Query};
use rectiflow_engine::readmodel::{ReadModelStore, Row};
use rectiflow_engine::LoggedEvent;
use rectiflow_projections::{Column, ColumnKind, Projector, RowProjection, TableSpec};
use serde::{Deserialize, Serialize};

use super::*;

pub(crate) const NAME: &str = "tally";

/// The first version: events per counter stream.
pub(crate) struct TallyV1;

#[derive(Serialize, Deserialize)]
pub(crate) struct RowV1 {
    stream: String,
    events: i64,
}

impl RowProjection for TallyV1 {
    const NAME: &'static str = NAME;
    const STREAM_TYPE: &'static str = "counter";
    const TABLE: TableSpec = TableSpec {
        name: "tally",
        key: "stream",
        columns: &[
            Column::required("stream", ColumnKind::Text),
            Column::required("events", ColumnKind::Integer),
        ],
    };
    type Event = serde_json::Value;
    type Row = RowV1;

    fn fold(
        row: Option<RowV1>,
        stream_id: &str,
        _event: serde_json::Value,
        _logged: &LoggedEvent,
    ) -> Option<RowV1> {
        let events = row.map_or(0, |r| r.events) + 1;
        Some(RowV1 {
            stream: stream_id.to_owned(),
            events,
        })
    }
}

#[derive(Serialize, Deserialize)]
pub(crate) struct RowV2 {
    stream: String,
    events: i64,
    last_position: i64,
}

pub(crate) const COLUMNS_V2: &[Column] = &[
    Column::required("stream", ColumnKind::Text),
    Column::required("events", ColumnKind::Integer),
    Column::required("last_position", ColumnKind::Integer),
];

pub(crate) fn fold_v2(row: Option<RowV2>, stream_id: &str, logged: &LoggedEvent) -> Option<RowV2> {
    Some(RowV2 {
        stream: stream_id.to_owned(),
        events: row.map_or(0, |r| r.events) + 1,
        last_position: i64::try_from(logged.position).expect("a position"),
    })
}

/// The second version: a changed table (one more column) and fold.
pub(crate) struct TallyV2;

impl RowProjection for TallyV2 {
    const NAME: &'static str = NAME;
    const STREAM_TYPE: &'static str = "counter";
    const TABLE: TableSpec = TableSpec {
        name: "tally",
        key: "stream",
        columns: COLUMNS_V2,
    };
    const VERSION: u32 = 2;
    type Event = serde_json::Value;
    type Row = RowV2;

    fn fold(
        row: Option<RowV2>,
        stream_id: &str,
        _event: serde_json::Value,
        logged: &LoggedEvent,
    ) -> Option<RowV2> {
        fold_v2(row, stream_id, logged)
    }
}

/// The second version built fresh, under another name and table: what the rebuild must equal.
pub(crate) struct FreshV2;

impl RowProjection for FreshV2 {
    const NAME: &'static str = "tally-fresh";
    const STREAM_TYPE: &'static str = "counter";
    const TABLE: TableSpec = TableSpec {
        name: "tally_fresh",
        key: "stream",
        columns: COLUMNS_V2,
    };
    const VERSION: u32 = 2;
    type Event = serde_json::Value;
    type Row = RowV2;

    fn fold(
        row: Option<RowV2>,
        stream_id: &str,
        _event: serde_json::Value,
        logged: &LoggedEvent,
    ) -> Option<RowV2> {
        fold_v2(row, stream_id, logged)
    }
}

pub(crate) fn start<S: Harness, P: RowProjection>(
    store: &S,
) -> (CancellationToken, tokio::task::JoinHandle<RunOutcome>) {
    let shutdown = CancellationToken::new();
    let mut options = ConsumerOptions::new(P::NAME);
    options.batch_size = 7;
    options.rebuild_batch_size = 7;
    options.poll = Duration::from_millis(50);
    let task = tokio::spawn(consumer::run(
        store.clone(),
        options,
        Projector::<P>::new(),
        shutdown.clone(),
    ));
    (shutdown, task)
}

pub(crate) async fn stop(shutdown: CancellationToken, task: tokio::task::JoinHandle<RunOutcome>) {
    shutdown.cancel();
    assert_eq!(task.await.expect("the consumer task"), RunOutcome::Shutdown);
}

pub(crate) async fn wait_for_position<S: Harness>(
    store: &S,
    name: &str,
    expected: ConsumerPosition,
) {
    let reached = tokio::time::timeout(Duration::from_secs(120), async {
        while store.consumer_position(name).await.expect("position") != Some(expected) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(
        reached.is_ok(),
        "consumer {name} did not reach {expected:?}: it is at {:?}",
        store.consumer_position(name).await.expect("position")
    );
}

pub(crate) async fn rows<S: Harness>(store: &S, table: &str, columns: &[&str]) -> Vec<Row> {
    let query = Query::select()
        .columns(columns.iter().map(|c| Alias::new(*c)))
        .from(Alias::new(table))
        .order_by(Alias::new("stream"), Order::Asc)
        .to_owned();
    ReadModelStore::fetch(store, query)
        .await
        .expect("read the table")
}

pub(crate) async fn write<S: Harness>(store: &S, prefix: &str, count: usize) {
    let exec = executor(store);
    for i in 0..count {
        exec.execute::<Counter, _>(
            &ctx("a"),
            &format!("{prefix}{}", i % 7),
            None,
            CounterCommand::Add(1),
            &(),
        )
        .await
        .expect("write");
    }
}

pub(crate) async fn a_newer_consumer_rebuilds_and_an_older_one_stands_down<S: Harness>(store: S) {
    write(&store, "s", 30).await;
    support::wait_for_head(&store, 30).await;

    // Version 1 runs, and its checkpoint records its version.
    let (shutdown, task) = start::<S, TallyV1>(&store);
    wait_for_position(
        &store,
        NAME,
        ConsumerPosition {
            checkpoint: 30,
            version: 1,
        },
    )
    .await;
    stop(shutdown, task).await;
    assert_eq!(rows(&store, "tally", &["stream", "events"]).await.len(), 7);

    // Restarted at version 2 (a new column, a changed fold), it rebuilds its table from
    // position 0 (aside, then swapped in) and ends equal, row by row, to a fresh build of
    // version 2.
    write(&store, "t", 10).await;
    support::wait_for_head(&store, 40).await;
    let (shutdown, task) = start::<S, TallyV2>(&store);
    let (fresh_shutdown, fresh) = start::<S, FreshV2>(&store);
    wait_for_position(
        &store,
        NAME,
        ConsumerPosition {
            checkpoint: 40,
            version: 2,
        },
    )
    .await;
    wait_for_position(
        &store,
        "tally-fresh",
        ConsumerPosition {
            checkpoint: 40,
            version: 2,
        },
    )
    .await;
    stop(shutdown, task).await;
    stop(fresh_shutdown, fresh).await;
    let columns = ["stream", "events", "last_position"];
    let rebuilt = rows(&store, "tally", &columns).await;
    let fresh = rows(&store, "tally_fresh", &columns).await;
    assert_eq!(rebuilt.len(), 14, "every counter stream, s0–s6 and t0–t6");
    assert_eq!(
        rebuilt, fresh,
        "the rebuilt table equals a fresh build row by row"
    );
    let total: i64 = rebuilt
        .iter()
        .map(|row| row["events"].as_i64().expect("events"))
        .sum();
    assert_eq!(total, 40, "each event folded once, none twice");

    // A version-1 instance after the version-2 one stands down and writes nothing, though
    // there are events past the checkpoint.
    write(&store, "u", 5).await;
    support::wait_for_head(&store, 45).await;
    let (_shutdown, task) = start::<S, TallyV1>(&store);
    let outcome = tokio::time::timeout(Duration::from_secs(60), task)
        .await
        .expect("the old instance stood down promptly")
        .expect("the consumer task");
    assert_eq!(
        outcome,
        RunOutcome::StoodDown {
            consumer: NAME.to_owned(),
            stored: 2,
            code: 1,
        }
    );
    assert_eq!(
        store.consumer_position(NAME).await.expect("position"),
        Some(ConsumerPosition {
            checkpoint: 40,
            version: 2
        }),
        "the checkpoint was not touched"
    );
    assert_eq!(
        rows(&store, "tally", &columns).await,
        rebuilt,
        "the table was not touched"
    );

    // Lag: the log's head less each checkpoint.
    let lags = consumer_lags(&store).await.expect("lags");
    for (name, expected) in [("tally", 5), ("tally-fresh", 5)] {
        let lag = lags
            .iter()
            .find(|lag| lag.consumer == name)
            .unwrap_or_else(|| panic!("no lag for {name}: {lags:?}"));
        assert_eq!(
            lag,
            &ConsumerLag {
                consumer: name.to_owned(),
                checkpoint: 40,
                version: 2,
                head: 45,
                lag: expected,
            }
        );
    }

    // Version 2 again carries on from its checkpoint, without a reset; the lag closes.
    let (shutdown, task) = start::<S, TallyV2>(&store);
    wait_for_position(
        &store,
        NAME,
        ConsumerPosition {
            checkpoint: 45,
            version: 2,
        },
    )
    .await;
    stop(shutdown, task).await;
    let lag = consumer_lags(&store).await.expect("lags");
    assert_eq!(
        lag.iter().find(|l| l.consumer == NAME).map(|l| l.lag),
        Some(0)
    );
    let total: i64 = rows(&store, "tally", &columns)
        .await
        .iter()
        .map(|row| row["events"].as_i64().expect("events"))
        .sum();
    assert_eq!(total, 45);
}

/// A checkpoint is moved only under the version that wrote it: a node whose code is older
/// than the stored version fails to save (and is told why), and a reset never goes backwards.
pub(crate) async fn a_checkpoint_moves_only_under_its_version<S: Harness>(store: S) {
    let mut tx = store.begin().await.expect("begin");
    store
        .save_checkpoint(&mut tx, "v", 0, 3, 2)
        .await
        .expect("first save");
    store.commit_batch(tx).await.expect("commit");

    let mut tx = store.begin().await.expect("begin");
    match store.save_checkpoint(&mut tx, "v", 3, 4, 1).await {
        Err(StoreError::NewerCodeOwnsConsumer {
            consumer,
            stored: 2,
            code: 1,
        }) => assert_eq!(consumer, "v"),
        other => panic!("an older version saved: {other:?}"),
    }
    drop(tx);
    let mut tx = store.begin().await.expect("begin");
    match store.reset_checkpoint(&mut tx, "v", 2).await {
        Err(StoreError::NewerCodeOwnsConsumer { stored: 2, .. }) => {}
        other => panic!("a reset under the same version: {other:?}"),
    }
    drop(tx);
    let mut tx = store.begin().await.expect("begin");
    store
        .reset_checkpoint(&mut tx, "v", 3)
        .await
        .expect("a reset to a newer version");
    store.commit_batch(tx).await.expect("commit");
    assert_eq!(
        store.consumer_position("v").await.expect("position"),
        Some(ConsumerPosition {
            checkpoint: 0,
            version: 3
        })
    );
    assert_eq!(store.load_checkpoint("v").await.expect("checkpoint"), 0);
}
