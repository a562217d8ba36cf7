//! rectiflow: the same commands through our executor — idempotency lookup, load (snapshot and
//! events), handle, and one commit of the events, the idempotency record and any snapshot —
//! with the sequencer assigning positions and chaining hashes in the background.

use std::sync::Arc;

use anyhow::Context;
use rectiflow_domain::values::PersonId;
use rectiflow_engine::{
    CancellationToken, CommandContext, EventStore, Executor, IdempotencyKey, Supervisor,
};
use rectiflow_store::{FingerprintKey, PgSettings, PgStore};

use super::{Workload, STREAMS};
use crate::drive::{drive, stream_index, Sample};
use crate::tally::{bench_actor, system_clock, Record, Tally};
use crate::RunSettings;

/// A started store on one database, and the executor over it.
pub struct Ours {
    pub store: PgStore,
    pub executor: Executor<PgStore>,
    pub shutdown: CancellationToken,
    workers: Option<Supervisor>,
    actor: PersonId,
}

impl Ours {
    /// Connects with the writers' 16 connections plus the one the store's LISTEN task keeps
    /// out of the same pool (the sequencer has its own dedicated connection besides).
    pub async fn start(url: &str, snapshot_every: u64) -> anyhow::Result<Self> {
        // A fresh key per run: the benchmark's idempotency records are not kept beyond it.
        let mut settings = PgSettings::new(url).with_fingerprint_key(FingerprintKey::generate());
        settings.max_connections = crate::pg::POOL_SIZE + 1;
        let store = PgStore::connect(settings)
            .await
            .context("opening rectiflow's store")?;
        let shutdown = CancellationToken::new();
        let workers = Some(store.start(shutdown.clone()));
        let executor =
            Executor::new(store.clone(), system_clock()).with_snapshot_every(snapshot_every);
        Ok(Self {
            store,
            executor,
            shutdown,
            workers,
            actor: bench_actor()?,
        })
    }

    /// Executes one `events`-event command on `stream_id`, with idempotency key `key`.
    pub async fn command<S: EventStore>(
        executor: &Executor<S>,
        actor: &PersonId,
        stream_id: &str,
        events: u32,
        key: Option<String>,
    ) -> anyhow::Result<u64> {
        let mut context = CommandContext::new(actor.clone());
        if let Some(key) = key {
            context = context
                .with_idempotency_key(IdempotencyKey::parse(key).map_err(|e| anyhow::anyhow!(e))?);
        }
        let outcome = executor
            .execute::<Tally, Record>(&context, stream_id, None, Record { events, amount: 1 }, &())
            .await
            .with_context(|| format!("command on tally/{stream_id}"))?;
        Ok(outcome.events.len() as u64)
    }

    /// The stream-name prefix of a run: keyed and unkeyed runs write to streams of their own.
    pub fn prefix(workload: Workload, keyed: bool) -> String {
        format!("{}{}", workload.name(), if keyed { "k" } else { "n" })
    }

    /// Runs `workload`, each command with an idempotency key if `keyed`.
    pub async fn run(
        &self,
        workload: Workload,
        keyed: bool,
        settings: &RunSettings,
    ) -> anyhow::Result<Sample> {
        let executor = Arc::new(self.executor.clone());
        let actor = self.actor.clone();
        let prefix = Self::prefix(workload, keyed);
        drive(
            workload.writers,
            settings.warmup,
            settings.window,
            move |writer, n| {
                let executor = executor.clone();
                let actor = actor.clone();
                let index = stream_index(STREAMS, workload.writers, writer, n);
                let stream = format!("{prefix}-{index}");
                let key = keyed.then(|| format!("{prefix}-{writer}-{n}"));
                async move { Self::command(&executor, &actor, &stream, workload.events, key).await }
            },
        )
        .await
    }

    /// Stops the sequencer and listeners, waits for them, then closes the pool (in that order,
    /// so no background task meets a closed pool).
    pub async fn stop(mut self) {
        self.shutdown.cancel();
        if let Some(workers) = self.workers.take() {
            if let Err(error) = workers.wait().await {
                eprintln!("a store worker failed: {error}");
            }
        }
        self.store.pool().close().await;
    }

    pub fn actor(&self) -> &PersonId {
        &self.actor
    }
}

impl Drop for Ours {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// Delay from a command's acceptance (`events.recorded_at`, stamped by the executor just
/// before its commit, so this includes the commit itself) to its position being assigned
/// (`log.sequenced_at`), over the events of streams starting with `prefix`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Lag {
    pub events: i64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

pub async fn sequencer_lag(store: &PgStore, prefix: &str) -> anyhow::Result<Lag> {
    let written: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
        .fetch_one(store.pool())
        .await
        .context("counting events")?;
    crate::catchup::wait_for_head(
        store,
        u64::try_from(written).unwrap_or(0),
        std::time::Duration::from_secs(120),
    )
    .await?;
    let (events, p50, p99, max): (i64, Option<f64>, Option<f64>, Option<f64>) = sqlx::query_as(
        "SELECT count(*), \
                percentile_disc(0.5) WITHIN GROUP (ORDER BY lag), \
                percentile_disc(0.99) WITHIN GROUP (ORDER BY lag), \
                max(lag) \
         FROM (SELECT extract(epoch FROM l.sequenced_at - e.recorded_at)::float8 * 1000 AS lag \
               FROM log l JOIN events e ON e.id = l.event_ref \
               WHERE e.stream_id LIKE $1 || '-%') s",
    )
    .bind(prefix)
    .fetch_one(store.pool())
    .await
    .context("measuring the sequencer lag")?;
    Ok(Lag {
        events,
        p50_ms: p50.unwrap_or(0.0),
        p99_ms: p99.unwrap_or(0.0),
        max_ms: max.unwrap_or(0.0),
    })
}
