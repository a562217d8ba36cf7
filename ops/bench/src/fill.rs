//! `rectiflow-bench fill`: synthetic events through our executor into any store, so verify,
//! export and import can be tried at scale.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use rectiflow_engine::{CancellationToken, Executor, Supervisor};
use rectiflow_store::{with_store, AnyStore, Store};

use crate::contenders::ours::Ours;
use crate::progress::Progress;
use crate::tally::{bench_actor, system_clock};

#[derive(Debug, Clone)]
pub struct FillSettings {
    pub events: u64,
    pub streams: usize,
    pub per_command: u32,
}

/// Writes exactly `settings.events` events as commands of up to `per_command` events over
/// `streams` streams; on PostgreSQL waits until the sequencer has placed them in the log.
/// Returns the log's head afterwards.
pub async fn fill(url: &str, settings: &FillSettings) -> anyhow::Result<u64> {
    let store = AnyStore::open(url)
        .await
        .with_context(|| format!("opening the store at {}", crate::pg::redact(url)))?;
    let shutdown = CancellationToken::new();
    let mut workers = Supervisor::new(shutdown.clone());
    let result = with_store!(store, store => {
        for worker in store.workers() {
            workers.add(worker);
        }
        write_and_settle(&store, settings).await
    });
    shutdown.cancel();
    workers.wait().await?;
    result
}

async fn write_and_settle<S: Store>(store: &S, settings: &FillSettings) -> anyhow::Result<u64> {
    let head_before = store.head().await?;
    // SQLite has one writer; PostgreSQL takes concurrent ones.
    let writers = match store.backend() {
        "postgres" => 8.min(settings.streams.max(1)),
        _ => 1,
    };
    let executor = Executor::new(store.clone(), system_clock());
    let actor = bench_actor()?;
    let remaining = Arc::new(AtomicU64::new(settings.events));
    let progress = Progress::new("fill", settings.events);
    let mut tasks = Vec::new();
    for writer in 0..writers {
        let executor = executor.clone();
        let actor = actor.clone();
        let remaining = remaining.clone();
        let progress = progress.clone();
        let settings = settings.clone();
        tasks.push(tokio::spawn(async move {
            let mut n = 0usize;
            loop {
                let want = u64::from(settings.per_command.max(1));
                let claimed = remaining
                    .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                        (left > 0).then(|| left - left.min(want))
                    })
                    .map(|left| left.min(want))
                    .unwrap_or(0);
                if claimed == 0 {
                    return Ok::<_, anyhow::Error>(());
                }
                // Each writer owns the streams congruent to it, so writers never conflict.
                let share = (settings.streams / writers).max(1);
                let stream = format!("fill-{}", writer + (n % share) * writers);
                let events = u32::try_from(claimed).unwrap_or(u32::MAX);
                Ours::command(&executor, &actor, &stream, events, None).await?;
                progress.add(claimed);
                n += 1;
            }
        }));
    }
    for task in tasks {
        task.await.context("a fill writer panicked")??;
    }
    progress.finish();
    let target = head_before + settings.events;
    crate::catchup::wait_for_head(store, target, Duration::from_secs(3_600)).await?;
    Ok(store.head().await?)
}
