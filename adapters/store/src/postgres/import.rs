//! Writing imported rows into PostgreSQL: `events` and `log` rows together, batch by batch, in
//! ONE transaction that holds the sequencer's lock and keeps every writer of `events` out.
//!
//! Why one transaction: an import that committed batch by batch left, when killed, a prefix of
//! the file that verified, to which `serve` then appended — history silently cut short. Now a
//! killed, failed or refused import leaves the store exactly as it was (empty): the server rolls
//! the transaction back when the connection goes, and no reader ever sees a part of it.
//!
//! Why the locks, taken in this order at the start:
//! - the sequencer's advisory lock, at transaction level, so no sequencer of the database
//!   assigns positions while the import writes its own (a sequencer that holds it — a running
//!   `serve` — makes the import refuse; one that starts meanwhile stands by until the commit);
//! - `events` and `log` in `EXCLUSIVE` mode, which lets readers through but makes every
//!   writer wait until the import commits or rolls back. A command on another connection
//!   therefore either committed before the import began (and the import is refused: the store
//!   is not empty) or commits after it, on top of what it imported: its write then sees the
//!   imported versions and is a conflict (the executor reloads and retries), or it lands on
//!   versions the import did not use. It can never take a version in the middle of an imported
//!   stream, which used to leave streams with holes.
//!
//! The cost: while the import runs, commands on this database wait, and its transaction holds
//! the cluster-wide horizon back (see the sequencer) — an import is maintenance, done before
//! the service starts, and says so by refusing to run beside a sequencer.
//!
//! The sequencer resumes from the last log row's `(tx_id, id)` and sequences only rows after it
//! in that order. Imported rows are therefore written with the fixed transaction id
//! [`IMPORTED_TX_ID`], below that of any real transaction: the sequencer, started after the
//! import, resumes after the last imported row and can neither re-sequence an imported row
//! nor skip an event that a writer committed after the import (its real transaction id is
//! larger). Row ids are assigned in position order, so commit order and position order agree
//! for the imported rows too.

use sqlx::{Postgres, Transaction};

use super::sequencer::SEQUENCER_LOCK;
use super::PgStore;
use crate::counts::{to_i64, to_u64};
use crate::fault::OrStore;
use crate::transfer::{BatchWritten, ImportSink, ImportTarget, TransferError};
use rectiflow_engine::model::LoggedEvent;
use rectiflow_engine::StoreError;

/// The transaction id recorded on imported event rows: PostgreSQL's `FrozenTransactionId`,
/// "older than every transaction", which is what an imported history is.
pub const IMPORTED_TX_ID: &str = "2";

/// How long the import waits for its locks. Long enough for the session of a `serve` just
/// stopped (or an import just killed) to be ended by the server; short enough that an import
/// beside a running sequencer is refused at once rather than hanging.
const LOCK_WAIT: &str = "3s";

/// SQLSTATE `lock_not_available`: a lock was not granted within `lock_timeout`.
const LOCK_NOT_AVAILABLE: &str = "55P03";

/// The import writer of a PostgreSQL store: the open import transaction.
pub struct PgSink {
    store: PgStore,
    tx: Transaction<'static, Postgres>,
}

fn lock_not_available(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.code().as_deref() == Some(LOCK_NOT_AVAILABLE))
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
        // Every lock below is transaction-level: the rollback or commit that ends the import,
        // whichever way, releases them all. Dropping the transaction rolls it back.
        let mut tx = self.pool().begin().await?;
        // Named in pg_stat_activity while it runs (LOCAL: the pooled connection forgets it).
        sqlx::query(
            "SELECT set_config('application_name', 'rectiflow-import', true), \
                    set_config('lock_timeout', $1, true)",
        )
        .bind(LOCK_WAIT)
        .execute(&mut *tx)
        .await?;
        match sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(SEQUENCER_LOCK)
            .execute(&mut *tx)
            .await
        {
            Ok(_) => {}
            Err(error) if lock_not_available(&error) => {
                return Err(TransferError::SequencerRunning)
            }
            Err(error) => return Err(error.into()),
        }
        sqlx::query("LOCK TABLE events, log IN EXCLUSIVE MODE")
            .execute(&mut *tx)
            .await?;
        sqlx::query("SELECT set_config('lock_timeout', '0', true)")
            .execute(&mut *tx)
            .await?;
        // Checked again under the locks: a writer that committed before them is counted here.
        let events: i64 =
            sqlx::query_scalar("SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM log)")
                .fetch_one(&mut *tx)
                .await?;
        if events > 0 {
            return Err(TransferError::NotEmpty {
                events: events.unsigned_abs(),
            });
        }
        Ok(PgSink {
            store: self.clone(),
            tx,
        })
    }
}

