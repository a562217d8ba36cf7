//! Shared fixtures of the conformance suite: a fresh database per test on each backend, a
//! counting aggregate, and the raw SQL a test needs to plant old, corrupt or rolled-back rows.
#![allow(dead_code)]

pub mod counter;

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rectiflow_store::consumer::{ConsumerStore, Handler, HandlerError};
use rectiflow_store::{
    CancellationToken, EventStore, LoggedEvent, PgSettings, PgStore, SqliteStore, StreamRef,
};
use sqlx::Transaction;
use uuid::Uuid;

pub use rectiflow_store::testing::{fresh_postgres_db, FreshDb};

/// A started PostgreSQL store on a fresh database.
pub struct PgFixture {
    pub store: PgStore,
    pub shutdown: CancellationToken,
    pub db: FreshDb,
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

pub async fn postgres() -> Option<PgFixture> {
    init_tracing();
    let db = fresh_postgres_db().await?;
    let store = PgStore::connect(PgSettings::new(&db.url))
        .await
        .expect("connect to the test database");
    let shutdown = CancellationToken::new();
    store.start(shutdown.clone());
    Some(PgFixture {
        store,
        shutdown,
        db,
    })
}

pub struct SqliteFixture {
    pub store: SqliteStore,
    pub dir: tempfile::TempDir,
}

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
        "the log did not reach position {position} within 30 s"
    );
}

/// Everything a backend-generic test needs to do behind the store's back.
pub trait Harness: ConsumerStore {
    type Seen: Handler<Self> + 'static;

    /// Inserts an event row directly, as an older version of the program (or an attacker) would.
    fn raw_insert(
        &self,
        stream: &StreamRef,
        version: u64,
        event_type: &str,
        schema_version: &str,
        payload: &str,
    ) -> impl Future<Output = ()> + Send;

    /// Writes `n` events to `stream` from `version + 1` in a transaction and rolls it back.
    fn rolled_back_write(
        &self,
        stream: &StreamRef,
        version: u64,
        n: usize,
    ) -> impl Future<Output = Vec<Uuid>> + Send;

    /// A handler that records each event id in a table (unique: a duplicate fails the batch)
    /// within the consumer's transaction, and the positions it saw in memory.
    fn seen_handler(
        &self,
        positions: Arc<Mutex<Vec<u64>>>,
    ) -> impl Future<Output = Self::Seen> + Send;

    /// The event ids the seen-handler recorded.
    fn seen_ids(&self) -> impl Future<Output = Vec<Uuid>> + Send;

