//! Shared fixtures of the conformance suite: a fresh database per test on each backend, a
//! counting aggregate, and the raw SQL a test needs to plant old, corrupt or rolled-back rows.
#![allow(dead_code)]

pub mod counter;
pub mod follower;
pub mod golden;
pub mod racing;
mod raw;

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rectiflow_engine::consumer::{ConsumerStore, Handler, HandlerError};
use rectiflow_engine::readmodel::sea_query::{ColumnDef, Iden, Query, Table};
use rectiflow_engine::readmodel::{ReadModelStore, ReadModels};
use rectiflow_engine::{CancellationToken, EventStore, LoggedEvent, StreamRef, Supervisor};
use rectiflow_store::vault::Shred;
use rectiflow_store::{FingerprintKey, PgSettings, PgStore, SqliteStore};
use uuid::Uuid;

pub use rectiflow_store::testing::{fresh_postgres_db, FreshDb};

/// A started PostgreSQL store on a fresh database.
pub struct PgFixture {
    pub store: PgStore,
    pub shutdown: CancellationToken,
    pub db: FreshDb,
    /// The sequencer and listeners, running while the fixture lives.
    pub workers: Supervisor,
}

impl Drop for PgFixture {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// Shows the store's warnings (sequencer retries, consumer failures) in a failing test's output.
pub fn init_tracing() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "rectiflow_store=info".into()),
        )
        .with_test_writer()
        .try_init();
}

/// A started PostgreSQL store on a fresh database, fingerprinting with a fresh key (PostgreSQL
/// has no default key).
pub async fn postgres() -> Option<PgFixture> {
    init_tracing();
    let db = fresh_postgres_db().await?;
    let settings = PgSettings::new(&db.url).with_fingerprint_key(FingerprintKey::generate());
    let store = PgStore::connect(settings)
        .await
        .expect("connect to the test database");
    let shutdown = CancellationToken::new();
    let workers = store.start(shutdown.clone());
    Some(PgFixture {
        store,
        shutdown,
        db,
        workers,
    })
}

pub struct SqliteFixture {
    pub store: SqliteStore,
    pub dir: tempfile::TempDir,
}

/// A SQLite store on a fresh file, with its default fingerprint key (the file beside it).
pub async fn sqlite() -> SqliteFixture {
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}", dir.path().join("rectiflow.db").display());
    let store = SqliteStore::connect(&url).await.expect("open SQLite store");
    SqliteFixture { store, dir }
}

/// Waits until the log's head reaches `position` (the sequencer's signal), failing after 120 s.
pub async fn wait_for_head<S: EventStore>(store: &S, position: u64) {
    let mut head = store.watch_head();
    let reached = tokio::time::timeout(Duration::from_secs(120), async {
        loop {
            if store.head().await.expect("read head") >= position {
                return;
            }
            // The watch is the wake-up; the poll bound covers a missed one.
            let _ = tokio::time::timeout(Duration::from_millis(200), head.changed()).await;
        }
    })
    .await;
    assert!(
        reached.is_ok(),
        "the log did not reach position {position} within 120 s"
    );
}

/// Everything a backend-generic test needs to do behind the store's back.
pub trait Harness: ConsumerStore + ReadModelStore + Shred {
    /// The same store, fingerprinting keyed commands with `key` instead.
    fn with_fingerprint_key(&self, key: &FingerprintKey) -> Self;

    /// Inserts an event row directly, as an older version of the program (or an attacker) would.
    fn raw_insert(
        &self,
        stream: &StreamRef,
        version: u64,
        event_type: &str,
        schema_version: &str,
        payload: &str,
    ) -> impl Future<Output = ()> + Send;

    /// Inserts an event row directly with the event id spelled `event_id`, as a console user
    /// (or a faulty migration) would; returns the database's refusal, if any.
    fn raw_insert_with_event_id(
        &self,
        stream: &StreamRef,
        version: u64,
        event_id: &str,
    ) -> impl Future<Output = Result<(), String>> + Send;

    /// Writes `n` events to `stream` from `version + 1` in a transaction and rolls it back.
    fn rolled_back_write(
        &self,
        stream: &StreamRef,
        version: u64,
        n: usize,
    ) -> impl Future<Output = Vec<Uuid>> + Send;

