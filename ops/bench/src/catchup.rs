//! Catch-up read: a consumer starting from position 0 over a log of a million events, through
//! our consumer runner (pages of the log joined to the events, a checkpoint transaction per
//! page), against one raw `SELECT … ORDER BY position` streaming the same rows and columns.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use futures::TryStreamExt;
use rectiflow_engine::consumer::{self, ConsumerOptions, Handler, HandlerError};
use rectiflow_engine::model::{Commit, NewEvent};
use rectiflow_engine::readmodel::ReadModels;
use rectiflow_engine::{CancellationToken, EventStore, LoggedEvent, StreamRef};
use rectiflow_store::PgStore;
use sqlx::Row;
use uuid::Uuid;

use crate::contenders::{metadata, now_micros, payload};
use crate::progress::Progress;

/// Events per commit while filling: big commits, so the fill is quick.
const FILL_COMMIT: u64 = 1_000;
/// Concurrent fill writers.
const FILL_WRITERS: u64 = 4;

/// Fills `store` with `total` events in commits of [`FILL_COMMIT`], each to its own stream,
/// then waits until the sequencer has placed them all in the log.
pub async fn fill_big_commits(store: &PgStore, total: u64) -> anyhow::Result<()> {
    let commits = total.div_ceil(FILL_COMMIT);
    commit_all(store, "catch-up fill", commits, total, move |commit_no| {
        let size = FILL_COMMIT.min(total - commit_no * FILL_COMMIT);
        let recorded_at = now_micros();
        let events = (0..size)
            .map(|_| NewEvent {
                event_id: Uuid::now_v7(),
                event_type: "Recorded".into(),
                schema_version: "1.0".into(),
                payload: payload(1),
                metadata: metadata(),
                recorded_at,
            })
            .collect();
        Ok(Commit {
            stream: StreamRef::new("tally", format!("catchup-{commit_no}")),
            expected_version: 0,
            events,
            snapshot: None,
            idempotency: None,
        })
    })
    .await
}

/// Commits `commits` commits made by `make(commit_no)` straight through the store's commit
/// (no executor: the fill is setup, not what is measured), [`FILL_WRITERS`] at a time, each
/// writer taking every `FILL_WRITERS`-th number in order; then waits until the sequencer has
/// placed `events` more events in the log.
pub async fn commit_all<F>(
    store: &PgStore,
    label: &str,
    commits: u64,
    events: u64,
    make: F,
) -> anyhow::Result<()>
where
    F: Fn(u64) -> anyhow::Result<Commit> + Send + Sync + 'static,
{
    let head_before = store.head().await?;
    let make = std::sync::Arc::new(make);
    let progress = Progress::new(label, events);
    let mut tasks = Vec::new();
    for writer in 0..FILL_WRITERS {
        let store = store.clone();
        let progress = progress.clone();
        let make = make.clone();
        tasks.push(tokio::spawn(async move {
            let mut commit_no = writer;
            while commit_no < commits {
                let commit = make(commit_no)?;
                let size = commit.events.len() as u64;
                store
                    .commit(commit)
                    .await
                    .with_context(|| format!("fill commit {commit_no}"))?;
                progress.add(size);
                commit_no += FILL_WRITERS;
            }
            Ok::<_, anyhow::Error>(())
        }));
    }
    for task in tasks {
        task.await.context("a fill task panicked")??;
    }
    progress.finish();
    wait_for_head(store, head_before + events, Duration::from_secs(1_800)).await
}

/// Waits until the log's head reaches `position`, showing progress.
pub async fn wait_for_head<S: EventStore>(
    store: &S,
    position: u64,
    limit: Duration,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut head = store.watch_head();
    let progress = Progress::new("sequencer", position);
    loop {
        let now = store.head().await?;
        progress.set(now);
        if now >= position {
            progress.finish();
            return Ok(());
        }
        if started.elapsed() > limit {
            bail!("the sequencer reached only position {now} of {position} within {limit:?}");
        }
        // The watch is the wake-up; the bound covers a missed one.
        let _ = tokio::time::timeout(Duration::from_millis(500), head.changed()).await;
    }
}

/// Counts what the runner hands it and stops the runner once it has seen `target`.
struct Counting {
    target: u64,
    seen: u64,
    shutdown: CancellationToken,
}

