//! A read model rebuilt aside, in shadow tables under a checkpoint of their own, and swapped in
//! once caught up: the live table stays readable and untouched until the swap, an interrupted
//! rebuild resumes where it stopped without drift, and after the swap the live consumer stands
//! where the shadow did. The same code on both backends.

use rectiflow_engine::consumer::{
    rebuild, shadow_name, ConsumerPosition, Rebuild, RebuildOutcome, RebuildProgress,
};
use rectiflow_engine::readmodel::sea_query::{Alias, Query};
use rectiflow_engine::readmodel::ReadModelStore;
use rectiflow_engine::LoggedEvent;
use rectiflow_projections::{Projector, RowProjection, TableSpec};

use super::versions::{
    rows, start, stop, wait_for_position, write, FreshV2, RowV1, TallyV1, TallyV2, NAME,
};
use super::*;

/// Version 1 built live under another name and table: what every rebuild of it must equal.
struct FreshV1;

impl RowProjection for FreshV1 {
    const NAME: &'static str = "tally-fresh-v1";
    const STREAM_TYPE: &'static str = "counter";
    const TABLE: TableSpec = TableSpec {
        name: "tally_fresh_v1",
        ..TallyV1::TABLE
    };
    type Event = serde_json::Value;
    type Row = RowV1;

    fn fold(
        row: Option<RowV1>,
        stream_id: &str,
        event: serde_json::Value,
        logged: &LoggedEvent,
    ) -> Option<RowV1> {
        TallyV1::fold(row, stream_id, event, logged)
    }
}

/// Cancels the rebuild once the shadow has committed `batches` batches (the first report is
/// the starting point, before any batch).
struct StopAfter {
    batches: usize,
    reports: usize,
    shutdown: CancellationToken,
}

impl RebuildProgress for StopAfter {
    fn advanced(&mut self, _checkpoint: u64, _head: u64) {
        self.reports += 1;
        if self.reports > self.batches {
            self.shutdown.cancel();
        }
    }
}

const SHADOW_TABLE: &str = "tally__rebuild";
const V1: &[&str] = &["stream", "events"];
const V2: &[&str] = &["stream", "events", "last_position"];

fn options() -> ConsumerOptions {
    let mut options = ConsumerOptions::new(NAME);
    options.rebuild_batch_size = 7;
    options
}

/// Rebuilds `P` and stops after `batches` batches; returns where the shadow stopped.
async fn interrupted<S: Harness, P: RowProjection>(store: &S, batches: usize) -> u64 {
    let shutdown = CancellationToken::new();
    let mut progress = StopAfter {
        batches,
        reports: 0,
        shutdown: shutdown.clone(),
    };
    let outcome = rebuild(
        store,
        &options(),
        &mut Projector::<P>::new(),
        &shutdown,
        &mut progress,
    )
    .await
    .expect("an interrupted rebuild");
    match outcome {
        RebuildOutcome::Interrupted {
            consumer,
            checkpoint,
        } => {
            assert_eq!(consumer, NAME);
            checkpoint
        }
        other => panic!("the rebuild was not interrupted: {other:?}"),
    }
}

/// Rebuilds `P` to the end and swaps it in.
async fn rebuilt<S: Harness, P: RowProjection>(store: &S) -> rectiflow_engine::consumer::Rebuilt {
    let outcome = rebuild(
        store,
        &options(),
        &mut Projector::<P>::new(),
        &CancellationToken::new(),
        &mut (),
    )
    .await
    .expect("a rebuild");
    match outcome {
        RebuildOutcome::Swapped(rebuilt) => rebuilt,
        other => panic!("the rebuild did not swap: {other:?}"),
    }
}

/// Runs the tally and its fresh twin live until both stand at `head`, then stops them.
async fn both_live_to<S: Harness>(store: &S, head: u64) {
    let (shutdown, task) = start::<S, TallyV1>(store);
    let (fresh_shutdown, fresh) = start::<S, FreshV1>(store);
    wait_for_position(store, NAME, at(head, 1).expect("a position")).await;
    wait_for_position(store, FreshV1::NAME, at(head, 1).expect("a position")).await;
    stop(shutdown, task).await;
    stop(fresh_shutdown, fresh).await;
}

fn total(rows: &[rectiflow_engine::readmodel::Row]) -> i64 {
    rows.iter()
        .map(|row| row["events"].as_i64().expect("events"))
        .sum()
}

async fn shadow_table_exists<S: Harness>(store: &S) -> bool {
    let query = Query::select()
        .column(Alias::new("stream"))
        .from(Alias::new(SHADOW_TABLE))
        .to_owned();
    ReadModelStore::fetch(store, query).await.is_ok()
}

async fn position<S: Harness>(store: &S, consumer: &str) -> Option<ConsumerPosition> {
    store.consumer_position(consumer).await.expect("position")
}

const fn at(checkpoint: u64, version: u32) -> Option<ConsumerPosition> {
    Some(ConsumerPosition {
        checkpoint,
        version,
    })
}

