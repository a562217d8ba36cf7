//! Opening whichever backend a database URL names. The choice is made once, here; everything
//! after it — the application, the consumers, the CLI's custody commands — is generic over
//! [`Store`] and runs on the backend it is handed (see [`with_store!`](crate::with_store)).

use std::future::Future;
use std::path::Path;

use rectiflow_engine::consumer::ConsumerStore;
use rectiflow_engine::readmodel::{ReadModelStore, ScratchStore};
use rectiflow_engine::{StoreError, Worker};

use crate::fingerprint::FingerprintKey;
use crate::integrity::LogAudit;
use crate::postgres::{redact, PgSettings, PgStore};
use crate::sqlite::SqliteStore;
use crate::transfer::ImportTarget;
use crate::vault::Shred;

/// The embedded default: a SQLite file under `./data/`, needing no other service.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/rectiflow.db";

/// Everything a backend offers: the engine's ports, and the custody the CLI needs. Both
/// backends implement it; code written against it runs on either.
pub trait Store:
    ConsumerStore + ReadModelStore + ScratchStore + LogAudit + ImportTarget + Shred
{
    /// The store's own background work, as named workers for the supervisor (the PostgreSQL
    /// sequencer and its listeners; nothing on SQLite).
    fn workers(&self) -> Vec<Worker>;

    /// Whether positions are assigned after the commit by a sequencer (PostgreSQL), which can
    /// be blocked, rather than in the commit itself (SQLite).
    fn sequenced(&self) -> bool;

    /// Why positions are not being assigned, when the store is stuck (a row it cannot read).
    /// Read from the database, so every process gives the same answer, not only the one
    /// holding the sequencer; always `None` without a sequencer.
    fn blocked(&self) -> impl Future<Output = Result<Option<String>, StoreError>> + Send;
}

/// One opened backend.
#[derive(Clone)]
pub enum AnyStore {
    Postgres(PgStore),
    Sqlite(SqliteStore),
}

/// Runs `$body` with `$store` bound to the backend an [`AnyStore`] holds — the one place a
/// program turns the run-time choice into a static type.
#[macro_export]
macro_rules! with_store {
    ($any:expr, $store:ident => $body:expr) => {
        match $any {
            $crate::AnyStore::Postgres($store) => $body,
            $crate::AnyStore::Sqlite($store) => $body,
        }
    };
}

/// Whether `url` names a PostgreSQL database (rather than SQLite).
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

impl AnyStore {
    /// Opens the store at `url` (`postgres://…`, `postgresql://…`, `sqlite://path`,
    /// `sqlite::memory:`) and applies the migrations. For a SQLite file the parent folder is
    /// created if missing. Command fingerprints use each backend's default key: on SQLite the
    /// key file beside the database, on PostgreSQL none (keyed commands then fail) — see
    /// [`Self::open_with_key`].
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        Self::open_with_key(url, None).await
    }

    /// Opens the store at `url` as [`Self::open`] does, fingerprinting keyed commands with
    /// `key` (when `None`, the backend's default).
    pub async fn open_with_key(url: &str, key: Option<FingerprintKey>) -> Result<Self, StoreError> {
        if is_postgres_url(url) {
            let mut settings = PgSettings::new(url);
            settings.fingerprint_key = key;
            return Ok(Self::Postgres(PgStore::connect(settings).await?));
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
            return Ok(Self::Sqlite(SqliteStore::connect_with_key(url, key).await?));
        }
        Err(unknown_scheme(url))
    }

    /// Opens the existing store at `url` for inspection — `verify`, `digest`, `export`: read
    /// only, never created or migrated, so an auditor's SELECT-only role can run them and a
    /// mistyped URL is an error rather than a new, empty, "intact" log. Start no workers on it.
    pub async fn inspect(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(
                PgStore::inspect(PgSettings::new(url)).await?,
            ));
        }
        if url.starts_with("sqlite:") {
            return Ok(Self::Sqlite(SqliteStore::inspect(url).await?));
        }
        Err(unknown_scheme(url))
    }
}

fn unknown_scheme(url: &str) -> StoreError {
    StoreError::InvalidUrl {
        url: redact(url),
        reason: "expected postgres://…, postgresql://… or sqlite://…".into(),
    }
}

impl Store for PgStore {
    fn workers(&self) -> Vec<Worker> {
        PgStore::workers(self)
    }

    fn sequenced(&self) -> bool {
        true
    }

    async fn blocked(&self) -> Result<Option<String>, StoreError> {
        PgStore::blocked(self).await
    }
}

impl Store for SqliteStore {
    fn workers(&self) -> Vec<Worker> {
        Vec::new()
    }

    fn sequenced(&self) -> bool {
        false
    }

    async fn blocked(&self) -> Result<Option<String>, StoreError> {
        Ok(None)
    }
}
