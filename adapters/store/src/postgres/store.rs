//! The PostgreSQL backend's streams: loading a stream (with its snapshot and, for a keyed
//! command, its idempotency record) in one round trip, and committing in one statement.

use chrono::{DateTime, Utc};
use sqlx::Row;
use tokio::sync::watch;

use rectiflow_engine::model::{
    Commit, IdempotencyRecord, LoggedEvent, RecordedEvent, Snapshot, StreamRef,
};
use rectiflow_engine::{EventStore, Loaded, StoreError};

use super::{event_ids, rows, PgStore};
use crate::fault::{is_unique_violation, OrStore};

// The load statement, with and without the idempotency record (part 2): an unkeyed command's
// load leaves that part out rather than switching it off by a NULL parameter, as each part
// costs PostgreSQL plan nodes to set up on every execution.
macro_rules! load_stream {
    () => {
        "WITH snap AS (SELECT version, state, fold_version FROM snapshots \
                       WHERE stream_type = $1 AND stream_id = $2) \
         SELECT 0 AS part, version AS stream_version, state AS payload, NULL::uuid AS event_id, \
                NULL::text AS event_type, NULL::text AS schema_version, NULL::jsonb AS metadata, \
                NULL::timestamptz AS recorded_at, fold_version \
         FROM snap \
         UNION ALL \
         SELECT 1, stream_version, payload, event_id, event_type, schema_version, \
                '{}'::jsonb, recorded_at, NULL \
         FROM events WHERE stream_type = $1 AND stream_id = $2 \
           AND stream_version > COALESCE((SELECT version FROM snap), 0) "
    };
}
const LOAD: &str = concat!(load_stream!(), "ORDER BY part, stream_version");
const LOAD_KEYED: &str = concat!(
    load_stream!(),
    "UNION ALL \
     SELECT 2, to_version, jsonb_build_object('command_hash', command_hash, \
            'stream_type', stream_type, 'stream_id', stream_id, 'from_version', from_version, \
            'refusal_code', refusal_code), \
            NULL, NULL, NULL, NULL, created_at, NULL \
     FROM idempotency WHERE actor = $3 AND key = $4 \
     ORDER BY part, stream_version"
);

impl PgStore {
    /// A commit's statement returns the head it saw: anything but the expected version is a
    /// conflict (nothing was written).
    fn check_head(&self, commit: &Commit, head: i64) -> Result<(), StoreError> {
        if head == rows::to_i64(commit.expected_version) {
            return Ok(());
        }
        Err(StoreError::Conflict {
            actual: rows::to_u64(head, format_args!("head of {}", commit.stream))?,
            stream: commit.stream.clone(),
            expected: commit.expected_version,
        })
    }

    /// What a commit's failed statement means: a taken idempotency key, a repeated event id,
    /// a stream that moved (the events' unique key), or a fault of the database.
    async fn refused(&self, commit: Commit, error: sqlx::Error) -> StoreError {
        if !is_unique_violation(&error) {
            return StoreError::backend(error);
        }
        let constraint = match &error {
            sqlx::Error::Database(db) => db.constraint().map(str::to_owned),
            _ => None,
        };
        if constraint.as_deref() == Some("idempotency_pkey") {
            let record = commit.idempotency.as_ref();
            StoreError::IdempotencyKeyReused {
                actor: record.map(|r| r.actor.clone()).unwrap_or_default(),
                key: record.map(|r| r.key.clone()).unwrap_or_default(),
            }
        } else if constraint.as_deref() == Some(event_ids::EVENT_ID_UNIQUE) {
            // Not a lost race: a retry on reloaded state would hide the repeat.
            match event_ids::taken_id(&self.inner.pool, &commit).await {
                Ok(Some(event_id)) => StoreError::DuplicateEventId { event_id },
                Ok(None) => StoreError::backend(error),
                Err(lookup) => lookup,
            }
        } else {
            match self.actual_version(&commit.stream).await {
                Ok(actual) => StoreError::Conflict {
                    actual,
                    stream: commit.stream,
                    expected: commit.expected_version,
                },
                Err(lookup) => lookup,
            }
        }
    }

    async fn actual_version(&self, stream: &StreamRef) -> Result<u64, StoreError> {
        let version: Option<i64> = sqlx::query_scalar(
            "SELECT max(stream_version) FROM events WHERE stream_type = $1 AND stream_id = $2",
        )
        .bind(&stream.stream_type)
        .bind(&stream.stream_id)
        .fetch_one(&self.inner.pool)
        .await
        .db()?;
        rows::to_u64_or_zero(version, format_args!("head of {stream}"))
    }

