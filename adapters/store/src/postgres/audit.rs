//! PostgreSQL's raw-table checks behind `verify` (see [`crate::integrity`]).

use rectiflow_engine::{StoreError, StreamRef};
use sqlx::Row;

use super::rows::{to_i64, to_u64};
use super::PgStore;
use crate::fault::OrStore;
use crate::integrity::audit::{version_hole, HoleRow, VERSION_HOLE};
use crate::integrity::{jump, LogAudit, Tamper};

impl LogAudit for PgStore {
    async fn next_stored_position(&self, after: u64) -> Result<Option<u64>, StoreError> {
        let next: Option<i64> =
            sqlx::query_scalar("SELECT min(position) FROM log WHERE position > $1")
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
        let event_ref: Option<i64> =
            sqlx::query_scalar("SELECT event_ref FROM log WHERE position = $1")
                .bind(to_i64(position))
                .fetch_optional(self.pool())
                .await
                .db()?;
        Ok(match event_ref {
            Some(row) => format!(
                "its log row points at event row {row}, which does not exist (the event was \
                 deleted); {}",
                jump(position, next)
            ),
            None => format!("its log row was deleted; {}", jump(position, next)),
        })
    }

    async fn unsequenced(&self, head: u64) -> Result<Option<Tamper>, StoreError> {
        if head == 0 {
            return Ok(None);
        }
        // Behind the sequencer's cursor, in (transaction id, row id) order, every row was
        // sequenced except those of the transactions it recorded as still running (pending):
        // it never goes back otherwise. Whatever else lacks a position there was put there
        // behind its back. Without a recorded state (an imported log), the cursor is the highest
        // pair sequenced by `head` and nothing is pending.
        let row = sqlx::query(
            "WITH state AS (SELECT cursor_tx, cursor_id, pending FROM sequencer_state \
                            WHERE id = 1), \
                  edge AS (SELECT e.tx_id, e.id FROM log l JOIN events e ON e.id = l.event_ref \
                           WHERE l.position <= $1 AND NOT EXISTS (SELECT 1 FROM state) \
                           ORDER BY e.tx_id DESC, e.id DESC LIMIT 1), \
                  cursor AS (SELECT cursor_tx AS tx_id, cursor_id AS id, pending FROM state \
                             UNION ALL \
                             SELECT tx_id, id, '{}'::xid8[] FROM edge) \
             SELECT o.id, o.stream_type, o.stream_id, o.stream_version, o.event_id::text AS event_id, \
                    (SELECT l2.position FROM events e2 JOIN log l2 ON l2.event_ref = e2.id \
                     WHERE (e2.tx_id, e2.id) > (o.tx_id, o.id) \
                     ORDER BY e2.tx_id, e2.id LIMIT 1) AS next_position \
             FROM events o, cursor c \
             WHERE (o.tx_id, o.id) < (c.tx_id, c.id) \
               AND o.tx_id <> ALL (c.pending) \
               AND NOT EXISTS (SELECT 1 FROM log l WHERE l.event_ref = o.id) \
             ORDER BY o.tx_id, o.id LIMIT 1",
        )
        .bind(to_i64(head))
        .fetch_optional(self.pool())
        .await.db()?;
        let Some(row) = row else { return Ok(None) };
        let next: Option<i64> = row.try_get("next_position").db()?;
        Ok(Some(Tamper::Unsequenced {
            position: next.map_or(Ok(head), |p| to_u64(p, "log position"))?,
            row: row.try_get("id").db()?,
            stream: StreamRef::new(
                row.try_get::<String, _>("stream_type").db()?,
                row.try_get::<String, _>("stream_id").db()?,
            ),
            stream_version: to_u64(row.try_get("stream_version").db()?, "stream_version")?,
            event_id: row.try_get("event_id").db()?,
        }))
    }

    async fn sequenced_twice(&self, head: u64) -> Result<Option<Tamper>, StoreError> {
        let row: Option<(i64, i64, i64)> = sqlx::query_as(
            "SELECT event_ref, min(position), max(position) FROM log WHERE position <= $1 \
             GROUP BY event_ref HAVING count(*) > 1 ORDER BY max(position) LIMIT 1",
        )
        .bind(to_i64(head))
        .fetch_optional(self.pool())
        .await
        .db()?;
        row.map(|(row, first, second)| {
            Ok(Tamper::SequencedTwice {
                position: to_u64(second, "log position")?,
                first: to_u64(first, "log position")?,
                row,
            })
        })
        .transpose()
    }

    async fn version_hole(&self, head: u64) -> Result<Option<Tamper>, StoreError> {
        let row: Option<HoleRow> = sqlx::query_as(&format!(
            "WITH hole AS ({VERSION_HOLE}) \
             SELECT h.*, (SELECT l.position FROM events e JOIN log l ON l.event_ref = e.id \
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
