//! What a command did, or why it was not carried out.

use uuid::Uuid;

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

/// Why a command was not carried out.
#[derive(Debug, thiserror::Error)]
pub enum ExecuteError<E: std::error::Error> {
    /// The aggregate refused the command (a domain rule).
    #[error(transparent)]
    Rejected(E),
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
    #[error(transparent)]
    Store(#[from] StoreError),
}
