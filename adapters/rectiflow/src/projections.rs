//! The projections in the service: each registered one ([`registry`]) kept live by `serve`
//! as a supervised consumer, and every consumer's lag behind the log — for `rectiflow lag`
//! and for the `rectiflow_consumer_lag{consumer}` gauge.

use std::time::Duration;

use rectiflow_engine::consumer::{
    self, consumer_lags, ConsumerOptions, ConsumerStore, Handler, RunOutcome,
};
use rectiflow_engine::shutdown::pause;
use rectiflow_engine::{StoreError, Worker};
use rectiflow_projections::registry::{self, Visitor};
use serde::Serialize;

/// How often `serve` reads the consumers' lags into the gauge.
pub const LAG_EVERY: Duration = Duration::from_secs(5);

/// One supervised worker per registered projection, each running its consumer until shutdown.
pub fn workers<S: ConsumerStore>(store: &S) -> Vec<Worker> {
    struct Spawn<S> {
        store: S,
        workers: Vec<Worker>,
    }
    impl<S: ConsumerStore> Visitor for Spawn<S> {
        fn visit<H: Handler + 'static>(&mut self, name: &'static str, make: fn() -> H) {
            let store = self.store.clone();
            self.workers.push(Worker::restarting(
                format!("projection:{name}"),
                move |shutdown| {
                    let store = store.clone();
                    async move {
                        let options = ConsumerOptions::new(name);
                        match consumer::run(store, options, make(), shutdown.clone()).await {
                            RunOutcome::Shutdown => {}
                            // Newer code owns it (a rolling upgrade): this node leaves it to
                            // them until it stops, rather than be restarted into standing
                            // down again and counted as a failure each time.
                            RunOutcome::StoodDown { .. } => shutdown.cancelled().await,
                        }
                        Ok(())
                    }
                },
            ));
        }
    }
    let mut spawn = Spawn {
        store: store.clone(),
        workers: Vec::new(),
    };
    registry::each(&mut spawn);
    spawn.workers
}

/// Sets `rectiflow_consumer_lag{consumer}` to each consumer's lag, read from the database
/// (so every process reports the same, whichever runs the consumer).
pub async fn record_lags<S: ConsumerStore>(store: &S) -> Result<(), StoreError> {
    for lag in consumer_lags(store).await? {
        metrics::gauge!("rectiflow_consumer_lag", "consumer" => lag.consumer).set(lag.lag as f64);
    }
    Ok(())
}

/// Records the lags ([`record_lags`]) every `every`, so the gauge stays current between
/// scrapes of `/metrics` (which records them too) for whatever else reads the recorder.
pub fn lag_gauge<S: ConsumerStore>(store: S, every: Duration) -> Worker {
    Worker::restarting("consumer-lag", move |shutdown| {
        let store = store.clone();
        async move {
            loop {
                if let Err(error) = record_lags(&store).await {
                    tracing::warn!(%error, "cannot read the consumers' lags");
                }
                // The recorder drains its histograms' samples here as well as at each scrape,
                // so a service nobody scrapes does not hold every request's latency.
                crate::telemetry::metrics().run_upkeep();
                if !pause(&shutdown, every).await {
                    return Ok(());
                }
            }
        }
    })
}

/// A consumer's lag as `rectiflow lag` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LagLine {
    pub consumer: String,
    pub checkpoint: u64,
    /// `None` for a registered consumer that has not started (recorded no checkpoint yet).
    pub version: Option<u32>,
    pub head: u64,
    pub lag: u64,
}

/// Every consumer with a checkpoint, and every registered projection and policy without one
/// yet (its lag the whole log), ordered by name.
pub async fn lag_lines<S: ConsumerStore>(store: &S) -> Result<Vec<LagLine>, StoreError> {
    let lags = consumer_lags(store).await?;
    let head = lags.first().map_or(store.head().await?, |lag| lag.head);
    let mut lines: Vec<LagLine> = lags
        .into_iter()
        .map(|lag| LagLine {
            consumer: lag.consumer,
            checkpoint: lag.checkpoint,
            version: Some(lag.version),
            head: lag.head,
            lag: lag.lag,
        })
        .collect();
    let policies = rectiflow_projections::policies::roster::NAMES;
    for name in registry::names().into_iter().chain(policies) {
        if !lines.iter().any(|line| line.consumer == name) {
            lines.push(LagLine {
                consumer: name.to_owned(),
                checkpoint: 0,
                version: None,
                head,
                lag: head,
            });
        }
    }
    lines.sort_by(|a, b| a.consumer.cmp(&b.consumer));
    Ok(lines)
}
