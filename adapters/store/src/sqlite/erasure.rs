//! What erasure needs of SQLite beyond deleting the key's row.
//!
//! Every connection runs with `secure_delete = ON` (see `SqliteStore::connect_with_key`), so
//! the page that held a deleted key is written back with the key overwritten — but in WAL mode
//! that page goes to the WAL first, the database file keeps its old copy until a checkpoint,
//! and the WAL keeps the frame that first wrote the key until it is overwritten, which may be
//! long after. So after an erasure the WAL is checkpointed into the database and truncated:
//! then neither file holds the key.

use rectiflow_engine::StoreError;

use super::SqliteStore;
use crate::fault::OrStore;
use crate::vault::Shred;

impl Shred for SqliteStore {
    async fn shred(&self) -> Result<(), StoreError> {
        // (busy, frames in the WAL, frames checkpointed); busy = 1 when a reader still needed
        // the old pages, so the WAL could not be emptied now.
        let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(self.pool())
            .await
            .db()?;
        if busy != 0 {
            // The key's row is deleted and overwritten in the new page; only the WAL's stale
            // frame is left, until a later checkpoint. Not worth failing the erasure for.
            tracing::warn!(
                "the WAL could not be truncated after an erasure (readers were busy): run \
                 `PRAGMA wal_checkpoint(TRUNCATE)` when the service is quiet"
            );
        }
        Ok(())
    }
}
