//! The golden log of the chain (v3): payloads with their canonical bytes, the SHA-256 of
//! those bytes, and the content and chain hashes of each event of a short log — written out literally.
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
    /// The content hash of event `i` of the golden log (what its writer stores).
    pub content_hash: &'static str,
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
        content_hash: "fdae4fc54aedf7d9965a686ecc66104ac5116e90f74b83e7c20919ad8c9450bc",
        chain_hash: "3ae959f70e798b38cacd4bb5c4c253ea1b0b8521ee88af3b5701e71138b8edf2",
    },
    Vector {
        name: "float_1_5e_minus_7",
        payload: r#"{"v":1.5e-7}"#,
        canonical: "{\"v\":1.5e-7}",
        canonical_sha256: "19483b7698a39932b8442d9bcf9baa0640a5d4f6ee91947e4383fdca21ed4236",
        content_hash: "a995980c38964c291e9f9110fea24ae716a9b093d1a20fe5dcd6197670adba0d",
        chain_hash: "efada50a0060bf4c470ab8ab6c351c85e970b2e26a76270b79209e349fa82b21",
    },
    Vector {
        name: "float_0_1",
        payload: r#"{"v":0.1}"#,
        canonical: "{\"v\":0.1}",
        canonical_sha256: "8ec9c466832e74cab1700269790aa649b06fb67989ecf3ac8e6e3c2e5cde2b3a",
        content_hash: "9fe1946320b8ed81e0b951207aa0e97e38567f150fdeda75e0d24b7cef54f2a1",
        chain_hash: "90808b3c012efac63400f525b0c70b46c9477f54dbda2c2b1a36c92a8bb90ec9",
    },
    Vector {
        name: "negative_zero",
        payload: r#"{"v":-0.0}"#,
        canonical: "{\"v\":0}",
        canonical_sha256: "ec4f95abcb4e2e3dbe856c3eb2f81995eacb3823d40aa2e78ed4c5e1798f664d",
        content_hash: "236c45caf9de8c26a7b1b3fd843943fe20d1d0e63bb3aeda29a43286dd868823",
        chain_hash: "d679095f4ca56477135f7103bb1879627715dcee355dcb71164276ed611268d4",
    },
    Vector {
        name: "integer_2_pow_63",
        payload: r#"{"v":9223372036854775808}"#,
        canonical: "{\"v\":9223372036854775808}",
        canonical_sha256: "05125b0fc67eb1fee023e9bfa150be42c66a5c09738b97b8df20331704ef1e3c",
        content_hash: "173418242106db64ace36d0657abbe9c08d30ab11b03d5afb45a7684f6e0b165",
        chain_hash: "a3c16b58d766c2a48d017aedb121e542234e12321cc07a748e2007e7de56d0e7",
    },
    Vector {
        name: "float_2_pow_63",
        payload: r#"{"v":9.223372036854776e18}"#,
        canonical: "{\"v\":9223372036854776000}",
        canonical_sha256: "f0f80c0b0200eaf2d11f69a72d2104476df2042b56d0945d7b3bdc05bd56c270",
        content_hash: "a09ada77659efa071c741c5af8d83318a537e15cd501ec278dbdaa28eda3bd3f",
        chain_hash: "892cf22d51b54fc3fa90f205edfced96d04ba840b690d0009a1ea3edc5a86133",
    },
    Vector {
        name: "u64_max",
        payload: r#"{"v":18446744073709551615}"#,
        canonical: "{\"v\":18446744073709551615}",
        canonical_sha256: "846afd99dea73da7038d6689d7f3295477e36ca591b3f7e5d2a7c10aef8d601a",
        content_hash: "25d4238962624757889084d4a55fff758fe7e3701150b3723988f56fb01e4146",
        chain_hash: "8306f2f0d67ab90be0a3a45755e1e26eca66dd3233a53da2222f5100575cad86",
    },
    Vector {
        name: "u64_max_minus_1",
        payload: r#"{"v":18446744073709551614}"#,
        canonical: "{\"v\":18446744073709551614}",
        canonical_sha256: "e7d6395fae73d2cf93c5c8607c822ae73b1bdd5c7dca263e7d61cd7117f59758",
        content_hash: "65b3d4e5051c1dd62e6f82f0ef514da03307bbfab32629b894da3cab07a497b7",
        chain_hash: "b3b8651cd4133ae08aca52be39ce41e2e015546bc1f2e79c17dad489ced7b0a9",
    },
    Vector {
        name: "float_1e16",
        payload: r#"{"v":1e16}"#,
        canonical: "{\"v\":10000000000000000}",
        canonical_sha256: "27f0b3ad1886987ede720fd17ddf862acdb4a4b5620723c1e37cb058d6060e96",
        content_hash: "643c76e4f8bbd5bbb49cebc0b925d8e8da0289f140a136c958e642152a42c6c4",
        chain_hash: "ffaaddea7f288fc21bf2028469dcde75443d8b80cdc6f5813485c5d748189af2",
    },
    Vector {
        name: "non_ascii",
        payload: r#"{"note":"整改 ✓ café","｡":1,"😀":2}"#,
        canonical: "{\"note\":\"整改 ✓ café\",\"😀\":2,\"｡\":1}",
        canonical_sha256: "6168b16e304bb88212735dcd971faf6995c8e75a1fc0d299a36fe868ddb2427e",
        content_hash: "1d8336f98bdcbe700ad080a8395a5efa07282c0cd3e9a1fc8f7e07516d64f2a8",
        chain_hash: "508ff9c68d79703c6ce119e5ed9ec81e70511544c3b18329fed113832bdbc72f",
    },
    Vector {
        name: "escapes",
        payload: r#"{"s":"\u0001\b\t\n\u000b\f\r\u001f \"\\/\u007f\u2028\u2029"}"#,
        canonical: "{\"s\":\"\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f \\\"\\\\/\u{7f}\u{2028}\u{2029}\"}",
        canonical_sha256: "4c161ac07fde98e928183a55f53471b9a97b2139039b67bef66e3ea38c33378c",
        content_hash: "53826b318bd69e53ed3a6c0a5541cdbc846de11a0d0de164788b037259ad8849",
        chain_hash: "a27723d439de74240b59d7b8710637f278d4aed025b6cb372d629c35c4292695",
    },
    Vector {
        name: "mixed",
        payload: r#"{"Added":{"by":1,"ratio":0.30000000000000004,"i64_min":-9223372036854775808,"e21":1e21,"e20":1e20,"tiny":5e-324,"max":1.7976931348623157e308,"one":1.0,"neg":-1.5,"list":[null,true,false,[],{}]}}"#,
        canonical: "{\"Added\":{\"by\":1,\"e20\":100000000000000000000,\"e21\":1e+21,\"i64_min\":-9223372036854775808,\"list\":[null,true,false,[],{}],\"max\":1.7976931348623157e+308,\"neg\":-1.5,\"one\":1,\"ratio\":0.30000000000000004,\"tiny\":5e-324}}",
        canonical_sha256: "51555ea6246ad73ddd7b1a95b8baf2d975eafb10be812479d5771cddf9f5c335",
        content_hash: "9a8cfd0ecac18c900845617ab89829f4f8c47e96b1be1e483eb117549a970d42",
        chain_hash: "e09627dffdc18185acdc22211b4b8c7023660875d2ce557a724b1e2384015559",
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
