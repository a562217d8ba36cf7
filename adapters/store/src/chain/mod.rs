//! The hash chain that makes the log tamper-evident ("chain v2", specified for outside
//! auditors in `docs/CHAIN.md`).
//!
//! Each event's chain hash is SHA-256 over a version tag, the previous chain hash and every
//! stored field of the event, each variable-length field length-prefixed so no two different
//! events can produce the same input. JSON is hashed in our own [`canonical`] form — keys
//! sorted, no whitespace, numbers and strings written by fixed rules — because PostgreSQL's
//! JSONB does not keep the key order, spacing or number text it was given, and the chain must
//! be the same whichever database holds the log and whichever build recomputes it.
//!
//! The tag names the version of this layout and of the canonical form: `rectiflow-chain-v2`.
//! Version 1 hashed serde_json's own output; no deployment kept a v1 log, so v1 logs are not
//! verified (they fail at position 1).

pub mod canonical;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use rectiflow_engine::model::RecordedEvent;

pub use canonical::canonical_json;

/// The chain hash before the first event: 32 zero bytes.
pub const GENESIS: [u8; 32] = [0u8; 32];

/// The domain-separation tag that starts every hashed input: the chain's version. A change
/// to the layout below or to [`canonical_json`] needs a new tag (and a new version of
/// `docs/CHAIN.md`).
pub const CHAIN_VERSION_TAG: &[u8] = b"rectiflow-chain-v2";

fn field(hasher: &mut Sha256, bytes: &[u8]) {
    hasher.update((bytes.len() as u64).to_be_bytes());
    hasher.update(bytes);
}

/// The chain hash of `event` at `position`, following `previous`: SHA-256 over, in order,
/// [`CHAIN_VERSION_TAG`], `previous` (32 bytes), `position` (u64), the stream type and id
/// (each length-prefixed), the stream version (u64), the event id (16 bytes, RFC 9562 byte
/// order), the event type and schema version (length-prefixed), the canonical payload and
/// metadata (length-prefixed) and the recorded-at instant (i64 microseconds since the Unix
/// epoch). Integers are big-endian; a length prefix is the byte length as a u64.
pub fn chain_hash(previous: &[u8; 32], position: u64, event: &RecordedEvent) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(CHAIN_VERSION_TAG);
    hasher.update(previous);
    hasher.update(position.to_be_bytes());
    field(&mut hasher, event.stream.stream_type.as_bytes());
    field(&mut hasher, event.stream.stream_id.as_bytes());
    hasher.update(event.stream_version.to_be_bytes());
    hasher.update(event.event_id.as_bytes());
    field(&mut hasher, event.event_type.as_bytes());
    field(&mut hasher, event.schema_version.as_bytes());
    field(&mut hasher, &canonical_json(&event.payload));
    field(&mut hasher, &canonical_json(&event.metadata));
    hasher.update(micros(event.recorded_at).to_be_bytes());
    hasher.finalize().into()
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
    use rectiflow_engine::model::StreamRef;
    use serde_json::Value;

    fn event(payload: Value) -> RecordedEvent {
        RecordedEvent {
            stream: StreamRef::new("item", "YB-2026-0001"),
            stream_version: 1,
            event_id: uuid::Uuid::nil(),
            event_type: "ItemRegistered".into(),
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
}
