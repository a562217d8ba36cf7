//! Tamper evidence on both backends: an intact log verifies; an edited, deleted, swapped,
//! inserted or unreadable row is caught at its position; a consistent rewrite of events and
//! chain verifies on its own but not against a digest published before it.

mod support;

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

/// What a test does behind the store's back, as an attacker with database access would.
trait Tamperer: LogAudit {
    async fn sql(&self, statement: &str);
    async fn edit_payload(&self, position: u64, payload: &str);
    async fn delete(&self, position: u64);
    async fn swap(&self, a: u64, b: u64);
    async fn set_hash(&self, position: u64, hash: [u8; 32]);
    /// Inserts an event where the store would not put one.
    async fn insert_stray(&self);
}

impl Tamperer for PgStore {
    async fn sql(&self, statement: &str) {
        sqlx::query(statement)
            .execute(self.pool())
            .await
            .expect(statement);
    }

    async fn edit_payload(&self, position: u64, payload: &str) {
        sqlx::query(
            "UPDATE events SET payload = $1::jsonb \
             WHERE id = (SELECT event_ref FROM log WHERE position = $2)",
        )
        .bind(payload)
        .bind(position as i64)
        .execute(self.pool())
        .await
        .expect("edit payload");
    }

    async fn delete(&self, position: u64) {
        self.sql(&format!("DELETE FROM log WHERE position = {position}"))
            .await;
    }

    async fn swap(&self, a: u64, b: u64) {
        // The event refs are unique: delete both log rows and put them back crossed, each
        // position keeping its hash.
        let mut tx = self.pool().begin().await.expect("begin");
        let rows: Vec<(i64, i64, Vec<u8>)> = sqlx::query_as(
            "DELETE FROM log WHERE position IN ($1, $2) RETURNING position, event_ref, hash",
        )
        .bind(a as i64)
        .bind(b as i64)
        .fetch_all(&mut *tx)
        .await
        .expect("delete pair");
        assert_eq!(rows.len(), 2);
        for (i, (position, _, hash)) in rows.iter().enumerate() {
            sqlx::query("INSERT INTO log (position, event_ref, hash) VALUES ($1, $2, $3)")
                .bind(position)
                .bind(rows[1 - i].1)
                .bind(hash)
                .execute(&mut *tx)
                .await
                .expect("insert crossed");
        }
        tx.commit().await.expect("commit swap");
    }

    async fn set_hash(&self, position: u64, hash: [u8; 32]) {
        sqlx::query("UPDATE log SET hash = $1 WHERE position = $2")
            .bind(hash.to_vec())
            .bind(position as i64)
            .execute(self.pool())
            .await
            .expect("set hash");
    }

    async fn insert_stray(&self) {
        // A transaction id below every real one: behind the sequencer's cursor for good.
        sqlx::query(
            "INSERT INTO events (tx_id, stream_type, stream_id, stream_version, event_id, \
             event_type, schema_version, payload, metadata, recorded_at) \
             VALUES ('3'::xid8, 'counter', 'stray', 1, $1, 'Added', '1.0', \
                     '{\"Added\":{\"by\":1000}}', '{}', now())",
        )
        .bind(Uuid::now_v7())
        .execute(self.pool())
        .await
        .expect("insert stray");
    }
}

impl Tamperer for SqliteStore {
    async fn sql(&self, statement: &str) {
        sqlx::query(statement)
            .execute(self.pool())
            .await
            .expect(statement);
    }

    async fn edit_payload(&self, position: u64, payload: &str) {
        sqlx::query("UPDATE events SET payload = ? WHERE position = ?")
            .bind(payload)
            .bind(position as i64)
            .execute(self.pool())
            .await
            .expect("edit payload");
    }

    async fn delete(&self, position: u64) {
        self.sql(&format!("DELETE FROM events WHERE position = {position}"))
            .await;
    }

