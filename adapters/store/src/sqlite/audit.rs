//! SQLite's raw-table checks behind `verify` (see [`crate::integrity`]).

use rectiflow_engine::StoreError;

use super::store::{to_i64, to_u64};
use super::SqliteStore;
use crate::fault::OrStore;
use crate::integrity::audit::{version_hole, HoleRow, VERSION_HOLE};
use crate::integrity::{jump, LogAudit, Tamper};

impl LogAudit for SqliteStore {
    async fn next_stored_position(&self, after: u64) -> Result<Option<u64>, StoreError> {
        let next: Option<i64> =
            sqlx::query_scalar("SELECT min(position) FROM events WHERE position > ?")
                .bind(to_i64(after))
                .fetch_one(self.pool())
                .await
                .db()?;
        next.map(|p| to_u64(p, "log position")).transpose()
    }

    async fn explain_missing(
        &self,
        position: u64,
        next: Option<u64>,
    ) -> Result<String, StoreError> {
        Ok(format!(
            "no event row holds it (deleted, or moved to another position); {}",
            jump(position, next)
        ))
    }

    async fn unsequenced(&self, _head: u64) -> Result<Option<Tamper>, StoreError> {
        Ok(None)
    }

    async fn sequenced_twice(&self, _head: u64) -> Result<Option<Tamper>, StoreError> {
        // The position is the event row's own key: a row cannot hold two.
        Ok(None)
    }

    async fn version_hole(&self, head: u64) -> Result<Option<Tamper>, StoreError> {
        let row: Option<HoleRow> = sqlx::query_as(&format!(
            "WITH hole AS ({VERSION_HOLE}) \
             SELECT h.*, (SELECT e.position FROM events e \
                          WHERE e.stream_type = h.stream_type AND e.stream_id = h.stream_id \
                            AND e.stream_version = h.next) \
             FROM hole h"
        ))
        .fetch_optional(self.pool())
        .await
        .db()?;
        row.map(|row| version_hole(row, head)).transpose()
    }
}
