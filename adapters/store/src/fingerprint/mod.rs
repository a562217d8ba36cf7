//! The fingerprint of a keyed command, kept in its idempotency record so that a repeat of the
//! key must carry the same command.
//!
//! Keyed, not a plain hash: a command's body may carry personal data — a complainant's name and
//! contact — and the rest of the command is in the log, so a plain SHA-256 of it would let
//! anyone who can read the database (or a dump, or a backup) confirm a guessed identity, even
//! after the identity was erased. HMAC-SHA256 under a secret kept outside the database
//! ([`FingerprintKey`]) is as good for recognising a repeat and useless for confirming a
//! guess without the secret.

mod key;

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

use rectiflow_engine::model::StreamRef;

use crate::chain::canonical_json;

pub use key::{FingerprintKey, KeyFileError, KEY_FILE_SUFFIX};

/// What every keyed fingerprint starts with: the scheme, so a record says how it was made
/// (records of the old unkeyed scheme were scrubbed by migration 0004).
pub const SCHEME: &str = "hmac-sha256:";

/// Fingerprints commands with one key. Cheap to clone: it keeps the key's prepared HMAC state.
#[derive(Clone)]
pub struct Fingerprinter {
    mac: Hmac<Sha256>,
}

impl std::fmt::Debug for Fingerprinter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Fingerprinter(<keyed>)")
    }
}

impl Fingerprinter {
    pub fn new(key: &FingerprintKey) -> Self {
        Self { mac: key.mac() }
    }

    /// `hmac-sha256:` and the hex HMAC over the stream and the canonical body, each field
    /// length-prefixed so no two different commands give the same input.
    pub fn fingerprint(&self, stream: &StreamRef, body: &Value) -> String {
        let mut mac = self.mac.clone();
        for field in [
            stream.stream_type.as_bytes(),
            stream.stream_id.as_bytes(),
            &canonical_json(body),
        ] {
            mac.update(&(field.len() as u64).to_be_bytes());
            mac.update(field);
        }
        format!("{SCHEME}{}", hex::encode(mac.finalize().into_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use sha2::Digest;

    fn key(byte: u8) -> FingerprintKey {
        FingerprintKey::from_bytes([byte; 32]).expect("a usable key")
    }

    #[test]
    fn the_fingerprint_depends_on_the_key_the_stream_and_the_body() {
        let stream = StreamRef::new("complaint", "cmp-2026-0001");
        let body = json!({"name": "张三丰", "contact": "13800000000"});
        let one = Fingerprinter::new(&key(1));
        let first = one.fingerprint(&stream, &body);
        assert!(first.starts_with(SCHEME), "{first}");
        assert_eq!(first, one.fingerprint(&stream, &body), "deterministic");
        assert_ne!(
            first,
            Fingerprinter::new(&key(2)).fingerprint(&stream, &body)
        );
        assert_ne!(
            first,
            one.fingerprint(&StreamRef::new("complaint", "cmp-2026-0002"), &body)
        );
        assert_ne!(first, one.fingerprint(&stream, &json!({"name": "张三"})));
        // Not the plain SHA-256 anyone could recompute from a guess.
        let plain = hex::encode(Sha256::digest(canonical_json(&body)));
        assert!(!first.contains(&plain));
    }

    #[test]
    fn fields_cannot_run_into_each_other() {
        let fp = Fingerprinter::new(&key(1));
        let body = json!(null);
        assert_ne!(
            fp.fingerprint(&StreamRef::new("ab", "c"), &body),
            fp.fingerprint(&StreamRef::new("a", "bc"), &body)
        );
    }
}
