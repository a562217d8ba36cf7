//! # rectiflow
//!
//! The service that wires the pieces together: it opens the event store (PostgreSQL or the
//! embedded SQLite default) — the one place the backend is chosen — and runs the application
//! generically on it: the HTTP server, and the background workers (the store's sequencer,
//! housekeeping, later projections and schedulers) under one [`Supervisor`]. [`Application`]
//! is built from a [`Config`] and run with a listener and a shutdown signal given by the
//! caller, so tests bind port 0 and stop it themselves.

pub mod config;
pub mod http;
pub mod telemetry;

use std::time::Duration;

use metrics_exporter_prometheus::PrometheusHandle;
use rectiflow_engine::shutdown::pause;
use rectiflow_engine::{CancellationToken, EventStore, Supervisor, Worker, WorkerError};
use rectiflow_store::{with_store, AnyStore, Store};
use tokio::net::TcpListener;

pub use config::Config;

/// A built application: an open store, ready to serve.
pub struct Application {
    config: Config,
    store: AnyStore,
    metrics: PrometheusHandle,
}

impl Application {
    /// Opens the store (applying migrations) with the key for command fingerprints: read from
    /// `fingerprint_key_file`, or on SQLite the store's own; refused on PostgreSQL without one,
    /// before anything is opened.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let key = config.fingerprint_key()?;
        // The recorder first, so what the store records while opening is kept.
        let metrics = telemetry::metrics();
        let store = AnyStore::open_with_key(&config.database_url, key).await?;
        Ok(Self {
            config,
            store,
            metrics,
        })
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
        } = self;
        with_store!(store, store => serve(store, config, metrics, listener, shutdown).await)
    }
}

async fn serve<S: Store>(
    store: S,
    config: Config,
    metrics: PrometheusHandle,
    listener: TcpListener,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let mut supervisor = Supervisor::new(shutdown.clone());
    for worker in store.workers() {
        supervisor.add(worker);
    }
    supervisor.add(purge_idempotency(
        store.clone(),
        config.idempotency_retention_hours,
    ));
    let router = http::router(http::AppState { store, metrics });
    tracing::info!(address = %listener.local_addr()?, "rectiflow is listening");
    let served = axum::serve(listener, router)
        .with_graceful_shutdown(shutdown.clone().cancelled_owned())
        .await;
    shutdown.cancel();
    supervisor.wait().await?;
    served?;
    Ok(())
}

/// Forgets idempotency keys older than the retention, once an hour.
fn purge_idempotency<S: EventStore>(store: S, retention_hours: u32) -> Worker {
    Worker::restarting("idempotency-purge", move |shutdown| {
        let store = store.clone();
        async move {
            let retention = chrono::Duration::try_hours(i64::from(retention_hours))
                .ok_or_else(|| WorkerError::new("the idempotency retention is out of range"))?;
            loop {
                let before = chrono::Utc::now() - retention;
                match store.purge_idempotency(before).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(purged = n, "forgot expired idempotency keys"),
                    Err(error) => tracing::warn!(%error, "could not purge idempotency keys"),
                }
                if !pause(&shutdown, Duration::from_secs(3600)).await {
                    return Ok(());
                }
            }
        }
    })
}
