//! The hash chain that makes the log tamper-evident ("chain v3", specified for outside
//! auditors in `docs/CHAIN.md`).
//!
//! Hashing is split in two so that the expensive half happens where the event is born. An
//! event's *content hash* is SHA-256 over a tag and every stored field of the event, each
//! variable-length field length-prefixed so no two different events can produce the same input;
//! the writer computes it before its commit, while it still holds the event in memory, and
//! stores it beside the row. The *chain hash* at a position is SHA-256 over a tag, the previous
//! chain hash, the position and that content hash: all the sequencer has to do when it gives
//! out positions, with no read-back of payloads and no JSON on its path (it was CPU-bound on
//! exactly that, about 13 µs an event, before v3). `verify` recomputes both halves from the
//! stored fields, so a row edited after its commit — even before it has a position — no
//! longer matches the content hash its writer stored and the sequencer chained.
//!
//! JSON is hashed in our own [`canonical`] form — keys sorted, no whitespace, numbers and
//! strings written by fixed rules — because PostgreSQL's JSONB does not keep the key order,
//! spacing or number text it was given, and the chain must be the same whichever database holds
//! the log and whichever build recomputes it.
//!
//! The tags name the version of this layout and of the canonical form: `rectiflow-event-v3`
//! and `rectiflow-chain-v3`. Version 1 hashed serde_json's own output; version 2 hashed every
//! field into the chain hash directly. No deployment kept a v1 or v2 log, so those logs are not
//! verified (they fail at position 1).

pub mod canonical;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use rectiflow_engine::model::{NewEvent, RecordedEvent, StreamRef};

pub use canonical::canonical_json;

/// The chain hash before the first event: 32 zero bytes.
pub const GENESIS: [u8; 32] = [0u8; 32];

/// The domain-separation tag that starts every chain hash's input: the chain's version. A
/// change to either layout below or to [`canonical_json`] needs new tags (and a new version of
/// `docs/CHAIN.md`).
pub const CHAIN_VERSION_TAG: &[u8] = b"rectiflow-chain-v3";

/// The domain-separation tag that starts every content hash's input, so a content hash can
/// never be mistaken for a chain hash (or the reverse).
pub const CONTENT_VERSION_TAG: &[u8] = b"rectiflow-event-v3";

/// The stored fields of one event, borrowed from whichever form holds them: a
/// [`RecordedEvent`] read back, or a [`NewEvent`] about to be written at a known stream version.
#[derive(Debug, Clone, Copy)]
pub struct EventContent<'a> {
    pub stream: &'a StreamRef,
    pub stream_version: u64,
    pub event_id: &'a Uuid,
    pub event_type: &'a str,
    pub schema_version: &'a str,
    pub payload: &'a serde_json::Value,
    pub metadata: &'a serde_json::Value,
    pub recorded_at: DateTime<Utc>,
}

impl<'a> EventContent<'a> {
    /// The content of `event`, to be written as version `stream_version` of `stream`.
    pub fn new(stream: &'a StreamRef, stream_version: u64, event: &'a NewEvent) -> Self {
        Self {
            stream,
            stream_version,
            event_id: &event.event_id,
            event_type: &event.event_type,
            schema_version: &event.schema_version,
            payload: &event.payload,
            metadata: &event.metadata,
            recorded_at: event.recorded_at,
        }
    }
}

impl<'a> From<&'a RecordedEvent> for EventContent<'a> {
    fn from(event: &'a RecordedEvent) -> Self {
        Self {
            stream: &event.stream,
            stream_version: event.stream_version,
            event_id: &event.event_id,
            event_type: &event.event_type,
            schema_version: &event.schema_version,
            payload: &event.payload,
            metadata: &event.metadata,
            recorded_at: event.recorded_at,
        }
    }
}

fn field(hasher: &mut Sha256, bytes: &[u8]) {
    hasher.update((bytes.len() as u64).to_be_bytes());
    hasher.update(bytes);
}