impl Handler for Counting {
    async fn handle<T: ReadModels>(
        &mut self,
        _tx: &mut T,
        batch: &[LoggedEvent],
    ) -> Result<(), HandlerError> {
        self.seen += batch.len() as u64;
        if batch.last().is_some_and(|e| e.position >= self.target) {
            self.shutdown.cancel();
        }
        Ok(())
    }
}

/// Reads the first `target` positions through the consumer runner with pages of `batch`
/// events; returns how far its checkpoint got and how long it took.
pub async fn through_consumer(
    store: &PgStore,
    target: u64,
    batch: u32,
) -> anyhow::Result<(u64, Duration)> {
    let name = format!("bench-catch-up-{batch}");
    // Each read starts from position 0.
    sqlx::query("DELETE FROM checkpoints WHERE consumer = $1")
        .bind(&name)
        .execute(store.pool())
        .await
        .context("resetting the consumer's checkpoint")?;
    let shutdown = CancellationToken::new();
    let handler = Counting {
        target,
        seen: 0,
        shutdown: shutdown.clone(),
    };
    let started = Instant::now();
    let mut options = ConsumerOptions::new(name.as_str());
    options.batch_size = batch;
    let runner = consumer::run(store.clone(), options, handler, shutdown.clone());
    tokio::time::timeout(Duration::from_secs(900), runner)
        .await
        .context("the consumer did not catch up within 15 minutes")?;
    let elapsed = started.elapsed();
    let checkpoint: i64 =
        sqlx::query_scalar("SELECT position FROM checkpoints WHERE consumer = $1")
            .bind(&name)
            .fetch_one(store.pool())
            .await
            .context("reading the consumer's checkpoint")?;
    Ok((u64::try_from(checkpoint).unwrap_or(0), elapsed))
}

/// The runner's reads alone: `read_log` page after page, with no checkpoint transaction.
/// Set against [`through_consumer`], it splits the runner's time into reading and
/// checkpointing.
pub async fn read_pages(
    store: &PgStore,
    target: u64,
    page: u32,
) -> anyhow::Result<(u64, Duration)> {
    let started = Instant::now();
    let mut position = 0u64;
    while position < target {
        let batch = store
            .read_log(position, page)
            .await
            .with_context(|| format!("read_log after {position}"))?;
        let Some(last) = batch.last() else {
            bail!("the log ended at {position}, before {target}");
        };
        position = last.position;
    }
    Ok((position, started.elapsed()))
}

/// The same rows and columns, decoded into the same types, in one streaming query.
pub async fn raw_scan(store: &PgStore, target: u64) -> anyhow::Result<(u64, Duration)> {
    let started = Instant::now();
    let mut rows = sqlx::query(
        "SELECT l.position, l.hash, e.stream_type, e.stream_id, e.stream_version, e.event_id, \
                e.event_type, e.schema_version, e.payload, e.metadata, e.recorded_at \
         FROM log l JOIN events e ON e.id = l.event_ref \
         WHERE l.position <= $1 ORDER BY l.position",
    )
    .bind(i64::try_from(target).unwrap_or(i64::MAX))
    .fetch(store.pool());
    let mut count = 0u64;
    while let Some(row) = rows.try_next().await.context("raw scan")? {
        let event = decode(&row).context("decoding a raw scan row")?;
        std::hint::black_box(event);
        count += 1;
    }
    Ok((count, started.elapsed()))
}

fn decode(row: &sqlx::postgres::PgRow) -> Result<LoggedEvent, sqlx::Error> {
    let hash: Vec<u8> = row.try_get("hash")?;
    Ok(LoggedEvent {
        position: u64::try_from(row.try_get::<i64, _>("position")?).unwrap_or(0),
        hash: hex::encode(hash),
        event: rectiflow_engine::RecordedEvent {
            stream: StreamRef::new(
                row.try_get::<String, _>("stream_type")?,
                row.try_get::<String, _>("stream_id")?,
            ),
            stream_version: u64::try_from(row.try_get::<i64, _>("stream_version")?).unwrap_or(0),
            event_id: row.try_get("event_id")?,
            event_type: row.try_get("event_type")?,
            schema_version: row.try_get("schema_version")?,
            payload: row.try_get("payload")?,
            metadata: row.try_get("metadata")?,
            recorded_at: row.try_get("recorded_at")?,
        },
    })
}