    /// One round trip for everything a command needs before it runs: the idempotency record of
    /// `(actor, key)` if asked (part 2), the snapshot (part 0) and the events after it (part 1).
    /// The events come without their metadata (an empty object): a fold never reads it, and
    /// reading and parsing it cost every command on a long stream.
    async fn load_stream(
        &self,
        stream: &StreamRef,
        key: Option<(&str, &str)>,
    ) -> Result<(Option<IdempotencyRecord>, Loaded), StoreError> {
        let statement = if key.is_some() { LOAD_KEYED } else { LOAD };
        let rows = sqlx::query(statement)
            .bind(&stream.stream_type)
            .bind(&stream.stream_id)
            .bind(key.map(|(actor, _)| actor))
            .bind(key.map(|(_, key)| key))
            .fetch_all(&self.inner.pool)
            .await
            .db()?;
        let mut snapshot = None;
        let mut record = None;
        let mut events = Vec::with_capacity(rows.len());
        for row in &rows {
            let part: i32 = row.try_get("part").db()?;
            match part {
                0 => {
                    snapshot = Some(Snapshot {
                        version: rows::to_u64(
                            row.try_get("stream_version").db()?,
                            format_args!("snapshot of {stream}"),
                        )?,
                        state: row.try_get("payload").db()?,
                        fold_version: crate::counts::to_fold_version(
                            row.try_get("fold_version").db()?,
                            format_args!("snapshot of {stream}"),
                        )?,
                    })
                }
                1 => events.push(
                    rows::stream_event(stream, row).map_err(|e| rows::located(stream, row, e))?,
                ),
                _ => {
                    let (actor, key) = key.ok_or_else(|| {
                        StoreError::corrupt(
                            format!("load of {stream}"),
                            "an idempotency record came back unasked",
                        )
                    })?;
                    record = Some(rows::packed_idempotency_record(row, actor, key)?);
                }
            }
        }
        Ok((record, (snapshot, events)))
    }

    /// Writes the commit; returns the stream's head as the statement saw it (the commit
    /// wrote nothing unless that equals the expected version).
    async fn write(&self, commit: &Commit) -> Result<i64, sqlx::Error> {
        let row = rows::commit_statement(commit)
            .fetch_one(&self.inner.pool)
            .await?;
        row.try_get("head")
    }
}

