//! Running a policy as a consumer until it has acted on given events, and reading what it
//! wrote — by stream, not by log position, so a write it should not have made is seen even
//! before the PostgreSQL sequencer has placed it in the log.

use std::time::Duration;

use rectiflow_engine::consumer::{self, ConsumerOptions, Handler};
use rectiflow_engine::{CancellationToken, RecordedEvent, StreamRef};
use rectiflow_tests::Store;

/// The log position of `stream`'s event at `version`, once the log holds it (on PostgreSQL
/// positions are assigned after the commit).
pub async fn position_of<S: Store>(store: &S, stream: &StreamRef, version: u64) -> u64 {
    let mut head = store.watch_head();
    for _ in 0..300 {
        let mut after = 0;
        loop {
            let batch = store.read_log(after, 1_000).await.expect("read the log");
            let Some(last) = batch.last().map(|e| e.position) else {
                break;
            };
            if let Some(found) = batch
                .iter()
                .find(|e| e.event.stream == *stream && e.event.stream_version == version)
            {
                return found.position;
            }
            after = last;
        }
        let _ = tokio::time::timeout(Duration::from_millis(100), head.changed()).await;
    }
    panic!("{stream} version {version} never reached the log");
}

/// The position of the latest event of each of `streams`, the highest: a policy run until it
/// has applied it has seen every cause in them.
pub async fn latest_position<S: Store>(store: &S, streams: &[StreamRef]) -> u64 {
    let mut highest = 0;
    for stream in streams {
        let version = version_of(store, stream).await;
        highest = highest.max(position_of(store, stream, version).await);
    }
    highest
}

/// The events of `stream`, in order.
pub async fn events_of<S: Store>(store: &S, stream: &StreamRef) -> Vec<RecordedEvent> {
    store.load_events(stream, 0).await.expect("load the stream")
}

/// The version of `stream` (0: no such stream).
pub async fn version_of<S: Store>(store: &S, stream: &StreamRef) -> u64 {
    events_of(store, stream)
        .await
        .last()
        .map_or(0, |e| e.stream_version)
}

/// The events of `stream`, decoded as `E` (its aggregate's event type).
pub async fn decoded<S: Store, E: serde::de::DeserializeOwned>(
    store: &S,
    stream: &StreamRef,
) -> Vec<E> {
    events_of(store, stream)
        .await
        .into_iter()
        .map(|e| serde_json::from_value(e.payload).expect("an event of the stream's type"))
        .collect()
}

/// The actor that recorded each of `stream`'s events.
pub async fn actors_of<S: Store>(store: &S, stream: &StreamRef) -> Vec<String> {
    events_of(store, stream)
        .await
        .into_iter()
        .map(|e| e.metadata["actor"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Runs each `(consumer name, handler)` at once on `store` until every name's checkpoint has
/// reached `until`, then stops them. Instances sharing a name share a checkpoint and a lease;
/// instances under other names start from their own checkpoint (0 for a new name), as a
/// policy whose checkpoint was reset would.
pub async fn run_until<S: Store, H: Handler + 'static>(
    store: &S,
    instances: Vec<(String, H)>,
    until: u64,
) {
    let shutdown = CancellationToken::new();
    let mut names: Vec<String> = instances.iter().map(|(name, _)| name.clone()).collect();
    names.dedup();
    let runners: Vec<_> = instances
        .into_iter()
        .map(|(name, handler)| {
            let mut options = ConsumerOptions::new(name);
            options.poll = Duration::from_millis(50);
            tokio::spawn(consumer::run(
                store.clone(),
                options,
                handler,
                shutdown.clone(),
            ))
        })
        .collect();
    let in_time = checkpoints_reach(store, &names, until).await;
    shutdown.cancel();
    for runner in runners {
        runner.await.expect("the policy's task");
    }
    assert!(
        in_time,
        "{names:?} did not reach position {until} within a minute"
    );
}

/// Whether every consumer of `names` has its checkpoint at `until` or past it within a minute
/// (their progress is in other tasks, with no signal of it: polled).
pub async fn checkpoints_reach<S: Store, N: AsRef<str>>(
    store: &S,
    names: &[N],
    until: u64,
) -> bool {
    let reached = async {
        for name in names {
            loop {
                let at = store
                    .consumer_position(name.as_ref())
                    .await
                    .expect("the consumer's checkpoint");
                if at.is_some_and(|at| at.checkpoint >= until) {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(60), reached)
        .await
        .is_ok()
}

/// How many events of `event_type` the global log holds for `stream`, once the log holds the
/// stream's every event (on PostgreSQL the sequencer places them after their commit).
pub async fn count_in_log<S: Store>(store: &S, stream: &StreamRef, event_type: &str) -> usize {
    let version = version_of(store, stream).await;
    if version > 0 {
        position_of(store, stream, version).await;
    }
    let mut after = 0;
    let mut count = 0;
    loop {
        let batch = store.read_log(after, 1_000).await.expect("read the log");
        let Some(last) = batch.last().map(|e| e.position) else {
            return count;
        };
        count += batch
            .iter()
            .filter(|e| e.event.stream == *stream && e.event.event_type == event_type)
            .count();
        after = last;
    }
}

/// The greatest item code of each task force's prefix and the greatest case id: a policy that
/// wrote to a stream its cause does not name (a code of its own, a case of its own) moves one.
pub async fn last_ids<S: Store>(store: &S) -> Vec<Option<String>> {
    let mut ids = Vec::new();
    for (stream_type, prefix) in [
        ("item", "YB-2026-"),
        ("item", "XYC-2026-"),
        ("item", "YL-2026-"),
        ("case", "case-"),
    ] {
        let last = store
            .last_stream_id(stream_type, prefix)
            .await
            .expect("the last stream id");
        ids.push(last);
    }
    ids
}
