//! The executor after losing a race: a command without an expected version is retried on the
//! state that won; a command with one is told of the conflict and not retried. The race is
//! made to happen, every time, by [`RacingStore`]: a competitor commits to the stream just
//! before the executor's first commit.

use super::*;
use support::racing::RacingStore;

pub(crate) async fn a_lost_race_is_retried_only_without_an_expected_version<S: Harness>(store: S) {
    let racing = RacingStore::new(store.clone());
    let exec = Executor::new(racing.clone(), Arc::new(clock()));
    let first = exec
        .execute::<Counter, _>(&ctx("a"), "r", None, CounterCommand::Add(1), &())
        .await
        .expect("first");
    assert_eq!((first.version, racing.commits()), (1, 1));

    // Without an expected version: the first attempt (on version 1) loses to the competitor's
    // version 2; the second attempt runs on version 2 and commits version 3.
    racing.arm(100);
    let retried = exec
        .execute::<Counter, _>(&ctx("a"), "r", None, CounterCommand::Add(1), &())
        .await
        .expect("retried after losing the race");
    assert_eq!(
        racing.commits(),
        3,
        "two attempts: the lost one and the retry"
    );
    assert_eq!(
        retried.version, 3,
        "committed after the competitor's version 2"
    );
    assert_eq!(
        retried.events.iter().map(|e| e.version).collect::<Vec<_>>(),
        vec![3]
    );
    let (counter, version) = exec.load::<Counter>("r").await.expect("load");
    assert_eq!(
        (counter.value, counter.events, version),
        (102, 3, 3),
        "the retry applied to the state that won: 1 + 100 + 1, each event once"
    );

    // With an expected version: the conflict is the caller's to resolve, at once.
    racing.arm(1000);
    match exec
        .execute::<Counter, _>(&ctx("a"), "r", Some(3), CounterCommand::Add(1), &())
        .await
    {
        Err(ExecuteError::Conflict {
            expected, actual, ..
        }) => assert_eq!((expected, actual), (3, 4)),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(racing.commits(), 4, "one attempt only: no retry");
    let (counter, version) = exec.load::<Counter>("r").await.expect("load");
    assert_eq!(
        (counter.value, version),
        (1102, 4),
        "only the competitor's event was written"
    );
    support::wait_for_head(&store, 4).await;
    assert_log_sound(&store, 4).await;
}