impl ImportSink for PgSink {
    async fn write(&mut self, batch: &[LoggedEvent]) -> Result<BatchWritten, StoreError> {
        let (Some(first), Some(last)) = (batch.first(), batch.last()) else {
            return Ok(BatchWritten::All);
        };
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
        // The event rows (ids assigned in position order) and their log rows in one statement.
        // Each log row finds its event row by stream and version — unique, where the event id
        // was not always. An event whose id is taken is skipped rather than failing the
        // statement, so the shortfall can name it; the transaction stays usable to ask which.
        let written = sqlx::query(
            "WITH imported AS ( \
                 INSERT INTO events (tx_id, stream_type, stream_id, stream_version, event_id, \
                                     event_type, schema_version, payload, metadata, recorded_at) \
                 SELECT $1::text::xid8, st, si, v, e, t, s, p::jsonb, m::jsonb, r \
                 FROM UNNEST($2::text[], $3::text[], $4::bigint[], $5::uuid[], $6::text[], \
                             $7::text[], $8::text[], $9::text[], $10::timestamptz[]) \
                      WITH ORDINALITY AS u(st, si, v, e, t, s, p, m, r, ord) \
                 ORDER BY ord \
                 ON CONFLICT (event_id) DO NOTHING \
                 RETURNING id, stream_type, stream_id, stream_version) \
             INSERT INTO log (position, event_ref, hash) \
             SELECT x.position, imported.id, x.hash \
             FROM imported JOIN UNNEST($2::text[], $3::text[], $4::bigint[], $11::bigint[], \
                                       $12::bytea[]) AS x(st, si, v, position, hash) \
                           ON x.st = imported.stream_type AND x.si = imported.stream_id \
                          AND x.v = imported.stream_version",
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
        .execute(&mut *self.tx)
        .await
        .db()?
        .rows_affected();
        if written == n as u64 {
            return Ok(BatchWritten::All);
        }
        let stored: Vec<i64> =
            sqlx::query_scalar("SELECT position FROM log WHERE position BETWEEN $1 AND $2")
                .bind(to_i64(first.position))
                .bind(to_i64(last.position))
                .fetch_all(&mut *self.tx)
                .await
                .db()?;
        let stored = stored
            .into_iter()
            .map(|p| to_u64(p, "log position"))
            .collect::<Result<Vec<_>, _>>()?;
        let Some(skipped) = BatchWritten::skipped(batch, &stored) else {
            return Err(StoreError::corrupt(
                format!("imported positions {}..={}", first.position, last.position),
                format!("{written} of {n} events were written, yet none is missing"),
            ));
        };
        let holder: Option<i64> = sqlx::query_scalar(
            "SELECT l.position FROM events e JOIN log l ON l.event_ref = e.id \
             WHERE e.event_id = $1",
        )
        .bind(skipped.event.event_id)
        .fetch_optional(&mut *self.tx)
        .await
        .db()?;
        Ok(BatchWritten::DuplicateEventId {
            position: skipped.position,
            event_id: skipped.event.event_id,
            first: holder.map(|p| to_u64(p, "log position")).transpose()?,
        })
    }

    async fn finish(self, head: u64) -> Result<(), StoreError> {
        self.tx.commit().await.db()?;
        self.store.publish_head(head);
        Ok(())
    }

    async fn abort(self) -> Result<(), StoreError> {
        self.tx.rollback().await.db()
    }
}
