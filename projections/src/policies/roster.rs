//! Every policy, listed once: what `serve` runs beside the projections. A policy added later
//! is run by one line in [`each`].
//!
//! Like the projections' [`registry`](crate::registry), the list is walked with a visitor, so
//! whoever runs the policies gets each handler's concrete type and stays generic over the
//! store. Unlike a projection, a policy is built from ports — the executor it sends commands
//! through, the campaign's services — and from what the rules leave to whoever runs it
//! ([`PolicyPorts`]); it is never rebuilt, so there is no `rebuild` list of policies.

use std::time::Duration;

use rectiflow_domain::services::DomainServices;
use rectiflow_engine::consumer::{ConsumerStore, Handler, HandlerError};
use rectiflow_engine::readmodel::ReadModelStore;
use rectiflow_engine::{CancellationToken, Executor};

use super::accountability::{self, AccountabilityPolicy};
use super::admonishment::{self, AdmonishmentPolicy};
use super::escalations::{self, Escalations};
use super::repair_items::{self, RepairItems, RepairTerms};

/// What every policy is built from.
#[derive(Clone)]
pub struct PolicyPorts<S> {
    /// Sends the policies' commands and loads the streams they ask first.
    pub exec: Executor<S>,
    /// The campaign's ports the aggregates decide with (read from the store in `serve`).
    pub services: DomainServices,
    /// The deadline and severity of a case's repair items, which the case leaves unsaid.
    pub repair_terms: RepairTerms,
    /// How long the admonishment policy waits for the item histories to reach a publication's
    /// cut-off before it gives the batch back to be retried.
    pub publication_wait: Duration,
}

/// What is done with each policy.
pub trait PolicyVisitor {
    /// `name` is the consumer's name (its checkpoint — the policy's memory); `make` builds the
    /// handler for one run, which ends when the token it is given is cancelled.
    fn visit<H, F>(&mut self, name: &'static str, make: F)
    where
        H: Handler + 'static,
        F: Fn(CancellationToken) -> Result<H, HandlerError> + Send + Sync + 'static;
}

/// Walks every policy, in the order listed.
pub fn each<S, V>(ports: &PolicyPorts<S>, visitor: &mut V)
where
    S: ConsumerStore + ReadModelStore + Clone,
    V: PolicyVisitor,
{
    let p = ports.clone();
    visitor.visit(admonishment::NAME, move |stop| {
        AdmonishmentPolicy::new(p.exec.clone(), p.services.clone(), p.publication_wait, stop)
    });
    let p = ports.clone();
    visitor.visit(accountability::NAME, move |_| {
        AccountabilityPolicy::new(p.exec.clone(), p.services.clone())
    });
    let p = ports.clone();
    visitor.visit(repair_items::NAME, move |_| {
        Ok(RepairItems::new(
            p.exec.clone(),
            p.services.clone(),
            p.repair_terms,
        ))
    });
    let p = ports.clone();
    visitor.visit(escalations::NAME, move |_| {
        Ok(Escalations::new(p.exec.clone(), p.services.clone()))
    });
}

/// The names of every policy's consumer, in the order [`each`] walks them (the service's tests
/// check the two agree).
pub const NAMES: [&str; 4] = [
    admonishment::NAME,
    accountability::NAME,
    repair_items::NAME,
    escalations::NAME,
];
