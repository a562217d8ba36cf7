//! How a policy sends one command: as its system actor, on behalf of the event that caused it,
//! telling the rules' refusals (to be logged, or found already done) apart from failures (to
//! be retried by the runner).

use cqrs_es::Aggregate;
use rectiflow_domain::event::Scoped;
use rectiflow_domain::item::{Item, ItemEvent};
use rectiflow_domain::services::DomainServices;
use rectiflow_domain::values::PersonId;
use rectiflow_domain::{Addressed, Command, DomainError, FoldVersion};
use rectiflow_engine::consumer::HandlerError;
use rectiflow_engine::{
    CommandContext, EventStore, ExecuteError, Executor, LoggedEvent, Metadata, StreamRef,
};
use serde::Serialize;

/// What became of a command a policy sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Acted {
    /// It was carried out: `events` were recorded.
    Applied { events: usize },
    /// The rules refused it, with this stable code (or the sender's input was unfit to store:
    /// a NUL character, a command for another stream). Retrying would change nothing; the
    /// caller asks the stream whether the effect is already there, and logs it if not.
    Refused { code: String },
}

/// The context a policy's command is sent in: the policy as actor, the cause as causation,
/// the cause's conversation (its correlation id, or the cause itself when it has none) and
/// the cause's trace, continued under the consumer's span (so the request that set the policy
/// off traces through to what the policy did).
pub fn context_for(actor: &PersonId, cause: &LoggedEvent) -> CommandContext {
    let metadata = serde_json::from_value::<Metadata>(cause.event.metadata.clone()).ok();
    let (correlation, trace) = metadata.map_or((None, None), |m| (m.correlation_id, m.trace));
    let mut context = CommandContext::new(actor.clone());
    context.causation_id = Some(cause.event.event_id);
    context.correlation_id = Some(correlation.unwrap_or(cause.event.event_id));
    context.trace = rectiflow_engine::trace::within(trace.as_ref());
    context
}

/// Sends `body` to `stream_id` of aggregate `A` as `actor` on behalf of `cause`. A port or the
/// store that failed, or a lost race after the executor's retries, is a [`HandlerError`]: the
/// runner retries the batch, and the natural key makes the retry safe.
pub async fn send<S, A, C>(
    exec: &Executor<S>,
    services: &DomainServices,
    actor: &PersonId,
    cause: &LoggedEvent,
    stream_id: &str,
    body: C,
) -> Result<Acted, HandlerError>
where
    S: EventStore,
    A: Aggregate<Command = Command<C>, Services = DomainServices> + FoldVersion + Scoped,
    A::Error: DomainError,
    C: Serialize + Clone + Addressed,
{
    let context = context_for(actor, cause);
    match exec
        .execute::<A, C>(&context, stream_id, None, body, services)
        .await
    {
        Ok(outcome) => Ok(Acted::Applied {
            events: outcome.events.len(),
        }),
        Err(ExecuteError::Refused(error)) => Ok(Acted::Refused {
            code: error.code().to_owned(),
        }),
        Err(ExecuteError::RefusalReplayed { code }) => Ok(Acted::Refused { code }),
        Err(error @ (ExecuteError::WrongStream { .. } | ExecuteError::NulCharacter { .. })) => {
            Ok(Acted::Refused {
                code: error.to_string(),
            })
        }
        Err(error) => Err(HandlerError(format!(
            "{actor} acting on {} (log position {}): {error}",
            StreamRef::new(A::TYPE, stream_id),
            cause.position
        ))),
    }
}

/// Decodes the payload of a logged event as `E`, its aggregate's event type, or says where it
/// is not one (an error: the runner retries, and an operator sees the batch stuck).
pub fn decode<E: serde::de::DeserializeOwned>(logged: &LoggedEvent) -> Result<E, HandlerError> {
    serde_json::from_value(logged.event.payload.clone()).map_err(|e| {
        HandlerError(format!(
            "log position {} ({} version {}): not the event its type says: {e}",
            logged.position, logged.event.stream, logged.event.stream_version
        ))
    })
}

/// Logs a refusal that does not mean "already done": the policy moves on (a rule's refusal
/// never holds the log), and the log line is how an operator learns of it.
pub fn log_refusal(policy: &str, cause: &LoggedEvent, stream: &str, command: &str, code: &str) {
    tracing::warn!(
        policy,
        position = cause.position,
        cause = %cause.event.stream,
        stream,
        command,
        code,
        "the rules refused a policy's command; moving on"
    );
}

/// `policy:<name>` as an actor id.
pub fn policy_actor(name: &str) -> PersonId {
    match PersonId::parse(name) {
        Ok(actor) => actor,
        // The names are constants of this crate, each a valid person id (tested).
        Err(e) => panic!("{name} is not a valid actor id: {e}"),
    }
}

/// The first event of item `code` — its registration — or `None` if there is no such item.
pub async fn registration_of<S: EventStore>(
    exec: &Executor<S>,
    code: &str,
) -> Result<Option<ItemEvent>, HandlerError> {
    let events = stream_events::<S, Item>(exec, code, 1).await?;
    Ok(events.into_iter().next().map(|(_, e)| e))
}

/// The events of stream `id` of aggregate `A` up to `to_version`, decoded (upcast) as a load
/// would, with their versions.
pub async fn stream_events<S: EventStore, A: cqrs_es::Aggregate>(
    exec: &Executor<S>,
    id: &str,
    to_version: u64,
) -> Result<Vec<(u64, A::Event)>, HandlerError> {
    let stream = StreamRef::new(A::TYPE, id);
    let recorded = exec.store().load_range(&stream, 0, to_version).await?;
    recorded
        .into_iter()
        .map(|r| {
            exec.decode::<A>(r)
                .map(|d| (d.version, d.event))
                .map_err(HandlerError::from)
        })
        .collect()
}
