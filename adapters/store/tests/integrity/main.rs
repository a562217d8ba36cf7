//! Tamper evidence on both backends: an intact log verifies; an edited, deleted, swapped,
//! inserted or unreadable row is caught at its position; a consistent rewrite of events and
//! chain verifies on its own but not against a digest published before it.

#[path = "../support/mod.rs"]
mod support;

mod digests;
mod named;
mod tamperer;
mod tampering;

use std::collections::HashMap;

use chrono::Utc;
use rectiflow_engine::model::{to_micros, Commit, NewEvent};
use rectiflow_engine::{EventStore, StreamRef};
use rectiflow_store::chain::{chain_hash, hash_from_bytes, GENESIS};
use rectiflow_store::integrity::{
    digest_at, verify, ChainDigest, IntegrityError, LogAudit, Tamper, VerifyOptions,
};
use rectiflow_store::transfer::Progress;
use rectiflow_store::{PgStore, SqliteStore};
use serde_json::json;
use uuid::Uuid;

const EVENTS: u64 = 120;

/// Commits `events` events over `streams` streams, up to 9 per commit, and waits until they
/// all have positions.
async fn fill<S: EventStore>(store: &S, events: u64, streams: u64) {
    let mut versions: HashMap<u64, u64> = HashMap::new();
    let mut written = 0;
    let mut commit_no = 0u64;
    while written < events {
        let stream_no = commit_no % streams;
        let n = (1 + commit_no % 9).min(events - written);
        let version = versions.entry(stream_no).or_default();
        let batch = (0..n)
            .map(|i| NewEvent {
                event_id: Uuid::now_v7(),
                event_type: "Added".into(),
                schema_version: "1.0".into(),
                payload: json!({"Added": {"by": written + i, "note": "整改 ✓", "ratio": 0.25}}),
                metadata: json!({"actor": "filler", "campaign_id": "c-1"}),
                recorded_at: to_micros(Utc::now()),
            })
            .collect::<Vec<_>>();
        store
            .commit(Commit {
                stream: StreamRef::new("counter", format!("s{stream_no}")),
                expected_version: *version,
                events: batch,
                snapshot: None,
                idempotency: None,
            })
            .await
            .expect("commit");
        *version += n;
        written += n;
        commit_no += 1;
    }
    support::wait_for_head(store, events).await;
}

/// Small batches, so every check crosses batch boundaries.
fn options() -> VerifyOptions {
    VerifyOptions {
        batch: 7,
        ..VerifyOptions::default()
    }
}

fn tamper(result: Result<impl std::fmt::Debug, IntegrityError>) -> Tamper {
    match result {
        Err(IntegrityError::Tampered(tamper)) => tamper,
        other => panic!("expected a tamper, got {other:?}"),
    }
}

fn hex32(hash: &str) -> [u8; 32] {
    hash_from_bytes(&hex::decode(hash).expect("hex")).expect("32 bytes")
}

use digests::{
    consistent_rewrite_is_caught_by_a_published_digest, truncation_is_caught_by_a_published_digest,
};
use tamperer::Tamperer;
use tampering::{
    deleted_row_is_caught, edited_payload_is_caught,
    excised_and_rechained_event_is_caught_by_its_stream, floats_verify, inserted_row_is_caught,
    intact_log_verifies, swapped_rows_are_caught,
};

both_backends!(
    intact_log_verifies,
    floats_verify,
    edited_payload_is_caught,
    deleted_row_is_caught,
    swapped_rows_are_caught,
    inserted_row_is_caught,
    excised_and_rechained_event_is_caught_by_its_stream,
    consistent_rewrite_is_caught_by_a_published_digest,
    truncation_is_caught_by_a_published_digest,
);