/// Reads the live table until `stop`, each read required to equal `expected`; returns how
/// many reads it made.
async fn read_all_along<S: Harness>(
    store: S,
    expected: Vec<rectiflow_engine::readmodel::Row>,
    stop: CancellationToken,
) -> usize {
    let mut reads = 0;
    loop {
        let query = Query::select()
            .columns(V1.iter().map(|c| Alias::new(*c)))
            .from(Alias::new("tally"))
            .order_by(
                Alias::new("stream"),
                rectiflow_engine::readmodel::sea_query::Order::Asc,
            )
            .to_owned();
        match ReadModelStore::fetch(&store, query).await {
            Ok(rows) => assert_eq!(rows, expected, "read {reads} saw a partial table"),
            Err(error) => panic!("read {reads} failed during the rebuild: {error}"),
        }
        reads += 1;
        if stop.is_cancelled() {
            return reads;
        }
        tokio::task::yield_now().await;
    }
}

pub(crate) async fn a_rebuild_is_built_aside_and_swapped_in<S: Harness>(store: S) {
    write(&store, "s", 30).await;
    support::wait_for_head(&store, 30).await;
    let (shutdown, task) = start::<S, TallyV1>(&store);
    wait_for_position(&store, NAME, at(30, 1).expect("a position")).await;
    stop(shutdown, task).await;
    let live = rows(&store, "tally", V1).await;
    assert_eq!(total(&live), 30);

    // Stopped after two batches: the shadow holds 14 positions, the live model is untouched.
    assert_eq!(interrupted::<S, TallyV1>(&store, 2).await, 14);
    assert_eq!(
        rows(&store, "tally", V1).await,
        live,
        "the live table untouched"
    );
    assert_eq!(position(&store, NAME).await, at(30, 1));
    assert_eq!(position(&store, &shadow_name(NAME)).await, at(14, 1));
    assert_eq!(total(&rows(&store, SHADOW_TABLE, V1).await), 14);

    // Resumed: from 14, not 0, and swapped in equal to the live table row by row — while a
    // reader, reading all along, sees every row at every read, and never an error.
    let reading = CancellationToken::new();
    let reader = tokio::spawn(read_all_along(store.clone(), live.clone(), reading.clone()));
    let done = rebuilt::<S, TallyV1>(&store).await;
    reading.cancel();
    let reads = reader.await.expect("the reader");
    assert!(reads > 0, "the reader read");
    assert_eq!(done.resumed_from, 14);
    assert_eq!(done.position, at(30, 1).expect("a position"));
    assert_eq!(done.events(), 16);
    assert_eq!(rows(&store, "tally", V1).await, live, "rebuilt equals live");
    assert_eq!(position(&store, NAME).await, at(30, 1));
    assert_eq!(position(&store, &shadow_name(NAME)).await, None);
    assert!(!shadow_table_exists(&store).await, "the shadow was renamed");

    // The live consumer carries on from the swapped-in checkpoint; a rebuild from 0 (the
    // second: the names the first left behind do not get in its way) equals it and a fresh
    // live build of the same code.
    write(&store, "t", 5).await;
    support::wait_for_head(&store, 35).await;
    both_live_to(&store, 35).await;
    let live = rows(&store, "tally", V1).await;
    assert_eq!(total(&live), 35, "each event folded once");
    assert_eq!(live, rows(&store, "tally_fresh_v1", V1).await);
    let done = rebuilt::<S, TallyV1>(&store).await;
    assert_eq!((done.resumed_from, done.events()), (0, 35));
    assert_eq!(
        rows(&store, "tally", V1).await,
        live,
        "rebuilt again, equal"
    );
    assert_eq!(position(&store, NAME).await, at(35, 1));
}

pub(crate) async fn a_newer_node_rebuilds_aside_while_the_old_model_stays_readable<S: Harness>(
    store: S,
) {
    write(&store, "s", 30).await;
    support::wait_for_head(&store, 30).await;
    let (shutdown, task) = start::<S, TallyV1>(&store);
    wait_for_position(&store, NAME, at(30, 1).expect("a position")).await;
    stop(shutdown, task).await;
    let live = rows(&store, "tally", V1).await;

    // Version 2 begins aside: the version-1 table (without the new column) is what readers
    // see, and version 1 still owns the checkpoint.
    assert_eq!(interrupted::<S, TallyV2>(&store, 1).await, 7);
    assert_eq!(rows(&store, "tally", V1).await, live);
    assert_eq!(position(&store, NAME).await, at(30, 1));
    assert_eq!(position(&store, &shadow_name(NAME)).await, at(7, 2));

    // A version-2 node starting up finishes that rebuild aside (its shadow checkpoint is
    // gone: it was promoted, not left behind by a reset) and carries on live.
    write(&store, "t", 5).await;
    support::wait_for_head(&store, 35).await;
    let (shutdown, task) = start::<S, TallyV2>(&store);
    let (fresh_shutdown, fresh) = start::<S, FreshV2>(&store);
    wait_for_position(&store, NAME, at(35, 2).expect("a position")).await;
    wait_for_position(&store, FreshV2::NAME, at(35, 2).expect("a position")).await;
    stop(shutdown, task).await;
    stop(fresh_shutdown, fresh).await;
    assert_eq!(position(&store, &shadow_name(NAME)).await, None);
    let rebuilt = rows(&store, "tally", V2).await;
    assert_eq!(rebuilt, rows(&store, "tally_fresh", V2).await);
    assert_eq!(total(&rebuilt), 35);

    // Version-1 code may not rebuild what version 2 owns: refused, nothing written.
    let refused = rebuild(
        &store,
        &options(),
        &mut Projector::<TallyV1>::new(),
        &CancellationToken::new(),
        &mut (),
    )
    .await;
    assert!(
        matches!(
            refused,
            Err(StoreError::NewerCodeOwnsConsumer {
                stored: 2,
                code: 1,
                ..
            })
        ),
        "{refused:?}"
    );
    assert_eq!(position(&store, NAME).await, at(35, 2));
    assert_eq!(position(&store, &shadow_name(NAME)).await, None);
    assert_eq!(rows(&store, "tally", V2).await, rebuilt);
}

