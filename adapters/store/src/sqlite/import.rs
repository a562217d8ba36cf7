//! Writing imported rows into SQLite: each row with its position and hash, all in one
//! `BEGIN IMMEDIATE` transaction. SQLite has one writer, so holding the write lock for the
//! import keeps every other writer out, and a failure leaves the store exactly as it was.

use crate::fault::OrStore;
use sqlx::{QueryBuilder, Sqlite, Transaction};

use super::writer::WriteTurn;
use super::SqliteStore;
use crate::transfer::TransferError;
use crate::transfer::{ImportSink, ImportTarget};
use rectiflow_engine::model::LoggedEvent;
use rectiflow_engine::StoreError;

/// SQLite binds at most 32,766 parameters per statement; 11 per row.
const ROWS_PER_STATEMENT: usize = 1_000;

use crate::counts::to_i64;

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

impl ImportSink for SqliteSink {
    async fn write(&mut self, batch: &[LoggedEvent]) -> Result<(), StoreError> {
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
            insert.build().execute(&mut *self.tx).await.db()?;
        }
        Ok(())
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