    async fn swap(&self, a: u64, b: u64) {
        let mut tx = self.pool().begin().await.expect("begin");
        for (from, to) in [(a, 1_000_000_000), (b, a), (1_000_000_000, b)] {
            sqlx::query("UPDATE events SET position = ? WHERE position = ?")
                .bind(to as i64)
                .bind(from as i64)
                .execute(&mut *tx)
                .await
                .expect("move row");
        }
        tx.commit().await.expect("commit swap");
    }

    async fn set_hash(&self, position: u64, hash: [u8; 32]) {
        sqlx::query("UPDATE events SET hash = ? WHERE position = ?")
            .bind(hash.to_vec())
            .bind(position as i64)
            .execute(self.pool())
            .await
            .expect("set hash");
    }

    async fn insert_stray(&self) {
        sqlx::query(
            "INSERT INTO events (position, stream_type, stream_id, stream_version, event_id, \
             event_type, schema_version, payload, metadata, recorded_at, hash) \
             VALUES ((SELECT max(position) + 1 FROM events), 'counter', 'stray', 1, ?, 'Added', \
                     '1.0', '{\"Added\":{\"by\":1000}}', '{}', 0, zeroblob(32))",
        )
        .bind(Uuid::now_v7().to_string())
        .execute(self.pool())
        .await
        .expect("insert stray");
    }
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

async fn intact_log_verifies<S: Tamperer>(store: S) {
    let empty = verify(&store, &options()).await.expect("empty log");
    assert_eq!(empty.events, 0);
    assert_eq!(empty.head.hash, GENESIS);

    fill(&store, EVENTS, 5).await;
    let summary = verify(&store, &options()).await.expect("intact log");
    assert_eq!(summary.events, EVENTS);
    assert_eq!(summary.head.position, EVENTS);
    let log = store.read_log(EVENTS - 1, 1).await.expect("read head");
    assert_eq!(hex::encode(summary.head.hash), log[0].hash);
    let head = digest_at(&store, None, &Progress::hidden())
        .await
        .expect("digest");
    assert_eq!(head, summary.head);

    let at_40 = digest_at(&store, Some(40), &Progress::hidden())
        .await
        .expect("digest at 40");
    let stored_40 = store.read_log(39, 1).await.expect("read 40");
    assert_eq!(hex::encode(at_40.hash), stored_40[0].hash);
    let checked = verify(&store, &options().expecting(at_40))
        .await
        .expect("digest at 40 matches");
    assert_eq!(checked.checked, Some(at_40));

    match digest_at(&store, Some(EVENTS + 1), &Progress::hidden()).await {
        Err(IntegrityError::BeyondHead { at, head }) => {
            assert_eq!((at, head), (EVENTS + 1, EVENTS))
        }
        other => panic!("expected BeyondHead, got {other:?}"),
    }
}

async fn edited_payload_is_caught<S: Tamperer>(store: S) {
    fill(&store, EVENTS, 5).await;
    store.edit_payload(57, r#"{"Added":{"by":1000000}}"#).await;
    let found = tamper(verify(&store, &options()).await);
    assert!(
        matches!(found, Tamper::HashMismatch { position: 57, .. }),
        "{found:?}"
    );
    assert!(found.to_string().starts_with("position 57:"), "{found}");
    // The digest refuses to seal a tampered history, but positions before it are fine.
    assert!(digest_at(&store, Some(56), &Progress::hidden())
        .await
        .is_ok());
    assert_eq!(
        tamper(digest_at(&store, Some(60), &Progress::hidden()).await).position(),
        57
    );
}

async fn deleted_row_is_caught<S: Tamperer>(store: S) {
    fill(&store, EVENTS, 5).await;
    store.delete(40).await;
    let found = tamper(verify(&store, &options()).await);
    match &found {
        Tamper::Missing { position, detail } => {
            assert_eq!(*position, 40);
            assert!(detail.contains("jumps from 39 to 41"), "{detail}");
        }
        other => panic!("expected a missing position, got {other:?}"),
    }
}

async fn swapped_rows_are_caught<S: Tamperer>(store: S) {
    fill(&store, EVENTS, 5).await;
    store.swap(30, 31).await;
    let found = tamper(verify(&store, &options()).await);
    assert!(
        matches!(found, Tamper::HashMismatch { position: 30, .. }),
        "{found:?}"
    );
}

async fn inserted_row_is_caught<S: Tamperer>(store: S) {
    fill(&store, EVENTS, 5).await;
    store.insert_stray().await;
    let found = tamper(verify(&store, &options()).await);
    // SQLite: the row took the next position with a hash that does not chain. PostgreSQL: it
    // hides behind the sequencer's cursor, before position 1 in commit order.
    match store.backend() {
        "sqlite" => assert!(
            matches!(found, Tamper::HashMismatch { position: 121, .. }),
            "{found:?}"
        ),
        _ => assert!(
            matches!(found, Tamper::Unsequenced { position: 1, ref stream, .. }
                if stream.stream_id == "stray"),
            "{found:?}"
        ),
    }
}

async fn consistent_rewrite_is_caught_by_a_published_digest<S: Tamperer>(store: S) {
    fill(&store, EVENTS, 5).await;
    let published_head = verify(&store, &options()).await.expect("intact").head;
    let published_100 = digest_at(&store, Some(100), &Progress::hidden())
        .await
        .expect("digest at 100");
    let published_50 = digest_at(&store, Some(50), &Progress::hidden())
        .await
        .expect("digest at 50");

    // Edit position 80 and recompute every hash from there on, as a careful forger would.
    store.edit_payload(80, r#"{"Added":{"by":1000000}}"#).await;
    let before = store.read_log(78, 1).await.expect("read 79");
    let mut previous = hex32(&before[0].hash);
    for logged in store.read_log(79, 1_000).await.expect("read rest") {
        let hash = chain_hash(&previous, logged.position, &logged.event);
        store.set_hash(logged.position, hash).await;
        previous = hash;
    }

    let rewritten = verify(&store, &options())
        .await
        .expect("a consistent rewrite verifies on its own");
    assert_ne!(rewritten.head, published_head);
    let found = tamper(verify(&store, &options().expecting(published_head)).await);
    assert!(
        matches!(found, Tamper::DigestMismatch { position: 120, .. }),
        "{found:?}"
    );
    let found = tamper(verify(&store, &options().expecting(published_100)).await);
    assert!(
        matches!(found, Tamper::DigestMismatch { position: 100, .. }),
        "{found:?}"
    );
    assert!(found.to_string().contains("rewritten"), "{found}");
    verify(&store, &options().expecting(published_50))
        .await
        .expect("history before the rewrite still matches its digest");
}

async fn truncation_is_caught_by_a_published_digest<S: Tamperer>(store: S) {
    fill(&store, EVENTS, 5).await;
    let published = verify(&store, &options()).await.expect("intact").head;
    store.delete(EVENTS).await;
    store.delete(EVENTS - 1).await;
    let shorter = verify(&store, &options()).await.expect("a shorter log");
    assert_eq!(shorter.events, EVENTS - 2);
    let found = tamper(verify(&store, &options().expecting(published)).await);
    assert_eq!(
        found,
        Tamper::Truncated {
            position: EVENTS,
            head: EVENTS - 2
        }
    );
    let wrong = ChainDigest {
        position: 10,
        hash: [7; 32],
    };
    assert_eq!(
        tamper(verify(&store, &options().expecting(wrong)).await).position(),
        10
    );
}

/// Floats survive storage, parsing and hashing unchanged (serde_json's exact float parsing):
/// without it 0.1 + 0.2 read back one ulp off and the chain broke at that event.
async fn floats_verify<S: Tamperer>(store: S) {
    let payloads = [0.1 + 0.2, 1e-7, 123_456.789, 2.0 / 3.0, f64::MAX, 5e-324]
        .iter()
        .map(|x| json!({"Measured": {"value": x, "scaled": x * 0.1}}));
    let events = payloads
        .map(|payload| NewEvent {
            event_id: Uuid::now_v7(),
            event_type: "Measured".into(),
            schema_version: "1.0".into(),
            payload,
            metadata: json!({"actor": "filler"}),
            recorded_at: to_micros(Utc::now()),
        })
        .collect::<Vec<_>>();
    let n = events.len() as u64;
    store
        .commit(Commit {
            stream: StreamRef::new("gauge", "g1"),
            expected_version: 0,
            events,
            snapshot: None,
            idempotency: None,
        })
        .await
        .expect("commit");
    support::wait_for_head(&store, n).await;
    let summary = verify(&store, &options()).await.expect("floats verify");
    assert_eq!(summary.events, n);
}

macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(fixture) = crate::support::postgres().await else { return };
                    super::$name(fixture.store.clone()).await;
                }
            )*
        }
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let fixture = crate::support::sqlite().await;
                    super::$name(fixture.store.clone()).await;
                }
            )*
        }
    };
}

