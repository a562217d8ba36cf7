//! The golden vectors of the chain (v3), checked without a database: canonical bytes, their
//! SHA-256, the chain hashes of the golden log (`support/golden.rs`, where it is said how they
//! were derived — independently of this crate), and RFC 8785's own number table.

#[path = "support/golden.rs"]
mod golden;

use golden::{parse, recorded_event, METADATA, VECTORS};
use rectiflow_store::chain::{
    canonical_json, chain_hash, content_hash, link, CHAIN_VERSION_TAG, CONTENT_VERSION_TAG, GENESIS,
};
use serde_json::Value;
use sha2::{Digest, Sha256};

#[test]
fn the_version_tags_are_v3() {
    assert_eq!(CHAIN_VERSION_TAG, b"rectiflow-chain-v3");
    assert_eq!(CONTENT_VERSION_TAG, b"rectiflow-event-v3");
}

#[test]
fn canonical_bytes_match_the_golden_vectors() {
    for vector in VECTORS {
        let bytes = canonical_json(&parse(vector.payload));
        assert_eq!(
            String::from_utf8_lossy(&bytes),
            vector.canonical,
            "canonical bytes of {}",
            vector.name
        );
        assert_eq!(
            hex::encode(Sha256::digest(&bytes)),
            vector.canonical_sha256,
            "SHA-256 of the canonical bytes of {}",
            vector.name
        );
    }
    assert_eq!(canonical_json(&parse(METADATA)), METADATA.as_bytes());
    // u64::MAX and u64::MAX - 1 are one double: RFC 8785 alone would print them alike.
    let canonical = |name: &str| VECTORS.iter().find(|v| v.name == name).map(|v| v.canonical);
    assert_ne!(canonical("u64_max"), canonical("u64_max_minus_1"));
}

#[test]
fn chain_hashes_match_the_golden_log() {
    let mut previous = GENESIS;
    for (i, vector) in (1u64..).zip(VECTORS) {
        let event = recorded_event(i);
        let content = content_hash(&event);
        assert_eq!(
            hex::encode(content),
            vector.content_hash,
            "content hash at position {i} ({})",
            vector.name
        );
        let hash = link(&previous, i, &content);
        assert_eq!(hash, chain_hash(&previous, i, &event));
        assert_eq!(
            hex::encode(hash),
            vector.chain_hash,
            "chain hash at position {i} ({})",
            vector.name
        );
        previous = hash;
    }
}

/// RFC 8785 Appendix B: IEEE 754 bits and the text ECMAScript prints for them.
#[test]
fn floats_format_as_rfc_8785_appendix_b() {
    for (bits, expected) in [
        (0x0000000000000000, "0"),
        (0x8000000000000000, "0"),
        (0x0000000000000001, "5e-324"),
        (0x8000000000000001, "-5e-324"),
        (0x7fefffffffffffff, "1.7976931348623157e+308"),
        (0xffefffffffffffff, "-1.7976931348623157e+308"),
        (0x4340000000000000, "9007199254740992"),
        (0xc340000000000000, "-9007199254740992"),
        (0x4430000000000000, "295147905179352830000"),
        (0x44b52d02c7e14af5, "9.999999999999997e+22"),
        (0x44b52d02c7e14af6, "1e+23"),
        (0x44b52d02c7e14af7, "1.0000000000000001e+23"),
        (0x444b1ae4d6e2ef4e, "999999999999999700000"),
        (0x444b1ae4d6e2ef4f, "999999999999999900000"),
        (0x444b1ae4d6e2ef50, "1e+21"),
        (0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"),
        (0x3eb0c6f7a0b5ed8d, "0.000001"),
        (0x41b3de4355555553, "333333333.3333332"),
        (0x41b3de4355555554, "333333333.33333325"),
        (0x41b3de4355555555, "333333333.3333333"),
        (0x41b3de4355555556, "333333333.3333334"),
        (0x41b3de4355555557, "333333333.33333343"),
        (0xbecbf647612f3696, "-0.0000033333333333333333"),
        (0x43143ff3c1cb0959, "1424953923781206.2"),
    ] {
        let value = Value::from(f64::from_bits(bits));
        assert_eq!(
            String::from_utf8_lossy(&canonical_json(&value)),
            expected,
            "{bits:016x}"
        );
    }
}
