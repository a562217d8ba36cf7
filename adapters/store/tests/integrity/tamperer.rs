//! What a test does behind the store's back, on each backend.

use super::*;

/// What a test does behind the store's back, as an attacker with database access would.
pub(crate) trait Tamperer: LogAudit {
    async fn sql(&self, statement: &str);
    async fn edit_payload(&self, position: u64, payload: &str);
    async fn delete(&self, position: u64);
    async fn swap(&self, a: u64, b: u64);
    async fn set_hash(&self, position: u64, hash: [u8; 32]);
    /// Inserts an event where the store would not put one.
    async fn insert_stray(&self);
    /// Deletes the event at `position` and moves every later one down a place, leaving the
    /// positions dense (the hashes are left for the test to rewrite).
    async fn excise(&self, position: u64);
}

impl Tamperer for PgStore {
    async fn sql(&self, statement: &str) {
        sqlx::query(statement)
            .execute(self.pool())
            .await
            .expect(statement);
    }

    async fn edit_payload(&self, position: u64, payload: &str) {
        sqlx::query(
            "UPDATE events SET payload = $1::jsonb \
             WHERE id = (SELECT event_ref FROM log WHERE position = $2)",
        )
        .bind(payload)
        .bind(position as i64)
        .execute(self.pool())
        .await
        .expect("edit payload");
    }

    async fn delete(&self, position: u64) {
        self.sql(&format!("DELETE FROM log WHERE position = {position}"))
            .await;
    }

    async fn swap(&self, a: u64, b: u64) {
        // The event refs are unique: delete both log rows and put them back crossed, each
        // position keeping its hash.
        let mut tx = self.pool().begin().await.expect("begin");
        let rows: Vec<(i64, i64, Vec<u8>)> = sqlx::query_as(
            "DELETE FROM log WHERE position IN ($1, $2) RETURNING position, event_ref, hash",
        )
        .bind(a as i64)
        .bind(b as i64)
        .fetch_all(&mut *tx)
        .await
        .expect("delete pair");
        assert_eq!(rows.len(), 2);
        for (i, (position, _, hash)) in rows.iter().enumerate() {
            sqlx::query("INSERT INTO log (position, event_ref, hash) VALUES ($1, $2, $3)")
                .bind(position)
                .bind(rows[1 - i].1)
                .bind(hash)
                .execute(&mut *tx)
                .await
                .expect("insert crossed");
        }
        tx.commit().await.expect("commit swap");
    }

    async fn set_hash(&self, position: u64, hash: [u8; 32]) {
        sqlx::query("UPDATE log SET hash = $1 WHERE position = $2")
            .bind(hash.to_vec())
            .bind(position as i64)
            .execute(self.pool())
            .await
            .expect("set hash");
    }

    async fn insert_stray(&self) {
        // A transaction id below every real one: behind the sequencer's cursor for good.
        sqlx::query(
            "INSERT INTO events (tx_id, stream_type, stream_id, stream_version, event_id, \
             event_type, schema_version, payload, metadata, recorded_at) \
             VALUES ('3'::xid8, 'counter', 'stray', 1, $1, 'Added', '1.0', \
                     '{\"Added\":{\"by\":1000}}', '{}', now())",
        )
        .bind(Uuid::now_v7())
        .execute(self.pool())
        .await
        .expect("insert stray");
    }

    async fn excise(&self, position: u64) {
        self.sql(&format!(
            "WITH gone AS (DELETE FROM log WHERE position = {position} RETURNING event_ref) \
             DELETE FROM events WHERE id IN (SELECT event_ref FROM gone)"
        ))
        .await;
        // Two steps, so no intermediate position collides with one not yet moved.
        self.sql(&format!(
            "UPDATE log SET position = position + 1000000000 WHERE position > {position}"
        ))
        .await;
        self.sql("UPDATE log SET position = position - 1000000001 WHERE position > 1000000000")
            .await;
    }
}

impl Tamperer for SqliteStore {
    async fn sql(&self, statement: &str) {
        sqlx::query(statement)
            .execute(self.pool())
            .await
            .expect(statement);
    }

    async fn edit_payload(&self, position: u64, payload: &str) {
        sqlx::query("UPDATE events SET payload = ? WHERE position = ?")
            .bind(payload)
            .bind(position as i64)
            .execute(self.pool())
            .await
            .expect("edit payload");
    }

    async fn delete(&self, position: u64) {
        self.sql(&format!("DELETE FROM events WHERE position = {position}"))
            .await;
    }

    async fn swap(&self, a: u64, b: u64) {
        let mut tx = self.pool().begin().await.expect("begin");
        for (from, to) in [(a, 1_000_000_000), (b, a), (1_000_000_000, b)] {
            sqlx::query("UPDATE events SET position = ? WHERE position = ?")
                .bind(to as i64)
                .bind(from as i64)
                .execute(&mut *tx)
                .await
                .expect("move row");
        }
        tx.commit().await.expect("commit swap");
    }

    async fn set_hash(&self, position: u64, hash: [u8; 32]) {
        sqlx::query("UPDATE events SET hash = ? WHERE position = ?")
            .bind(hash.to_vec())
            .bind(position as i64)
            .execute(self.pool())
            .await
            .expect("set hash");
    }

    async fn insert_stray(&self) {
        sqlx::query(
            "INSERT INTO events (position, stream_type, stream_id, stream_version, event_id, \
             event_type, schema_version, payload, metadata, recorded_at, hash) \
             VALUES ((SELECT max(position) + 1 FROM events), 'counter', 'stray', 1, ?, 'Added', \
                     '1.0', '{\"Added\":{\"by\":1000}}', '{}', 0, zeroblob(32))",
        )
        .bind(Uuid::now_v7().to_string())
        .execute(self.pool())
        .await
        .expect("insert stray");
    }

    async fn excise(&self, position: u64) {
        self.sql(&format!("DELETE FROM events WHERE position = {position}"))
            .await;
        self.sql(&format!(
            "UPDATE events SET position = position + 1000000000 WHERE position > {position}"
        ))
        .await;
        self.sql("UPDATE events SET position = position - 1000000001 WHERE position > 1000000000")
            .await;
    }
}