both_backends!(
    intact_log_verifies,
    floats_verify,
    edited_payload_is_caught,
    deleted_row_is_caught,
    swapped_rows_are_caught,
    inserted_row_is_caught,
    consistent_rewrite_is_caught_by_a_published_digest,
    truncation_is_caught_by_a_published_digest,
);

/// PostgreSQL: an event row deleted under its log row (foreign keys switched off, as a
/// superuser can) vanishes from the joined read; verify names the position and says why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_deleted_event_row_is_named() {
    let Some(fixture) = support::postgres().await else {
        return;
    };
    let store = fixture.store.clone();
    fill(&store, EVENTS, 5).await;
    let mut tx = store.pool().begin().await.expect("begin");
    sqlx::query("SET LOCAL session_replication_role = replica")
        .execute(&mut *tx)
        .await
        .expect("disable foreign keys");
    sqlx::query("DELETE FROM events WHERE id = (SELECT event_ref FROM log WHERE position = 64)")
        .execute(&mut *tx)
        .await
        .expect("delete event row");
    tx.commit().await.expect("commit");
    match tamper(verify(&store, &options()).await) {
        Tamper::Missing { position, detail } => {
            assert_eq!(position, 64);
            assert!(detail.contains("does not exist"), "{detail}");
        }
        other => panic!("expected a missing position, got {other:?}"),
    }
}

