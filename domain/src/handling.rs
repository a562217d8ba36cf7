//! The one shape of an aggregate's `handle`: admit the command, decide it, check what it must
//! agree with in the organisation, write what it decided — in that order, so a refused command
//! (by the rules or for its actor) writes nothing, and every aggregate reads the campaigns, the
//! calendar and the organisation the same way ([`admitted`]). Each aggregate says what is its
//! own in an [`Admission`] impl, in its `admission.rs`; who may be a party is
//! [`crate::permission`]'s.

use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;

use std::sync::Arc;

use crate::organisation::Organisation;
use crate::permission::{Forbidden, Party, Refused};
use crate::services::DomainServices;
use crate::values::CampaignId;
use crate::Command;

/// `handle` for an aggregate whose decisions are `decide(&self, command, services)`.
pub async fn handle<A>(
    aggregate: &mut A,
    command: Command<A::Body>,
    services: &DomainServices,
    sink: &EventSink<A>,
    decide: impl FnOnce(
        &A,
        Command<A::Body>,
        &DomainServices,
    ) -> Result<Vec<A::Event>, <A as Aggregate>::Error>,
) -> Result<(), <A as Aggregate>::Error>
where
    A: Aggregate + Admission<Error = <A as Aggregate>::Error>,
{
    let (services, organisation) = admitted(aggregate, &command, services).await?;
    let agrees = aggregate.agrees_with(&command.body, &organisation);
    let events = decide(aggregate, command, &services)?;
    agrees?;
    for event in events {
        sink.write(event, aggregate).await;
    }
    Ok(())
}

/// What an aggregate says about a command before deciding it: which campaigns it consults and
/// which party may send it. One impl per aggregate, in its `admission.rs`; [`admitted`] does
/// the rest the same way for all.
pub trait Admission {
    type Body;
    /// The aggregate's error, which a refusal by [`agrees_with`](Self::agrees_with) is.
    type Error: From<Refused>;

    /// The request's name, as its command names it.
    fn request(body: &Self::Body) -> &'static str;

    /// The request as users read it (中文), for refusals.
    fn request_label(body: &Self::Body) -> &'static str;

    /// The party `body` must come from, given the campaigns in force; `None` when the request
    /// names no party yet (a command on a stream that does not exist, which `decide` refuses).
    fn party_for(&self, body: &Self::Body, services: &DomainServices) -> Option<Party>;

    /// The campaigns `body` consults, read at their latest version before it is decided.
    fn campaigns_for(&self, body: &Self::Body) -> Vec<CampaignId> {
        let _ = body;
        Vec::new()
    }

    /// What `body` must agree with in the organisation beyond who sends it (the unit's head at
    /// its admonishment talk, a person proposed for accountability being one of its people),
    /// checked against the same version of the organisation the actor was admitted with, once
    /// the rules have accepted the command (a refusal by the rules says more).
    fn agrees_with(
        &self,
        body: &Self::Body,
        organisation: &Organisation,
    ) -> Result<(), Self::Error> {
        let _ = (body, organisation);
        Ok(())
    }
}

/// What every aggregate's `handle` does first: reads the campaigns the command consults and the
/// calendar as in force now, and admits the command's actor against the organisation at its
/// latest version. Returns the services to decide with, and that organisation for
/// [`Admission::agrees_with`] once the rules have decided.
pub async fn admitted<A: Admission>(
    aggregate: &A,
    command: &Command<A::Body>,
    services: &DomainServices,
) -> Result<(DomainServices, Arc<Organisation>), A::Error> {
    let campaigns = aggregate.campaigns_for(&command.body);
    let services = services
        .for_campaigns(&campaigns)
        .await
        .map_err(Refused::Unavailable)?;
    let organisation = services
        .directory
        .organisation()
        .await
        .map_err(Refused::Unavailable)?;
    if let Some(party) = aggregate.party_for(&command.body, &services) {
        let actor = &command.stamp.actor;
        party.check(&organisation, actor).map_err(|needs| {
            Refused::Forbidden(Forbidden {
                actor: actor.clone(),
                request: A::request(&command.body),
                request_label: A::request_label(&command.body),
                needs,
            })
        })?;
    }
    Ok((services, organisation))
}
