//! Checkpointed consumers of the global log.
//!
//! Projections, policies and subscriptions are all consumers: each reads a batch after its
//! checkpoint, hands it to its handler, and stores the new checkpoint in the same transaction as
//! the handler's writes — so a consumer can stop, crash, restart or rebuild from zero and end in
//! the same state, having applied every event exactly once. With several processes one instance
//! per consumer name runs at a time (an advisory lock on PostgreSQL), and the checkpoint is
//! compare-and-set, so even two instances that both ran could not both apply a batch.

use std::future::Future;
use std::time::Duration;

use sqlx::{Connection, Database, PgConnection, Transaction};
use tokio_util::sync::CancellationToken;

use crate::error::StoreError;
use crate::model::LoggedEvent;
use crate::postgres::PgStore;
use crate::sqlite::SqliteStore;
use crate::store::EventStore;

/// A store whose consumers keep their checkpoints in its own database.
pub trait ConsumerStore: EventStore {
    type Db: Database;
    /// What keeps one consumer name to one running instance while held.
    type Lease: Send;

    fn begin(
        &self,
    ) -> impl Future<Output = Result<Transaction<'static, Self::Db>, StoreError>> + Send;

    fn load_checkpoint(
        &self,
        consumer: &str,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// Moves `consumer`'s checkpoint from `expected` to `position` inside `tx`, or fails with
    /// [`StoreError::CheckpointMoved`] if another instance moved it.
    fn save_checkpoint(
        &self,
        tx: &mut Transaction<'static, Self::Db>,
        consumer: &str,
        expected: u64,
        position: u64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Takes the lease for `consumer` if no other instance holds it.
    fn try_lease(
        &self,
        consumer: &str,
    ) -> impl Future<Output = Result<Option<Self::Lease>, StoreError>> + Send;

    /// Confirms the lease is still held (on PostgreSQL: its session is alive, so its advisory
    /// lock is). A consumer that lost its lease stops before its next batch, so two instances
    /// never run side by side for long — which matters for side effects outside the
    /// transaction (webhooks, messages, commands).
    fn check_lease(
        &self,
        lease: &mut Self::Lease,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    fn release(&self, consumer: &str, lease: Self::Lease) -> impl Future<Output = ()> + Send;
}

/// What a consumer does with a batch; its writes go into `tx`, the transaction that also moves
/// the checkpoint.
pub trait Handler<S: ConsumerStore>: Send {
    fn handle<'a>(
        &'a mut self,
        tx: &'a mut Transaction<'static, S::Db>,
        batch: &'a [LoggedEvent],
    ) -> impl Future<Output = Result<(), HandlerError>> + Send + 'a;
}

/// A handler's failure. The runner retries the batch with backoff; it never skips an event.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct HandlerError(pub String);

impl From<StoreError> for HandlerError {
    fn from(e: StoreError) -> Self {
        Self(e.to_string())
    }
}

impl From<sqlx::Error> for HandlerError {
    fn from(e: sqlx::Error) -> Self {
        Self(e.to_string())
    }
}

/// Settings of one consumer.
#[derive(Debug, Clone)]
pub struct ConsumerOptions {
    pub name: String,
    pub batch_size: u32,
    /// Poll this often when no wake-up arrives (the wake-up is only a hint).
    pub poll: Duration,
}

impl ConsumerOptions {
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            batch_size: 2_000,
            poll: Duration::from_millis(500),
        }
    }
}

