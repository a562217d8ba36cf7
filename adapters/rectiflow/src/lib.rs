//! # rectiflow
//!
//! The service that wires the pieces together: the event store (PostgreSQL or the embedded
//! SQLite default), the sequencer and consumers, and the HTTP server. [`Application`] is built
//! from a [`Config`] and run with a listener and a shutdown signal given by the caller, so tests
//! bind port 0 and stop it themselves.

pub mod config;
pub mod http;

use std::sync::Arc;
use std::time::Duration;

use rectiflow_store::{AnyStore, CancellationToken, EventStore};
use tokio::net::TcpListener;

pub use config::Config;

/// A built application: an open store, ready to serve.
pub struct Application {
    config: Config,
    store: AnyStore,
}

impl Application {
    /// Opens the store (applying migrations).
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let store = AnyStore::open(&config.database_url).await?;
        Ok(Self { config, store })
    }

    pub fn store(&self) -> &AnyStore {
        &self.store
    }

    /// Serves on `listener` until `shutdown` is cancelled, running the store's background work
    /// (sequencer, listeners) and housekeeping meanwhile.
    pub async fn run(
        self,
        listener: TcpListener,
        shutdown: CancellationToken,
    ) -> anyhow::Result<()> {
        let mut tasks = self.store.start(shutdown.clone());
        tasks.push(tokio::spawn(purge_idempotency(
            self.store.clone(),
            self.config.idempotency_retention_hours,
            shutdown.clone(),
        )));
        let state = http::AppState {
            store: Arc::new(self.store),
        };
        let router = http::router(state);
        tracing::info!(address = %listener.local_addr()?, "rectiflow is listening");
        let served = axum::serve(listener, router)
            .with_graceful_shutdown(shutdown.clone().cancelled_owned())
            .await;
        shutdown.cancel();
        for task in tasks {
            let _ = task.await;
        }
        served?;
        Ok(())
    }
}

/// Forgets idempotency keys older than the retention, once an hour.
async fn purge_idempotency(store: AnyStore, retention_hours: u32, shutdown: CancellationToken) {
    let mut every = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = every.tick() => {}
        }
        let before = chrono::Utc::now() - chrono::Duration::hours(i64::from(retention_hours));
        match store.purge_idempotency(before).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(purged = n, "forgot expired idempotency keys"),
            Err(error) => tracing::warn!(%error, "could not purge idempotency keys"),
        }
    }
}
