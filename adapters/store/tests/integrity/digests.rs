//! A consistent rewrite of events and chain verifies on its own, but not against a digest published before it.

use super::*;

pub(crate) async fn consistent_rewrite_is_caught_by_a_published_digest<S: Tamperer>(store: S) {
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

pub(crate) async fn truncation_is_caught_by_a_published_digest<S: Tamperer>(store: S) {
    fill(&store, EVENTS, 5).await;
    let published = verify(&store, &options()).await.expect("intact").head;
    store.delete(EVENTS).await;
    store.delete(EVENTS - 1).await;
    match verify(&store, &options()).await {
        // SQLite: the event rows are gone; the shorter log verifies on its own.
        Ok(shorter) => assert_eq!(shorter.events, EVENTS - 2),
        // PostgreSQL: the events remain behind the sequencer's recorded cursor without a
        // position — caught even without a digest.
        Err(IntegrityError::Tampered(Tamper::Unsequenced { position, .. })) => {
            assert_eq!(position, EVENTS - 2)
        }
        Err(other) => panic!("a shorter log: {other:?}"),
    }
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