    /// Overwrites the stored snapshot state of `stream` (to prove loads use it, or to break it).
    fn set_snapshot_state(
        &self,
        stream: &StreamRef,
        state: &str,
    ) -> impl Future<Output = ()> + Send;

    /// Runs one statement written in the SQL both backends speak, as an operator with a
    /// database console (or a faulty migration) would.
    fn tamper(&self, sql: &str) -> impl Future<Output = ()> + Send;

    /// What to print when the log does not move: the sequencer's state and who holds the
    /// cluster-wide horizon back.
    fn diagnostics(&self) -> impl Future<Output = String> + Send;
}

/// Waits until the log's head reaches `position`, failing after 120 s with diagnostics.
pub async fn wait_for_head_or_explain<S: Harness>(store: &S, position: u64) {
    let mut head = store.watch_head();
    let reached = tokio::time::timeout(Duration::from_secs(120), async {
        while store.head().await.expect("read head") < position {
            let _ = tokio::time::timeout(Duration::from_millis(200), head.changed()).await;
        }
    })
    .await;
    if reached.is_err() {
        panic!(
            "the log did not reach position {position} within 120 s (head {}): {}",
            store.head().await.expect("head"),
            store.diagnostics().await
        );
    }
}

/// Records each event id in a read-model table (its primary key: a duplicate fails the batch)
/// within the consumer's transaction, and the positions it saw in memory. Written once, for
/// every backend, as projections are.
pub struct Seen(pub Arc<Mutex<Vec<u64>>>);

#[derive(Iden)]
enum SeenTable {
    #[iden = "seen"]
    Table,
    EventId,
}

impl Handler for Seen {
    async fn prepare<T: ReadModels>(&mut self, tx: &mut T) -> Result<(), HandlerError> {
        let table = Table::create()
            .table(SeenTable::Table)
            .if_not_exists()
            .col(
                ColumnDef::new(SeenTable::EventId)
                    .text()
                    .not_null()
                    .primary_key(),
            )
            .to_owned();
        tx.execute(table.into()).await?;
        Ok(())
    }

    async fn handle<T: ReadModels>(
        &mut self,
        tx: &mut T,
        batch: &[LoggedEvent],
    ) -> Result<(), HandlerError> {
        let mut insert = Query::insert();
        insert
            .into_table(SeenTable::Table)
            .columns([SeenTable::EventId]);
        for event in batch {
            insert
                .values([event.event.event_id.to_string().into()])
                .map_err(|e| HandlerError(e.to_string()))?;
        }
        tx.execute(insert.to_owned().into()).await?;
        record_positions(&self.0, batch);
        Ok(())
    }
}

/// The event ids the [`Seen`] handler recorded, read through the store's read-model port.
pub async fn seen_ids<S: ReadModelStore>(store: &S) -> Vec<Uuid> {
    let query = Query::select()
        .column(SeenTable::EventId)
        .from(SeenTable::Table)
        .to_owned();
    let rows: Vec<SeenRow> = store
        .fetch(query)
        .await
        .expect("read seen")
        .into_iter()
        .map(|row| serde_json::from_value(serde_json::Value::Object(row)).expect("a seen row"))
        .collect();
    rows.into_iter().map(|row| row.event_id).collect()
}

#[derive(serde::Deserialize)]
struct SeenRow {
    event_id: Uuid,
}

fn record_positions(positions: &Mutex<Vec<u64>>, batch: &[LoggedEvent]) {
    let mut positions = positions.lock().expect("positions lock");
    positions.extend(batch.iter().map(|e| e.position));
}

/// Instantiates each named backend-generic test (`async fn name<S>(store: S)`, in scope where
/// the macro is invoked) once per backend: `postgres::name` on a fresh database with its
/// workers running, `sqlite::name` on a fresh file.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(fixture) = $crate::support::postgres().await else { return };
                    super::$name(fixture.store.clone()).await;
                }
            )*
        }
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let fixture = $crate::support::sqlite().await;
                    super::$name(fixture.store.clone()).await;
                }
            )*
        }
    };
}
