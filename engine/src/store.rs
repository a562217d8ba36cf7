//! The store's contract, implemented by both backends and checked by one conformance suite.
//!
//! These are ports: the engine and everything built on it (projections, policies, the
//! scheduler) see only these traits, never a database. Each backend implements them once, in
//! its own folder of `adapters/store`.

use std::future::Future;

use chrono::{DateTime, Utc};
use tokio::sync::watch;

use crate::error::StoreError;
use crate::model::{Commit, IdempotencyRecord, LoggedEvent, RecordedEvent, Snapshot, StreamRef};

/// A stream's latest snapshot and the events after it.
pub type Loaded = (Option<Snapshot>, Vec<RecordedEvent>);

/// Streams (per aggregate, with optimistic concurrency) and the global log (one order for every
/// event, followed by projections, policies and subscriptions).
///
/// Methods return `impl Future + Send` so the store can be used from any tokio task; the trait
/// is used generically (see [`crate::AnyStore`] for choosing a backend at run time).
pub trait EventStore: Clone + Send + Sync + 'static {
    /// The backend's name (`postgres`, `sqlite`), for health reports and logs.
    fn backend(&self) -> &'static str;

    /// The fingerprint of a keyed command (its stream and body) kept in its idempotency record:
    /// a repeat of the key must carry the same command. A port because how to fingerprint —
    /// which hash, keyed with which secret — is the store's business, not the engine's. The
    /// body may carry personal data (a complainant's name), so the fingerprint must not let
    /// anyone who reads the database confirm a guess: backends use a keyed hash whose secret
    /// lives outside the database, and fail (the operator's fault, never the sender's) when
    /// they were given none.
    fn fingerprint(
        &self,
        stream: &StreamRef,
        body: &serde_json::Value,
    ) -> Result<String, StoreError>;

    /// The events of `stream` with a version greater than `after_version`, in version order.
    fn load_events(
        &self,
        stream: &StreamRef,
        after_version: u64,
    ) -> impl Future<Output = Result<Vec<RecordedEvent>, StoreError>> + Send {
        self.load_range(stream, after_version, i64::MAX as u64)
    }

    /// The events of `stream` with versions in `from_version + 1 ..= to_version`.
    fn load_range(
        &self,
        stream: &StreamRef,
        from_version: u64,
        to_version: u64,
    ) -> impl Future<Output = Result<Vec<RecordedEvent>, StoreError>> + Send;

    /// The latest snapshot of `stream`, if one was taken.
    fn load_snapshot(
        &self,
        stream: &StreamRef,
    ) -> impl Future<Output = Result<Option<Snapshot>, StoreError>> + Send;

    /// The latest snapshot of `stream` and the events after it — what loading an aggregate
    /// needs. Backends may answer it in one round trip, and may leave out the events' metadata
    /// (an empty object): a fold never reads it. Use [`Self::load_events`] for whole events.
    fn load_latest(
        &self,
        stream: &StreamRef,
    ) -> impl Future<Output = Result<(Option<Snapshot>, Vec<RecordedEvent>), StoreError>> + Send
    {
        async move {
            let snapshot = self.load_snapshot(stream).await?;
            let after = snapshot.as_ref().map_or(0, |s| s.version);
            Ok((snapshot, self.load_events(stream, after).await?))
        }
    }

    /// What a keyed command needs before it runs: the record of an earlier command sent by
    /// `actor` with `key`, and the latest snapshot and events of `stream`. Backends may answer
    /// it in one round trip.
    fn load_for_keyed_command(
        &self,
        stream: &StreamRef,
        actor: &str,
        key: &str,
    ) -> impl Future<Output = Result<(Option<IdempotencyRecord>, Loaded), StoreError>> + Send {
        async move {
            let record = self.find_idempotency(actor, key).await?;
            Ok((record, self.load_latest(stream).await?))
        }
    }

    /// The record of an earlier command sent by `actor` with `key`.
    fn find_idempotency(
        &self,
        actor: &str,
        key: &str,
    ) -> impl Future<Output = Result<Option<IdempotencyRecord>, StoreError>> + Send;

    /// Writes the commit atomically and returns the stream's new version. A stream that moved
    /// past `expected_version` is a [`StoreError::Conflict`]; an idempotency key already taken
    /// is a [`StoreError::IdempotencyKeyReused`] (the caller looks the record up and decides).
    fn commit(&self, commit: Commit) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// Writes several commits in ONE transaction, in order — all or none: their events take
    /// consecutive places in the log in the order given (a stream may appear more than once,
    /// each commit expecting the version the one before left). The first commit whose stream
    /// moved, or whose idempotency key is taken, fails the whole batch with the error
    /// [`Self::commit`] would give it. What a generator that decides many commands in memory
    /// (the demo campaign, [`crate::Batch`]) writes with: one transaction instead of thousands.
    fn commit_all(
        &self,
        commits: Vec<Commit>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Up to `limit` events of the global log after `after_position`, in position order.
    fn read_log(
        &self,
        after_position: u64,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<LoggedEvent>, StoreError>> + Send;

    /// The highest position assigned so far (0 for an empty log).
    fn head(&self) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// How many events are committed, placed in the log or not: the head reaches it once the
    /// log has placed them all (on PostgreSQL the sequencer places them after the commit) —
    /// what a driver stepping time by hand waits for before it steps the consumers.
    fn committed(&self) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// The greatest id of a stream of `stream_type` that begins with `prefix`, ordering ids as
    /// serial numbers are ordered — by length, then by value — so `YB-2026-10000` comes after
    /// `YB-2026-9999`. What allocating the next item code (`YB-2026-` + 1) reads.
    fn last_stream_id(
        &self,
        stream_type: &str,
        prefix: &str,
    ) -> impl Future<Output = Result<Option<String>, StoreError>> + Send;

    /// Up to `limit` ids of the streams of `stream_type`, in ascending order, after `after`
    /// (`""` for the first page): how the scheduler finds every campaign and schedule.
    fn stream_ids(
        &self,
        stream_type: &str,
        after: &str,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<String>, StoreError>> + Send;

    /// Every stream id of `stream_type`, in ascending order, read [`Self::stream_ids`] a page
    /// at a time: for types with few streams (campaigns, schedules, publications).
    fn all_stream_ids(
        &self,
        stream_type: &str,
    ) -> impl Future<Output = Result<Vec<String>, StoreError>> + Send
    where
        Self: Sync,
    {
        async move {
            const PAGE: u32 = 500;
            let mut ids: Vec<String> = Vec::new();
            loop {
                let after = ids.last().cloned().unwrap_or_default();
                let page = self.stream_ids(stream_type, &after, PAGE).await?;
                let full = page.len() == PAGE as usize;
                ids.extend(page);
                if !full {
                    return Ok(ids);
                }
            }
        }
    }

    /// A wake-up signal carrying the last known head; it changes when new positions are
    /// assigned. Only a hint: the log itself is the truth, readers also poll.
    fn watch_head(&self) -> watch::Receiver<u64>;

    /// Forgets idempotency records created before `before`; returns how many.
    fn purge_idempotency(
        &self,
        before: DateTime<Utc>,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;
}
