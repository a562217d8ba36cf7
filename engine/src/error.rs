//! Errors of the storage ports. Each names what went wrong and where, so an operator can act on
//! it; none carries a driver's type, so the engine and everything built on it stay free of any
//! database crate.

use crate::model::StreamRef;

/// A fault of the database behind a port (refused, unreachable, timed out), boxed so the port
/// does not name the driver. Always the operator's problem, never the sender's.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct BackendError(Box<dyn std::error::Error + Send + Sync + 'static>);

impl BackendError {
    pub fn new(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self(Box::new(error))
    }

    /// The driver's error, for a backend that wants to look inside its own faults.
    pub fn source_ref(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self.0.as_ref()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The stream moved on since the caller read it (or another writer committed first).
    #[error("conflict on {stream}: expected version {expected}, actual {actual}")]
    Conflict {
        stream: StreamRef,
        expected: u64,
        actual: u64,
    },
    /// The idempotency key was used before, by the same actor, for a different command.
    #[error("idempotency key {key:?} was already used by {actor} for a different command")]
    IdempotencyKeyReused { actor: String, key: String },
    /// A new event carries an id that an event already stored (or another event of the same
    /// commit) has. Event ids are unique in the log on every backend, so an integrator can
    /// de-duplicate by id; a repeat is a writer's bug or a replayed event, never a lost race,
    /// so it is not a [`StoreError::Conflict`] (a retry with reloaded state would hide it).
    /// Nothing of the commit was written.
    #[error("event id {event_id} is already taken: event ids are unique; nothing was written")]
    DuplicateEventId { event_id: uuid::Uuid },
    /// A stored row cannot be read as what it claims to be.
    #[error("corrupt event at {location}: {reason}")]
    Corrupt { location: String, reason: String },
    /// The database refused or failed.
    #[error("database: {0}")]
    Backend(#[from] BackendError),
    #[error("migration: {0}")]
    Migration(String),
    /// A store opened for inspection (read-only, never migrated) is missing, empty, or at
    /// another schema than this build's.
    #[error("{0}")]
    NotInspectable(String),
    #[error("invalid database URL {url:?}: {reason}")]
    InvalidUrl { url: String, reason: String },
    /// A consumer's checkpoint moved under it: another instance processed the same batch.
    #[error("checkpoint of consumer {consumer} moved: expected {expected}, found {found}")]
    CheckpointMoved {
        consumer: String,
        expected: u64,
        found: u64,
    },
    /// A consumer's checkpoint was written by newer code than this handler's: this instance
    /// stands down rather than write with old code (a rolling upgrade is under way).
    #[error(
        "consumer {consumer} is owned by newer code: its checkpoint has version {stored}, \
         this handler is version {code}; standing down"
    )]
    NewerCodeOwnsConsumer {
        consumer: String,
        stored: u32,
        code: u32,
    },
    /// A consumer's handler refused a batch; nothing of the batch was committed.
    #[error("consumer {consumer} failed on positions {from}..={to}: {reason}")]
    Handler {
        consumer: String,
        from: u64,
        to: u64,
        reason: String,
    },
    /// A read-model statement the backend cannot run as given (a projection's bug).
    #[error("read model: {0}")]
    ReadModel(String),
    /// A call the store cannot serve as made: a program error, not the database's (e.g. a
    /// write from a task that holds the store's only write transaction).
    #[error("{0}")]
    Misuse(String),
    #[error("serialisation: {0}")]
    Serialization(#[from] serde_json::Error),
    /// The secret that keys command fingerprints is missing or unusable (the operator's to
    /// fix: see the store's configuration).
    #[error("fingerprint key: {0}")]
    FingerprintKey(String),
}

impl StoreError {
    /// A row (or value) that cannot be read as what it claims to be, at `location`.
    pub fn corrupt(location: impl Into<String>, reason: impl std::fmt::Display) -> Self {
        Self::Corrupt {
            location: location.into(),
            reason: reason.to_string(),
        }
    }

    /// A database fault behind a port.
    pub fn backend(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Backend(BackendError::new(error))
    }
}
