//! # Firing: every occurrence of the rhythm, exactly once, with any number of processes
//!
//! One look ([`Scheduler::tick`]) goes through every campaign not closed: it creates the
//! campaign's three built-in schedules if they are missing (as each schedule itself, running
//! from the day after the campaign's creation: a publication covers the period before its
//! nominal day), plans what is due ([`plan`]) and carries it out:
//!
//! 1. **Fire** appends `occurrence_fired` to the schedule's stream at the version just loaded.
//!    Two processes firing the same occurrence cannot both succeed: the loser's append
//!    conflicts (or, reloading, the aggregate refuses it as already done), and it ends its
//!    look there — the steps are in publishing order, so nothing it would do next may
//!    overtake the winner's occurrence; its next look (within a second) takes up whatever the
//!    winner has not completed.
//! 2. **Act**: the occurrence's publications ([`orders`]), one per scope, each on a stream its
//!    kind, campaign, period and scope name — made through the [`Publisher`] port (the
//!    projections compute the figures as of the log's head), or, for a skipped dispatch — or
//!    a fired one whose catch-up window closed before its publications were made — recorded
//!    as skipped. The publication aggregate refuses a second publication on a stream,
//!    so the stream id is the action's idempotency key: doing it again does nothing.
//! 3. **Complete** appends `action_completed`. An occurrence fired whose action is not
//!    complete — its process was killed in between — is taken up by the next look of any
//!    process, which publishes what is missing: at-least-once attempts, exactly-once effect.
//!
//! Every command goes as `schedule:<stream id>`, on behalf of the occurrence's event (its
//! causation and correlation). All time comes from the executor's [`Clock`], so tests and the
//! virtual-time driver walk months in seconds with a manual clock; [`worker`] is the loop
//! `serve` runs.
//!
//! [`Clock`]: rectiflow_domain::clock::Clock

mod act;
mod orders;
mod plan;
mod run;
pub mod worker;

#[cfg(test)]
mod tests;

use std::future::Future;

use chrono::{DateTime, Utc};
use rectiflow_domain::services::DomainServices;
use rectiflow_domain::values::{PublicationId, ScheduleId};
use rectiflow_engine::{CancellationToken, CommandContext, Executor};

pub use orders::{orders, scopes, OrderError, PublicationOrder};
pub use plan::{plan, Plan, Step};

/// Makes one publication with its figures — the projections' work, behind a port so the
/// scheduler depends on nothing but the domain and the engine.
pub trait Publisher: Send + Sync {
    /// Publishes `order` in `context` (the schedule as actor, the occurrence as cause). A
    /// publication already made is success: the stream refuses a second one, and the caller
    /// only needs to know it is there.
    fn publish(
        &self,
        order: &PublicationOrder,
        context: &CommandContext,
        stop: &CancellationToken,
    ) -> impl Future<Output = Result<(), ActionFailed>> + Send;
}

/// A publication that could not be made now (the read models behind, a store that failed):
/// the occurrence keeps awaiting its action and the next look tries again.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ActionFailed(pub String);

/// Fires the campaigns' schedules through an executor (its store and clock).
pub struct Scheduler<S, P> {
    exec: Executor<S>,
    services: DomainServices,
    publisher: P,
}

impl<S, P> Scheduler<S, P> {
    pub fn new(exec: Executor<S>, services: DomainServices, publisher: P) -> Self {
        Self {
            exec,
            services,
            publisher,
        }
    }

    pub fn executor(&self) -> &Executor<S> {
        &self.exec
    }
}

/// An occurrence fired or skipped by this look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurred {
    pub schedule: ScheduleId,
    /// Its identifying (last) nominal time.
    pub nominal: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
}

/// What one look did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tick {
    /// Schedules created (the built-in ones of a campaign found for the first time).
    pub created: Vec<ScheduleId>,
    pub fired: Vec<Occurred>,
    pub skipped: Vec<Occurred>,
    /// Occurrences whose action was completed, with the publications made or skipped.
    pub completed: Vec<(ScheduleId, DateTime<Utc>, Vec<PublicationId>)>,
    /// Occurrences another process fired (or completed) first.
    pub lost: usize,
    /// What could not be done, one line each; it is tried again at the next look.
    pub failures: Vec<String>,
    /// The first fire time after now of any running schedule.
    pub next_due: Option<DateTime<Utc>>,
}

impl Tick {
    /// Whether the look did anything.
    pub fn acted(&self) -> bool {
        !(self.created.is_empty()
            && self.fired.is_empty()
            && self.skipped.is_empty()
            && self.completed.is_empty())
    }
}
