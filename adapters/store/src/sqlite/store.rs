//! The SQLite event store: streams, the log and idempotency records in one file.

use std::collections::HashSet;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool};
use tokio::sync::watch;

use rectiflow_engine::model::{
    Commit, IdempotencyRecord, LoggedEvent, RecordedEvent, Snapshot, StreamRef,
};
use rectiflow_engine::readmodel::{ReadModelStore, Row as ReadModelRow, Statement};
use rectiflow_engine::{EventStore, StoreError};
use sea_query::SelectStatement;

use super::writer::{WriteTurn, Writer};
use crate::chain::{self, GENESIS};
use crate::fault::{is_unique_violation, OrStore};
use crate::fingerprint::{FingerprintKey, Fingerprinter};

/// The SQLite event store. Cheap to clone.
#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
    /// Keys the fingerprints of keyed commands (see [`SqliteStore::connect_with_key`]).
    fingerprints: Fingerprinter,
}

struct Inner {
    pool: SqlitePool,
    /// This process's writers, queued for SQLite's one write transaction.
    writer: Writer,
    head: watch::Sender<u64>,
    /// Consumers running in this process (SQLite is used by one process).
    leases: Mutex<HashSet<String>>,
}

pub(crate) use crate::counts::{to_i64, to_u64, to_u64_or_zero};

fn micros_to_time(micros: i64, location: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_micros(micros).ok_or_else(|| {
        StoreError::corrupt(location, format!("recorded_at {micros} is out of range"))
    })
}

