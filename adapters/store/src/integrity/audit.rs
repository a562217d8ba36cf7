//! Looking behind the log read, where a backend's tables can hide a tamper from it.
//!
//! `read_log` on PostgreSQL joins `log` to `events`: a deleted event row silently drops its
//! position from the read, and an event row slipped in behind the sequencer never appears at
//! all. Verification asks the backend to explain such gaps from its raw tables, so the error
//! names the position and what happened to it.

use std::future::Future;

use super::error::Tamper;
use rectiflow_engine::EventStore;
use rectiflow_engine::StoreError;

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
