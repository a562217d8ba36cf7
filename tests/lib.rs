//! Fixtures for the black-box tests: a store on each backend, a campaign's ports, a clock, and
//! the whole service started on a random port ([`spawn_app`]).
#![allow(clippy::unwrap_used)]

mod app;
mod proxy;

pub use app::{
    spawn_app, spawn_app_on, spawn_app_with, spawn_on, spawn_rehearsal, spawn_rehearsal_with, Db,
    ServerResult, Stopped, TestApp,
};
pub use proxy::Proxy;
pub use rectiflow::Serving;

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use rectiflow_domain::calendar::WorkingCalendar;
use rectiflow_domain::clock::ManualClock;
use rectiflow_domain::directory::Directory;
use rectiflow_domain::services::DomainServices;
use rectiflow_domain::services::SettingsSource;

// Everything the black-box tests take from the store and engine crates comes through these
// re-exports, so a move between those crates changes only these lines.
pub use rectiflow_engine::Supervisor;
pub use rectiflow_engine::{
    CancellationToken, CommandContext, EventStore, ExecuteError, Executor, Outcome, StreamRef,
};
pub use rectiflow_store::chain::{chain_hash, hash_from_bytes, GENESIS};
pub use rectiflow_store::testing::{admin_url, fresh_postgres_db, FreshDb};
pub use rectiflow_store::{FingerprintKey, KeyVault, PgSettings, PgStore, SqliteStore, Store};

/// An open store and what keeps it alive for the test.
pub struct Backend<S> {
    pub store: S,
    pub shutdown: CancellationToken,
    /// The store's background workers (the sequencer), stopped with the backend.
    _workers: Option<Supervisor>,
    _db: Option<FreshDb>,
    _dir: Option<tempfile::TempDir>,
}

impl<S> Drop for Backend<S> {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// A started PostgreSQL store on a fresh database, keying command fingerprints with a fresh key
/// (`None` only when the PostgreSQL tests are skipped: see [`fresh_postgres_db`]).
pub async fn postgres() -> Option<Backend<PgStore>> {
    let db = fresh_postgres_db().await?;
    let settings = PgSettings::new(&db.url).with_fingerprint_key(FingerprintKey::generate());
    let store = PgStore::connect(settings)
        .await
        .expect("open the PostgreSQL test store");
    let shutdown = CancellationToken::new();
    let workers = store.start(shutdown.clone());
    Some(Backend {
        store,
        shutdown,
        _workers: Some(workers),
        _db: Some(db),
        _dir: None,
    })
}

/// A SQLite store in a fresh temporary folder.
pub async fn sqlite() -> Backend<SqliteStore> {
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}", dir.path().join("rectiflow.db").display());
    let store = SqliteStore::connect(&url)
        .await
        .expect("open the SQLite test store");
    Backend {
        store,
        shutdown: CancellationToken::new(),
        _workers: None,
        _db: None,
        _dir: Some(dir),
    }
}

pub use rectiflow_domain::testing::fixtures::{person, unit};

/// A local time in Asia/Shanghai as a UTC instant.
pub fn shanghai(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    chrono_tz_shanghai()
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .expect("an unambiguous local time")
        .with_timezone(&Utc)
}

fn chrono_tz_shanghai() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// The campaign's ports: the given calendar, directory and settings (in the story, the county's
/// calendar, the organisation and the campaign read from the store), and the real key vault of
/// `store`.
pub fn services<S: Store>(
    store: &S,
    directory: Arc<dyn Directory>,
    settings: Arc<dyn SettingsSource>,
    calendar: Arc<dyn WorkingCalendar>,
) -> (DomainServices, KeyVault<S>) {
    let vault = KeyVault::new(store.clone());
    let services = DomainServices {
        calendar,
        directory,
        vault: Arc::new(vault.clone()),
        settings,
    };
    (services, vault)
}

pub fn clock_at(at: DateTime<Utc>) -> ManualClock {
    ManualClock::starting_at(at)
}

/// The chain digest at a log position, recomputed from the genesis hash (what a publication
/// carries as the digest at P).
pub use rectiflow_store::integrity::digest_at;
/// Progress reporting of long store walks (hidden in tests).
pub use rectiflow_store::transfer::Progress;
