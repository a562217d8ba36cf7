//! The golden log of the chain (v2): payloads with their canonical bytes, the SHA-256 of
//! those bytes, and the chain hash of each event of a short log — written out literally.
//!
//! None of these values was produced by this crate. They were derived from the spec
//! (`docs/CHAIN.md`) by `docs/chain_vectors.py`, written apart with Python's standard library:
//! `json` to read the payloads (integers exact, floats correctly rounded, integers beyond
//! i64/u64 read as doubles like serde_json), ECMAScript `Number::toString` laid out by hand
//! from `repr()`'s shortest digits (David Gay's algorithm, not ryu), keys sorted by their
//! UTF-16BE bytes, strings escaped by hand, `hashlib.sha256` over the input laid out with
//! `int.to_bytes`. The script first checks its number layout against RFC 8785 Appendix B.
//! Re-run it (`python3 docs/chain_vectors.py`) to regenerate `VECTORS`; a change to any of
//! them is a change of the chain's version.
#![allow(dead_code)]

use chrono::{DateTime, Utc};
use rectiflow_engine::model::{NewEvent, RecordedEvent, StreamRef};
use serde_json::Value;
use uuid::Uuid;

pub struct Vector {
    pub name: &'static str,
    /// The payload as serde_json writes it (in SQLite, and in an export).
    pub payload: &'static str,
    pub canonical: &'static str,
    pub canonical_sha256: &'static str,
    /// The chain hash at position `i` of the golden log, whose event `i` (1-based) carries
    /// the `i`-th payload.
    pub chain_hash: &'static str,
}