impl EventStore for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    fn fingerprint(
        &self,
        stream: &StreamRef,
        body: &serde_json::Value,
    ) -> Result<String, StoreError> {
        let fingerprints = self.fingerprints.as_ref().ok_or_else(|| {
            StoreError::FingerprintKey(
                "none configured, and keyed commands need one on PostgreSQL \
                 (fingerprint_key_file; see ops/RUNBOOK.md)"
                    .into(),
            )
        })?;
        Ok(fingerprints.fingerprint(stream, body))
    }

    async fn load_range(
        &self,
        stream: &StreamRef,
        from_version: u64,
        to_version: u64,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT stream_type, stream_id, stream_version, event_id, event_type, schema_version, \
                    payload, metadata, recorded_at \
             FROM events WHERE stream_type = $1 AND stream_id = $2 \
               AND stream_version > $3 AND stream_version <= $4 \
             ORDER BY stream_version",
        )
        .bind(&stream.stream_type)
        .bind(&stream.stream_id)
        .bind(rows::to_i64(from_version))
        .bind(rows::to_i64(to_version))
        .fetch_all(&self.inner.pool)
        .await
        .db()?;
        rows.iter()
            .map(|row| rows::recorded_event(row).map_err(|e| rows::located(stream, row, e)))
            .collect()
    }

    async fn load_latest(
        &self,
        stream: &StreamRef,
    ) -> Result<(Option<Snapshot>, Vec<RecordedEvent>), StoreError> {
        let (_, loaded) = self.load_stream(stream, None).await?;
        Ok(loaded)
    }

    async fn load_for_keyed_command(
        &self,
        stream: &StreamRef,
        actor: &str,
        key: &str,
    ) -> Result<(Option<IdempotencyRecord>, Loaded), StoreError> {
        self.load_stream(stream, Some((actor, key))).await
    }

    async fn load_snapshot(&self, stream: &StreamRef) -> Result<Option<Snapshot>, StoreError> {
        let row: Option<(i64, serde_json::Value, i64)> = sqlx::query_as(
            "SELECT version, state, fold_version FROM snapshots \
             WHERE stream_type = $1 AND stream_id = $2",
        )
        .bind(&stream.stream_type)
        .bind(&stream.stream_id)
        .fetch_optional(&self.inner.pool)
        .await
        .db()?;
        row.map(|(version, state, fold_version)| {
            Ok(Snapshot {
                version: rows::to_u64(version, format_args!("snapshot of {stream}"))?,
                state,
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
             created_at, refusal_code FROM idempotency WHERE actor = $1 AND key = $2",
        )
        .bind(actor)
        .bind(key)
        .fetch_optional(&self.inner.pool)
        .await
        .db()?;
        row.as_ref().map(rows::idempotency_record).transpose()
    }

    async fn commit(&self, commit: Commit) -> Result<u64, StoreError> {
        let new_version = commit.expected_version + commit.events.len() as u64;
        let head = match self.write(&commit).await {
            Ok(head) => head,
            Err(error) => return Err(self.refused(commit, error).await),
        };
        self.check_head(&commit, head)?;
        if !commit.events.is_empty() {
            self.inner.local_commit.notify_one();
            self.inner.remote_commit.notify_one();
        }
        Ok(new_version)
    }

    async fn commit_all(&self, commits: Vec<Commit>) -> Result<(), StoreError> {
        let mut tx = self.inner.pool.begin().await.db()?;
        let mut failed = None;
        for commit in &commits {
            let written = rows::commit_statement(commit)
                .fetch_one(&mut *tx)
                .await
                .and_then(|row| row.try_get::<i64, _>("head"));
            match written {
                Ok(head) => {
                    if let Err(error) = self.check_head(commit, head) {
                        failed = Some(Err(error));
                        break;
                    }
                }
                Err(error) => {
                    failed = Some(Ok((commit.clone(), error)));
                    break;
                }
            }
        }
        match failed {
            None => {
                tx.commit().await.db()?;
                if commits.iter().any(|c| !c.events.is_empty()) {
                    self.inner.local_commit.notify_one();
                    self.inner.remote_commit.notify_one();
                }
                Ok(())
            }
            Some(failure) => {
                // Rolled back before the failure is looked into: its reads see what stands. A
                // rollback that fails (a dropped connection) leaves nothing written either way.
                if let Err(error) = tx.rollback().await {
                    tracing::warn!(%error, "rolling a failed batch back");
                }
                match failure {
                    Err(conflict) => Err(conflict),
                    Ok((commit, error)) => {
                        // An id repeated by two commits of the batch: the rollback took the
                        // first one's row, so only the batch itself can name it.
                        if is_unique_violation(&error) {
                            if let Some(event_id) = crate::event_ids::repeated_across(&commits) {
                                return Err(StoreError::DuplicateEventId { event_id });
                            }
                        }
                        Err(self.refused(commit, error).await)
                    }
                }
            }
        }
    }

    async fn read_log(
        &self,
        after_position: u64,
        limit: u32,
    ) -> Result<Vec<LoggedEvent>, StoreError> {
        let rows = sqlx::query(&format!(
            "{} WHERE l.position > $1 ORDER BY l.position LIMIT $2",
            rows::LOGGED
        ))
        .bind(rows::to_i64(after_position))
        .bind(i64::from(limit))
        .fetch_all(&self.inner.read_pool)
        .await
        .db()?;
        rows.iter().map(rows::logged_event).collect()
    }

    async fn head(&self) -> Result<u64, StoreError> {
        let head: Option<i64> = sqlx::query_scalar("SELECT max(position) FROM log")
            .fetch_one(&self.inner.pool)
            .await
            .db()?;
        rows::to_u64_or_zero(head, "log head")
    }

    async fn committed(&self) -> Result<u64, StoreError> {
        let committed: Option<i64> = sqlx::query_scalar("SELECT count(*) FROM events")
            .fetch_one(&self.inner.pool)
            .await
            .db()?;
        rows::to_u64_or_zero(committed, "committed events")
    }

    async fn last_stream_id(
        &self,
        stream_type: &str,
        prefix: &str,
    ) -> Result<Option<String>, StoreError> {
        // A stream exists from its first event: look at first events only. `starts_with` takes
        // the prefix as data (no LIKE pattern to escape).
        sqlx::query_scalar(
            "SELECT stream_id FROM events \
             WHERE stream_type = $1 AND stream_version = 1 AND starts_with(stream_id, $2) \
             ORDER BY length(stream_id) DESC, stream_id DESC LIMIT 1",
        )
        .bind(stream_type)
        .bind(prefix)
        .fetch_optional(&self.inner.pool)
        .await
        .db()
    }

    async fn stream_ids(
        &self,
        stream_type: &str,
        after: &str,
        limit: u32,
    ) -> Result<Vec<String>, StoreError> {
        // A stream exists from its first event: one row per stream. `COLLATE "C"` orders ids
        // byte by byte, as SQLite does, whatever the database's collation.
        sqlx::query_scalar(
            "SELECT stream_id FROM events \
             WHERE stream_type = $1 AND stream_version = 1 AND stream_id COLLATE \"C\" > $2 \
             ORDER BY stream_id COLLATE \"C\" LIMIT $3",
        )
        .bind(stream_type)
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&self.inner.pool)
        .await
        .db()
    }

    fn watch_head(&self) -> watch::Receiver<u64> {
        self.inner.head.subscribe()
    }

    async fn purge_idempotency(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM idempotency WHERE created_at < $1")
            .bind(before)
            .execute(&self.inner.pool)
            .await
            .db()?;
        Ok(done.rows_affected())
    }
}