/// Runs `handler` over the log until `shutdown` is cancelled. It never gives up on its own:
/// passing faults (a restart of the database, a lost lease, a failing handler) are logged and
/// retried with backoff, so the only way out is the shutdown signal.
pub async fn run<S, H>(
    store: S,
    options: ConsumerOptions,
    mut handler: H,
    shutdown: CancellationToken,
) -> Result<(), StoreError>
where
    S: ConsumerStore,
    H: Handler<S>,
{
    let name = options.name.as_str();
    let mut backoff = MIN_BACKOFF;
    while !shutdown.is_cancelled() {
        let mut lease = match store.try_lease(name).await {
            Ok(Some(lease)) => lease,
            Ok(None) => {
                // Another instance runs this consumer: stand by.
                tokio::select! {
                    _ = shutdown.cancelled() => return Ok(()),
                    _ = tokio::time::sleep(options.poll.max(Duration::from_secs(1))) => {}
                }
                continue;
            }
            Err(error) => {
                tracing::warn!(consumer = name, %error, "cannot take the consumer's lease; retrying");
                tokio::select! {
                    _ = shutdown.cancelled() => return Ok(()),
                    _ = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
                continue;
            }
        };
        backoff = MIN_BACKOFF;
        let result = follow(&store, &options, &mut handler, &shutdown, &mut lease).await;
        store.release(name, lease).await;
        match result {
            Ok(()) => return Ok(()),
            Err(error) => {
                tracing::warn!(consumer = name, %error, "consumer lost its footing; starting over");
                tokio::select! {
                    _ = shutdown.cancelled() => return Ok(()),
                    _ = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    }
    Ok(())
}

/// Follows the log while the lease holds; returns `Ok` on shutdown, `Err` when the lease or the
/// checkpoint can no longer be trusted (the caller starts over).
async fn follow<S, H>(
    store: &S,
    options: &ConsumerOptions,
    handler: &mut H,
    shutdown: &CancellationToken,
    lease: &mut S::Lease,
) -> Result<(), StoreError>
where
    S: ConsumerStore,
    H: Handler<S>,
{
    let name = options.name.as_str();
    let mut head = store.watch_head();
    let mut checkpoint = store.load_checkpoint(name).await?;
    let mut backoff = MIN_BACKOFF;
    // The next page, read while the current one is applied (catching up is then bounded by
    // the slower of reading and applying, not their sum).
    let mut read_ahead: Option<ReadAhead> = None;
    loop {
        if shutdown.is_cancelled() {
            return Ok(());
        }
        // Mark the current head as seen before reading, so a position assigned during the read
        // still wakes us.
        head.borrow_and_update();
        store.check_lease(lease).await?;
        let batch = match read_ahead.take() {
            Some(ahead) if ahead.after == checkpoint => ahead.batch.await.unwrap_or_else(|e| {
                Err(StoreError::corrupt(
                    format!("log after {checkpoint}"),
                    format!("read-ahead failed: {e}"),
                ))
            }),
            _ => store.read_log(checkpoint, options.batch_size).await,
        };
        let step = match batch {
            Ok(batch) => {
                if batch.len() == options.batch_size as usize {
                    if let Some(last) = batch.last().map(|e| e.position) {
                        let reader = store.clone();
                        let size = options.batch_size;
                        read_ahead = Some(ReadAhead {
                            after: last,
                            batch: tokio::spawn(async move { reader.read_log(last, size).await }),
                        });
                    }
                }
                apply(store, options, handler, checkpoint, batch).await
            }
            Err(error) => Err(error),
        };
        match step {
            Ok(Some(next)) => {
                checkpoint = next;
                backoff = MIN_BACKOFF;
            }
            Ok(None) => {
                tokio::select! {
                    _ = shutdown.cancelled() => return Ok(()),
                    _ = head.changed() => {}
                    _ = tokio::time::sleep(options.poll) => {}
                }
            }
            Err(error) => {
                // A consumer outlives passing faults (a dropped connection, a busy pool, a
                // handler's error): nothing was committed, so it retries the same batch. It
                // never skips: a gap or a corrupt row keeps it here, loudly, until fixed.
                tracing::error!(consumer = name, after = checkpoint, %error,
                    "consumer failed; retrying the batch");
                tokio::select! {
                    _ = shutdown.cancelled() => return Ok(()),
                    _ = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
                if let Ok(stored) = store.load_checkpoint(name).await {
                    checkpoint = stored;
                }
            }
        }
    }
}

const MIN_BACKOFF: Duration = Duration::from_millis(50);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// A page of the log being read in the background.
struct ReadAhead {
    after: u64,
    batch: tokio::task::JoinHandle<Result<Vec<LoggedEvent>, StoreError>>,
}

/// Applies `batch` (the events after `checkpoint`); returns the new checkpoint, or `None` when
/// the batch is empty.
async fn apply<S, H>(
    store: &S,
    options: &ConsumerOptions,
    handler: &mut H,
    checkpoint: u64,
    batch: Vec<LoggedEvent>,
) -> Result<Option<u64>, StoreError>
where
    S: ConsumerStore,
    H: Handler<S>,
{
    let Some(last) = batch.last().map(|e| e.position) else {
        return Ok(None);
    };
    // The log is dense: anything else is corruption, and skipping it would lose events.
    for (i, event) in batch.iter().enumerate() {
        let expected = checkpoint + 1 + i as u64;
        if event.position != expected {
            return Err(StoreError::corrupt(
                format!("log position {expected}"),
                format!(
                    "missing: the next event in the log is at {}",
                    event.position
                ),
            ));
        }
    }
    let mut tx = store.begin().await?;
    handler
        .handle(&mut tx, &batch)
        .await
        .map_err(|e| StoreError::Handler {
            consumer: options.name.clone(),
            from: checkpoint + 1,
            to: last,
            reason: e.to_string(),
        })?;
    store
        .save_checkpoint(&mut tx, &options.name, checkpoint, last)
        .await?;
    tx.commit().await?;
    Ok(Some(last))
}

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
    type Db = sqlx::Postgres;
    type Lease = PgConnection;

    async fn begin(&self) -> Result<Transaction<'static, sqlx::Postgres>, StoreError> {
        Ok(self.pool().begin().await?)
    }

    async fn load_checkpoint(&self, consumer: &str) -> Result<u64, StoreError> {
        let position: Option<i64> =
            sqlx::query_scalar("SELECT position FROM checkpoints WHERE consumer = $1")
                .bind(consumer)
                .fetch_optional(self.pool())
                .await?;
        Ok(position.map_or(0, |p| u64::try_from(p).unwrap_or(0)))
    }

    async fn save_checkpoint(
        &self,
        tx: &mut Transaction<'static, sqlx::Postgres>,
        consumer: &str,
        expected: u64,
        position: u64,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
                "INSERT INTO checkpoints (consumer, position) VALUES ($1, $3) \
                 ON CONFLICT (consumer) DO UPDATE SET position = excluded.position, updated_at = now() \
                 WHERE checkpoints.position = $2",
            )
            .bind(consumer)
            .bind(i64::try_from(expected).unwrap_or(i64::MAX))
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .execute(&mut **tx)
            .await?;
        if done.rows_affected() == 1 {
            Ok(())
        } else {
            let found: Option<i64> =
                sqlx::query_scalar("SELECT position FROM checkpoints WHERE consumer = $1")
                    .bind(consumer)
                    .fetch_optional(&mut **tx)
                    .await?;
            Err(StoreError::CheckpointMoved {
                consumer: consumer.to_owned(),
                expected,
                found: found.map_or(0, |p| u64::try_from(p).unwrap_or(0)),
            })
        }
    }

    async fn try_lease(&self, consumer: &str) -> Result<Option<PgConnection>, StoreError> {
        let mut conn = PgConnection::connect_with(&crate::postgres::sequencer::dedicated_options(
            self,
            &format!("rectiflow-consumer:{consumer}"),
        ))
        .await?;
        let locked: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(lock_key(consumer))
            .fetch_one(&mut conn)
            .await?;
        if locked {
            Ok(Some(conn))
        } else {
            let _ = conn.close().await;
            Ok(None)
        }
    }

    async fn check_lease(&self, lease: &mut PgConnection) -> Result<(), StoreError> {
        // The lock lives as long as the session: a session that answers still holds it.
        lease.ping().await?;
        Ok(())
    }

    async fn release(&self, _consumer: &str, lease: PgConnection) {
        // Closing the session releases its advisory locks.
        let _ = lease.close().await;
    }
}

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
    type Db = sqlx::Sqlite;
    type Lease = LocalLease;

    async fn begin(&self) -> Result<Transaction<'static, sqlx::Sqlite>, StoreError> {
        Ok(self.pool().begin_with("BEGIN IMMEDIATE").await?)
    }

    async fn load_checkpoint(&self, consumer: &str) -> Result<u64, StoreError> {
        let position: Option<i64> =
            sqlx::query_scalar("SELECT position FROM checkpoints WHERE consumer = ?")
                .bind(consumer)
                .fetch_optional(self.pool())
                .await?;
        Ok(position.map_or(0, |p| u64::try_from(p).unwrap_or(0)))
    }

    async fn save_checkpoint(
        &self,
        tx: &mut Transaction<'static, sqlx::Sqlite>,
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
        .bind(i64::try_from(expected).unwrap_or(i64::MAX))
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() == 1 {
            Ok(())
        } else {
            let found: Option<i64> =
                sqlx::query_scalar("SELECT position FROM checkpoints WHERE consumer = ?")
                    .bind(consumer)
                    .fetch_optional(&mut **tx)
                    .await?;
            Err(StoreError::CheckpointMoved {
                consumer: consumer.to_owned(),
                expected,
                found: found.map_or(0, |p| u64::try_from(p).unwrap_or(0)),
            })
        }
    }

    async fn try_lease(&self, consumer: &str) -> Result<Option<LocalLease>, StoreError> {
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
