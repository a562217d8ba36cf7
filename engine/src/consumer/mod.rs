//! Checkpointed consumers of the global log.
//!
//! Projections, policies and subscriptions are all consumers: each reads a batch after its
//! checkpoint, hands it to its handler, and stores the new checkpoint in the same transaction as
//! the handler's writes — so a consumer can stop, crash, restart or rebuild from zero and end in
//! the same state, having applied every event exactly once. With several processes one instance
//! per consumer name runs at a time (a lease: an advisory lock on PostgreSQL), and the
//! checkpoint is compare-and-set, so even two instances that both ran could not both apply a
//! batch.
//!
//! A handler is written once for every backend: it sees the transaction only as
//! [`ReadModels`], whose statements each backend renders in its own SQL.

mod rebuild;
mod runner;

use std::future::Future;
use std::time::Duration;

use crate::error::StoreError;
use crate::model::LoggedEvent;
use crate::readmodel::ReadModels;
use crate::store::EventStore;

pub use rebuild::{
    rebuild, shadow_name, Rebuild, RebuildOutcome, RebuildProgress, Rebuilt, SHADOW_SUFFIX,
};
pub use runner::{catch_up, run, step, RunOutcome};

/// Where a consumer stands, as its checkpoint row records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsumerPosition {
    /// The last log position it applied (0: none).
    pub checkpoint: u64,
    /// The code version ([`Handler::VERSION`]) that wrote the checkpoint.
    pub version: u32,
}

/// A consumer's position with its name, as [`ConsumerStore::consumer_positions`] lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedPosition {
    pub consumer: String,
    pub position: ConsumerPosition,
}

/// How far a consumer is behind the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsumerLag {
    pub consumer: String,
    pub checkpoint: u64,
    pub version: u32,
    /// The log's head when the lag was read.
    pub head: u64,
    /// `head − checkpoint`: the events it has yet to apply.
    pub lag: u64,
}

/// Every consumer with a checkpoint, and its lag behind the log's head (head − checkpoint),
/// ordered by name. The head is read after the checkpoints, so a lag is never understated
/// below zero by a write in between.
pub async fn consumer_lags<S: ConsumerStore>(store: &S) -> Result<Vec<ConsumerLag>, StoreError> {
    let positions = store.consumer_positions().await?;
    let head = store.head().await?;
    let mut lags: Vec<ConsumerLag> = positions
        .into_iter()
        .map(|p| ConsumerLag {
            lag: head.saturating_sub(p.position.checkpoint),
            consumer: p.consumer,
            checkpoint: p.position.checkpoint,
            version: p.position.version,
            head,
        })
        .collect();
    lags.sort_by(|a, b| a.consumer.cmp(&b.consumer));
    Ok(lags)
}

/// A store whose consumers keep their checkpoints (and read models) in its own database.
pub trait ConsumerStore: EventStore {
    /// A transaction of the store's database, in which a batch's read-model writes and the
    /// checkpoint commit together.
    type Tx: ReadModels + 'static;
    /// What keeps one consumer name to one running instance while held.
    type Lease: Send;
    /// Whether transactions of its database may write side by side. A backend with a single
    /// writer (SQLite) says `false`, and what would run them at once runs them one after
    /// another instead: they would only queue, and within one task a second would wait on the
    /// first for ever.
    const CONCURRENT_WRITERS: bool = true;
    /// What an instance keeps between its tries for a lease another instance holds: on
    /// PostgreSQL the session it tries the advisory lock on, so a standby holds one connection
    /// for as long as it waits instead of opening (and authenticating) one every second.
    type Standby: Send;

    fn begin(&self) -> impl Future<Output = Result<Self::Tx, StoreError>> + Send;

    fn commit_batch(&self, tx: Self::Tx) -> impl Future<Output = Result<(), StoreError>> + Send;

