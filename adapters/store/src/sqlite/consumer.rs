//! Consumers on SQLite: checkpoints in `checkpoints`, one instance per name held in this
//! process (SQLite is used by one process).

use rectiflow_engine::consumer::{ConsumerPosition, ConsumerStore, NamedPosition};
use rectiflow_engine::StoreError;

use super::readmodel::SqliteTx;
use super::SqliteStore;
use crate::fault::OrStore;

/// The lease of a consumer on SQLite: held in this process, released when dropped — also when
/// the consumer's task panics or is aborted.
pub struct LocalLease {
    store: SqliteStore,
    consumer: String,
}

impl Drop for LocalLease {
    fn drop(&mut self) {
        self.store.release_lease(&self.consumer);
    }
}

impl ConsumerStore for SqliteStore {
    type Tx = SqliteTx;
    type Lease = LocalLease;
    /// One writer at a time: every transaction takes the process's write turn.
    const CONCURRENT_WRITERS: bool = false;
    /// Nothing to keep: the lease is in this process's memory.
    type Standby = ();

    async fn begin(&self) -> Result<SqliteTx, StoreError> {
        let turn = self.write_turn("a consumer's batch").await?;
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await.db()?;
        // The schema as it is now (another connection may have swapped a table in since this
        // one last looked); it cannot change while the transaction holds the write lock.
        super::readmodel::refresh_schema(&mut tx).await?;
        Ok(SqliteTx { tx, _turn: turn })
    }

    async fn commit_batch(&self, tx: SqliteTx) -> Result<(), StoreError> {
        tx.tx.commit().await.db()
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
        tx: &mut SqliteTx,
        consumer: &str,
        expected: u64,
        position: u64,
        version: u32,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "INSERT INTO checkpoints (consumer, position, version) VALUES (?1, ?3, ?4) \
             ON CONFLICT (consumer) DO UPDATE SET position = excluded.position \
             WHERE checkpoints.position = ?2 AND checkpoints.version = ?4",
        )
        .bind(consumer)
        .bind(crate::counts::to_i64(expected))
        .bind(crate::counts::to_i64(position))
        .bind(i64::from(version))
        .execute(&mut *tx.tx)
        .await
        .db()?;
        if done.rows_affected() == 1 {
            return Ok(());
        }
        let found = stored(&mut *tx.tx, consumer)
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
        tx: &mut SqliteTx,
        consumer: &str,
        version: u32,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "INSERT INTO checkpoints (consumer, position, version) VALUES (?1, 0, ?2) \
             ON CONFLICT (consumer) DO UPDATE SET position = 0, version = excluded.version \
             WHERE checkpoints.version < excluded.version",
        )
        .bind(consumer)
        .bind(i64::from(version))
        .execute(&mut *tx.tx)
        .await
        .db()?;
        if done.rows_affected() == 1 {
            return Ok(());
        }
        let found = stored(&mut *tx.tx, consumer).await?;
        Err(StoreError::NewerCodeOwnsConsumer {
            consumer: consumer.to_owned(),
            stored: found.map_or(version, |p| p.version),
            code: version,
        })
    }

    async fn promote_checkpoint(
        &self,
        tx: &mut SqliteTx,
        consumer: &str,
        shadow: &str,
        built: ConsumerPosition,
    ) -> Result<(), StoreError> {
        let removed = sqlx::query(
            "DELETE FROM checkpoints WHERE consumer = ?1 AND position = ?2 AND version = ?3",
        )
        .bind(shadow)
        .bind(crate::counts::to_i64(built.checkpoint))
        .bind(i64::from(built.version))
        .execute(&mut *tx.tx)
        .await
        .db()?;
        if removed.rows_affected() != 1 {
            let found = stored(&mut *tx.tx, shadow).await?;
            return Err(crate::counts::shadow_moved(shadow, built, found));
        }
        let done = sqlx::query(
            "INSERT INTO checkpoints (consumer, position, version) VALUES (?1, ?2, ?3) \
             ON CONFLICT (consumer) DO UPDATE SET position = excluded.position, \
             version = excluded.version WHERE checkpoints.version <= excluded.version",
        )
        .bind(consumer)
        .bind(crate::counts::to_i64(built.checkpoint))
        .bind(i64::from(built.version))
        .execute(&mut *tx.tx)
        .await
        .db()?;
        if done.rows_affected() == 1 {
            return Ok(());
        }
        let found = stored(&mut *tx.tx, consumer).await?;
        Err(StoreError::NewerCodeOwnsConsumer {
            consumer: consumer.to_owned(),
            stored: found.map_or(built.version, |p| p.version),
            code: built.version,
        })
    }

    async fn try_lease(
        &self,
        consumer: &str,
        _standby: &mut Option<()>,
    ) -> Result<Option<LocalLease>, StoreError> {
        Ok(self.take_lease(consumer).then(|| LocalLease {
            store: self.clone(),
            consumer: consumer.to_owned(),
        }))
    }

    async fn check_lease(&self, _lease: &mut LocalLease) -> Result<(), StoreError> {
        Ok(())
    }

    async fn release(&self, _consumer: &str, lease: LocalLease) {
        drop(lease);
    }
}

/// `consumer`'s checkpoint row, read on the pool or inside a consumer's transaction.
async fn stored<'c>(
    conn: impl sqlx::Executor<'c, Database = sqlx::Sqlite>,
    consumer: &str,
) -> Result<Option<ConsumerPosition>, StoreError> {
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT position, version FROM checkpoints WHERE consumer = ?1")
            .bind(consumer)
            .fetch_optional(conn)
            .await
            .db()?;
    row.map(|row| crate::counts::checkpoint_position(consumer, row))
        .transpose()
}
