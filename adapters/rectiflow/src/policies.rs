//! The policies in the service: each one the projections crate lists
//! ([`roster`](rectiflow_projections::policies::roster)) run by `serve` as a supervised
//! consumer, with the campaign's ports read from the store — roles from the organisation
//! stream, settings from the campaign streams and the working days from the county's
//! declarations, each at its latest version when a policy's command is decided, as for any
//! command.
//!
//! Several `serve` processes on one PostgreSQL database run the same policies: the consumer's
//! lease lets one of them act at a time, and the natural keys make whatever a crash repeats
//! harmless (see [`rectiflow_projections::policies`]).

use std::sync::Arc;
use std::time::Duration;

use rectiflow_domain::clock::Clock;
use rectiflow_domain::services::DomainServices;
use rectiflow_engine::calendar::StoreCalendar;
use rectiflow_engine::consumer::{self, ConsumerOptions, Handler, HandlerError, RunOutcome};
use rectiflow_engine::directory::StoreDirectory;
use rectiflow_engine::settings::StoreSettings;
use rectiflow_engine::{CancellationToken, Executor, Worker, WorkerError};
use rectiflow_projections::policies::repair_items::RepairTerms;
use rectiflow_projections::policies::roster::{self, PolicyPorts, PolicyVisitor};
use rectiflow_store::{KeyVault, Store};

use crate::config::Config;

/// How long the admonishment policy waits for the item histories to reach a publication's P
/// before the batch is retried: some `serve` process keeps them live (this one or another
/// holding their lease), so longer than this means they are stuck or nobody runs them, and the
/// retry's log line says so.
pub const PUBLICATION_WAIT: Duration = Duration::from_secs(30);

/// The policies' ports on `store`: an executor on `clock`, and the campaign's services read
/// from the store for the configured county.
pub fn ports<S: Store>(
    store: &S,
    config: &Config,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<PolicyPorts<S>> {
    let county = config.county_id()?;
    let exec = Executor::new(store.clone(), clock);
    let services = DomainServices {
        calendar: Arc::new(StoreCalendar::new(exec.clone(), county)),
        directory: Arc::new(StoreDirectory::new(exec.clone())),
        vault: Arc::new(KeyVault::new(store.clone())),
        settings: Arc::new(StoreSettings::new(exec.clone())),
    };
    Ok(PolicyPorts {
        exec,
        services,
        repair_terms: RepairTerms {
            deadline_days: config.repair_item_deadline_days,
            severity: config.repair_item_severity,
        },
        publication_wait: PUBLICATION_WAIT,
    })
}

/// One supervised worker per policy, named as its consumer (the names say `policy`), each
/// running its consumer until shutdown; restarted after a failure, from its checkpoint.
pub fn workers<S: Store>(ports: &PolicyPorts<S>) -> Vec<Worker> {
    struct Spawn<S> {
        store: S,
        workers: Vec<Worker>,
    }
    impl<S: Store> PolicyVisitor for Spawn<S> {
        fn visit<H, F>(&mut self, name: &'static str, make: F)
        where
            H: Handler + 'static,
            F: Fn(CancellationToken) -> Result<H, HandlerError> + Send + Sync + 'static,
        {
            let store = self.store.clone();
            let make = Arc::new(make);
            self.workers.push(Worker::restarting(name, move |shutdown| {
                let store = store.clone();
                let make = Arc::clone(&make);
                async move {
                    let handler = make(shutdown.clone()).map_err(WorkerError::new)?;
                    let options = ConsumerOptions::new(name);
                    match consumer::run(store, options, handler, shutdown.clone()).await {
                        RunOutcome::Shutdown => {}
                        // A policy never changes its version; a node that finds a newer
                        // one recorded leaves the policy to the newer code, as a
                        // projection does.
                        RunOutcome::StoodDown { .. } => shutdown.cancelled().await,
                    }
                    Ok(())
                }
            }));
        }
    }
    let mut spawn = Spawn {
        store: ports.exec.store().clone(),
        workers: Vec::new(),
    };
    roster::each(ports, &mut spawn);
    spawn.workers
}

#[cfg(test)]
mod tests {
    use super::*;
    use rectiflow_store::SqliteStore;

    #[tokio::test]
    async fn a_worker_runs_each_listed_policy() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let url = format!("sqlite://{}", dir.path().join("r.db").display());
        let store = SqliteStore::connect(&url).await.expect("a SQLite store");
        let ports = ports(
            &store,
            &Config::default(),
            Arc::new(crate::clock::SystemClock),
        )
        .expect("the default configuration's ports");
        let names: Vec<String> = workers(&ports).into_iter().map(|w| w.name).collect();
        let listed: Vec<String> = roster::NAMES.iter().map(|name| name.to_string()).collect();
        assert_eq!(names, listed);
    }

    #[tokio::test]
    async fn a_county_id_that_is_not_one_is_refused() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let url = format!("sqlite://{}", dir.path().join("r.db").display());
        let store = SqliteStore::connect(&url).await.expect("a SQLite store");
        let config = Config {
            county: "no spaces allowed".into(),
            ..Config::default()
        };
        let error = ports(&store, &config, Arc::new(crate::clock::SystemClock))
            .err()
            .map(|e| e.to_string());
        assert!(
            error.is_some_and(|e| e.contains("县编号")),
            "names the kind"
        );
    }
}
