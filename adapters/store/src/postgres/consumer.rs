//! Consumers on PostgreSQL: checkpoints in `checkpoints`, one instance per name held by a
//! session-level advisory lock on a dedicated connection.
//!
//! A standby (an instance whose name another holds) keeps its one dedicated session and tries
//! the lock on it every second; the lock, once the holder's session ends, is granted on that
//! same session, which becomes the lease. Opening a session per try instead cost a TCP (and
//! TLS) handshake, an authentication and a backend process start each second, per standby.

use rectiflow_engine::consumer::{ConsumerPosition, ConsumerStore, NamedPosition};
use rectiflow_engine::StoreError;
use sqlx::{Connection, PgConnection};

use super::readmodel::PgTx;
use super::PgStore;
use crate::fault::OrStore;

fn lock_key(consumer: &str) -> i64 {
    // A stable 63-bit key from the name (FNV-1a), apart from the sequencer's key space.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in b"rectiflow-consumer:".iter().chain(consumer.as_bytes()) {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    (hash >> 1) as i64
}

impl ConsumerStore for PgStore {
    type Tx = PgTx;
    type Lease = PgConnection;
    /// The session a standby tries the lock on.
    type Standby = PgConnection;

    async fn begin(&self) -> Result<PgTx, StoreError> {
        Ok(PgTx(self.pool().begin().await.db()?))
    }

    async fn commit_batch(&self, tx: PgTx) -> Result<(), StoreError> {
        tx.0.commit().await.db()
    }

    async fn load_checkpoint(&self, consumer: &str) -> Result<u64, StoreError> {
        Ok(self
            .consumer_position(consumer)
            .await?
            .map_or(0, |p| p.checkpoint))
    }

    async fn consumer_position(
        &self,
        consumer: &str,
    ) -> Result<Option<ConsumerPosition>, StoreError> {
        stored(self.pool(), consumer).await
    }

    async fn consumer_positions(&self) -> Result<Vec<NamedPosition>, StoreError> {
        let rows: Vec<(String, i64, i64)> =
            sqlx::query_as("SELECT consumer, position, version FROM checkpoints ORDER BY consumer")
                .fetch_all(self.pool())
                .await
                .db()?;
        crate::counts::named_positions(rows)
    }

    async fn save_checkpoint(
        &self,
        tx: &mut PgTx,
        consumer: &str,
        expected: u64,
        position: u64,
        version: u32,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "INSERT INTO checkpoints (consumer, position, version) VALUES ($1, $3, $4) \
             ON CONFLICT (consumer) DO UPDATE SET position = excluded.position, updated_at = now() \
             WHERE checkpoints.position = $2 AND checkpoints.version = $4",
        )
        .bind(consumer)
        .bind(crate::counts::to_i64(expected))
        .bind(crate::counts::to_i64(position))
        .bind(i64::from(version))
        .execute(&mut *tx.0)
        .await
        .db()?;
        if done.rows_affected() == 1 {
            return Ok(());
        }
        let found = stored(&mut *tx.0, consumer)
            .await?
            .unwrap_or(ConsumerPosition {
                checkpoint: 0,
                version,
            });
        Err(if found.version > version {
            StoreError::NewerCodeOwnsConsumer {
                consumer: consumer.to_owned(),
                stored: found.version,
                code: version,
            }
        } else {
            StoreError::CheckpointMoved {
                consumer: consumer.to_owned(),
                expected,
                found: found.checkpoint,
            }
        })
    }

    async fn reset_checkpoint(
        &self,
        tx: &mut PgTx,
        consumer: &str,
        version: u32,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "INSERT INTO checkpoints (consumer, position, version) VALUES ($1, 0, $2) \
             ON CONFLICT (consumer) DO UPDATE SET position = 0, version = excluded.version, updated_at = now() \
             WHERE checkpoints.version < excluded.version",
        )
        .bind(consumer)
        .bind(i64::from(version))
        .execute(&mut *tx.0)
        .await
        .db()?;
        if done.rows_affected() == 1 {
            return Ok(());
        }
        let found = stored(&mut *tx.0, consumer).await?;
        Err(StoreError::NewerCodeOwnsConsumer {
            consumer: consumer.to_owned(),
            stored: found.map_or(version, |p| p.version),
            code: version,
        })
    }

    async fn promote_checkpoint(
        &self,
        tx: &mut PgTx,
        consumer: &str,
        shadow: &str,
        built: ConsumerPosition,
    ) -> Result<(), StoreError> {
        let removed = sqlx::query(
            "DELETE FROM checkpoints WHERE consumer = $1 AND position = $2 AND version = $3",
        )
        .bind(shadow)
        .bind(crate::counts::to_i64(built.checkpoint))
        .bind(i64::from(built.version))
        .execute(&mut *tx.0)
        .await
        .db()?;
        if removed.rows_affected() != 1 {
            let found = stored(&mut *tx.0, shadow).await?;
            return Err(crate::counts::shadow_moved(shadow, built, found));
        }
        let done = sqlx::query(
            "INSERT INTO checkpoints (consumer, position, version) VALUES ($1, $2, $3) \
             ON CONFLICT (consumer) DO UPDATE SET position = excluded.position, \
             version = excluded.version, updated_at = now() WHERE checkpoints.version <= excluded.version",
        )
        .bind(consumer)
        .bind(crate::counts::to_i64(built.checkpoint))
        .bind(i64::from(built.version))
        .execute(&mut *tx.0)
        .await
        .db()?;
        if done.rows_affected() == 1 {
            return Ok(());
        }
        let found = stored(&mut *tx.0, consumer).await?;
        Err(StoreError::NewerCodeOwnsConsumer {
            consumer: consumer.to_owned(),
            stored: found.map_or(built.version, |p| p.version),
            code: built.version,
        })
    }

    async fn try_lease(
        &self,
        consumer: &str,
        standby: &mut Option<PgConnection>,
    ) -> Result<Option<PgConnection>, StoreError> {
        let mut conn = match standby.take() {
            Some(conn) => conn,
            None => PgConnection::connect_with(&super::sequencer::dedicated_options(
                self,
                &format!("rectiflow-consumer:{consumer}"),
            ))
            .await
            .db()?,
        };
        // A session that fails here is dropped (closed), not kept for the next try.
        let locked: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(lock_key(consumer))
            .fetch_one(&mut conn)
            .await
            .db()?;
        if locked {
            Ok(Some(conn))
        } else {
            *standby = Some(conn);
            Ok(None)
        }
    }

    async fn check_lease(&self, lease: &mut PgConnection) -> Result<(), StoreError> {
        // The lock lives as long as the session: a session that answers still holds it.
        lease.ping().await.db()?;
        Ok(())
    }

    async fn release(&self, _consumer: &str, lease: PgConnection) {
        // Closing the session releases its advisory locks.
        let _ = lease.close().await;
    }
}

/// `consumer`'s checkpoint row, read on the pool or inside a consumer's transaction.
async fn stored<'c>(
    conn: impl sqlx::Executor<'c, Database = sqlx::Postgres>,
    consumer: &str,
) -> Result<Option<ConsumerPosition>, StoreError> {
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT position, version FROM checkpoints WHERE consumer = $1")
            .bind(consumer)
            .fetch_optional(conn)
            .await
            .db()?;
    row.map(|row| crate::counts::checkpoint_position(consumer, row))
        .transpose()
}
