//! The [`Harness`] of each backend: the raw SQL a test runs behind the store's back, to plant
//! old, corrupt, repeated or rolled-back rows, and to explain a log that does not move.

use rectiflow_engine::StreamRef;
use rectiflow_store::{FingerprintKey, PgStore, SqliteStore};
use uuid::Uuid;

use super::Harness;

/// pid, database, xid, state, query of a backend holding the horizon back.
type HorizonHolder = (
    i32,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

impl Harness for PgStore {
    fn with_fingerprint_key(&self, key: &FingerprintKey) -> Self {
        PgStore::with_fingerprint_key(self, key)
    }

    async fn tamper(&self, sql: &str) {
        sqlx::query(sql).execute(self.pool()).await.expect(sql);
    }

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
            "sequencer active={} batches={} events={} pending transactions={}; \
             unsequenced rows={pending:?}; transactions holding the horizon: {holders:?}",
            stats.is_active(),
            stats.batches(),
            stats.events(),
            stats.pending_transactions(),
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

    async fn raw_insert_with_event_id(
        &self,
        stream: &StreamRef,
        version: u64,
        event_id: &str,
    ) -> Result<(), String> {
        sqlx::query(
            "INSERT INTO events (stream_type, stream_id, stream_version, event_id, event_type, \
             schema_version, payload, metadata, recorded_at) \
             VALUES ($1, $2, $3, $4::uuid, 'Added', '1.0', '{\"Added\":{\"by\":1}}', '{}', now())",
        )
        .bind(&stream.stream_type)
        .bind(&stream.stream_id)
        .bind(version as i64)
        .bind(event_id)
        .execute(self.pool())
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
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
}

impl Harness for SqliteStore {
    fn with_fingerprint_key(&self, key: &FingerprintKey) -> Self {
        SqliteStore::with_fingerprint_key(self, key)
    }

    async fn tamper(&self, sql: &str) {
        sqlx::query(sql).execute(self.pool()).await.expect(sql);
    }

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

    async fn raw_insert_with_event_id(
        &self,
        stream: &StreamRef,
        version: u64,
        event_id: &str,
    ) -> Result<(), String> {
        sqlx::query(
            "INSERT INTO events (position, stream_type, stream_id, stream_version, event_id, \
             event_type, schema_version, payload, metadata, recorded_at, hash) \
             VALUES ((SELECT coalesce(max(position), 0) + 1 FROM events), ?, ?, ?, ?, 'Added', \
                     '1.0', '{\"Added\":{\"by\":1}}', '{}', 0, zeroblob(32))",
        )
        .bind(&stream.stream_type)
        .bind(&stream.stream_id)
        .bind(version as i64)
        .bind(event_id)
        .execute(self.pool())
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
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
}
