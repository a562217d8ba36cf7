//! The PostgreSQL backend. Everything PostgreSQL-specific lives in this folder — its SQL,
//! migrations, the sequencer, consumer leases, import and audit.
//!
//! Writers append to `events` with no global lock: a commit is one multi-row `INSERT` (or, with
//! a snapshot or an idempotency record, one short transaction), and the unique key on
//! `(stream_type, stream_id, stream_version)` turns a concurrent commit on the same stream into a
//! [`StoreError::Conflict`]. The [`sequencer`] then gives every committed event its place in the
//! global log, in commit order, and chains its hash.

mod audit;
mod blocked;
mod consumer;
mod erasure;
mod event_ids;
mod import;
mod migrate;
mod readmodel;
mod rows;
pub mod sequencer;
mod store;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use rectiflow_engine::{Supervisor, Worker};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;
use tokio::sync::{watch, Notify};
use tokio_util::sync::CancellationToken;

use rectiflow_engine::readmodel::{ReadModelStore, Row as ReadModelRow, Statement};
use rectiflow_engine::{EventStore, StoreError};
use sea_query::SelectStatement;

use crate::fault::OrStore;
use crate::fingerprint::{FingerprintKey, Fingerprinter};
pub use import::{PgSink, IMPORTED_TX_ID};
pub use readmodel::PgTx;
pub use sequencer::SequencerStats;

/// The channel the sequencer notifies after it assigns positions (payload: the new head).
pub(crate) const LOG_CHANNEL: &str = "rectiflow_log";
/// The channel writers in other processes notify after they commit (a wake-up only).
pub(crate) const COMMIT_CHANNEL: &str = "rectiflow_commit";

/// Connection settings for the PostgreSQL store.
#[derive(Debug, Clone)]
pub struct PgSettings {
    pub url: String,
    pub max_connections: u32,
    /// Events the sequencer assigns per batch.
    pub sequencer_batch: u32,
    /// Keys the fingerprints of keyed commands. PostgreSQL has no safe default: every process
    /// writing to one database must use the same key, and there is no file of its own beside
    /// the database to keep it in. Without one the store serves everything but keyed commands,
    /// which fail naming the missing key (`rectiflow serve` refuses to start without one).
    pub fingerprint_key: Option<FingerprintKey>,
}

impl PgSettings {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            max_connections: 16,
            sequencer_batch: 2_000,
            fingerprint_key: None,
        }
    }

    pub fn with_fingerprint_key(mut self, key: FingerprintKey) -> Self {
        self.fingerprint_key = Some(key);
        self
    }
}

/// The PostgreSQL event store. Cheap to clone; clones share one pool and one head signal.
#[derive(Clone)]
pub struct PgStore {
    inner: Arc<Inner>,
    /// Keys the fingerprints of keyed commands; `None` when no key was configured.
    fingerprints: Option<Fingerprinter>,
}

struct Inner {
    pool: PgPool,
    read_pool: PgPool,
    options: PgConnectOptions,
    settings: PgSettings,
    head: watch::Sender<u64>,
    /// Wakes the sequencer of this process after a local commit.
    local_commit: Notify,
    /// Wakes the task that tells other processes' sequencers about local commits.
    remote_commit: Notify,
    stats: SequencerStats,
}

impl PgStore {
    /// Connects (lazily: the pool opens connections as needed) and applies the migrations.
    pub async fn connect(settings: PgSettings) -> Result<Self, StoreError> {
        Self::open(settings, false).await
    }

    /// Connects for inspection (`verify`, `digest`, `export`): every session read-only, no
    /// migration — a role with SELECT on the tables is enough — and a database that is not a
    /// rectiflow store at this build's schema is refused rather than created. Start no workers
    /// on it.
    pub async fn inspect(settings: PgSettings) -> Result<Self, StoreError> {
        Self::open(settings, true).await
    }

