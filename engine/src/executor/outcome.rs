//! What a command did, or why it was not carried out.

use uuid::Uuid;

use rectiflow_domain::{DomainError, PortUnavailable};

use super::nul::EventField;
use crate::error::StoreError;
use crate::model::StreamRef;

/// An event of a stream, decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded<E> {
    pub version: u64,
    pub event_id: Uuid,
    pub event: E,
}

/// What a command did.
#[derive(Debug, Clone)]
pub struct Outcome<E> {
    pub stream: StreamRef,
    /// The stream's version after the command.
    pub version: u64,
    pub events: Vec<Recorded<E>>,
    /// True when this is the stored outcome of an earlier command with the same idempotency
    /// key: nothing was written this time.
    pub replayed: bool,
}

/// Why a command was not carried out. The variants say whose problem it is, so the HTTP layer
/// cannot get it wrong: see [`ExecuteError::is_sender_fault`].
#[derive(Debug, thiserror::Error)]
pub enum ExecuteError<E: std::error::Error> {
    /// The rules refused the command (4xx): the sender's to fix. Never a port's failure —
    /// those are [`ExecuteError::Unavailable`].
    #[error(transparent)]
    Refused(E),
    /// A keyed command the rules refused when it was first sent, sent again with the same key:
    /// the same refusal, by its stable code, and nothing executed. The error value itself is
    /// not kept (it may hold what the command carried); its code is.
    #[error("refused ({code}) when first sent with this idempotency key")]
    RefusalReplayed { code: String },
    /// A port the command needed (the identity vault, …) did not answer (5xx); nothing was
    /// written and the command may be sent again.
    #[error(transparent)]
    Unavailable(PortUnavailable),
    /// The stream is not at the version the caller expected.
    #[error("conflict on {stream}: expected version {expected}, actual {actual}")]
    Conflict {
        stream: StreamRef,
        expected: u64,
        actual: u64,
    },
    #[error("idempotency key {key:?} was already used for a different command")]
    IdempotencyKeyReused { key: String },
    /// The command names another stream than the one it was sent to.
    #[error("the command is for {named}, not for {stream}")]
    WrongStream { stream: StreamRef, named: String },
    /// A string the sender gave — in the payload or metadata of the `event_type` event the
    /// command would record, a value or a key — holds U+0000 (NUL), which PostgreSQL cannot
    /// store: refused on every backend alike (4xx) before anything was written. `pointer` is
    /// the JSON Pointer to the string within `field`.
    #[error(
        "the {event_type} event for {stream} would carry a NUL character (U+0000) in its \
         {field} at {pointer:?}: the sender's input must not contain NUL; nothing was written"
    )]
    NulCharacter {
        stream: StreamRef,
        event_type: String,
        field: EventField,
        pointer: String,
    },
    /// The store failed (5xx).
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl<E: std::error::Error> ExecuteError<E> {
    /// Whether the sender must change something (a 4xx: refused, stale version, reused key,
    /// wrong stream, a NUL character in its input) rather than the operator (a 5xx: a port or the store failed).
    pub fn is_sender_fault(&self) -> bool {
        match self {
            Self::Refused(_)
            | Self::RefusalReplayed { .. }
            | Self::Conflict { .. }
            | Self::IdempotencyKeyReused { .. }
            | Self::WrongStream { .. }
            | Self::NulCharacter { .. } => true,
            Self::Unavailable(_) => false,
            Self::Store(error) => matches!(
                error,
                StoreError::Conflict { .. } | StoreError::IdempotencyKeyReused { .. }
            ),
        }
    }
}

impl<E: DomainError> ExecuteError<E> {
    /// The stable code of a refusal — given now, or replayed from the first time the keyed
    /// command was sent — so the sender meets both the same way; `None` for anything else.
    pub fn refusal_code(&self) -> Option<&str> {
        match self {
            Self::Refused(error) => Some(error.code()),
            Self::RefusalReplayed { code } => Some(code),
            _ => None,
        }
    }
}

/// Counts a command's outcome (`rectiflow_commands_total{aggregate, outcome}`: accepted,
/// refused, conflict, malformed, failed) and the events it appended
/// (`rectiflow_events_appended_total{aggregate}`; a replayed outcome appended none).
pub(super) fn count<E, R: std::error::Error>(
    aggregate: &'static str,
    result: &Result<Outcome<E>, ExecuteError<R>>,
) {
    let outcome = match result {
        Ok(done) => {
            if !done.replayed {
                metrics::counter!("rectiflow_events_appended_total", "aggregate" => aggregate)
                    .increment(done.events.len() as u64);
            }
            "accepted"
        }
        Err(ExecuteError::Refused(_) | ExecuteError::RefusalReplayed { .. }) => "refused",
        Err(ExecuteError::Conflict { .. }) => "conflict",
        Err(error) if error.is_sender_fault() => "malformed",
        Err(_) => "failed",
    };
    metrics::counter!("rectiflow_commands_total", "aggregate" => aggregate, "outcome" => outcome)
        .increment(1);
}

/// Counts `commands` accepted on `aggregate` that appended `events`, written together by a
/// [`Batch`](super::Batch) (whose refusals its caller sees, and which writes all or nothing).
pub(super) fn count_written(aggregate: String, commands: u64, events: u64) {
    metrics::counter!("rectiflow_events_appended_total", "aggregate" => aggregate.clone())
        .increment(events);
    metrics::counter!("rectiflow_commands_total", "aggregate" => aggregate, "outcome" => "accepted")
        .increment(commands);
}
