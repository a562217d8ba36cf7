//! The version of an aggregate's fold, kept beside each snapshot of it.
//!
//! A snapshot stores what `apply` computed, not the events it was computed from. When `apply`
//! changes what it makes of events already in the log — a field derived from old events, a
//! corrected rule applied on load — a snapshot taken by the old fold still holds the old
//! results, and loading from it would silently keep them. cqrs-es's `Aggregate` has no place
//! to say so, hence this trait: each aggregate declares the version of its fold, snapshots
//! record it, and a load ignores (and the next snapshot replaces) a snapshot made by another
//! version, replaying the stream instead.
//!
//! No default: every aggregate states its version next to its `apply`, where a change to the
//! fold is made and reviewed.

/// The version of an aggregate's fold (`apply`). Starts at 1; raise it whenever `apply` makes
/// something different of events already stored — a change that only adds new event types,
/// or new fields defaulted as the old fold saw them, needs no new version.
pub trait FoldVersion {
    const FOLD_VERSION: u32;
}
