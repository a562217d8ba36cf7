//! Choosing a backend at run time from a database URL.

use std::path::Path;

use chrono::{DateTime, Utc};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use crate::error::StoreError;
use crate::model::{Commit, IdempotencyRecord, LoggedEvent, RecordedEvent, Snapshot, StreamRef};
use crate::postgres::{redact, PgSettings, PgStore};
use crate::sqlite::SqliteStore;
use crate::store::{Backend, EventStore, Loaded};

/// The embedded default: a SQLite file under `./data/`, needing no other service.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/rectiflow.db";

/// Either backend, chosen by URL scheme.
#[derive(Clone)]
pub enum AnyStore {
    Postgres(PgStore),
    Sqlite(SqliteStore),
}

impl AnyStore {
    /// Opens the store at `url` (`postgres://…`, `postgresql://…`, `sqlite://path`,
    /// `sqlite::memory:`) and applies the migrations. For a SQLite file the parent folder is
    /// created if missing.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(
                PgStore::connect(PgSettings::new(url)).await?,
            ));
        }
        if let Some(rest) = url.strip_prefix("sqlite:") {
            let path = rest.trim_start_matches("//");
            let path = path.split('?').next().unwrap_or(path);
            if !path.is_empty() && path != ":memory:" {
                if let Some(parent) = Path::new(path).parent() {
                    if !parent.as_os_str().is_empty() {
                        std::fs::create_dir_all(parent).map_err(|e| StoreError::InvalidUrl {
                            url: url.to_owned(),
                            reason: format!("cannot create folder {}: {e}", parent.display()),
                        })?;
                    }
                }
            }
            return Ok(Self::Sqlite(SqliteStore::connect(url).await?));
        }
        Err(StoreError::InvalidUrl {
            url: redact(url),
            reason: "expected postgres://…, postgresql://… or sqlite://…".into(),
        })
    }

    /// Starts the store's background work (the PostgreSQL sequencer and listeners; nothing on
    /// SQLite).
    pub fn start(&self, shutdown: CancellationToken) -> Vec<tokio::task::JoinHandle<()>> {
        match self {
            Self::Postgres(store) => store.start(shutdown),
            Self::Sqlite(_) => Vec::new(),
        }
    }
}

macro_rules! delegate {
    ($self:ident, $store:ident => $call:expr) => {
        match $self {
            AnyStore::Postgres($store) => $call,
            AnyStore::Sqlite($store) => $call,
        }
    };
}

impl EventStore for AnyStore {
    fn backend(&self) -> Backend {
        delegate!(self, s => s.backend())
    }

    async fn load_range(
        &self,
        stream: &StreamRef,
        from_version: u64,
        to_version: u64,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        delegate!(self, s => s.load_range(stream, from_version, to_version).await)
    }

    async fn load_snapshot(&self, stream: &StreamRef) -> Result<Option<Snapshot>, StoreError> {
        delegate!(self, s => s.load_snapshot(stream).await)
    }

    async fn load_latest(&self, stream: &StreamRef) -> Result<Loaded, StoreError> {
        delegate!(self, s => s.load_latest(stream).await)
    }

    async fn load_for_keyed_command(
        &self,
        stream: &StreamRef,
        actor: &str,
        key: &str,
    ) -> Result<(Option<IdempotencyRecord>, Loaded), StoreError> {
        delegate!(self, s => s.load_for_keyed_command(stream, actor, key).await)
    }

    async fn find_idempotency(
        &self,
        actor: &str,
        key: &str,
    ) -> Result<Option<IdempotencyRecord>, StoreError> {
        delegate!(self, s => s.find_idempotency(actor, key).await)
    }

    async fn commit(&self, commit: Commit) -> Result<u64, StoreError> {
        delegate!(self, s => s.commit(commit).await)
    }

    async fn read_log(
        &self,
        after_position: u64,
        limit: u32,
    ) -> Result<Vec<LoggedEvent>, StoreError> {
        delegate!(self, s => s.read_log(after_position, limit).await)
    }

    async fn head(&self) -> Result<u64, StoreError> {
        delegate!(self, s => s.head().await)
    }

    fn watch_head(&self) -> watch::Receiver<u64> {
        delegate!(self, s => s.watch_head())
    }

    async fn purge_idempotency(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        delegate!(self, s => s.purge_idempotency(before).await)
    }
}