    async fn open(settings: PgSettings, inspect: bool) -> Result<Self, StoreError> {
        let mut options =
            PgConnectOptions::from_str(&settings.url).map_err(|e| StoreError::InvalidUrl {
                url: redact(&settings.url),
                reason: e.to_string(),
            })?;
        if inspect {
            options = options.options([("default_transaction_read_only", "on")]);
        }
        // No ping before each acquire: it doubles the round trips of every statement. A
        // connection that died while idle fails its next statement instead and is discarded;
        // the caller sees an error it may retry (commands are idempotent with a key).
        let pool = PgPoolOptions::new()
            .max_connections(settings.max_connections)
            .acquire_timeout(Duration::from_secs(30))
            .test_before_acquire(false)
            .connect_with(options.clone())
            .await
            .db()?;
        // Readers of the log get their own small pool with custom plans: a generic plan made
        // while the tables were empty turns the log join into a full hash join once they are
        // large. Writers keep cached generic plans, which are right for them and cheaper.
        let read_pool = PgPoolOptions::new()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(30))
            .test_before_acquire(false)
            .connect_lazy_with(custom_plans(options.clone()));
        if inspect {
            migrate::check(&pool).await?;
        } else {
            migrate::run(&pool).await?;
        }
        sequencer::register_metrics();
        let (head, _) = watch::channel(0);
        let fingerprints = settings.fingerprint_key.as_ref().map(Fingerprinter::new);
        let store = Self {
            fingerprints,
            inner: Arc::new(Inner {
                pool,
                read_pool,
                options,
                settings,
                head,
                local_commit: Notify::new(),
                remote_commit: Notify::new(),
                stats: SequencerStats::default(),
            }),
        };
        let head = store.head().await?;
        store.inner.head.send_replace(head);
        Ok(store)
    }

    /// The background work of this process, as named workers for the supervisor: the
    /// sequencer (active in exactly one process per database, standing by in the others), the
    /// listener that learns of new positions from other processes, and the notifier that wakes
    /// other processes' sequencers. Each returns when its shutdown token is cancelled.
    pub fn workers(&self) -> Vec<Worker> {
        let (sequencer, listener, notifier) = (self.clone(), self.clone(), self.clone());
        vec![
            Worker::restarting("sequencer", move |shutdown| {
                let store = sequencer.clone();
                async move {
                    sequencer::run(store, shutdown).await;
                    Ok(())
                }
            }),
            Worker::restarting("log-listener", move |shutdown| {
                let store = listener.clone();
                async move {
                    sequencer::listen(store, shutdown).await;
                    Ok(())
                }
            }),
            Worker::restarting("commit-notifier", move |shutdown| {
                let store = notifier.clone();
                async move {
                    sequencer::notify_remote(store, shutdown).await;
                    Ok(())
                }
            }),
        ]
    }

    /// Starts [`Self::workers`] under a supervisor of their own, for tests and tools that run
    /// a store without the application.
    #[must_use = "dropping the supervisor stops the workers"]
    pub fn start(&self, shutdown: CancellationToken) -> Supervisor {
        let mut supervisor = Supervisor::new(shutdown);
        for worker in self.workers() {
            supervisor.add(worker);
        }
        supervisor
    }

    pub fn pool(&self) -> &PgPool {
        &self.inner.pool
    }

    /// This store, fingerprinting with `key` instead (tests; a tool checking another key).
    pub fn with_fingerprint_key(&self, key: &FingerprintKey) -> Self {
        Self {
            inner: self.inner.clone(),
            fingerprints: Some(Fingerprinter::new(key)),
        }
    }

    pub fn stats(&self) -> &SequencerStats {
        &self.inner.stats
    }

    pub(crate) fn connect_options(&self) -> &PgConnectOptions {
        &self.inner.options
    }

    pub(crate) fn settings(&self) -> &PgSettings {
        &self.inner.settings
    }

    pub(crate) fn publish_head(&self, position: u64) {
        self.inner.head.send_if_modified(|head| {
            if position > *head {
                *head = position;
                true
            } else {
                false
            }
        });
    }

    pub(crate) fn local_commit(&self) -> &Notify {
        &self.inner.local_commit
    }

    pub(crate) fn remote_commit(&self) -> &Notify {
        &self.inner.remote_commit
    }
}

impl ReadModelStore for PgStore {
    async fn execute(&self, statement: Statement) -> Result<u64, StoreError> {
        let mut conn = self.inner.pool.acquire().await.db()?;
        readmodel::execute(&mut conn, statement).await
    }

    async fn fetch(&self, query: SelectStatement) -> Result<Vec<ReadModelRow>, StoreError> {
        let mut conn = self.inner.read_pool.acquire().await.db()?;
        readmodel::fetch(&mut conn, query).await
    }
}

/// Settings for the log's readers (see [`PgStore::connect`]): always plan with the actual
/// parameters, and no parallel workers — on a small server their start-up costs more than a
/// page of the log takes to read (measured: 5,000-event pages went from 28k to 65k events/s).
pub(crate) fn custom_plans(options: PgConnectOptions) -> PgConnectOptions {
    options.options([
        ("plan_cache_mode", "force_custom_plan"),
        ("max_parallel_workers_per_gather", "0"),
    ])
}

/// The URL without its password, for error messages and logs.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}
