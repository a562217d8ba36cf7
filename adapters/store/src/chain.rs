//! The hash chain that makes the log tamper-evident.
//!
//! Each event's chain hash is SHA-256 over the previous chain hash and every stored field of
//! the event, each field length-prefixed so no two different events can produce the same
//! input. JSON is hashed in canonical form — object keys sorted, no insignificant whitespace,
//! numbers as serde_json prints them — because PostgreSQL's JSONB does not keep the key order
//! (or spacing) it was given, and the chain must be the same whichever database holds the log.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sha2::{Digest, Sha256};

use rectiflow_engine::model::RecordedEvent;

/// The chain hash before the first event: 32 zero bytes.
pub const GENESIS: [u8; 32] = [0u8; 32];

/// Canonical JSON bytes: `serde_json::Value` keeps objects in a `BTreeMap` (sorted keys),
/// `to_vec` writes no whitespace, and numbers are normalised the way JSONB normalises them —
/// an integral float is written as the integer (`1.0` and `1e16` as `1` and `10000000000000000`)
/// and `-0` as `0` — so SQLite (which keeps our text) and PostgreSQL (which keeps JSONB) hash
/// the same event alike, and a log moved between them still verifies.
pub fn canonical_json(value: &Value) -> Vec<u8> {
    // Serialising a `Value` to memory cannot fail: its keys are strings and it holds no
    // non-finite floats.
    serde_json::to_vec(&normalise(value)).unwrap_or_default()
}

fn normalise(value: &Value) -> Value {
    match value {
        Value::Number(n) => match n.as_f64() {
            // An integral float within the integer ranges is exactly that integer.
            Some(f) if n.is_f64() && f.is_finite() && f.fract() == 0.0 => {
                if f >= i64::MIN as f64 && f < i64::MAX as f64 {
                    Value::from(f as i64)
                } else if f >= 0.0 && f < u64::MAX as f64 {
                    Value::from(f as u64)
                } else {
                    value.clone()
                }
            }
            _ => value.clone(),
        },
        Value::Array(items) => Value::Array(items.iter().map(normalise).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), normalise(v))).collect())
        }
        other => other.clone(),
    }
}

fn field(hasher: &mut Sha256, bytes: &[u8]) {
    hasher.update((bytes.len() as u64).to_be_bytes());
    hasher.update(bytes);
}

/// The chain hash of `event` at `position`, following `previous`.
pub fn chain_hash(previous: &[u8; 32], position: u64, event: &RecordedEvent) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"rectiflow-chain-v1");
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
    fn numbers_are_normalised_as_jsonb_normalises_them() {
        let text: Value = serde_json::from_str(r#"{"a":1.0,"b":1e16,"c":-0.0,"d":0.5,"e":[2.0]}"#)
            .unwrap_or_default();
        let jsonb: Value =
            serde_json::from_str(r#"{"a":1,"b":10000000000000000,"c":0,"d":0.5,"e":[2]}"#)
                .unwrap_or_default();
        assert_eq!(canonical_json(&text), canonical_json(&jsonb));
        assert_eq!(
            String::from_utf8(canonical_json(&text)).unwrap_or_default(),
            r#"{"a":1,"b":10000000000000000,"c":0,"d":0.5,"e":[2]}"#
        );
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
