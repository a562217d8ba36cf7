//! What the store keeps: streams, events as written, events as logged.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

/// A stream: the events of one aggregate instance, named by its type and id
/// (e.g. `item` / `YB-2026-0001`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StreamRef {
    pub stream_type: String,
    pub stream_id: String,
}

impl StreamRef {
    pub fn new(stream_type: impl Into<String>, stream_id: impl Into<String>) -> Self {
        Self {
            stream_type: stream_type.into(),
            stream_id: stream_id.into(),
        }
    }
}

impl std::fmt::Display for StreamRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.stream_type, self.stream_id)
    }
}

/// W3C trace context of the request that caused an event, so an integrator's trace can be
/// followed from the HTTP call through the log to the webhook it triggers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceContext {
    pub traceparent: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracestate: Option<String>,
}

/// Facts about an event that are not part of the domain: who, why, in which conversation.
/// Stamped by the executor from the caller's context, never taken from a request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// The authenticated actor (a person id, or a system actor such as `system:scheduler`).
    pub actor: String,
    /// Groups every event caused, directly or not, by one outside request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<Uuid>,
    /// The event (or request) that caused this command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub causation_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<TraceContext>,
    /// Where the event belongs, from the aggregate after the event (see
    /// [`Scoped`](rectiflow_domain::event::Scoped)): its campaign, task force, field and
    /// units, so a reader can filter without joining back to the stream's first event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_force: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<rectiflow_domain::settings::Field>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<String>,
}

/// An event ready to be committed; its stream version is assigned by the commit.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub event_id: Uuid,
    pub event_type: String,
    pub schema_version: String,
    pub payload: Value,
    pub metadata: Value,
    pub recorded_at: DateTime<Utc>,
}

/// An event as stored in its stream. `position` is its place in the global log, once the
/// sequencer has assigned it (on SQLite at once; on PostgreSQL shortly after commit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedEvent {
    pub stream: StreamRef,
    pub stream_version: u64,
    pub event_id: Uuid,
    pub event_type: String,
    pub schema_version: String,
    pub payload: Value,
    pub metadata: Value,
    pub recorded_at: DateTime<Utc>,
}

/// An event in the global log: dense, strictly increasing position, and the hash that chains
/// it to every event before it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoggedEvent {
    pub position: u64,
    /// SHA-256 chain hash, lowercase hex.
    pub hash: String,
    #[serde(flatten)]
    pub event: RecordedEvent,
}

/// A snapshot: the aggregate's state as it stood after the command that produced `version`,
/// and the version of the fold that computed it ([`rectiflow_domain::FoldVersion`]): a load
/// trusts it only under the same fold.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub version: u64,
    pub state: Value,
    pub fold_version: u32,
}

/// The first outcome of a command sent with an idempotency key, kept so a repeat returns it:
/// the events it committed, or the refusal the rules gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyRecord {
    pub actor: String,
    pub key: String,
    /// The store's keyed fingerprint of the command (stream and body, see
    /// [`crate::EventStore::fingerprint`]): a repeat must match it.
    pub command_hash: String,
    pub stream: StreamRef,
    /// The stream version before the command.
    pub from_version: u64,
    /// The stream version after the command (equal to `from_version` if it emitted nothing or
    /// was refused).
    pub to_version: u64,
    pub created_at: DateTime<Utc>,
    /// The stable code of the refusal (`DomainError::code`) when the rules refused the command;
    /// `None` when it was carried out. Only refusals are remembered: a port or the store that
    /// failed leaves no record, so a retry can still succeed.
    pub refusal: Option<String>,
}

/// One atomic write: events appended at `expected_version + 1 ..`, plus the idempotency record
/// and the snapshot, all in one transaction.
#[derive(Debug, Clone)]
pub struct Commit {
    pub stream: StreamRef,
    pub expected_version: u64,
    pub events: Vec<NewEvent>,
    pub snapshot: Option<Snapshot>,
    pub idempotency: Option<IdempotencyRecord>,
}

/// Truncates an instant to whole microseconds, the precision both databases keep, so the hash
/// computed before a write equals the one recomputed after a read.
pub fn to_micros(at: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(at.timestamp_micros()).unwrap_or(at)
}
