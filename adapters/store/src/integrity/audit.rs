//! Looking behind the log read, where a backend's tables can hide a tamper from it.
//!
//! `read_log` on PostgreSQL joins `log` to `events`: a deleted event row silently drops its
//! position from the read, and an event row slipped in behind the sequencer never appears at
//! all. Verification asks the backend to explain such gaps from its raw tables, so the error
//! names the position and what happened to it.

use std::future::Future;

use sqlx::Row;

use super::error::Tamper;
use crate::any::AnyStore;
use crate::error::StoreError;
use crate::model::StreamRef;
use crate::postgres::PgStore;
use crate::sqlite::SqliteStore;
use crate::store::EventStore;

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

fn jump(position: u64, next: Option<u64>) -> String {
    match next {
        Some(next) => format!(
            "the log jumps from {} to {next}",
            position.saturating_sub(1)
        ),
        None => format!("the log ends at {}", position.saturating_sub(1)),
    }
}

fn to_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

fn to_u64(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

impl LogAudit for PgStore {
    async fn next_stored_position(&self, after: u64) -> Result<Option<u64>, StoreError> {
        let next: Option<i64> =
            sqlx::query_scalar("SELECT min(position) FROM log WHERE position > $1")
                .bind(to_i64(after))
                .fetch_one(self.pool())
                .await?;
        Ok(next.map(to_u64))
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
                .await?;
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
        // Rows at or below the cursor of `head` in (transaction id, row id) order were all
        // sequenced by the time `head` was: the sequencer never goes back. Whatever lacks a
        // position there was put there behind its back.
        let row = sqlx::query(
            "WITH cursor AS ( \
                 SELECT e.tx_id, e.id FROM log l JOIN events e ON e.id = l.event_ref \
                 WHERE l.position = $1) \
             SELECT o.id, o.stream_type, o.stream_id, o.stream_version, o.event_id::text AS event_id, \
                    (SELECT l2.position FROM events e2 JOIN log l2 ON l2.event_ref = e2.id \
                     WHERE (e2.tx_id, e2.id) > (o.tx_id, o.id) \
                     ORDER BY e2.tx_id, e2.id LIMIT 1) AS next_position \
             FROM events o, cursor c \
             WHERE (o.tx_id, o.id) < (c.tx_id, c.id) \
               AND NOT EXISTS (SELECT 1 FROM log l WHERE l.event_ref = o.id) \
             ORDER BY o.tx_id, o.id LIMIT 1",
        )
        .bind(to_i64(head))
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let next: Option<i64> = row.try_get("next_position")?;
        Ok(Some(Tamper::Unsequenced {
            position: next.map_or(head, to_u64),
            row: row.try_get("id")?,
            stream: StreamRef::new(
                row.try_get::<String, _>("stream_type")?,
                row.try_get::<String, _>("stream_id")?,
            ),
            stream_version: to_u64(row.try_get("stream_version")?),
            event_id: row.try_get("event_id")?,
        }))
    }
}

impl LogAudit for SqliteStore {
    async fn next_stored_position(&self, after: u64) -> Result<Option<u64>, StoreError> {
        let next: Option<i64> =
            sqlx::query_scalar("SELECT min(position) FROM events WHERE position > ?")
                .bind(to_i64(after))
                .fetch_one(self.pool())
                .await?;
        Ok(next.map(to_u64))
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
}

impl LogAudit for AnyStore {
    async fn next_stored_position(&self, after: u64) -> Result<Option<u64>, StoreError> {
        match self {
            Self::Postgres(store) => store.next_stored_position(after).await,
            Self::Sqlite(store) => store.next_stored_position(after).await,
        }
    }

    async fn explain_missing(
        &self,
        position: u64,
        next: Option<u64>,
    ) -> Result<String, StoreError> {
        match self {
            Self::Postgres(store) => store.explain_missing(position, next).await,
            Self::Sqlite(store) => store.explain_missing(position, next).await,
        }
    }

    async fn unsequenced(&self, head: u64) -> Result<Option<Tamper>, StoreError> {
        match self {
            Self::Postgres(store) => store.unsequenced(head).await,
            Self::Sqlite(store) => store.unsequenced(head).await,
        }
    }
}
