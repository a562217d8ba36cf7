//! The SQLite backend's streams and log: loads, the commit that checks the stream's version,
//! assigns the next positions and chains their hashes in one write transaction, and the reads
//! of the log.

use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite};
use tokio::sync::watch;

use rectiflow_engine::model::{
    Commit, IdempotencyRecord, LoggedEvent, RecordedEvent, Snapshot, StreamRef,
};
use rectiflow_engine::{EventStore, StoreError};

use super::store::{micros_to_time, to_i64, to_u64, to_u64_or_zero};
use super::SqliteStore;
use crate::chain::{self, GENESIS};
use crate::fault::{is_unique_violation, OrStore};

pub(crate) const EVENT_COLUMNS: &str =
    "position, stream_type, stream_id, stream_version, event_id, event_type, \
                             schema_version, payload, metadata, recorded_at";

impl EventStore for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    fn fingerprint(
        &self,
        stream: &StreamRef,
        body: &serde_json::Value,
    ) -> Result<String, StoreError> {
        Ok(self.fingerprints.fingerprint(stream, body))
    }

    async fn load_range(
        &self,
        stream: &StreamRef,
        from_version: u64,
        to_version: u64,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE stream_type = ? AND stream_id = ? \
             AND stream_version > ? AND stream_version <= ? ORDER BY stream_version"
        ))
        .bind(&stream.stream_type)
        .bind(&stream.stream_id)
        .bind(to_i64(from_version))
        .bind(to_i64(to_version))
        .fetch_all(self.pool())
        .await
        .db()?;
        rows.iter().map(Self::recorded_event).collect()
    }

    async fn load_snapshot(&self, stream: &StreamRef) -> Result<Option<Snapshot>, StoreError> {
        let row: Option<(i64, String, i64)> = sqlx::query_as(
            "SELECT version, state, fold_version FROM snapshots \
             WHERE stream_type = ? AND stream_id = ?",
        )
        .bind(&stream.stream_type)
        .bind(&stream.stream_id)
        .fetch_optional(self.pool())
        .await
        .db()?;
        row.map(|(version, state, fold_version)| {
            Ok(Snapshot {
                version: to_u64(version, format_args!("snapshot of {stream}"))?,
                state: serde_json::from_str(&state)
                    .map_err(|e| StoreError::corrupt(format!("snapshot of {stream}"), e))?,
                fold_version: crate::counts::to_fold_version(
                    fold_version,
                    format_args!("snapshot of {stream}"),
                )?,
            })
        })
        .transpose()
    }

    async fn find_idempotency(
        &self,
        actor: &str,
        key: &str,
    ) -> Result<Option<IdempotencyRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT actor, key, command_hash, stream_type, stream_id, from_version, to_version, \
             created_at, refusal_code FROM idempotency WHERE actor = ? AND key = ?",
        )
        .bind(actor)
        .bind(key)
        .fetch_optional(self.pool())
        .await
        .db()?;
        let Some(row) = row else { return Ok(None) };
        let location = format!("idempotency record {actor}/{key}");
        Ok(Some(IdempotencyRecord {
            actor: row.try_get("actor").db()?,
            key: row.try_get("key").db()?,
            command_hash: row.try_get("command_hash").db()?,
            stream: StreamRef {
                stream_type: row.try_get("stream_type").db()?,
                stream_id: row.try_get("stream_id").db()?,
            },
            from_version: to_u64(row.try_get("from_version").db()?, &location)?,
            to_version: to_u64(row.try_get("to_version").db()?, &location)?,
            created_at: micros_to_time(row.try_get("created_at").db()?, &location)?,
            refusal: crate::refusal::refusal_code(row.try_get("refusal_code").db()?, &location)?,
        }))
    }

    async fn commit(&self, commit: Commit) -> Result<u64, StoreError> {
        let new_version = commit.expected_version + commit.events.len() as u64;
        self.commit_all(vec![commit]).await?;
        Ok(new_version)
    }

    async fn commit_all(&self, commits: Vec<Commit>) -> Result<(), StoreError> {
        let _turn = self.write_turn("a commit").await?;
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await.db()?;
        // We hold the write lock: the log's end cannot move before we commit.
        let last: Option<(i64, Vec<u8>)> =
            sqlx::query_as("SELECT position, hash FROM events ORDER BY position DESC LIMIT 1")
                .fetch_optional(&mut *tx)
                .await
                .db()?;
        let mut end = match last {
            Some((p, h)) => (
                to_u64(p, "log position")?,
                chain::hash_from_bytes(&h).ok_or_else(|| {
                    StoreError::corrupt(format!("log position {p}"), "chain hash is not 32 bytes")
                })?,
            ),
            None => (0, GENESIS),
        };
        let start = end.0;
        for commit in &commits {
            // An error drops the transaction: nothing of the batch is written.
            write(&mut tx, commit, &mut end).await?;
        }
        tx.commit().await.db()?;
        if end.0 > start {
            self.publish_head(end.0);
        }
        Ok(())
    }

    async fn read_log(
        &self,
        after_position: u64,
        limit: u32,
    ) -> Result<Vec<LoggedEvent>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {EVENT_COLUMNS}, hash FROM events WHERE position > ? ORDER BY position LIMIT ?"
        ))
        .bind(to_i64(after_position))
        .bind(i64::from(limit))
        .fetch_all(self.pool())
        .await
        .db()?;
        rows.iter().map(logged).collect()
    }

    async fn head(&self) -> Result<u64, StoreError> {
        let head: Option<i64> = sqlx::query_scalar("SELECT max(position) FROM events")
            .fetch_one(self.pool())
            .await
            .db()?;
        to_u64_or_zero(head, "log head")
    }

    async fn committed(&self) -> Result<u64, StoreError> {
        // Positions are assigned in the committing transaction: every committed event has one.
        self.head().await
    }

    async fn last_stream_id(
        &self,
        stream_type: &str,
        prefix: &str,
    ) -> Result<Option<String>, StoreError> {
        // A stream exists from its first event: look at first events only. `substr` compares
        // the prefix as data (no LIKE pattern to escape).
        sqlx::query_scalar(
            "SELECT stream_id FROM events \
             WHERE stream_type = ?1 AND stream_version = 1 \
               AND substr(stream_id, 1, length(?2)) = ?2 \
             ORDER BY length(stream_id) DESC, stream_id DESC LIMIT 1",
        )
        .bind(stream_type)
        .bind(prefix)
        .fetch_optional(self.pool())
        .await
        .db()
    }

    async fn stream_ids(
        &self,
        stream_type: &str,
        after: &str,
        limit: u32,
    ) -> Result<Vec<String>, StoreError> {
        // A stream exists from its first event: one row per stream, ids compared byte by byte.
        sqlx::query_scalar(
            "SELECT stream_id FROM events \
             WHERE stream_type = ?1 AND stream_version = 1 AND stream_id > ?2 \
             ORDER BY stream_id LIMIT ?3",
        )
        .bind(stream_type)
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(self.pool())
        .await
        .db()
    }

    fn watch_head(&self) -> watch::Receiver<u64> {
        self.subscribe_head()
    }

    async fn purge_idempotency(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let _turn = self.write_turn("the idempotency purge").await?;
        let done = sqlx::query("DELETE FROM idempotency WHERE created_at < ?")
            .bind(before.timestamp_micros())
            .execute(self.pool())
            .await
            .db()?;
        Ok(done.rows_affected())
    }
}