/// PostgreSQL: a log row deleted says so, and a consistent renumbering of the rest is still a
/// broken chain at the first renumbered position.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_deleted_log_row_is_named() {
    let Some(fixture) = support::postgres().await else {
        return;
    };
    let store = fixture.store.clone();
    fill(&store, EVENTS, 5).await;
    store.delete(70).await;
    match tamper(verify(&store, &options()).await) {
        Tamper::Missing { position, detail } => {
            assert_eq!(position, 70);
            assert!(detail.contains("log row was deleted"), "{detail}");
        }
        other => panic!("expected a missing position, got {other:?}"),
    }
    for position in 71..=EVENTS {
        store
            .sql(&format!(
                "UPDATE log SET position = {} WHERE position = {position}",
                position - 1
            ))
            .await;
    }
    assert_eq!(
        tamper(verify(&store, &options()).await).position(),
        70,
        "the renumbered event does not chain at its new position"
    );
}

/// SQLite keeps payloads as text: a row that is not JSON any more is named, not a panic.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_unreadable_row_is_named() {
    let fixture = support::sqlite().await;
    let store = fixture.store.clone();
    fill(&store, EVENTS, 5).await;
    store.edit_payload(33, "{not json").await;
    match tamper(verify(&store, &options()).await) {
        Tamper::Unreadable { position, reason } => {
            assert_eq!(position, 33);
            assert!(reason.contains("not JSON"), "{reason}");
        }
        other => panic!("expected an unreadable position, got {other:?}"),
    }
}