    fn load_checkpoint(
        &self,
        consumer: &str,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// `consumer`'s checkpoint and the code version that wrote it; `None` if it never
    /// committed a batch.
    fn consumer_position(
        &self,
        consumer: &str,
    ) -> impl Future<Output = Result<Option<ConsumerPosition>, StoreError>> + Send;

    /// Every consumer's checkpoint and version (to read lags from, see [`consumer_lags`]).
    fn consumer_positions(
        &self,
    ) -> impl Future<Output = Result<Vec<NamedPosition>, StoreError>> + Send;

    /// Moves `consumer`'s checkpoint from `expected` to `position` inside `tx`, written by code
    /// `version`, or fails with [`StoreError::CheckpointMoved`] if another instance moved it (or
    /// reset it under another version).
    fn save_checkpoint(
        &self,
        tx: &mut Self::Tx,
        consumer: &str,
        expected: u64,
        position: u64,
        version: u32,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Sets `consumer`'s checkpoint to 0 under code `version` inside `tx` (with the handler's
    /// [`Handler::reset`]), provided the stored version is older (or there is none); fails
    /// with [`StoreError::NewerCodeOwnsConsumer`] if a version at least as new is stored.
    fn reset_checkpoint(
        &self,
        tx: &mut Self::Tx,
        consumer: &str,
        version: u32,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Hands `consumer` over to what its shadow `shadow` built, inside `tx` (the transaction
    /// that also swaps the shadow's tables in): `consumer`'s checkpoint and version become
    /// `built`, and `shadow`'s checkpoint row is removed — provided it is still `built` (else
    /// [`StoreError::CheckpointMoved`]) and `consumer`'s stored version is not newer than
    /// `built`'s (else [`StoreError::NewerCodeOwnsConsumer`]).
    fn promote_checkpoint(
        &self,
        tx: &mut Self::Tx,
        consumer: &str,
        shadow: &str,
        built: ConsumerPosition,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Takes the lease for `consumer` if no other instance holds it. The caller keeps
    /// `standby` between tries, starting from `None`: the store fills it at the first try and
    /// tries on it again later; a granted lease is made from it (leaving `None`), and after an
    /// error it is emptied, so the next try starts afresh.
    fn try_lease(
        &self,
        consumer: &str,
        standby: &mut Option<Self::Standby>,
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

/// What a consumer does with the log. Written once: it sees its transaction only through
/// [`ReadModels`], whatever the backend.
pub trait Handler: Send {
    /// The version of the handler's code, stored with its checkpoint: bumped when what it
    /// writes changes (a projection's fold or tables). On start a runner whose handler is newer
    /// than the stored version rebuilds the consumer from the log — aside in its
    /// [`Handler::shadow`] and swapped in (see [`rebuild`]), or, without one, after a
    /// [`Handler::reset`] to checkpoint 0; one whose handler is older stands down and writes
    /// nothing (rolling upgrades). A policy never bumps it: its checkpoint is its memory.
    const VERSION: u32 = 1;

    /// Forgets what the handler keeps, so it can rebuild from position 0: drops and recreates
    /// its tables, in `tx`, the transaction that also sets its checkpoint to 0. Runs when the
    /// stored version is older than [`Handler::VERSION`] and there is no shadow, and on a
    /// shadow that [`rebuild`] starts afresh. A handler that keeps tables must override it;
    /// the default keeps nothing to forget.
    fn reset<'a, T: ReadModels>(
        &'a mut self,
        tx: &'a mut T,
    ) -> impl Future<Output = Result<(), HandlerError>> + Send + 'a {
        let _ = tx;
        async { Ok(()) }
    }

    /// The same handler writing into shadow tables of its own (its live tables' names with
    /// [`SHADOW_SUFFIX`]), in the same order as [`Handler::tables`]: what [`rebuild`] builds
    /// from position 0 while readers keep the live tables, then swaps in. `None` (the default):
    /// the handler keeps no tables to rebuild aside — a policy, whose checkpoint is its memory;
    /// on a version bump it is [`Handler::reset`] instead. The swap renames tables, not their
    /// indexes: a handler that names indexes of its own must not reuse a name a swapped-in
    /// table kept (PostgreSQL's index names are per schema, and `IF NOT EXISTS` would skip it).
    fn shadow(&self) -> Option<Self>
    where
        Self: Sized,
    {
        None
    }

    /// The names of the tables this handler writes (live or shadow, as it was made): the swap
    /// drops each live table and renames the shadow's table at the same index to its name.
    fn tables(&self) -> Vec<String> {
        Vec::new()
    }

    /// Creates what the handler keeps (its tables, if missing), in its own transaction before
    /// the first batch. Must be safe to run again (`IF NOT EXISTS`).
    fn prepare<'a, T: ReadModels>(
        &'a mut self,
        tx: &'a mut T,
    ) -> impl Future<Output = Result<(), HandlerError>> + Send + 'a {
        let _ = tx;
        async { Ok(()) }
    }

    /// Acts on `batch` outside the store's transaction, before it opens: the place for what a
    /// policy does — commands it executes, messages it sends. No transaction of this consumer is
    /// open meanwhile, so a command waits on no one (on SQLite, the only writer would otherwise
    /// be this consumer itself). What runs here runs at least once: a crash before the
    /// checkpoint moves runs it again for the same events, so each effect must be idempotent —
    /// a command keyed by the consumer's name and the event's position replays, never repeats.
    fn react<'a>(
        &'a mut self,
        batch: &'a [LoggedEvent],
    ) -> impl Future<Output = Result<(), HandlerError>> + Send + 'a {
        let _ = batch;
        async { Ok(()) }
    }

    /// Applies `batch`; its writes go into `tx`, the transaction that also moves the checkpoint.
    /// A handler that keeps tables must override it; the default keeps nothing — a policy or a
    /// publisher, which acts in [`Handler::react`] and whose checkpoint is its memory.
    fn handle<'a, T: ReadModels>(
        &'a mut self,
        tx: &'a mut T,
        batch: &'a [LoggedEvent],
    ) -> impl Future<Output = Result<(), HandlerError>> + Send + 'a {
        let _ = (tx, batch);
        async { Ok(()) }
    }
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

/// Settings of one consumer.
#[derive(Debug, Clone)]
pub struct ConsumerOptions {
    pub name: String,
    pub batch_size: u32,
    /// Events per transaction when the consumer is rebuilt aside alone (by [`rebuild`], or by
    /// a runner whose code is newer than the stored version): larger than `batch_size`, since
    /// a rebuild writes each touched row once per batch and no reader waits on it. Consumers
    /// rebuilt together take the [`Rebuild`]'s own batch size instead.
    pub rebuild_batch_size: u32,
    /// Poll this often when no wake-up arrives (the wake-up is only a hint).
    pub poll: Duration,
}

impl ConsumerOptions {
    /// [`ConsumerOptions::rebuild_batch_size`] unless set otherwise.
    pub const DEFAULT_REBUILD_BATCH_SIZE: u32 = 10_000;

    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            batch_size: 2_000,
            rebuild_batch_size: Self::DEFAULT_REBUILD_BATCH_SIZE,
            poll: Duration::from_millis(500),
        }
    }
}
