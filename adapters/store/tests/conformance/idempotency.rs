//! Keyed commands: replayed, refused when reused for another command, purged after retention.

use super::*;

pub(crate) async fn idempotency<S: Harness>(store: S) {
    let exec = executor(&store);
    let key = IdempotencyKey::parse("req-2026-0001").expect("key");
    let with_key = ctx("clerk").with_idempotency_key(key.clone());
    let first = exec
        .execute::<Counter, _>(&with_key, "c", None, CounterCommand::AddMany(2), &())
        .await
        .expect("first");
    let repeat = exec
        .execute::<Counter, _>(&with_key, "c", None, CounterCommand::AddMany(2), &())
        .await
        .expect("repeat");
    assert!(repeat.replayed && !first.replayed);
    assert_eq!(repeat.version, first.version);
    assert_eq!(
        repeat.events, first.events,
        "the repeat returns the first outcome"
    );
    assert_eq!(
        exec.load::<Counter>("c").await.expect("load").1,
        2,
        "nothing written twice"
    );

    let other_command = exec
        .execute::<Counter, _>(&with_key, "c", None, CounterCommand::AddMany(3), &())
        .await;
    assert!(matches!(
        other_command,
        Err(ExecuteError::IdempotencyKeyReused { .. })
    ));
    // The same key and command on another stream is refused, and writes nothing anywhere.
    support::wait_for_head(&store, 2).await;
    let other_stream = exec
        .execute::<Counter, _>(&with_key, "d", None, CounterCommand::AddMany(2), &())
        .await;
    assert!(matches!(
        other_stream,
        Err(ExecuteError::IdempotencyKeyReused { .. })
    ));
    assert_refused_key_wrote_nothing(&store, &exec).await;

    // Keys are scoped per actor.
    let other_actor = ctx("auditor").with_idempotency_key(key);
    let theirs = exec
        .execute::<Counter, _>(&other_actor, "c", None, CounterCommand::AddMany(2), &())
        .await
        .expect("another actor's key");
    assert_eq!((theirs.replayed, theirs.version), (false, 4));

    // Concurrent repeats of one keyed command: written once, every caller gets the outcome.
    let racing_key = ctx("clerk").with_idempotency_key(IdempotencyKey::parse("race").expect("key"));
    let racing =
        futures::future::join_all((0..6).map(|_| {
            exec.execute::<Counter, _>(&racing_key, "e", None, CounterCommand::Add(7), &())
        }))
        .await;
    for result in &racing {
        assert_eq!(
            result.as_ref().map(|o| o.version).ok(),
            Some(1),
            "{result:?}"
        );
    }
    assert_eq!(exec.load::<Counter>("e").await.expect("load").0.value, 7);

    // Concurrent repeats of a keyed command that is not valid twice, with and without an
    // expected version: every caller gets the first outcome, none a refusal or a conflict.
    for (stream, expected) in [("once-a", Some(0)), ("once-b", None)] {
        let key = ctx("clerk").with_idempotency_key(IdempotencyKey::parse(stream).expect("key"));
        let racing = futures::future::join_all((0..6).map(|_| {
            exec.execute::<Counter, _>(&key, stream, expected, CounterCommand::SetOnce(3), &())
        }))
        .await;
        for result in &racing {
            assert_eq!(
                result.as_ref().map(|o| o.version).ok(),
                Some(1),
                "{result:?}"
            );
        }
        assert_eq!(exec.load::<Counter>(stream).await.expect("load").0.value, 3);
    }

    // Records older than the retention are purged; younger ones are kept. A record is
    // stamped on the wall clock, not the executor's (a rehearsal's is simulated): retention
    // is the service's business.
    let purged = store
        .purge_idempotency(chrono::Utc::now() - chrono::Duration::hours(24))
        .await
        .expect("purge");
    assert_eq!(purged, 0, "keys are kept at least 24 h");
    let purged = store
        .purge_idempotency(chrono::Utc::now() + chrono::Duration::seconds(1))
        .await
        .expect("purge");
    assert_eq!(purged, 5);
}

/// After the refused keyed command on stream `d`: stream `c` still holds its 2 events, `d`
/// none, and the log nothing more. A marker written afterwards takes position 3 — had the
/// refused command written anything, it would have been committed (and so sequenced) before
/// the marker and stand at position 3 instead.
async fn assert_refused_key_wrote_nothing<S: Harness>(store: &S, exec: &Executor<S>) {
    let c = store
        .load_events(&StreamRef::new("counter", "c"), 0)
        .await
        .expect("stream c");
    assert_eq!(c.len(), 2, "nothing more on the key's own stream");
    let d = store
        .load_events(&StreamRef::new("counter", "d"), 0)
        .await
        .expect("stream d");
    assert!(d.is_empty(), "nothing on the other stream: {d:?}");
    assert_eq!(
        store.head().await.expect("head"),
        2,
        "the head did not move"
    );
    exec.execute::<Counter, _>(&ctx("clerk"), "marker", None, CounterCommand::Add(1), &())
        .await
        .expect("marker");
    support::wait_for_head(store, 3).await;
    let log = store.read_log(0, 100).await.expect("log");
    assert_eq!(
        log.get(2).map(|e| e.event.stream.stream_id.as_str()),
        Some("marker"),
        "position 3 is the marker: {log:?}"
    );
}
