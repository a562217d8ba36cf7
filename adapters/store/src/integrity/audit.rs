//! Looking behind the log read, where a backend's tables can hide a tamper from it.
//!
//! `read_log` on PostgreSQL joins `log` to `events`: a deleted event row silently drops its
//! position from the read, and an event row slipped in behind the sequencer never appears at
//! all. Verification asks the backend to explain such gaps from its raw tables, so the error
//! names the position and what happened to it.

use std::future::Future;

use super::error::Tamper;
use rectiflow_engine::EventStore;
use rectiflow_engine::{StoreError, StreamRef};

use crate::counts::to_u64;

/// The raw-table checks verification needs from a backend.
pub trait LogAudit: EventStore {
    /// The first position stored after `after`, read from the raw table, whether or not its
    /// event can be read (used to name an unreadable row).
    fn next_stored_position(
        &self,
        after: u64,
    ) -> impl Future<Output = Result<Option<u64>, StoreError>> + Send;

    /// Why `position` is absent from the log read; `next` is the position the read gave
    /// instead (`None` when the read ended).
    fn explain_missing(
        &self,
        position: u64,
        next: Option<u64>,
    ) -> impl Future<Output = Result<String, StoreError>> + Send;

    /// An event row that lies behind the last verified position in commit order but has no
    /// position (PostgreSQL only: SQLite keeps the position in the event row itself).
    fn unsequenced(
        &self,
        head: u64,
    ) -> impl Future<Output = Result<Option<Tamper>, StoreError>> + Send;

    /// An event row holding two positions at or below `head` (PostgreSQL only: SQLite's
    /// position is the event row's own key). The chain cannot see it: the event hashes
    /// consistently at both places.
    fn sequenced_twice(
        &self,
        head: u64,
    ) -> impl Future<Output = Result<Option<Tamper>, StoreError>> + Send;

    /// The first stream whose versions are not dense from 1: a deleted event the chain may not
    /// cover yet (on PostgreSQL an event is chained only once sequenced). `head` is the
    /// position to name when the version after the hole has no position.
    fn version_hole(
        &self,
        head: u64,
    ) -> impl Future<Output = Result<Option<Tamper>, StoreError>> + Send;
}

/// The first stream whose versions are not dense from 1, the same on both backends: each
/// stream's versions against their predecessor, on the stream-version key. A backend selects
/// from it (`WITH hole AS (...)`) `stream_type, stream_id, missing, next` and the log position
/// of version `next` (NULL if it has none), and hands the row to [`version_hole`].
pub(crate) const VERSION_HOLE: &str = "\
    SELECT stream_type, stream_id, previous + 1 AS missing, stream_version AS next \
    FROM (SELECT stream_type, stream_id, stream_version, \
                 lag(stream_version, 1, 0) OVER (PARTITION BY stream_type, stream_id \
                                                 ORDER BY stream_version) AS previous \
          FROM events) AS versions \
    WHERE stream_version <> previous + 1 \
    ORDER BY stream_type, stream_id LIMIT 1";

/// A row of [`VERSION_HOLE`] with its position: stream type and id, missing and next version,
/// the position of `next`.
pub(crate) type HoleRow = (String, String, i64, i64, Option<i64>);

/// The tamper a [`HoleRow`] describes; `head` is the last verified position.
pub(crate) fn version_hole(row: HoleRow, head: u64) -> Result<Tamper, StoreError> {
    let (stream_type, stream_id, missing, next, position) = row;
    let stream = StreamRef::new(stream_type, stream_id);
    Ok(Tamper::VersionHole {
        position: position.map_or(Ok(head + 1), |p| to_u64(p, "log position"))?,
        missing: to_u64(missing, format_args!("{stream} version"))?,
        next: to_u64(next, format_args!("{stream} version"))?,
        stream,
    })
}

pub(crate) fn jump(position: u64, next: Option<u64>) -> String {
    match next {
        Some(next) => format!(
            "the log jumps from {} to {next}",
            position.saturating_sub(1)
        ),
        None => format!("the log ends at {}", position.saturating_sub(1)),
    }
}