    /// Overwrites the stored snapshot state of `stream` (to prove loads use it, or to break it).
    fn set_snapshot_state(
        &self,
        stream: &StreamRef,
        state: &str,
    ) -> impl Future<Output = ()> + Send;

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

/// pid, database, xid, state, query of a backend holding the horizon back.
type HorizonHolder = (
    i32,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

pub struct PgSeen(Arc<Mutex<Vec<u64>>>);
pub struct SqliteSeen(Arc<Mutex<Vec<u64>>>);

impl Handler<PgStore> for PgSeen {
    async fn handle(
        &mut self,
        tx: &mut Transaction<'static, sqlx::Postgres>,
        batch: &[LoggedEvent],
    ) -> Result<(), HandlerError> {
        let ids: Vec<Uuid> = batch.iter().map(|e| e.event.event_id).collect();
        sqlx::query("INSERT INTO seen (event_id) SELECT * FROM UNNEST($1::uuid[])")
            .bind(ids)
            .execute(&mut **tx)
            .await?;
        record_positions(&self.0, batch);
        Ok(())
    }
}

impl Handler<SqliteStore> for SqliteSeen {
    async fn handle(
        &mut self,
        tx: &mut Transaction<'static, sqlx::Sqlite>,
        batch: &[LoggedEvent],
    ) -> Result<(), HandlerError> {
        for event in batch {
            sqlx::query("INSERT INTO seen (event_id) VALUES (?)")
                .bind(event.event.event_id.to_string())
                .execute(&mut **tx)
                .await?;
        }
        record_positions(&self.0, batch);
        Ok(())
    }
}

fn record_positions(positions: &Mutex<Vec<u64>>, batch: &[LoggedEvent]) {
    let mut positions = positions.lock().expect("positions lock");
    positions.extend(batch.iter().map(|e| e.position));
}

impl Harness for PgStore {
    type Seen = PgSeen;

    async fn set_snapshot_state(&self, stream: &StreamRef, state: &str) {
        sqlx::query(
            "UPDATE snapshots SET state = $3::jsonb WHERE stream_type = $1 AND stream_id = $2",
        )
        .bind(&stream.stream_type)
        .bind(&stream.stream_id)
        .bind(state)
        .execute(self.pool())
        .await
        .expect("set snapshot state");
    }

    async fn diagnostics(&self) -> String {
        let stats = self.stats();
        let holders: Vec<HorizonHolder> = sqlx::query_as(
            "SELECT pid, datname, backend_xid::text, state, left(query, 120) \
                 FROM pg_stat_activity WHERE backend_xid IS NOT NULL OR backend_xmin IS NOT NULL",
        )
        .fetch_all(self.pool())
        .await
        .unwrap_or_default();
        let pending: Option<i64> = sqlx::query_scalar(
            "SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM log l WHERE l.event_ref = e.id)",
        )
        .fetch_one(self.pool())
        .await
        .ok();
        format!(
            "sequencer active={} batches={} events={} horizon_waits={} current_wait={:?}; \
             unsequenced rows={pending:?}; transactions holding the horizon: {holders:?}",
            stats.is_active(),
            stats.batches(),
            stats.events(),
            stats.horizon_waits(),
            stats.current_horizon_wait(),
        )
    }

    async fn raw_insert(
        &self,
        stream: &StreamRef,
        version: u64,
        event_type: &str,
        schema_version: &str,
        payload: &str,
    ) {
        sqlx::query(
            "INSERT INTO events (stream_type, stream_id, stream_version, event_id, event_type, \
             schema_version, payload, metadata, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, '{\"actor\":\"legacy\"}', now())",
        )
        .bind(&stream.stream_type)
        .bind(&stream.stream_id)
        .bind(version as i64)
        .bind(Uuid::now_v7())
        .bind(event_type)
        .bind(schema_version)
        .bind(payload)
        .execute(self.pool())
        .await
        .expect("raw insert");
    }

    async fn rolled_back_write(&self, stream: &StreamRef, version: u64, n: usize) -> Vec<Uuid> {
        let mut tx = self.pool().begin().await.expect("begin");
        let mut ids = Vec::new();
        for i in 0..n {
            let id = Uuid::now_v7();
            ids.push(id);
            sqlx::query(
                "INSERT INTO events (stream_type, stream_id, stream_version, event_id, event_type, \
                 schema_version, payload, metadata, recorded_at) \
                 VALUES ($1, $2, $3, $4, 'Added', '1.0', '{\"Added\":{\"by\":1}}', '{}', now())",
            )
            .bind(&stream.stream_type)
            .bind(&stream.stream_id)
            .bind((version + 1 + i as u64) as i64)
            .bind(id)
            .execute(&mut *tx)
            .await
            .expect("insert to roll back");
        }
        tx.rollback().await.expect("rollback");
        ids
    }

    async fn seen_handler(&self, positions: Arc<Mutex<Vec<u64>>>) -> PgSeen {
        sqlx::query("CREATE TABLE IF NOT EXISTS seen (event_id uuid PRIMARY KEY)")
            .execute(self.pool())
            .await
            .expect("create seen");
        PgSeen(positions)
    }

    async fn seen_ids(&self) -> Vec<Uuid> {
        sqlx::query_scalar("SELECT event_id FROM seen")
            .fetch_all(self.pool())
            .await
            .expect("read seen")
    }
}

impl Harness for SqliteStore {
    type Seen = SqliteSeen;

    async fn set_snapshot_state(&self, stream: &StreamRef, state: &str) {
        sqlx::query("UPDATE snapshots SET state = ? WHERE stream_type = ? AND stream_id = ?")
            .bind(state)
            .bind(&stream.stream_type)
            .bind(&stream.stream_id)
            .execute(self.pool())
            .await
            .expect("set snapshot state");
    }

    async fn diagnostics(&self) -> String {
        String::from("SQLite assigns positions at commit; no sequencer")
    }

    async fn raw_insert(
        &self,
        stream: &StreamRef,
        version: u64,
        event_type: &str,
        schema_version: &str,
        payload: &str,
    ) {
        // SQLite has no sequencer: a raw row takes the next position and a (wrong) zero hash.
        sqlx::query(
            "INSERT INTO events (position, stream_type, stream_id, stream_version, event_id, \
             event_type, schema_version, payload, metadata, recorded_at, hash) \
             VALUES ((SELECT coalesce(max(position), 0) + 1 FROM events), ?, ?, ?, ?, ?, ?, ?, \
                     '{\"actor\":\"legacy\"}', 0, zeroblob(32))",
        )
        .bind(&stream.stream_type)
        .bind(&stream.stream_id)
        .bind(version as i64)
        .bind(Uuid::now_v7().to_string())
        .bind(event_type)
        .bind(schema_version)
        .bind(payload)
        .execute(self.pool())
        .await
        .expect("raw insert");
    }

    async fn rolled_back_write(&self, stream: &StreamRef, version: u64, n: usize) -> Vec<Uuid> {
        let mut tx = self
            .pool()
            .begin_with("BEGIN IMMEDIATE")
            .await
            .expect("begin");
        let mut ids = Vec::new();
        for i in 0..n {
            let id = Uuid::now_v7();
            ids.push(id);
            sqlx::query(
                "INSERT INTO events (position, stream_type, stream_id, stream_version, event_id, \
                 event_type, schema_version, payload, metadata, recorded_at, hash) \
                 VALUES ((SELECT coalesce(max(position), 0) + 1 FROM events), ?, ?, ?, ?, 'Added', \
                         '1.0', '{\"Added\":{\"by\":1}}', '{}', 0, zeroblob(32))",
            )
            .bind(&stream.stream_type)
            .bind(&stream.stream_id)
            .bind((version + 1 + i as u64) as i64)
            .bind(id.to_string())
            .execute(&mut *tx)
            .await
            .expect("insert to roll back");
        }
        tx.rollback().await.expect("rollback");
        ids
    }

    async fn seen_handler(&self, positions: Arc<Mutex<Vec<u64>>>) -> SqliteSeen {
        sqlx::query("CREATE TABLE IF NOT EXISTS seen (event_id TEXT PRIMARY KEY)")
            .execute(self.pool())
            .await
            .expect("create seen");
        SqliteSeen(positions)
    }

    async fn seen_ids(&self) -> Vec<Uuid> {
        let ids: Vec<String> = sqlx::query_scalar("SELECT event_id FROM seen")
            .fetch_all(self.pool())
            .await
            .expect("read seen");
        ids.iter()
            .map(|s| Uuid::parse_str(s).expect("uuid"))
            .collect()
    }
}
