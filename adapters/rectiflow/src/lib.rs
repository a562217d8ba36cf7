//! # rectiflow
//!
//! The service that wires the pieces together: it opens the event store (PostgreSQL or the
//! embedded SQLite default) — the one place the backend is chosen — and runs the application
//! generically on it: the HTTP server, and the background workers (the store's sequencer,
//! housekeeping, every registered projection and its lag gauge, every policy, and the
//! scheduler that fires the campaigns' rhythm) under one [`Supervisor`]. [`Application`]
//! is built from a [`Config`] and run with a listener and a shutdown signal given by the
//! caller, so tests bind port 0 and stop it themselves.
//!
//! Shutdown is bounded by `shutdown_grace_seconds`: requests in flight and background workers
//! get that long to finish, then whatever still runs is abandoned (and named in the log), so
//! a database that stopped answering cannot keep the process from exiting.

pub mod access;
pub mod api;
pub mod clock;
pub mod config;
pub mod demo;
pub mod driver;
pub mod http;
pub mod policies;
pub mod projections;
pub mod purge;
pub mod rebuild;
pub mod schedule;
pub mod telemetry;

use std::future::IntoFuture;
use std::sync::Arc;

use metrics_exporter_prometheus::PrometheusHandle;
use rectiflow_domain::clock::Clock;
use rectiflow_engine::{CancellationToken, Supervisor};
use rectiflow_store::{with_store, AnyStore, Store};
use tokio::net::TcpListener;
use tokio::time::Instant;

/// How often the scheduler looks at the campaigns when nothing falls due sooner: new campaigns
/// get their schedules, and an administrator's pause, resume or trigger takes effect, within it.
const SCHEDULER_POLL: std::time::Duration = rectiflow_scheduler::firing::worker::DEFAULT_POLL;

pub use config::Config;

/// A built application: an open store, ready to serve.
pub struct Application {
    config: Config,
    store: AnyStore,
    metrics: PrometheusHandle,
    clock: Arc<dyn Clock>,
}

impl Application {
    /// Opens the store (applying migrations) with the key for command fingerprints: read from
    /// `fingerprint_key_file`, or on SQLite the store's own; refused on PostgreSQL without one,
    /// before anything is opened.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        config.validate()?;
        let key = config.fingerprint_key()?;
        // The recorder first, so what the store records while opening is kept.
        let metrics = telemetry::metrics();
        let store = AnyStore::open_with_key(&config.database_url, key).await?;
        Ok(Self {
            config,
            store,
            metrics,
            clock: Arc::new(clock::SystemClock),
        })
    }

    /// Runs on `clock` instead of the wall clock: `serve --demo` parks it at the demo's end,
    /// so the campaign is served as it stood then (nothing falls due while one looks).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    pub fn store(&self) -> &AnyStore {
        &self.store
    }

    /// Serves on `listener` until `shutdown` is cancelled, with the background workers under
    /// one supervisor. Fails if the server fails or a worker the process cannot do without
    /// stopped it — so the binary exits non-zero rather than limping on.
    pub async fn run(
        self,
        listener: TcpListener,
        shutdown: CancellationToken,
    ) -> anyhow::Result<()> {
        let Self {
            config,
            store,
            metrics,
            clock,
        } = self;
        with_store!(store, store => serve(store, config, metrics, clock, listener, shutdown).await)
    }
}

async fn serve<S: Store>(
    store: S,
    config: Config,
    metrics: PrometheusHandle,
    clock: Arc<dyn Clock>,
    listener: TcpListener,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let mut supervisor = Supervisor::new(shutdown.clone());
    for worker in store.workers() {
        supervisor.add(worker);
    }
    supervisor.add(purge::worker(
        store.clone(),
        config.idempotency_retention_hours,
    ));
    for worker in projections::workers(&store) {
        supervisor.add(worker);
    }
    let ports = policies::ports(&store, &config, clock)?;
    for worker in policies::workers(&ports) {
        supervisor.add(worker);
    }
    // The API wakes the scheduler after a change to a campaign, a schedule or the calendar it
    // receives; a change another process receives takes effect at the next poll.
    let (scheduler, wake) = schedule::firing::worker(&ports, SCHEDULER_POLL);
    supervisor.add(scheduler);
    supervisor.add(schedule::watching::worker(
        &ports,
        rectiflow_scheduler::watching::worker::DEFAULT_POLL,
    ));
    supervisor.add(projections::lag_gauge(
        store.clone(),
        projections::LAG_EVERY,
    ));
    let api = Arc::new(api::Api::new(
        ports.exec.clone(),
        ports.services.clone(),
        &config,
        wake,
    ));
    let router = http::router(http::AppState::new(store, metrics)).merge(api::router(api));
    tracing::info!(address = %listener.local_addr()?, "rectiflow is listening");
    let server = axum::serve(listener, router)
        .with_graceful_shutdown(shutdown.clone().cancelled_owned())
        .into_future();
    let mut server = std::pin::pin!(server);
    // Until shutdown the server runs unbounded; a server that fails first stops the process.
    let early = tokio::select! {
        served = &mut server => Some(served),
        _ = shutdown.cancelled() => None,
    };
    shutdown.cancel();
    let grace = config.shutdown_grace();
    let deadline = Instant::now() + grace;
    let served = match early {
        Some(served) => served,
        None => match tokio::time::timeout_at(deadline, server).await {
            Ok(served) => served,
            Err(_) => {
                tracing::error!(?grace, "requests still in flight at the end of the shutdown grace period; dropping them");
                Ok(())
            }
        },
    };
    let stopped = supervisor
        .stop_within(deadline.saturating_duration_since(Instant::now()))
        .await?;
    if !stopped.abandoned.is_empty() {
        tracing::warn!(abandoned = ?stopped.abandoned, "stopped, abandoning background workers that did not stop in time");
    }
    served?;
    Ok(())
}
