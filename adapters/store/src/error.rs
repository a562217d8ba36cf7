//! Errors of the store. Each names what went wrong and where, so an operator can act on it.

use crate::model::StreamRef;

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
    /// A stored row cannot be read as what it claims to be.
    #[error("corrupt event at {location}: {reason}")]
    Corrupt { location: String, reason: String },
    /// The database refused or failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migration(String),
    #[error("invalid database URL {url:?}: {reason}")]
    InvalidUrl { url: String, reason: String },
    /// A consumer's checkpoint moved under it: another instance processed the same batch.
    #[error("checkpoint of consumer {consumer} moved: expected {expected}, found {found}")]
    CheckpointMoved {
        consumer: String,
        expected: u64,
        found: u64,
    },
    /// A consumer's handler refused a batch; nothing of the batch was committed.
    #[error("consumer {consumer} failed on positions {from}..={to}: {reason}")]
    Handler {
        consumer: String,
        from: u64,
        to: u64,
        reason: String,
    },
    #[error("serialisation: {0}")]
    Serialization(#[from] serde_json::Error),
}

impl StoreError {
    pub(crate) fn corrupt(location: impl Into<String>, reason: impl std::fmt::Display) -> Self {
        Self::Corrupt {
            location: location.into(),
            reason: reason.to_string(),
        }
    }
}

/// Whether a database error is a unique-key violation (SQLSTATE 23505, or SQLite's
/// constraint error), which for our tables means a concurrent writer won a race.
pub(crate) fn is_unique_violation(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(db) => db.is_unique_violation(),
        _ => false,
    }
}