/// Writes one commit inside the batch's transaction: checks the stream's version, keeps the
/// idempotency record, places the events after `end` (the log's last position and hash, moved
/// on) and keeps the snapshot.
async fn write(
    tx: &mut sqlx::Transaction<'static, Sqlite>,
    commit: &Commit,
    end: &mut (u64, [u8; 32]),
) -> Result<(), StoreError> {
    // We hold the write lock: these reads cannot change before we commit.
    let actual: Option<i64> = sqlx::query_scalar(
        "SELECT max(stream_version) FROM events WHERE stream_type = ? AND stream_id = ?",
    )
    .bind(&commit.stream.stream_type)
    .bind(&commit.stream.stream_id)
    .fetch_one(&mut **tx)
    .await
    .db()?;
    let actual = to_u64_or_zero(actual, format_args!("head of {}", commit.stream))?;
    if actual != commit.expected_version {
        return Err(StoreError::Conflict {
            stream: commit.stream.clone(),
            expected: commit.expected_version,
            actual,
        });
    }
    if let Some(record) = &commit.idempotency {
        let taken: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM idempotency WHERE actor = ? AND key = ?")
                .bind(&record.actor)
                .bind(&record.key)
                .fetch_optional(&mut **tx)
                .await
                .db()?;
        if taken.is_some() {
            return Err(StoreError::IdempotencyKeyReused {
                actor: record.actor.clone(),
                key: record.key.clone(),
            });
        }
        sqlx::query(
            "INSERT INTO idempotency (actor, key, command_hash, stream_type, stream_id, \
             from_version, to_version, created_at, refusal_code) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&record.actor)
        .bind(&record.key)
        .bind(&record.command_hash)
        .bind(&record.stream.stream_type)
        .bind(&record.stream.stream_id)
        .bind(to_i64(record.from_version))
        .bind(to_i64(record.to_version))
        .bind(record.created_at.timestamp_micros())
        .bind(&record.refusal)
        .execute(&mut **tx)
        .await
        .db()?;
    }
    if !commit.events.is_empty() {
        let (mut position, mut hash) = *end;
        let mut rows = Vec::with_capacity(commit.events.len());
        for (i, new) in commit.events.iter().enumerate() {
            position += 1;
            let event = RecordedEvent {
                stream: commit.stream.clone(),
                stream_version: commit.expected_version + 1 + i as u64,
                event_id: new.event_id,
                event_type: new.event_type.clone(),
                schema_version: new.schema_version.clone(),
                payload: new.payload.clone(),
                metadata: new.metadata.clone(),
                recorded_at: new.recorded_at,
            };
            hash = chain::chain_hash(&hash, position, &event);
            rows.push((position, event, hash));
        }
        *end = (position, hash);
        // At most 500 rows a statement: 11 parameters a row stays far below SQLite's limit
        // of 32,766 parameters, however large the commit.
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let chunk: Vec<_> = rows.by_ref().take(500).collect();
            let mut insert: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO events (position, stream_type, stream_id, stream_version, event_id, \
                 event_type, schema_version, payload, metadata, recorded_at, hash) ",
            );
            insert.push_values(chunk, |mut b, (position, event, hash)| {
                b.push_bind(to_i64(position))
                    .push_bind(event.stream.stream_type)
                    .push_bind(event.stream.stream_id)
                    .push_bind(to_i64(event.stream_version))
                    .push_bind(event.event_id.to_string())
                    .push_bind(event.event_type)
                    .push_bind(event.schema_version)
                    .push_bind(event.payload.to_string())
                    .push_bind(event.metadata.to_string())
                    .push_bind(event.recorded_at.timestamp_micros())
                    .push_bind(hash.to_vec());
            });
            if let Err(error) = insert.build().execute(&mut **tx).await {
                // The stream's version was checked under the write lock and the positions
                // follow the last one: the unique key left to trip is the event id's.
                if is_unique_violation(&error) {
                    if let Some(event_id) = super::event_ids::taken_id(tx, commit).await? {
                        return Err(StoreError::DuplicateEventId { event_id });
                    }
                }
                return Err(StoreError::backend(error));
            }
        }
    }
    if let Some(snapshot) = &commit.snapshot {
        sqlx::query(
            "INSERT INTO snapshots (stream_type, stream_id, version, state, fold_version) \
             VALUES (?, ?, ?, ?, ?) \
             ON CONFLICT (stream_type, stream_id) DO UPDATE \
             SET version = excluded.version, state = excluded.state, \
                 fold_version = excluded.fold_version \
             WHERE snapshots.version < excluded.version \
                OR snapshots.fold_version <> excluded.fold_version",
        )
        .bind(&commit.stream.stream_type)
        .bind(&commit.stream.stream_id)
        .bind(to_i64(snapshot.version))
        .bind(snapshot.state.to_string())
        .bind(i64::from(snapshot.fold_version))
        .execute(&mut **tx)
        .await
        .db()?;
    }
    Ok(())
}

/// A log row ([`EVENT_COLUMNS`] and `hash`) as the event it places.
pub(crate) fn logged(row: &SqliteRow) -> Result<LoggedEvent, StoreError> {
    let hash: Vec<u8> = row.try_get("hash").db()?;
    Ok(LoggedEvent {
        position: to_u64(row.try_get("position").db()?, "log position")?,
        hash: hex::encode(hash),
        event: SqliteStore::recorded_event(row)?,
    })
}