pub const VECTORS: &[Vector] = &[
    Vector {
        name: "float_1e300",
        payload: r#"{"v":1e300}"#,
        canonical: "{\"v\":1e+300}",
        canonical_sha256: "8637cf5d825d73ecbf9dabea0dbb8bfd84b3ed64e8ace9dc13b7c78acb0af367",
        chain_hash: "92f56c3e1c5d2a685eaa17bfe30f811cfcd7d2d40ab1666496e6f0691e12f672",
    },
    Vector {
        name: "float_1_5e_minus_7",
        payload: r#"{"v":1.5e-7}"#,
        canonical: "{\"v\":1.5e-7}",
        canonical_sha256: "19483b7698a39932b8442d9bcf9baa0640a5d4f6ee91947e4383fdca21ed4236",
        chain_hash: "a4d8546bbf4d07efda32e043603a7a76a3a4ad7b3fe86f6db2af2fd68d865638",
    },
    Vector {
        name: "float_0_1",
        payload: r#"{"v":0.1}"#,
        canonical: "{\"v\":0.1}",
        canonical_sha256: "8ec9c466832e74cab1700269790aa649b06fb67989ecf3ac8e6e3c2e5cde2b3a",
        chain_hash: "bb63b29ca853bbb291c4d2a00d324ec57fc883fc0921d371d5b3c46bb078c8d9",
    },
    Vector {
        name: "negative_zero",
        payload: r#"{"v":-0.0}"#,
        canonical: "{\"v\":0}",
        canonical_sha256: "ec4f95abcb4e2e3dbe856c3eb2f81995eacb3823d40aa2e78ed4c5e1798f664d",
        chain_hash: "981e55e34e7fa5f72c97af78e800b5d293f74198c59c283cd1e1f4ca86b1439d",
    },
    Vector {
        name: "integer_2_pow_63",
        payload: r#"{"v":9223372036854775808}"#,
        canonical: "{\"v\":9223372036854775808}",
        canonical_sha256: "05125b0fc67eb1fee023e9bfa150be42c66a5c09738b97b8df20331704ef1e3c",
        chain_hash: "1632380588b74d9e047c9b1a53a69d7b5095252fb5803599681dec974eae23a0",
    },
    Vector {
        name: "float_2_pow_63",
        payload: r#"{"v":9.223372036854776e18}"#,
        canonical: "{\"v\":9223372036854776000}",
        canonical_sha256: "f0f80c0b0200eaf2d11f69a72d2104476df2042b56d0945d7b3bdc05bd56c270",
        chain_hash: "31079e25c8f9d0f915e592cdf4aea0a2a8bb2097da1f84f2b4eaee5475fd5528",
    },
    Vector {
        name: "u64_max",
        payload: r#"{"v":18446744073709551615}"#,
        canonical: "{\"v\":18446744073709551615}",
        canonical_sha256: "846afd99dea73da7038d6689d7f3295477e36ca591b3f7e5d2a7c10aef8d601a",
        chain_hash: "a33237539da32777ef4cac037f7e9e38094bcb90ac46eead59dd4dc2a69465bf",
    },
    Vector {
        name: "u64_max_minus_1",
        payload: r#"{"v":18446744073709551614}"#,
        canonical: "{\"v\":18446744073709551614}",
        canonical_sha256: "e7d6395fae73d2cf93c5c8607c822ae73b1bdd5c7dca263e7d61cd7117f59758",
        chain_hash: "80eb79d43595e8b9777c5502cd482436f43c54f1bbbd3f0cae97068bc4a9d691",
    },
    Vector {
        name: "float_1e16",
        payload: r#"{"v":1e16}"#,
        canonical: "{\"v\":10000000000000000}",
        canonical_sha256: "27f0b3ad1886987ede720fd17ddf862acdb4a4b5620723c1e37cb058d6060e96",
        chain_hash: "78ae3a611181976817b5e660dd928844e90854d2caca42d0f691d6e373a11ffd",
    },
    Vector {
        name: "non_ascii",
        payload: r#"{"note":"整改 ✓ café","｡":1,"😀":2}"#,
        canonical: "{\"note\":\"整改 ✓ café\",\"😀\":2,\"｡\":1}",
        canonical_sha256: "6168b16e304bb88212735dcd971faf6995c8e75a1fc0d299a36fe868ddb2427e",
        chain_hash: "a06760371cfeace0d3121aa6243a833f3646ee71f3a8318a2a9f4d5dae29919e",
    },
    Vector {
        name: "escapes",
        payload: r#"{"s":"\u0001\b\t\n\u000b\f\r\u001f \"\\/\u007f\u2028\u2029"}"#,
        canonical: "{\"s\":\"\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f \\\"\\\\/\u{7f}\u{2028}\u{2029}\"}",
        canonical_sha256: "4c161ac07fde98e928183a55f53471b9a97b2139039b67bef66e3ea38c33378c",
        chain_hash: "559613578bdb8d1650ccfa9f817e33bc6e1c033db0e7e76549e4427892e7a346",
    },
    Vector {
        name: "mixed",
        payload: r#"{"Added":{"by":1,"ratio":0.30000000000000004,"i64_min":-9223372036854775808,"e21":1e21,"e20":1e20,"tiny":5e-324,"max":1.7976931348623157e308,"one":1.0,"neg":-1.5,"list":[null,true,false,[],{}]}}"#,
        canonical: "{\"Added\":{\"by\":1,\"e20\":100000000000000000000,\"e21\":1e+21,\"i64_min\":-9223372036854775808,\"list\":[null,true,false,[],{}],\"max\":1.7976931348623157e+308,\"neg\":-1.5,\"one\":1,\"ratio\":0.30000000000000004,\"tiny\":5e-324}}",
        canonical_sha256: "51555ea6246ad73ddd7b1a95b8baf2d975eafb10be812479d5771cddf9f5c335",
        chain_hash: "276816e651ac046261bb148b96b6db86bf750b4ed03b6ef8abb240ccfdfebe30",
    },
];

/// The metadata of every event of the golden log, already canonical.
pub const METADATA: &str = r#"{"actor":"auditor-1","campaign_id":"c-1"}"#;
/// 2026-03-02T01:00:00Z in microseconds since the Unix epoch; event `i` is recorded at + i.
pub const RECORDED_AT: i64 = 1_772_413_200_000_000;

/// The one stream of the golden log.
pub fn stream() -> StreamRef {
    StreamRef::new("counter", "golden")
}

pub fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{text} is not JSON: {e}"))
}

/// Event `i` (1-based, its stream version too) of the golden log, as committed.
pub fn new_event(i: u64) -> NewEvent {
    let vector = &VECTORS[(i - 1) as usize];
    NewEvent {
        event_id: Uuid::parse_str(&format!("01950000-0000-7000-8000-{i:012x}"))
            .expect("a valid uuid"),
        event_type: "Added".into(),
        schema_version: "1".into(),
        payload: parse(vector.payload),
        metadata: parse(METADATA),
        recorded_at: recorded_at(i),
    }
}

/// Event `i` of the golden log, as recorded.
pub fn recorded_event(i: u64) -> RecordedEvent {
    let new = new_event(i);
    RecordedEvent {
        stream: stream(),
        stream_version: i,
        event_id: new.event_id,
        event_type: new.event_type,
        schema_version: new.schema_version,
        payload: new.payload,
        metadata: new.metadata,
        recorded_at: new.recorded_at,
    }
}

fn recorded_at(i: u64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(RECORDED_AT + i as i64).expect("in range")
}
