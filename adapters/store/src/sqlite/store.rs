//! The SQLite event store: streams, the log and idempotency records in one file.

use std::collections::HashSet;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Row, SqlitePool};
use tokio::sync::watch;

use rectiflow_engine::model::{RecordedEvent, StreamRef};
use rectiflow_engine::readmodel::{ReadModelStore, Row as ReadModelRow, Statement};
use rectiflow_engine::{EventStore, StoreError};
use sea_query::SelectStatement;

use super::writer::{WriteTurn, Writer};
use crate::fault::OrStore;
use crate::fingerprint::{FingerprintKey, Fingerprinter};

/// The SQLite event store. Cheap to clone.
#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
    /// Keys the fingerprints of keyed commands (see [`SqliteStore::connect_with_key`]).
    pub(super) fingerprints: Fingerprinter,
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

pub(crate) fn micros_to_time(micros: i64, location: &str) -> Result<DateTime<Utc>, StoreError> {
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
    pub(crate) fn subscribe_head(&self) -> watch::Receiver<u64> {
        self.inner.head.subscribe()
    }

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

    pub(crate) fn recorded_event(row: &SqliteRow) -> Result<RecordedEvent, StoreError> {
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

impl ReadModelStore for SqliteStore {
    async fn execute(&self, statement: Statement) -> Result<u64, StoreError> {
        let _turn = self.write_turn("a read-model statement").await?;
        let mut conn = self.inner.pool.acquire().await.db()?;
        super::readmodel::execute(&mut conn, statement).await
    }

    async fn fetch(&self, query: SelectStatement) -> Result<Vec<ReadModelRow>, StoreError> {
        let mut conn = self.inner.pool.acquire().await.db()?;
        super::readmodel::fetch_current(&mut conn, query).await
    }
}
