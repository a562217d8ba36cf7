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

mod runner;

use std::future::Future;
use std::time::Duration;

use crate::error::StoreError;
use crate::model::LoggedEvent;
use crate::readmodel::ReadModels;
use crate::store::EventStore;

pub use runner::run;

/// A store whose consumers keep their checkpoints (and read models) in its own database.
pub trait ConsumerStore: EventStore {
    /// A transaction of the store's database, in which a batch's read-model writes and the
    /// checkpoint commit together.
    type Tx: ReadModels + 'static;
    /// What keeps one consumer name to one running instance while held.
    type Lease: Send;
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

    /// Moves `consumer`'s checkpoint from `expected` to `position` inside `tx`, or fails with
    /// [`StoreError::CheckpointMoved`] if another instance moved it.
    fn save_checkpoint(
        &self,
        tx: &mut Self::Tx,
        consumer: &str,
        expected: u64,
        position: u64,
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
    fn handle<'a, T: ReadModels>(
        &'a mut self,
        tx: &'a mut T,
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
