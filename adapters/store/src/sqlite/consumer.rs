//! Consumers on SQLite: checkpoints in `checkpoints`, one instance per name held in this
//! process (SQLite is used by one process).

use rectiflow_engine::consumer::ConsumerStore;
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
    /// Nothing to keep: the lease is in this process's memory.
    type Standby = ();

    async fn begin(&self) -> Result<SqliteTx, StoreError> {
        let turn = self.write_turn("a consumer's batch").await?;
        Ok(SqliteTx {
            tx: self.pool().begin_with("BEGIN IMMEDIATE").await.db()?,
            _turn: turn,
        })
    }

    async fn commit_batch(&self, tx: SqliteTx) -> Result<(), StoreError> {
        tx.tx.commit().await.db()
    }

    async fn load_checkpoint(&self, consumer: &str) -> Result<u64, StoreError> {
        let position: Option<i64> =
            sqlx::query_scalar("SELECT position FROM checkpoints WHERE consumer = ?")
                .bind(consumer)
                .fetch_optional(self.pool())
                .await
                .db()?;
        crate::counts::to_u64_or_zero(position, format_args!("checkpoint of {consumer}"))
    }

    async fn save_checkpoint(
        &self,
        tx: &mut SqliteTx,
        consumer: &str,
        expected: u64,
        position: u64,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "INSERT INTO checkpoints (consumer, position) VALUES (?1, ?3) \
                 ON CONFLICT (consumer) DO UPDATE SET position = excluded.position \
                 WHERE checkpoints.position = ?2",
        )
        .bind(consumer)
        .bind(crate::counts::to_i64(expected))
        .bind(crate::counts::to_i64(position))
        .execute(&mut *tx.tx)
        .await
        .db()?;
        if done.rows_affected() == 1 {
            Ok(())
        } else {
            let found: Option<i64> =
                sqlx::query_scalar("SELECT position FROM checkpoints WHERE consumer = ?")
                    .bind(consumer)
                    .fetch_optional(&mut *tx.tx)
                    .await
                    .db()?;
            Err(StoreError::CheckpointMoved {
                consumer: consumer.to_owned(),
                expected,
                found: crate::counts::to_u64_or_zero(
                    found,
                    format_args!("checkpoint of {consumer}"),
                )?,
            })
        }
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
