//! Writing imported rows into PostgreSQL: `events` and `log` rows together, batch by batch,
//! while the importing connection holds the sequencer's advisory lock.
//!
//! The sequencer resumes from the last log row's `(tx_id, id)` and sequences only rows after it
//! in that order. Imported rows are therefore written with the fixed transaction id
//! [`IMPORTED_TX_ID`], below that of any real transaction: the sequencer, started after the
//! import, resumes after the last imported row and can neither re-sequence an imported row
//! nor skip an event that a writer committed during or after the import (its real
//! transaction id is larger). Row ids are assigned in position order, so commit order and
//! position order agree for the imported rows too.

use crate::fault::OrStore;
use sqlx::{Connection, PgConnection};

/// Holding the sequencer's lock keeps every sequencer of the database from assigning positions
/// while the import writes its own.
use super::sequencer::SEQUENCER_LOCK;
use super::PgStore;
use crate::transfer::TransferError;
use crate::transfer::{ImportSink, ImportTarget};
use rectiflow_engine::model::LoggedEvent;
use rectiflow_engine::StoreError;

/// The transaction id recorded on imported event rows: PostgreSQL's `FrozenTransactionId`,
/// "older than every transaction", which is what an imported history is.
pub const IMPORTED_TX_ID: &str = "2";

use crate::counts::to_i64;

/// The import writer of a PostgreSQL store: a connection of its own holding the sequencer lock.
pub struct PgSink {
    store: PgStore,
    conn: PgConnection,
}

impl ImportTarget for PgStore {
    type Sink = PgSink;

    async fn stored_events(&self) -> Result<u64, StoreError> {
        let events: i64 =
            sqlx::query_scalar("SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM log)")
                .fetch_one(self.pool())
                .await
                .db()?;
        // count(*) is never negative.
        Ok(events.unsigned_abs())
    }

    async fn begin_import(&self) -> Result<PgSink, TransferError> {
        // A session-level lock belongs to the connection: take it on one detached from the
        // pool, so it is released when the import ends, whichever way.
        let mut conn = self.pool().acquire().await?.detach();
        let locked: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(SEQUENCER_LOCK)
            .fetch_one(&mut conn)
            .await?;
        if !locked {
            let _ = conn.close().await;
            return Err(TransferError::SequencerRunning);
        }
        let events: i64 =
            sqlx::query_scalar("SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM log)")
                .fetch_one(&mut conn)
                .await?;
        if events > 0 {
            let _ = conn.close().await;
            return Err(TransferError::NotEmpty {
                events: events.unsigned_abs(),
            });
        }
        Ok(PgSink {
            store: self.clone(),
            conn,
        })
    }
}

impl ImportSink for PgSink {
    async fn write(&mut self, batch: &[LoggedEvent]) -> Result<(), StoreError> {
        let n = batch.len();
        let mut stream_types = Vec::with_capacity(n);
        let mut stream_ids = Vec::with_capacity(n);
        let mut versions = Vec::with_capacity(n);
        let mut event_ids = Vec::with_capacity(n);
        let mut types = Vec::with_capacity(n);
        let mut schemas = Vec::with_capacity(n);
        let mut payloads = Vec::with_capacity(n);
        let mut metadata = Vec::with_capacity(n);
        let mut recorded = Vec::with_capacity(n);
        let mut positions = Vec::with_capacity(n);
        let mut hashes = Vec::with_capacity(n);
        for logged in batch {
            let event = &logged.event;
            stream_types.push(event.stream.stream_type.as_str());
            stream_ids.push(event.stream.stream_id.as_str());
            versions.push(to_i64(event.stream_version));
            event_ids.push(event.event_id);
            types.push(event.event_type.as_str());
            schemas.push(event.schema_version.as_str());
            payloads.push(event.payload.to_string());
            metadata.push(event.metadata.to_string());
            recorded.push(event.recorded_at);
            positions.push(to_i64(logged.position));
            hashes.push(hex::decode(&logged.hash).map_err(|e| {
                StoreError::corrupt(format!("imported position {}", logged.position), e)
            })?);
        }
        // One statement, so one implicit transaction per batch: the event rows (ids assigned
        // in position order) and their log rows appear together or not at all.
        sqlx::query(
            "WITH imported AS ( \
                 INSERT INTO events (tx_id, stream_type, stream_id, stream_version, event_id, \
                                     event_type, schema_version, payload, metadata, recorded_at) \
                 SELECT $1::text::xid8, st, si, v, e, t, s, p::jsonb, m::jsonb, r \
                 FROM UNNEST($2::text[], $3::text[], $4::bigint[], $5::uuid[], $6::text[], \
                             $7::text[], $8::text[], $9::text[], $10::timestamptz[]) \
                      WITH ORDINALITY AS u(st, si, v, e, t, s, p, m, r, ord) \
                 ORDER BY ord \
                 RETURNING id, event_id) \
             INSERT INTO log (position, event_ref, hash) \
             SELECT x.position, imported.id, x.hash \
             FROM imported JOIN UNNEST($5::uuid[], $11::bigint[], $12::bytea[]) \
                                AS x(event_id, position, hash) \
                           ON x.event_id = imported.event_id",
        )
        .bind(IMPORTED_TX_ID)
        .bind(stream_types)
        .bind(stream_ids)
        .bind(versions)
        .bind(event_ids)
        .bind(types)
        .bind(schemas)
        .bind(payloads)
        .bind(metadata)
        .bind(recorded)
        .bind(positions)
        .bind(hashes)
        .execute(&mut self.conn)
        .await
        .db()?;
        Ok(())
    }

    async fn finish(mut self, head: u64) -> Result<(), StoreError> {
        sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(SEQUENCER_LOCK)
            .execute(&mut self.conn)
            .await
            .db()?;
        let _ = self.conn.close().await;
        self.store.publish_head(head);
        Ok(())
    }

    async fn abort(mut self) -> Result<(), StoreError> {
        // While we hold the lock no sequencer ran: the only log rows are ours.
        let mut tx = self.conn.begin().await.db()?;
        sqlx::query(
            "DELETE FROM log USING events e \
             WHERE log.event_ref = e.id AND e.tx_id = $1::text::xid8",
        )
        .bind(IMPORTED_TX_ID)
        .execute(&mut *tx)
        .await
        .db()?;
        sqlx::query("DELETE FROM events WHERE tx_id = $1::text::xid8")
            .bind(IMPORTED_TX_ID)
            .execute(&mut *tx)
            .await
            .db()?;
        tx.commit().await.db()?;
        let _ = self.conn.close().await;
        Ok(())
    }
}
