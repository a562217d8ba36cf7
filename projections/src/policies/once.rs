//! Acting once on a stream the cause names: ask the stream first, send only to an empty one,
//! and take a lost race (another process's command landing first) as done.

use cqrs_es::Aggregate;
use rectiflow_domain::event::Scoped;
use rectiflow_domain::services::DomainServices;
use rectiflow_domain::values::PersonId;
use rectiflow_domain::{Addressed, Command, DomainError, FoldVersion};
use rectiflow_engine::consumer::HandlerError;
use rectiflow_engine::{EventStore, Executor, LoggedEvent};
use serde::Serialize;

use super::acting::{send, Acted};

/// What became of a command sent to a stream that must hold one effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Once {
    /// Executed: the stream now holds the effect.
    Done,
    /// The stream already held an effect (an earlier delivery, another process): nothing sent.
    AlreadyDone,
    /// The rules refused it (the stable code): logged, not retried.
    Refused(String),
}

/// Sends `body` to the empty stream `stream` as `actor` on behalf of `cause`; a stream that
/// exists, or comes to exist while the command is decided (the refusal then is an invalid
/// transition), already holds the effect.
pub async fn act<S, A, C>(
    exec: &Executor<S>,
    services: &DomainServices,
    actor: &PersonId,
    cause: &LoggedEvent,
    stream: &str,
    body: C,
) -> Result<Once, HandlerError>
where
    S: EventStore,
    A: Aggregate<Command = Command<C>, Services = DomainServices> + FoldVersion + Scoped,
    C: Serialize + Clone + Addressed,
    A::Error: DomainError,
{
    let exists = |version: u64| version > 0;
    let (_, version) = exec
        .load::<A>(stream)
        .await
        .map_err(|e| HandlerError(format!("loading {} {stream}: {e}", A::TYPE)))?;
    if exists(version) {
        return Ok(Once::AlreadyDone);
    }
    match send::<S, A, C>(exec, services, actor, cause, stream, body).await? {
        Acted::Applied { .. } => Ok(Once::Done),
        Acted::Refused { code } => {
            let (_, version) = exec
                .load::<A>(stream)
                .await
                .map_err(|e| HandlerError(format!("loading {} {stream}: {e}", A::TYPE)))?;
            if exists(version) {
                return Ok(Once::AlreadyDone);
            }
            tracing::warn!(policy = %actor, stream, code, "the rules refused a policy's command");
            Ok(Once::Refused(code))
        }
    }
}