/// The content hash of an event: SHA-256 over, in order, [`CONTENT_VERSION_TAG`], the stream
/// type and id (each length-prefixed), the stream version (u64), the event id (16 bytes,
/// RFC 9562 byte order), the event type and schema version (length-prefixed), the canonical
/// payload and metadata (length-prefixed) and the recorded-at instant (i64 microseconds since
/// the Unix epoch). Integers are big-endian; a length prefix is the byte length as a u64.
pub fn content_hash<'a>(event: impl Into<EventContent<'a>>) -> [u8; 32] {
    let event = event.into();
    let mut hasher = Sha256::new();
    hasher.update(CONTENT_VERSION_TAG);
    field(&mut hasher, event.stream.stream_type.as_bytes());
    field(&mut hasher, event.stream.stream_id.as_bytes());
    hasher.update(event.stream_version.to_be_bytes());
    hasher.update(event.event_id.as_bytes());
    field(&mut hasher, event.event_type.as_bytes());
    field(&mut hasher, event.schema_version.as_bytes());
    field(&mut hasher, &canonical_json(event.payload));
    field(&mut hasher, &canonical_json(event.metadata));
    hasher.update(micros(event.recorded_at).to_be_bytes());
    hasher.finalize().into()
}

/// The chain hash at `position` of the event whose content hash is `content`, following
/// `previous`: SHA-256 over [`CHAIN_VERSION_TAG`], `previous` (32 bytes), `position` (u64
/// big-endian) and `content` (32 bytes). What the sequencer computes.
pub fn link(previous: &[u8; 32], position: u64, content: &[u8; 32]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(CHAIN_VERSION_TAG);
    hasher.update(previous);
    hasher.update(position.to_be_bytes());
    hasher.update(content);
    hasher.finalize().into()
}

/// The chain hash of `event` at `position`, following `previous`, from the event's fields:
/// [`link`] over its [`content_hash`]. What `verify`, `import` and auditors compute.
pub fn chain_hash(previous: &[u8; 32], position: u64, event: &RecordedEvent) -> [u8; 32] {
    link(previous, position, &content_hash(event))
}

fn micros(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}

/// Parses a stored 32-byte hash.
pub fn hash_from_bytes(bytes: &[u8]) -> Option<[u8; 32]> {
    bytes.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn event(payload: Value) -> RecordedEvent {
        RecordedEvent {
            stream: StreamRef::new("item", "YB-2026-0001"),
            stream_version: 1,
            event_id: uuid::Uuid::nil(),
            event_type: "rectiflow.item.registered".into(),
            schema_version: "1.0".into(),
            payload,
            metadata: serde_json::json!({"actor": "p1"}),
            recorded_at: DateTime::from_timestamp_micros(1_780_000_000_000_000).unwrap_or_default(),
        }
    }

    #[test]
    fn key_order_does_not_change_the_hash_but_content_does() {
        let a: Value = serde_json::from_str(r#"{"b":1,"a":{"y":2,"x":[1,2]}}"#).unwrap_or_default();
        let b: Value =
            serde_json::from_str(r#"{ "a": {"x":[1,2],"y":2}, "b": 1 }"#).unwrap_or_default();
        let c: Value = serde_json::from_str(r#"{"a":{"x":[2,1],"y":2},"b":1}"#).unwrap_or_default();
        assert_eq!(
            chain_hash(&GENESIS, 1, &event(a.clone())),
            chain_hash(&GENESIS, 1, &event(b))
        );
        assert_ne!(
            chain_hash(&GENESIS, 1, &event(a.clone())),
            chain_hash(&GENESIS, 1, &event(c))
        );
        assert_ne!(
            chain_hash(&GENESIS, 1, &event(a.clone())),
            chain_hash(&GENESIS, 2, &event(a))
        );
    }

    /// The writer hashes the event it is about to commit; `verify` hashes the row it reads
    /// back. Both must agree, or every freshly written event would fail verification.
    #[test]
    fn the_writers_content_hash_is_the_one_recomputed_from_the_row() {
        let recorded = event(serde_json::json!({"Added": {"by": 2, "ratio": 0.5}}));
        let new = NewEvent {
            event_id: recorded.event_id,
            event_type: recorded.event_type.clone(),
            schema_version: recorded.schema_version.clone(),
            payload: recorded.payload.clone(),
            metadata: recorded.metadata.clone(),
            recorded_at: recorded.recorded_at,
        };
        let written = content_hash(EventContent::new(&recorded.stream, 1, &new));
        assert_eq!(written, content_hash(&recorded));
        assert_eq!(
            link(&GENESIS, 1, &written),
            chain_hash(&GENESIS, 1, &recorded)
        );
        // The version is part of the content: the same event one version later differs.
        assert_ne!(
            written,
            content_hash(EventContent::new(&recorded.stream, 2, &new))
        );
    }
}
