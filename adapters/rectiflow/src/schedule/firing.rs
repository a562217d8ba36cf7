//! The scheduler `serve` runs: every campaign's built-in schedules fired on the wall clock,
//! each publication made by the projections ([`publish_in`]: the figures as of the log's
//! head, once the read models have caught up with it), with the policies' ports — so a
//! schedule decides with the same settings, calendar and organisation as any command.
//!
//! Any number of `serve` processes on one PostgreSQL database run it: each occurrence fires
//! once and its publications are made once (see [`rectiflow_scheduler::firing`]).

use std::sync::Arc;
use std::time::Duration;

use rectiflow_domain::publication::{Publication, PublicationError, PublicationKind};
use rectiflow_domain::services::DomainServices;
use rectiflow_engine::{CancellationToken, CommandContext, ExecuteError, Executor, Worker};
use rectiflow_projections::policies::roster::PolicyPorts;
use rectiflow_projections::publishing::{publish_in, PublicationRequest, PublishError};
use rectiflow_scheduler::firing::{self, ActionFailed, PublicationOrder, Publisher, Scheduler};
use rectiflow_store::Store;
use tokio::sync::Notify;

/// The worker's name in the supervisor and the logs.
pub const WORKER: &str = "scheduler";

/// Publications made by the projections crate's [`publish_in`].
pub struct ProjectionsPublisher<S> {
    exec: Executor<S>,
    services: DomainServices,
    /// How long a publication waits for the read models to reach the log's head.
    wait: Duration,
}

impl<S: Store> Publisher for ProjectionsPublisher<S> {
    async fn publish(
        &self,
        order: &PublicationOrder,
        context: &CommandContext,
        stop: &CancellationToken,
    ) -> Result<(), ActionFailed> {
        if order.kind == PublicationKind::Bulletin {
            rectiflow_store::failpoint::bulletin_action_started().await;
        }
        let failed = |e: &dyn std::fmt::Display| ActionFailed(e.to_string());
        // Already made (by this occurrence, before its process stopped): nothing to compute.
        let (_, version) = self
            .exec
            .load::<Publication>(order.publication.as_str())
            .await
            .map_err(|e| failed(&e))?;
        if version > 0 {
            return Ok(());
        }
        let request = PublicationRequest {
            kind: order.kind,
            campaign: order.campaign.clone(),
            scope: order.scope.clone(),
            label: order.label.clone(),
            period: order.period,
            nominal: order.nominal.clone(),
        };
        match publish_in(
            &self.exec,
            &self.services,
            context,
            &request,
            self.wait,
            stop,
        )
        .await
        {
            Ok(_) => Ok(()),
            // Made meanwhile by another process taking up the same occurrence.
            Err(PublishError::Execute(ExecuteError::Refused(
                PublicationError::AlreadyRecorded { .. },
            ))) => Ok(()),
            Err(error) => Err(failed(&error)),
        }
    }
}

/// The projections' publisher on the policies' ports.
pub fn publisher<S: Store>(ports: &PolicyPorts<S>) -> ProjectionsPublisher<S> {
    ProjectionsPublisher {
        exec: ports.exec.clone(),
        services: ports.services.clone(),
        wait: ports.publication_wait,
    }
}

/// The scheduler on the policies' ports (their executor, clock and services).
pub fn scheduler<S: Store>(ports: &PolicyPorts<S>) -> Scheduler<S, ProjectionsPublisher<S>> {
    Scheduler::new(ports.exec.clone(), ports.services.clone(), publisher(ports))
}

/// The supervised worker running the scheduler's loop, looking at least every `poll`, and the
/// handle that wakes it at once (for a trigger this process receives).
pub fn worker<S: Store>(ports: &PolicyPorts<S>, poll: Duration) -> (Worker, Arc<Notify>) {
    let scheduler = Arc::new(scheduler(ports));
    let wake = Arc::new(Notify::new());
    let waker = Arc::clone(&wake);
    let worker = Worker::restarting(WORKER, move |shutdown| {
        firing::worker::run(Arc::clone(&scheduler), poll, Arc::clone(&wake), shutdown)
    });
    (worker, waker)
}
