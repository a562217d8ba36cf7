//! The chain hash at a position, in the form an operator publishes and later checks against.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The chain hash at `position`: it commits to every event up to and including that position,
/// so publishing it fixes that history — a later rewrite cannot reproduce it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainDigest {
    pub position: u64,
    pub hash: [u8; 32],
}

/// The prefix naming the hash function, so a digest read aloud or pasted elsewhere says what
/// it is (and a later change of function cannot be confused with a mismatch).
const PREFIX: &str = "sha256:";

impl ChainDigest {
    /// `sha256:<64 hex digits>`.
    pub fn hash_text(&self) -> String {
        format!("{PREFIX}{}", hex::encode(self.hash))
    }

    /// Parses a published hash: 64 hex digits, with or without the `sha256:` prefix.
    pub fn parse_hash(text: &str) -> Result<[u8; 32], String> {
        let trimmed = text.trim();
        let digits = trimmed.strip_prefix(PREFIX).unwrap_or(trimmed);
        let bytes = hex::decode(digits)
            .map_err(|e| format!("digest {text:?} is not hex (`sha256:` + 64 hex digits): {e}"))?;
        bytes.try_into().map_err(|bytes: Vec<u8>| {
            format!(
                "digest {text:?} has {} bytes; a SHA-256 digest has 32 (64 hex digits)",
                bytes.len()
            )
        })
    }
}

impl fmt::Display for ChainDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "position {} {}", self.position, self.hash_text())
    }
}

/// The JSON form: `{"position": 1234, "digest": "sha256:…"}`.
#[derive(Serialize, Deserialize)]
struct Wire {
    position: u64,
    digest: String,
}

impl Serialize for ChainDigest {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Wire {
            position: self.position,
            digest: self.hash_text(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for ChainDigest {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = Wire::deserialize(deserializer)?;
        Ok(Self {
            position: wire.position,
            hash: Self::parse_hash(&wire.digest).map_err(serde::de::Error::custom)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_and_parses_with_or_without_the_prefix() {
        let digest = ChainDigest {
            position: 7,
            hash: [0xab; 32],
        };
        let text = digest.to_string();
        assert_eq!(text, format!("position 7 sha256:{}", "ab".repeat(32)));
        assert_eq!(ChainDigest::parse_hash(&digest.hash_text()), Ok([0xab; 32]));
        assert_eq!(ChainDigest::parse_hash(&"ab".repeat(32)), Ok([0xab; 32]));
        assert!(ChainDigest::parse_hash("sha256:abcd").is_err());
        assert!(ChainDigest::parse_hash("nothex").is_err());
        let json = serde_json::to_string(&digest).unwrap_or_default();
        let back: Result<ChainDigest, _> = serde_json::from_str(&json);
        assert_eq!(back.ok(), Some(digest));
    }
}
