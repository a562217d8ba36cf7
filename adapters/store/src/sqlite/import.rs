//! Writing imported rows into SQLite: each row with its position and hash, all in one
//! `BEGIN IMMEDIATE` transaction. SQLite has one writer, so holding the write lock for the
//! import keeps every other writer out, and a failure — or a killed process, whose
//! uncommitted pages SQLite ignores when the file is next opened — leaves the store exactly
//! as it was.

use crate::fault::OrStore;
use sqlx::{QueryBuilder, Sqlite, Transaction};

use super::writer::WriteTurn;
use super::SqliteStore;
use crate::transfer::TransferError;
use crate::transfer::{BatchWritten, ImportSink, ImportTarget};
use rectiflow_engine::model::LoggedEvent;
use rectiflow_engine::StoreError;

/// SQLite binds at most 32,766 parameters per statement; 11 per row.
const ROWS_PER_STATEMENT: usize = 1_000;

use crate::counts::{to_i64, to_u64};

/// The import writer of a SQLite store: the open write transaction.
pub struct SqliteSink {
    store: SqliteStore,
    tx: Transaction<'static, Sqlite>,
    /// This process's write turn, held for the whole import (declared after `tx`, so released
    /// after it ends).
    _turn: WriteTurn,
}

impl ImportTarget for SqliteStore {
    type Sink = SqliteSink;

    async fn stored_events(&self) -> Result<u64, StoreError> {
        let events: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
            .fetch_one(self.pool())
            .await
            .db()?;
        // count(*) is never negative.
        Ok(events.unsigned_abs())
    }

    async fn begin_import(&self) -> Result<SqliteSink, TransferError> {
        let turn = self.write_turn("an import").await?;
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await?;
        let events: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
            .fetch_one(&mut *tx)
            .await?;
        if events > 0 {
            return Err(TransferError::NotEmpty {
                events: events.unsigned_abs(),
            });
        }
        Ok(SqliteSink {
            store: self.clone(),
            tx,
            _turn: turn,
        })
    }
}

impl SqliteSink {
    /// Which event of `rows` was skipped for its taken id, and where that id is stored.
    async fn name_skipped(&mut self, rows: &[LoggedEvent]) -> Result<BatchWritten, StoreError> {
        let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
            return Ok(BatchWritten::All);
        };
        let stored: Vec<i64> =
            sqlx::query_scalar("SELECT position FROM events WHERE position BETWEEN ? AND ?")
                .bind(to_i64(first.position))
                .bind(to_i64(last.position))
                .fetch_all(&mut *self.tx)
                .await
                .db()?;
        let stored = stored
            .into_iter()
            .map(|p| to_u64(p, "log position"))
            .collect::<Result<Vec<_>, _>>()?;
        let Some(skipped) = BatchWritten::skipped(rows, &stored) else {
            return Err(StoreError::corrupt(
                format!("imported positions {}..={}", first.position, last.position),
                "an event was not written, yet none is missing",
            ));
        };
        let holder: Option<i64> =
            sqlx::query_scalar("SELECT position FROM events WHERE event_id = ?")
                .bind(skipped.event.event_id.to_string())
                .fetch_optional(&mut *self.tx)
                .await
                .db()?;
        Ok(BatchWritten::DuplicateEventId {
            position: skipped.position,
            event_id: skipped.event.event_id,
            first: holder.map(|p| to_u64(p, "log position")).transpose()?,
        })
    }
}

impl ImportSink for SqliteSink {
    async fn write(&mut self, batch: &[LoggedEvent]) -> Result<BatchWritten, StoreError> {
        for rows in batch.chunks(ROWS_PER_STATEMENT) {
            let mut hashes = Vec::with_capacity(rows.len());
            for logged in rows {
                hashes.push(hex::decode(&logged.hash).map_err(|e| {
                    StoreError::corrupt(format!("imported position {}", logged.position), e)
                })?);
            }
            let mut insert: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO events (position, stream_type, stream_id, stream_version, event_id, \
                 event_type, schema_version, payload, metadata, recorded_at, hash) ",
            );
            insert.push_values(rows.iter().zip(hashes), |mut b, (logged, hash)| {
                let event = &logged.event;
                b.push_bind(to_i64(logged.position))
                    .push_bind(event.stream.stream_type.clone())
                    .push_bind(event.stream.stream_id.clone())
                    .push_bind(to_i64(event.stream_version))
                    .push_bind(event.event_id.to_string())
                    .push_bind(event.event_type.clone())
                    .push_bind(event.schema_version.clone())
                    .push_bind(event.payload.to_string())
                    .push_bind(event.metadata.to_string())
                    .push_bind(event.recorded_at.timestamp_micros())
                    .push_bind(hash);
            });
            // An event whose id is taken is skipped rather than failing the statement, so the
            // shortfall can name it (as on PostgreSQL).
            insert.push(" ON CONFLICT (event_id) DO NOTHING");
            let written = insert
                .build()
                .execute(&mut *self.tx)
                .await
                .db()?
                .rows_affected();
            if written != rows.len() as u64 {
                return self.name_skipped(rows).await;
            }
        }
        Ok(BatchWritten::All)
    }

    async fn finish(self, head: u64) -> Result<(), StoreError> {
        self.tx.commit().await.db()?;
        // Wake this process's readers, as a commit would.
        self.store.publish_head(head);
        Ok(())
    }

    async fn abort(self) -> Result<(), StoreError> {
        self.tx.rollback().await.db()?;
        Ok(())
    }
}
