//! The boards of issue #10 — complaints, cases, data alerts, accountability — each a read
//! model kept by a consumer written once for both backends, run over the log the story
//! wrote. Each chapter checks its board's rows against rows computed by hand from the story's
//! own commands (not read back from the aggregates), on SQLite and on PostgreSQL.

mod accountability;
mod alerts;
mod cases;
mod complaints;

use std::collections::BTreeMap;

use rectiflow_engine::readmodel::sea_query::{Alias, Asterisk, Query};
use rectiflow_engine::readmodel::Row;
use rectiflow_projections::RowProjection;
use rectiflow_tests::Store;

use crate::projecting::project_to_head;
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

/// Runs `P`'s projector as a consumer of the store until it has applied the log up to the
/// head (every event the story committed), then returns its table's rows as stored: JSON
/// objects keyed by column, as any reader of the table gets them. Run again, it carries on
/// from its checkpoint.
pub async fn project<P: RowProjection, S: Store>(w: &World<S>) -> Vec<Row> {
    let store = w.store();
    // Every committed event holds a position first (the sequencer, on PostgreSQL).
    w.log_point().await;
    project_to_head::<S, P>(store).await;
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
    last_of(store, stream_type, |e| e.position).await
}

/// Each stream's version after its last event, by stream id (what a recorded read names).
pub async fn last_versions<S: Store>(store: &S, stream_type: &str) -> BTreeMap<String, i64> {
    last_of(store, stream_type, |e| e.event.stream_version).await
}

async fn last_of<S: Store>(
    store: &S,
    stream_type: &str,
    value: impl Fn(&rectiflow_engine::LoggedEvent) -> u64,
) -> BTreeMap<String, i64> {
    store
        .read_log(0, u32::MAX)
        .await
        .expect("the log")
        .into_iter()
        .filter(|e| e.event.stream.stream_type == stream_type)
        .map(|e| {
            let last = i64::try_from(value(&e)).expect("a position or version");
            (e.event.stream.stream_id, last)
        })
        .collect()
}
