//! The fingerprint of a keyed command, kept in its idempotency record so that a repeat of the
//! key must carry the same command.

use serde_json::Value;
use sha2::{Digest, Sha256};

use rectiflow_engine::model::StreamRef;

use crate::chain::canonical_json;

/// SHA-256 over the stream and the canonical body.
pub fn fingerprint(stream: &StreamRef, body: &Value) -> String {
    let mut hasher = Sha256::new();
    hasher.update(stream.stream_type.as_bytes());
    hasher.update([0]);
    hasher.update(stream.stream_id.as_bytes());
    hasher.update([0]);
    hasher.update(canonical_json(body));
    hex::encode(hasher.finalize())
}
