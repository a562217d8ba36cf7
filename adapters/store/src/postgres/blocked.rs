//! Whether the log is blocked, as any process can tell from the database.
//!
//! The sequencer never skips a row: at an event row it cannot read it assigns every row before
//! it and stops there. Only the process holding the sequencer lock sees that happen, but every
//! process serving `/healthz` must report it — a load balancer or an operator may ask any of
//! them. So the state is read from the database, not from the sequencer's memory: the next row
//! the sequencer must take — a committed row without a position of a transaction it recorded as
//! pending, else the first after its recorded cursor in commit order (see the sequencer's
//! `pass` module; without a recorded state, after the log head's row) — is read exactly as
//! the sequencer reads it (its writer's content hash, or its fields where it has none). If that fails, the log is blocked there, whichever process
//! sequences — or even while none does — and the answer clears by itself once the row is
//! repaired or removed.
//!
//! Cheap enough to ask on every health check: the recorded state is one row, the candidates
//! are found on the `(tx_id, id)` index, with a lookup in `log`'s unique index on `event_ref`
//! to pass over rows already sequenced.

use rectiflow_engine::StoreError;
use sqlx::Row;

use super::{rows, PgStore};
use crate::fault::OrStore;

impl PgStore {
    /// Why new events get no position, when the next row to sequence cannot be read; `None`
    /// when it can (or nothing is waiting). Read from the database: the same answer in every
    /// process, sequencer or not.
    pub async fn blocked(&self) -> Result<Option<String>, StoreError> {
        blocked(self).await
    }
}

async fn blocked(store: &PgStore) -> Result<Option<String>, StoreError> {
    let sql = format!(
        "WITH head AS (SELECT l.position, e.tx_id, e.id FROM log l \
                       JOIN events e ON e.id = l.event_ref \
                       ORDER BY l.position DESC LIMIT 1), \
              state AS (SELECT cursor_tx, cursor_id, pending FROM sequencer_state WHERE id = 1), \
              cursor AS (SELECT COALESCE((SELECT cursor_tx FROM state), \
                                         (SELECT tx_id FROM head), '0'::xid8) AS tx_id, \
                                COALESCE((SELECT cursor_id FROM state), \
                                         (SELECT id FROM head), 0) AS id, \
                                COALESCE((SELECT pending FROM state), '{{}}'::xid8[]) AS pending) \
         SELECT e.id, {columns}, \
                COALESCE((SELECT position FROM head), 0) AS head \
         FROM events e, cursor c \
         WHERE (e.tx_id = ANY (c.pending) OR (e.tx_id, e.id) > (c.tx_id, c.id)) \
           AND e.tx_id < pg_snapshot_xmax(pg_current_snapshot()) \
           AND NOT EXISTS (SELECT 1 FROM log l WHERE l.event_ref = e.id) \
         ORDER BY e.tx_id = ANY (c.pending) DESC, e.tx_id, e.id LIMIT 1",
        columns = rows::SEQUENCED_COLUMNS
    );
    let row = sqlx::query(&sql).fetch_optional(store.pool()).await.db()?;
    let Some(row) = row else {
        return Ok(None);
    };
    let id: i64 = row.try_get("id").db()?;
    let head: i64 = row.try_get("head").db()?;
    // The same decoding, and the same words, as the sequencer's when it stops at a row.
    Ok(rows::sequenced_content(&row).err().map(|error| {
        StoreError::corrupt(
            format!(
                "event row {id} (would be position {})",
                head.saturating_add(1)
            ),
            error,
        )
        .to_string()
    }))
}
