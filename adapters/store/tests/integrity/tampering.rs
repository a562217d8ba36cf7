//! Edits, deletions, swaps and insertions caught at their position; an intact log (with floats) verifies.

use super::*;

pub(crate) async fn intact_log_verifies<S: Tamperer>(store: S) {
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

pub(crate) async fn edited_payload_is_caught<S: Tamperer>(store: S) {
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

pub(crate) async fn deleted_row_is_caught<S: Tamperer>(store: S) {
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

pub(crate) async fn swapped_rows_are_caught<S: Tamperer>(store: S) {
    fill(&store, EVENTS, 5).await;
    store.swap(30, 31).await;
    let found = tamper(verify(&store, &options()).await);
    assert!(
        matches!(found, Tamper::HashMismatch { position: 30, .. }),
        "{found:?}"
    );
}

pub(crate) async fn inserted_row_is_caught<S: Tamperer>(store: S) {
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

pub(crate) async fn floats_verify<S: Tamperer>(store: S) {
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

/// A forger deletes an event, closes the gap in the positions and rewrites every hash after
/// it: the chain verifies on its own, but the stream now lacks a version below one it holds.
pub(crate) async fn excised_and_rechained_event_is_caught_by_its_stream<S: Tamperer>(store: S) {
    fill(&store, EVENTS, 5).await;
    let log = store.read_log(0, 1_000).await.expect("log");
    // An event at position 40 or later whose stream holds a later version.
    let victim = log
        .iter()
        .skip(39)
        .find(|e| {
            log.iter().any(|later| {
                later.event.stream == e.event.stream
                    && later.event.stream_version > e.event.stream_version
            })
        })
        .expect("a mid-stream event");
    let (position, stream, version) = (
        victim.position,
        victim.event.stream.clone(),
        victim.event.stream_version,
    );
    store.excise(position).await;
    let mut previous = hex32(&log[position as usize - 2].hash);
    for logged in store
        .read_log(position - 1, 1_000)
        .await
        .expect("read rest")
    {
        let hash = chain_hash(&previous, logged.position, &logged.event);
        store.set_hash(logged.position, hash).await;
        previous = hash;
    }
    let found = tamper(verify(&store, &options()).await);
    match &found {
        Tamper::VersionHole {
            position: at,
            stream: named,
            missing,
            next,
        } => {
            assert_eq!((named, *missing, *next), (&stream, version, version + 1));
            assert!(*at >= position, "{found}");
        }
        other => panic!("expected a version hole, got {other:?}"),
    }
    assert!(found.to_string().contains("deleted"), "{found}");
}