impl SqliteStore {
    /// Opens (creating if missing) the database at `url` (`sqlite://path` or `sqlite::memory:`)
    /// and applies the migrations, with the default fingerprint key (see
    /// [`Self::connect_with_key`]).
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Self::connect_with_key(url, None).await
    }

    /// Opens the database at `url` as [`Self::connect`] does, keying command fingerprints with
    /// `key` — or, when `None`, with the key in the file beside the database
    /// (`<database>.fingerprint-key`, made at the first start: outside the database, so a copy
    /// or dump of it does not carry the key), or with a fresh key for an in-memory database,
    /// which dies with the process as its records do.
    pub async fn connect_with_key(
        url: &str,
        key: Option<FingerprintKey>,
    ) -> Result<Self, StoreError> {
        let options = Self::options(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // The log is a ledger: a commit that returned is on disk.
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(30))
            .foreign_keys(true)
            // Erasure deletes identity keys: deleted content is overwritten, not left in free
            // space (and the WAL is truncated after an erasure: see `super::erasure`).
            .pragma("secure_delete", "ON");
        let database_file = options.get_filename().to_owned();
        let in_memory = url.contains(":memory:");
        let pool = SqlitePoolOptions::new()
            // An in-memory database exists per connection: keep exactly one.
            .max_connections(if in_memory { 1 } else { 8 })
            .min_connections(if in_memory { 1 } else { 0 })
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await
            .db()?;
        super::migrate::run(&pool).await?;
        let key = match key {
            Some(key) => key,
            None if in_memory || url.contains("mode=memory") => FingerprintKey::generate(),
            None => FingerprintKey::read_or_create(&FingerprintKey::beside(&database_file))?,
        };
        Self::opened(pool, &key).await
    }

    /// Opens the existing database at `url` for inspection (`verify`, `digest`, `export`):
    /// read-only, never created, never migrated. A missing file, or one that is not a rectiflow
    /// store at this build's schema, is refused — a mistyped path must not report an intact,
    /// empty log. It runs no commands, so it reads no fingerprint key.
    pub async fn inspect(url: &str) -> Result<Self, StoreError> {
        let options = Self::options(url)?;
        if url.contains(":memory:") {
            return Err(StoreError::NotInspectable(
                "an in-memory database holds no store to inspect".into(),
            ));
        }
        let path = options.get_filename();
        if !path.is_file() {
            return Err(StoreError::NotInspectable(format!(
                "no store at {}: the file does not exist",
                path.display()
            )));
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(2)
            .connect_with(
                options
                    .read_only(true)
                    .create_if_missing(false)
                    .busy_timeout(Duration::from_secs(30)),
            )
            .await
            .db()?;
        super::migrate::check(&pool).await?;
        Self::opened(pool, &FingerprintKey::generate()).await
    }

    fn options(url: &str) -> Result<SqliteConnectOptions, StoreError> {
        SqliteConnectOptions::from_str(url).map_err(|e| StoreError::InvalidUrl {
            url: url.to_owned(),
            reason: e.to_string(),
        })
    }

    async fn opened(pool: SqlitePool, key: &FingerprintKey) -> Result<Self, StoreError> {
        let (head, _) = watch::channel(0);
        let store = Self {
            inner: Arc::new(Inner {
                pool,
                writer: Writer::default(),
                head,
                leases: Mutex::new(HashSet::new()),
            }),
            fingerprints: Fingerprinter::new(key),
        };
        let head = store.head().await?;
        store.inner.head.send_replace(head);
        Ok(store)
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.inner.pool
    }

    /// Waits for this process's turn to write (see [`super::writer`]).
    pub(crate) async fn write_turn(&self, what: &str) -> Result<WriteTurn, StoreError> {
        self.inner.writer.turn(what).await
    }

    /// This store, fingerprinting with `key` instead (tests; a tool checking another key).
    pub fn with_fingerprint_key(&self, key: &FingerprintKey) -> Self {
        Self {
            inner: self.inner.clone(),
            fingerprints: Fingerprinter::new(key),
        }
    }

    /// Moves the in-process head signal forward (never back).
    pub(crate) fn publish_head(&self, position: u64) {
        self.inner.head.send_if_modified(|h| {
            let moved = position > *h;
            *h = (*h).max(position);
            moved
        });
    }

    pub(crate) fn take_lease(&self, consumer: &str) -> bool {
        self.inner
            .leases
            .lock()
            .map(|mut leases| leases.insert(consumer.to_owned()))
            .unwrap_or(false)
    }

    pub(crate) fn release_lease(&self, consumer: &str) {
        if let Ok(mut leases) = self.inner.leases.lock() {
            leases.remove(consumer);
        }
    }

    fn recorded_event(row: &SqliteRow) -> Result<RecordedEvent, StoreError> {
        let position: i64 = row.try_get("position").db()?;
        let stream = StreamRef {
            stream_type: row.try_get("stream_type").db()?,
            stream_id: row.try_get("stream_id").db()?,
        };
        let version: i64 = row.try_get("stream_version").db()?;
        let location = format!("log position {position} ({stream} version {version})");
        let version = to_u64(version, &location)?;
        let event_id: String = row.try_get("event_id").db()?;
        let payload: String = row.try_get("payload").db()?;
        let metadata: String = row.try_get("metadata").db()?;
        Ok(RecordedEvent {
            event_id: uuid::Uuid::parse_str(&event_id)
                .map_err(|e| StoreError::corrupt(&location, format!("event id: {e}")))?,
            event_type: row.try_get("event_type").db()?,
            schema_version: row.try_get("schema_version").db()?,
            payload: serde_json::from_str(&payload)
                .map_err(|e| StoreError::corrupt(&location, format!("payload is not JSON: {e}")))?,
            metadata: serde_json::from_str(&metadata).map_err(|e| {
                StoreError::corrupt(&location, format!("metadata is not JSON: {e}"))
            })?,
            recorded_at: micros_to_time(row.try_get("recorded_at").db()?, &location)?,
            stream,
            stream_version: version,
        })
    }
}

