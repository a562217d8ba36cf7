//! The boards of issue #10 — complaints, cases, data alerts, accountability — each a read
//! model kept by a consumer written once for both backends, run over the log the story
//! wrote. Each chapter checks its board's rows against rows computed by hand from the story's
//! own commands (not read back from the aggregates), on SQLite and on PostgreSQL.

mod accountability;
mod alerts;
mod cases;
mod complaints;

use std::collections::BTreeMap;

use rectiflow_engine::consumer::{self, ConsumerOptions, Handler, HandlerError};
use rectiflow_engine::readmodel::sea_query::{Alias, Asterisk, Query};
use rectiflow_engine::readmodel::{ReadModels, Row};
use rectiflow_engine::{CancellationToken, LoggedEvent};
use rectiflow_projections::{Projector, RowProjection};
use rectiflow_tests::Store;
use tokio::sync::watch;

use crate::world::World;

pub use accountability::the_accountability_register_shows_each_case_and_its_decision;
pub use alerts::the_alert_board_shows_each_triage_and_the_missed_one;
pub use cases::the_case_board_shows_both_investigations_and_the_repair_item;
pub use complaints::the_complaints_board_shows_deadlines_and_never_the_complainant;

/// The complaint the boards chapter receives and leaves unanswered.
pub const UNANSWERED: &str = "cmp-2026-0003";
/// The platform's alert the boards chapter receives and leaves untriaged.
pub const UNTRIAGED_REFERENCE: &str = "YBJK-2026-000200";
pub const UNTRIAGED: &str = "alert~YBJK-2026-000200";

/// A projector reporting each batch it applied, so the story waits on a signal, not a clock.
struct Reporting<P: RowProjection> {
    inner: Projector<P>,
    applied: watch::Sender<u64>,
}

impl<P: RowProjection> Handler for Reporting<P> {
    /// The projector's own version and reset: the wrapper only reports.
    const VERSION: u32 = <Projector<P> as Handler>::VERSION;

    async fn reset<T: ReadModels>(&mut self, tx: &mut T) -> Result<(), HandlerError> {
        self.inner.reset(tx).await
    }

    async fn prepare<T: ReadModels>(&mut self, tx: &mut T) -> Result<(), HandlerError> {
        self.inner.prepare(tx).await
    }

    async fn handle<T: ReadModels>(
        &mut self,
        tx: &mut T,
        batch: &[LoggedEvent],
    ) -> Result<(), HandlerError> {
        self.inner.handle(tx, batch).await?;
        if let Some(last) = batch.last() {
            self.applied.send_replace(last.position);
        }
        Ok(())
    }
}

/// Runs `P`'s projector as a consumer of the store until it has applied the log up to the
/// head (every event the story committed), then returns its table's rows as stored: JSON
/// objects keyed by column, as any reader of the table gets them. Run again, it carries on
/// from its checkpoint.
pub async fn project<P: RowProjection, S: Store>(w: &World<S>) -> Vec<Row> {
    let store = w.store();
    let head = w.log_point().await.position;
    let (applied, mut progress) = watch::channel(0);
    let shutdown = CancellationToken::new();
    let runner = tokio::spawn(consumer::run(
        store.clone(),
        ConsumerOptions::new(P::NAME),
        Reporting::<P> {
            inner: Projector::new(),
            applied,
        },
        shutdown.clone(),
    ));
    // A second run starts at its checkpoint; with nothing new to apply it reports nothing.
    let checkpoint_reached = async {
        progress
            .wait_for(|position| *position >= head)
            .await
            .map(|_| ())
    };
    tokio::select! {
        reached = checkpoint_reached => reached.expect("the projector's progress"),
        () = settled::<P, S>(store, head) => {}
    }
    // The runner returns only between batches, so the last batch is committed after this.
    shutdown.cancel();
    runner.await.expect("the projector task");
    store
        .fetch(
            Query::select()
                .column(Asterisk)
                .from(Alias::new(P::TABLE.name))
                .to_owned(),
        )
        .await
        .expect("the board's rows")
}

/// Resolves once the consumer's checkpoint is at `head` (polling: a consumer that is
/// already there applies no batch and so reports none).
async fn settled<P: RowProjection, S: Store>(store: &S, head: u64) {
    loop {
        let at = store
            .consumer_position(P::NAME)
            .await
            .expect("the consumer's checkpoint");
        if at.is_some_and(|at| at.checkpoint >= head) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// The rows as the board's row type.
pub fn decode<P: RowProjection>(rows: &[Row]) -> Vec<P::Row> {
    rows.iter()
        .map(|row| {
            serde_json::from_value(serde_json::Value::Object(row.clone())).expect("a board row")
        })
        .collect()
}

/// The log position of the last event of each stream of `stream_type`: the position the
/// board's row of that stream must show.
pub async fn last_positions<S: Store>(store: &S, stream_type: &str) -> BTreeMap<String, i64> {
    store
        .read_log(0, u32::MAX)
        .await
        .expect("the log")
        .into_iter()
        .filter(|e| e.event.stream.stream_type == stream_type)
        .map(|e| {
            (
                e.event.stream.stream_id,
                i64::try_from(e.position).expect("a position"),
            )
        })
        .collect()
}
