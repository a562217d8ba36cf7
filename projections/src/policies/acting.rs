//! Acting once through a natural key: the one way every policy sends a command.

use cqrs_es::Aggregate;
use rectiflow_domain::event::Scoped;
use rectiflow_domain::services::DomainServices;
use rectiflow_domain::values::PersonId;
use rectiflow_domain::{Command, DomainError, FoldVersion};
use rectiflow_engine::consumer::HandlerError;
use rectiflow_engine::{CommandContext, EventStore, ExecuteError, Executor};
use serde::Serialize;

/// What became of a policy's command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Acted {
    /// Executed: the stream now holds the effect.
    Done,
    /// The stream already held an effect (an earlier delivery, another process): nothing sent.
    AlreadyDone,
    /// The rules refused it (the stable code): logged, not retried — a policy never holds up
    /// the log on a rule's refusal.
    Refused(String),
}

/// Sends `body` to `stream` as `actor`, unless the stream already exists. A refusal as an
/// invalid transition is another process having acted first on the same key: already done.
/// A store or port failure is the runner's to retry.
pub async fn act<S, A, C>(
    exec: &Executor<S>,
    services: &DomainServices,
    actor: &PersonId,
    stream: &str,
    body: C,
) -> Result<Acted, HandlerError>
where
    S: EventStore,
    A: Aggregate<Command = Command<C>, Services = DomainServices> + FoldVersion + Scoped,
    C: Serialize + Clone + rectiflow_domain::Addressed,
    A::Error: DomainError,
{
    let (_, version) = exec
        .load::<A>(stream)
        .await
        .map_err(|e| HandlerError(format!("loading {} {stream}: {e}", A::TYPE)))?;
    if version > 0 {
        return Ok(Acted::AlreadyDone);
    }
    match exec
        .execute::<A, C>(
            &CommandContext::new(actor.clone()),
            stream,
            None,
            body,
            services,
        )
        .await
    {
        Ok(_) => Ok(Acted::Done),
        Err(ExecuteError::Refused(refusal)) => {
            let code = refusal.code();
            if code.ends_with(".invalid_transition") {
                return Ok(Acted::AlreadyDone);
            }
            tracing::warn!(policy = %actor, stream, code, %refusal, "the rules refused a policy's command");
            Ok(Acted::Refused(code.to_owned()))
        }
        Err(ExecuteError::Conflict { .. }) => Ok(Acted::AlreadyDone),
        Err(other) => Err(HandlerError(format!("{} {stream}: {other}", A::TYPE))),
    }
}
