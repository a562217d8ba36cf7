//! The one shape of an aggregate's `handle`: admit the command, decide it, check what it must
//! agree with in the organisation, write what it decided — in that order, so a refused command (by the rules or for its actor) writes
//! nothing, and every aggregate reads the campaigns, the calendar and the organisation the
//! same way ([`admitted`]).

use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;

use crate::permission::{admitted, Admission};
use crate::services::DomainServices;
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
