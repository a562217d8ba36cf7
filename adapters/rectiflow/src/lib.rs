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
//! With `serve --rehearsal` ([`rehearsal`]) the same service runs on a simulated clock an admin
//! moves through the API, its consumers and rhythm stepped by the virtual-time driver.
//!
//! Shutdown is bounded by `shutdown_grace_seconds`: requests in flight and background workers
//! get that long to finish, then whatever still runs is abandoned (and named in the log), so
//! a database that stopped answering cannot keep the process from exiting.

pub mod access;
pub mod api;
pub mod clock;
pub mod config;
pub mod dashboard;
pub mod demo;
pub mod driver;
pub mod http;
pub mod logging;
pub mod otel;
pub mod policies;
pub mod projections;
pub mod purge;
pub mod rebuild;
pub mod rehearsal;
pub mod schedule;
pub mod subscriptions;
pub mod telemetry;

use std::future::IntoFuture;
use std::sync::Arc;

use metrics_exporter_prometheus::PrometheusHandle;
use rectiflow_engine::{CancellationToken, Supervisor};
use rectiflow_store::mode::Mode;
use rectiflow_store::{with_store, AnyStore, Store};
use tokio::net::TcpListener;
use tokio::time::Instant;

/// How often the scheduler looks at the campaigns when nothing falls due sooner: new campaigns
/// get their schedules, and an administrator's pause, resume or trigger takes effect, within it.
const SCHEDULER_POLL: std::time::Duration = rectiflow_scheduler::firing::worker::DEFAULT_POLL;

pub use config::Config;

/// How a store is served: on the wall clock, or as a rehearsal (演练) on a simulated one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Serving {
    #[default]
    Live,
    /// A rehearsal: a new one's clock starts at `clock_start`; an existing one resumes where
    /// its store keeps its clock.
    Rehearsal {
        clock_start: Option<chrono::DateTime<chrono::Utc>>,
    },
}

/// A built application: an open store, ready to serve.
pub struct Application {
    config: Config,
    store: AnyStore,
    metrics: PrometheusHandle,
    serving: Serving,
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
            serving: Serving::Live,
        })
    }

    /// Serves as `serving` says (live by default). The store's mark decides whether it may:
    /// [`run`](Self::run) refuses a rehearsal on a live store and the other way round.
    pub fn serving(mut self, serving: Serving) -> Self {
        self.serving = serving;
        self
    }

    pub fn store(&self) -> &AnyStore {
        &self.store
    }

    /// Serves on `listener` until `shutdown` is cancelled, with the background workers under
    /// one supervisor. Fails if the store may not be served this way (see [`Serving`]), if
    /// the server fails or a worker the process cannot do without stopped it — so the binary
    /// exits non-zero rather than limping on.
    pub async fn run(
        self,
        listener: TcpListener,
        shutdown: CancellationToken,
    ) -> anyhow::Result<()> {
        let Self {
            config,
            store,
            metrics,
            serving,
        } = self;
        with_store!(store, store => serve(store, config, metrics, serving, listener, shutdown).await)
    }
}

async fn serve<S: Store>(
    store: S,
    config: Config,
    metrics: PrometheusHandle,
    serving: Serving,
    listener: TcpListener,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    // The store's mark first: a store may not be served both live and as a rehearsal.
    let mode = match serving {
        Serving::Live => Mode::Live,
        Serving::Rehearsal { .. } => Mode::Rehearsal,
    };
    let clock_start = match serving {
        Serving::Live => None,
        Serving::Rehearsal { clock_start } => clock_start,
    };
    let marked =
        rectiflow_store::mode::claim(&store, mode, clock_start, chrono::Utc::now()).await?;
    // One process serves a rehearsal: the clock's lease is taken before anything starts, so
    // a refused process does nothing ([`rehearsal::lease`]).
    let clock_lease = match marked.clock {
        Some(_) => Some(rehearsal::lease::take(&store).await?),
        None => None,
    };
    let mut supervisor = Supervisor::new(shutdown.clone());
    if let Some(lease) = clock_lease {
        supervisor.add(rehearsal::lease::keeper(store.clone(), lease));
    }
    for worker in store.workers() {
        supervisor.add(worker);
    }
    supervisor.add(purge::worker(
        store.clone(),
        config.idempotency_retention_hours,
    ));
    let api = match marked.clock {
        None => live_workers(&mut supervisor, &store, &config)?,
        Some(clock) => {
            if clock_start.is_some_and(|start| start != clock) {
                tracing::warn!(%clock, "this rehearsal store keeps its own clock: --clock-start is ignored");
            }
            let rehearsal =
                rehearsal::Rehearsal::new(store.clone(), &config, clock, shutdown.clone())?;
            supervisor.add(rehearsal::settling(Arc::clone(&rehearsal)));
            let ports = rehearsal.ports();
            api::Api::new(
                ports.exec.clone(),
                ports.services.clone(),
                &config,
                rehearsal.waker(),
            )?
            .with_rehearsal(rehearsal)
        }
    };
    supervisor.add(projections::lag_gauge(
        store.clone(),
        projections::LAG_EVERY,
    ));
    let api = Arc::new(api.with_shutdown(shutdown.clone()));
    supervisor.add(subscriptions::webhook::worker::worker(Arc::clone(&api)));
    // A rehearsal's simulated events never go onto the county's NATS subjects, where the real
    // campaign's consumers read.
    match subscriptions::nats::worker(store.clone(), &config.nats, api.event_source()) {
        Some(_) if api.rehearsal.is_some() => {
            tracing::warn!("a rehearsal publishes nothing on NATS: [nats] is ignored");
        }
        Some(publisher) => supervisor.add(publisher),
        None => {}
    }
    let router = http::router(http::AppState::new(store.clone(), metrics))
        .merge(dashboard::router(Arc::clone(&api)))
        .merge(api::router(api));
    tracing::info!(address = %listener.local_addr()?, "rectiflow is listening");
    let server = axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
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

/// The live service's background work: every projection and policy polling the log, the
/// scheduler and the deadline watcher on the wall clock; and the API on the same ports.
fn live_workers<S: Store>(
    supervisor: &mut Supervisor,
    store: &S,
    config: &Config,
) -> anyhow::Result<api::Api<S>> {
    for worker in projections::workers(store) {
        supervisor.add(worker);
    }
    let ports = policies::ports(store, config, Arc::new(clock::SystemClock))?;
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
    Ok(api::Api::new(
        ports.exec.clone(),
        ports.services.clone(),
        config,
        wake,
    )?)
}