const EVENT_COLUMNS: &str =
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
        .fetch_all(&self.inner.pool)
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
        .fetch_optional(&self.inner.pool)
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
        .fetch_optional(&self.inner.pool)
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
        let _turn = self.write_turn("a commit").await?;
        let mut tx = self.inner.pool.begin_with("BEGIN IMMEDIATE").await.db()?;
        // We hold the write lock: these reads cannot change before we commit.
        let actual: Option<i64> = sqlx::query_scalar(
            "SELECT max(stream_version) FROM events WHERE stream_type = ? AND stream_id = ?",
        )
        .bind(&commit.stream.stream_type)
        .bind(&commit.stream.stream_id)
        .fetch_one(&mut *tx)
        .await
        .db()?;
        let actual = to_u64_or_zero(actual, format_args!("head of {}", commit.stream))?;
        if actual != commit.expected_version {
            return Err(StoreError::Conflict {
                stream: commit.stream,
                expected: commit.expected_version,
                actual,
            });
        }
        if let Some(record) = &commit.idempotency {
            let taken: Option<i64> =
                sqlx::query_scalar("SELECT 1 FROM idempotency WHERE actor = ? AND key = ?")
                    .bind(&record.actor)
                    .bind(&record.key)
                    .fetch_optional(&mut *tx)
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
            .execute(&mut *tx)
            .await
            .db()?;
        }
        let mut head = 0;
        if !commit.events.is_empty() {
            let last: Option<(i64, Vec<u8>)> =
                sqlx::query_as("SELECT position, hash FROM events ORDER BY position DESC LIMIT 1")
                    .fetch_optional(&mut *tx)
                    .await
                    .db()?;
            let (mut position, mut hash) = match last {
                Some((p, h)) => (
                    to_u64(p, "log position")?,
                    chain::hash_from_bytes(&h).ok_or_else(|| {
                        StoreError::corrupt(
                            format!("log position {p}"),
                            "chain hash is not 32 bytes",
                        )
                    })?,
                ),
                None => (0, GENESIS),
            };
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
            head = position;
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
                if let Err(error) = insert.build().execute(&mut *tx).await {
                    // The stream's version was checked under the write lock and the positions
                    // follow the last one: the unique key left to trip is the event id's.
                    if is_unique_violation(&error) {
                        if let Some(event_id) = super::event_ids::taken_id(&mut tx, &commit).await?
                        {
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
            .execute(&mut *tx)
            .await
            .db()?;
        }
        tx.commit().await.db()?;
        if head > 0 {
            self.publish_head(head);
        }
        Ok(commit.expected_version + commit.events.len() as u64)
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
        .fetch_all(&self.inner.pool)
        .await
        .db()?;
        rows.iter()
            .map(|row| {
                let hash: Vec<u8> = row.try_get("hash").db()?;
                Ok(LoggedEvent {
                    position: to_u64(row.try_get("position").db()?, "log position")?,
                    hash: hex::encode(hash),
                    event: Self::recorded_event(row)?,
                })
            })
            .collect()
    }

    async fn head(&self) -> Result<u64, StoreError> {
        let head: Option<i64> = sqlx::query_scalar("SELECT max(position) FROM events")
            .fetch_one(&self.inner.pool)
            .await
            .db()?;
        to_u64_or_zero(head, "log head")
    }

    fn watch_head(&self) -> watch::Receiver<u64> {
        self.inner.head.subscribe()
    }

    async fn purge_idempotency(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let _turn = self.write_turn("the idempotency purge").await?;
        let done = sqlx::query("DELETE FROM idempotency WHERE created_at < ?")
            .bind(before.timestamp_micros())
            .execute(&self.inner.pool)
            .await
            .db()?;
        Ok(done.rows_affected())
    }
}

impl ReadModelStore for SqliteStore {
    async fn execute(&self, statement: Statement) -> Result<u64, StoreError> {
        let _turn = self.write_turn("a read-model statement").await?;
        let mut conn = self.inner.pool.acquire().await.db()?;
        super::readmodel::execute(&mut conn, statement).await
    }

    async fn fetch(&self, query: SelectStatement) -> Result<Vec<ReadModelRow>, StoreError> {
        let mut conn = self.inner.pool.acquire().await.db()?;
        super::readmodel::fetch(&mut conn, query).await
    }
}
