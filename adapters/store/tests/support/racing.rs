//! A test double of the [`EventStore`] port that makes a writer lose a race on demand: it wraps
//! a real store and delegates every method to it, except that once armed, the next `commit`
//! first lets a competing commit land on the same stream at the version the caller expects.
//! The caller's commit then meets a stream that moved — a conflict, every time, on either
//! backend — so a test can check what the executor does after losing a race without hoping
//! that a race falls one way.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use rectiflow_engine::model::{Commit, IdempotencyRecord, NewEvent, Snapshot};
use rectiflow_engine::{EventStore, Loaded, LoggedEvent, RecordedEvent, StoreError, StreamRef};
use tokio::sync::watch;
use uuid::Uuid;

/// `inner`, with a competitor that can be armed to commit just before the next caller's commit.
#[derive(Clone)]
pub struct RacingStore<S> {
    inner: S,
    /// The `Added { by }` the competitor commits when the next commit arrives, if armed.
    competitor: Arc<Mutex<Option<u64>>>,
    /// Commits asked of this store by its callers (not counting the competitor's).
    commits: Arc<AtomicUsize>,
}

impl<S: EventStore> RacingStore<S> {
    pub fn new(inner: S) -> Self {
        Self {
            inner,
            competitor: Arc::new(Mutex::new(None)),
            commits: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// The next commit asked of this store loses its race: just before it, a competitor
    /// commits one `Added { by }` event to the same stream at the version it expects.
    pub fn arm(&self, by: u64) {
        *self.competitor.lock().expect("competitor") = Some(by);
    }

    /// How many commits callers asked of this store so far.
    pub fn commits(&self) -> usize {
        self.commits.load(Ordering::SeqCst)
    }
}

impl<S: EventStore> EventStore for RacingStore<S> {
    fn backend(&self) -> &'static str {
        self.inner.backend()
    }

    fn fingerprint(
        &self,
        stream: &StreamRef,
        body: &serde_json::Value,
    ) -> Result<String, StoreError> {
        self.inner.fingerprint(stream, body)
    }

    async fn load_events(
        &self,
        stream: &StreamRef,
        after_version: u64,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        self.inner.load_events(stream, after_version).await
    }

    async fn load_range(
        &self,
        stream: &StreamRef,
        from_version: u64,
        to_version: u64,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        self.inner
            .load_range(stream, from_version, to_version)
            .await
    }

    async fn load_snapshot(&self, stream: &StreamRef) -> Result<Option<Snapshot>, StoreError> {
        self.inner.load_snapshot(stream).await
    }

    async fn load_latest(&self, stream: &StreamRef) -> Result<Loaded, StoreError> {
        self.inner.load_latest(stream).await
    }

    async fn load_for_keyed_command(
        &self,
        stream: &StreamRef,
        actor: &str,
        key: &str,
    ) -> Result<(Option<IdempotencyRecord>, Loaded), StoreError> {
        self.inner.load_for_keyed_command(stream, actor, key).await
    }

    async fn find_idempotency(
        &self,
        actor: &str,
        key: &str,
    ) -> Result<Option<IdempotencyRecord>, StoreError> {
        self.inner.find_idempotency(actor, key).await
    }

    async fn commit_all(&self, commits: Vec<Commit>) -> Result<(), StoreError> {
        self.inner.commit_all(commits).await
    }

    async fn commit(&self, commit: Commit) -> Result<u64, StoreError> {
        self.commits.fetch_add(1, Ordering::SeqCst);
        let competitor = self.competitor.lock().expect("competitor").take();
        if let Some(by) = competitor {
            let version = self
                .inner
                .commit(Commit {
                    stream: commit.stream.clone(),
                    expected_version: commit.expected_version,
                    events: vec![NewEvent {
                        event_id: Uuid::now_v7(),
                        event_type: "Added".into(),
                        schema_version: "1.0".into(),
                        payload: serde_json::json!({"Added": {"by": by}}),
                        metadata: serde_json::json!({"actor": "competitor"}),
                        recorded_at: commit
                            .events
                            .first()
                            .map_or_else(Utc::now, |e| e.recorded_at),
                    }],
                    snapshot: None,
                    idempotency: None,
                })
                .await
                .expect("the competing commit lands first");
            assert_eq!(version, commit.expected_version + 1, "the competitor won");
        }
        self.inner.commit(commit).await
    }

    async fn read_log(
        &self,
        after_position: u64,
        limit: u32,
    ) -> Result<Vec<LoggedEvent>, StoreError> {
        self.inner.read_log(after_position, limit).await
    }

    async fn head(&self) -> Result<u64, StoreError> {
        self.inner.head().await
    }

    async fn committed(&self) -> Result<u64, StoreError> {
        self.inner.committed().await
    }

    async fn last_stream_id(
        &self,
        stream_type: &str,
        prefix: &str,
    ) -> Result<Option<String>, StoreError> {
        self.inner.last_stream_id(stream_type, prefix).await
    }

    async fn stream_ids(
        &self,
        stream_type: &str,
        after: &str,
        limit: u32,
    ) -> Result<Vec<String>, StoreError> {
        self.inner.stream_ids(stream_type, after, limit).await
    }

    fn watch_head(&self) -> watch::Receiver<u64> {
        self.inner.watch_head()
    }

    async fn purge_idempotency(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        self.inner.purge_idempotency(before).await
    }
}
