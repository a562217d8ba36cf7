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
    let other_stream = exec
        .execute::<Counter, _>(&with_key, "d", None, CounterCommand::AddMany(2), &())
        .await;
    assert!(matches!(
        other_stream,
        Err(ExecuteError::IdempotencyKeyReused { .. })
    ));

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

    // Records older than the retention are purged; younger ones are kept.
    let purged = store
        .purge_idempotency(clock().now_for_tests() - chrono::Duration::hours(24))
        .await
        .expect("purge");
    assert_eq!(purged, 0, "keys are kept at least 24 h");
    let purged = store
        .purge_idempotency(clock().now_for_tests() + chrono::Duration::seconds(1))
        .await
        .expect("purge");
    assert_eq!(purged, 5);
}
