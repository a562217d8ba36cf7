//! What verification can find wrong, each case naming the first bad position.

use rectiflow_engine::model::StreamRef;
use rectiflow_engine::StoreError;

/// A place where the stored log no longer is what was chained. Every variant names the first
/// position at which the log stops being trustworthy; everything before it verified.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Tamper {
    /// The event at `position` does not hash, with the verified chain before it, to the hash
    /// stored for it. The event was edited, or an event was inserted, removed or moved here
    /// (the chain cannot tell these apart: each breaks it at the first affected position).
    #[error(
        "position {position}: the stored chain hash {stored} does not match the recomputed \
         {recomputed}: the event at this position was altered, or events were inserted, \
         removed or reordered here"
    )]
    HashMismatch {
        position: u64,
        stored: String,
        recomputed: String,
    },
    /// Position `position` is absent from the log read (positions must be dense).
    #[error("position {position} is missing: {detail}")]
    Missing { position: u64, detail: String },
    /// The row at `position` cannot be read as an event at all.
    #[error("position {position} is unreadable: {reason}")]
    Unreadable { position: u64, reason: String },
    /// PostgreSQL: an event row lies behind the sequencer's cursor (so it will never be given a
    /// position) yet has none: it was inserted behind the sequencer, or its log row was removed.
    /// `position` is the first position after it in commit order.
    #[error(
        "position {position}: event row {row} ({stream} version {stream_version}, event id \
         {event_id}) precedes this position in commit order but has no position in the log: it \
         was inserted behind the sequencer, or its log row was deleted"
    )]
    Unsequenced {
        position: u64,
        row: i64,
        stream: StreamRef,
        stream_version: u64,
        event_id: String,
    },
    /// PostgreSQL: one event row holds two positions (the unique key on the log's event
    /// reference was dropped, and a sequencer gave a row a second place).
    #[error(
        "position {position}: event row {row} was already given position {first}: one event holds \
         two places in the log"
    )]
    SequencedTwice { position: u64, first: u64, row: i64 },
    /// A stream lacks a version below one it holds: an event row was deleted (before it had a
    /// position, so no log row points at the hole). `position` is the log position of the
    /// version after the hole, or one past the head if that has none yet.
    #[error(
        "position {position}: {stream} has no version {missing} though it holds version {next}: \
         an event was deleted from the stream"
    )]
    VersionHole {
        position: u64,
        stream: StreamRef,
        missing: u64,
        next: u64,
    },
    /// The recomputed chain hash at `position` differs from a digest published earlier: the
    /// history up to that position was rewritten (consistently enough to verify on its own).
    #[error(
        "position {position}: the recomputed chain hash {recomputed} differs from the published \
         digest {published}: the log up to this position was rewritten"
    )]
    DigestMismatch {
        position: u64,
        published: String,
        recomputed: String,
    },
    /// A digest was published for `position`, but the log now ends before it.
    #[error(
        "position {position}: a digest was published for this position but the log ends at \
         {head}: events were removed from its end"
    )]
    Truncated { position: u64, head: u64 },
}

impl Tamper {
    /// The first position that is not what was chained.
    pub fn position(&self) -> u64 {
        match self {
            Self::HashMismatch { position, .. }
            | Self::Missing { position, .. }
            | Self::Unreadable { position, .. }
            | Self::Unsequenced { position, .. }
            | Self::SequencedTwice { position, .. }
            | Self::VersionHole { position, .. }
            | Self::DigestMismatch { position, .. }
            | Self::Truncated { position, .. } => *position,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IntegrityError {
    /// The log was tampered with (or damaged): the chain breaks at the position named.
    #[error("the log does not verify: {0}")]
    Tampered(#[from] Tamper),
    /// A position was asked for that the log has not reached.
    #[error("position {at} is beyond the head of the log ({head})")]
    BeyondHead { at: u64, head: u64 },
    /// The store could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for IntegrityError {
    fn from(error: sqlx::Error) -> Self {
        Self::Store(StoreError::backend(error))
    }
}