/// Hears where a rebuild stands after each batch.
#[derive(Default)]
struct Positions(Vec<u64>);

impl RebuildProgress for Positions {
    fn advanced(&mut self, checkpoint: u64, _head: u64) {
        self.0.push(checkpoint);
    }
}

/// The tally and its fresh twin rebuilt together, 7 events per batch.
fn both<S: Harness>() -> Rebuild<'static, S> {
    Rebuild::new()
        .batch_size(7)
        .consumer(NAME, Projector::<TallyV1>::new())
        .consumer(FreshV1::NAME, Projector::<FreshV1>::new())
}

fn swapped(outcome: &RebuildOutcome) -> &rectiflow_engine::consumer::Rebuilt {
    match outcome {
        RebuildOutcome::Swapped(rebuilt) => rebuilt,
        other => panic!("not swapped: {other:?}"),
    }
}

pub(crate) async fn consumers_rebuilt_together_share_one_pass<S: Harness>(store: S) {
    write(&store, "s", 30).await;
    support::wait_for_head(&store, 30).await;
    both_live_to(&store, 30).await;
    let live = rows(&store, "tally", V1).await;
    let fresh_live = rows(&store, "tally_fresh_v1", V1).await;

    // The tally's shadow stopped at 14; the other starts from 0.
    assert_eq!(interrupted::<S, TallyV1>(&store, 2).await, 14);
    // Run from a task of its own, as a service would (on SQLite a task may not wait on its
    // own write turn, so the shadows there take their turns one after another).
    let rebuilding = store.clone();
    let (outcomes, progress) = tokio::spawn(async move {
        let mut progress = Positions::default();
        let outcomes = both::<S>()
            .run(&rebuilding, &CancellationToken::new(), &mut progress)
            .await;
        (outcomes, progress)
    })
    .await
    .expect("the rebuilding task");
    let outcomes = outcomes.expect("a rebuild of both");

    // One pass over the log, batch after batch from the lower checkpoint: the tally skipped
    // the batches its shadow already held, and neither folded an event twice.
    assert_eq!(progress.0, [0, 7, 14, 21, 28, 30]);
    let [tally, fresh] = outcomes.as_slice() else {
        panic!("one outcome per consumer: {outcomes:?}");
    };
    let (tally, fresh) = (swapped(tally), swapped(fresh));
    assert_eq!((tally.consumer.as_str(), tally.resumed_from), (NAME, 14));
    assert_eq!(
        (fresh.consumer.as_str(), fresh.resumed_from),
        (FreshV1::NAME, 0)
    );
    assert_eq!(tally.position, at(30, 1).expect("a position"));
    assert_eq!(fresh.position, at(30, 1).expect("a position"));
    assert_eq!(rows(&store, "tally", V1).await, live, "rebuilt equals live");
    assert_eq!(rows(&store, "tally_fresh_v1", V1).await, fresh_live);
    for consumer in [NAME, FreshV1::NAME] {
        assert_eq!(position(&store, consumer).await, at(30, 1), "{consumer}");
        assert_eq!(position(&store, &shadow_name(consumer)).await, None);
    }
    assert!(!shadow_table_exists(&store).await, "the shadow was renamed");

    // Interrupted together: both shadows stand at the same batch, both live models as they
    // were.
    let shutdown = CancellationToken::new();
    let mut stop_after = StopAfter {
        batches: 1,
        reports: 0,
        shutdown: shutdown.clone(),
    };
    let outcomes = both::<S>()
        .run(&store, &shutdown, &mut stop_after)
        .await
        .expect("an interrupted rebuild");
    assert_eq!(
        outcomes,
        [NAME, FreshV1::NAME].map(|consumer| RebuildOutcome::Interrupted {
            consumer: consumer.to_owned(),
            checkpoint: 7,
        })
    );
    assert_eq!(rows(&store, "tally", V1).await, live);
    assert_eq!(position(&store, NAME).await, at(30, 1));
}
