//! Keyed refusals are remembered (the key's first outcome stays its only one); port failures
//! and conflicts are not (a retry must be able to succeed).

use super::*;

fn keyed(actor: &str, key: &str) -> CommandContext {
    ctx(actor).with_idempotency_key(IdempotencyKey::parse(key).expect("key"))
}

async fn value<S: EventStore>(exec: &Executor<S>, stream: &str) -> u64 {
    exec.load::<Counter>(stream).await.expect("load").0.value
}

pub(crate) async fn refusals_are_remembered_failures_are_not<S: Harness>(store: S) {
    let exec = executor(&store);
    let key = keyed("clerk", "refused-1");

    // Refused now (the counter is below 2), carried out once it is not.
    let refused = exec
        .execute::<Counter, _>(&key, "r", None, CounterCommand::AtLeast(2), &())
        .await
        .expect_err("refused");
    assert!(matches!(refused, ExecuteError::Refused(Refused::AsAsked)));
    assert_eq!(refused.refusal_code(), Some("counter.refused"));
    let record = store
        .find_idempotency("clerk", "refused-1")
        .await
        .expect("find")
        .expect("the refusal is remembered");
    assert_eq!(record.refusal.as_deref(), Some("counter.refused"));
    assert_eq!((record.from_version, record.to_version), (0, 0));

    exec.execute::<Counter, _>(&ctx("clerk"), "r", None, CounterCommand::Add(2), &())
        .await
        .expect("unkeyed add");

    // The repeat gets the same refusal, as the same kind of error, and runs nothing.
    let repeat = exec
        .execute::<Counter, _>(&key, "r", None, CounterCommand::AtLeast(2), &())
        .await
        .expect_err("the first outcome was a refusal");
    assert!(
        matches!(&repeat, ExecuteError::RefusalReplayed { code } if code == "counter.refused"),
        "{repeat:?}"
    );
    assert_eq!(repeat.refusal_code(), Some("counter.refused"));
    assert!(repeat.is_sender_fault());
    assert_eq!(value(&exec, "r").await, 2, "the repeat was not executed");

    // The key cannot be taken by another command.
    let other = exec
        .execute::<Counter, _>(&key, "r", None, CounterCommand::Add(1), &())
        .await;
    assert!(
        matches!(other, Err(ExecuteError::IdempotencyKeyReused { .. })),
        "{other:?}"
    );
    assert_eq!(value(&exec, "r").await, 2);

    // With an expected version too.
    let versioned = keyed("clerk", "refused-2");
    let first = exec
        .execute::<Counter, _>(&versioned, "r", Some(1), CounterCommand::SetOnce(5), &())
        .await;
    assert!(matches!(first, Err(ExecuteError::Refused(_))), "{first:?}");
    let again = exec
        .execute::<Counter, _>(&versioned, "r", Some(1), CounterCommand::SetOnce(5), &())
        .await;
    assert!(
        matches!(again, Err(ExecuteError::RefusalReplayed { .. })),
        "{again:?}"
    );

    // Concurrent repeats of a refused keyed command: one refusal, remembered once; every other
    // caller gets it replayed.
    let racing = keyed("clerk", "refused-race");
    let results = futures::future::join_all(
        (0..6).map(|_| exec.execute::<Counter, _>(&racing, "s", None, CounterCommand::Refuse, &())),
    )
    .await;
    let mut first_refusals = 0;
    for result in &results {
        match result {
            Err(ExecuteError::Refused(Refused::AsAsked)) => first_refusals += 1,
            Err(ExecuteError::RefusalReplayed { code }) if code == "counter.refused" => {}
            other => panic!("expected the refusal, got {other:?}"),
        }
    }
    assert_eq!(first_refusals, 1, "{results:?}");

    // Only the rules' refusals are outcomes. A port that did not answer leaves no record, so the
    // retry — or another command — may succeed.
    let key = keyed("clerk", "port-1");
    let failed = exec
        .execute::<Counter, _>(&key, "p", None, CounterCommand::NeedsPort, &())
        .await;
    assert!(
        matches!(failed, Err(ExecuteError::Unavailable(_))),
        "{failed:?}"
    );
    assert_eq!(
        store
            .find_idempotency("clerk", "port-1")
            .await
            .expect("find"),
        None
    );
    let retried = exec
        .execute::<Counter, _>(&key, "p", None, CounterCommand::Add(1), &())
        .await
        .expect("the key is still free");
    assert!(!retried.replayed);

    // A stale expected version is not an outcome either: the sender re-reads and retries.
    let key = keyed("clerk", "stale-1");
    let stale = exec
        .execute::<Counter, _>(&key, "p", Some(7), CounterCommand::Add(1), &())
        .await;
    assert!(
        matches!(stale, Err(ExecuteError::Conflict { .. })),
        "{stale:?}"
    );
    assert_eq!(
        store
            .find_idempotency("clerk", "stale-1")
            .await
            .expect("find"),
        None
    );
    let current = exec
        .execute::<Counter, _>(&key, "p", Some(1), CounterCommand::Add(1), &())
        .await
        .expect("with the current version");
    assert_eq!(current.version, 2);
}
