//! Consumers following the log: checkpoints, leases, and delivery under concurrent writers.

use std::collections::HashMap;

use rectiflow_store::PgStore;

use super::*;

/// Follows the log with the seen-handler until `shutdown`, in a task.
fn spawn_consumer<S: Harness>(
    store: &S,
    handler: Seen,
    shutdown: CancellationToken,
) -> tokio::task::JoinHandle<consumer::RunOutcome> {
    let mut options = ConsumerOptions::new("seen");
    options.batch_size = 300;
    tokio::spawn(consumer::run(store.clone(), options, handler, shutdown))
}

pub(crate) async fn consumer_checkpoints<S: Harness>(store: S) {
    let exec = executor(&store);
    for i in 0..40 {
        exec.execute::<Counter, _>(
            &ctx("a"),
            &format!("s{}", i % 7),
            None,
            CounterCommand::Add(1),
            &(),
        )
        .await
        .expect("write");
    }
    support::wait_for_head(&store, 40).await;
    let positions = Arc::new(Mutex::new(Vec::new()));
    let shutdown = CancellationToken::new();
    let handler = Seen(positions.clone());
    let task = spawn_consumer(&store, handler, shutdown.clone());
    wait_for_checkpoint(&store, "seen", 40).await;
    // A second instance under the same name cannot run while the first holds the lease.
    assert!(store
        .try_lease("seen", &mut None)
        .await
        .expect("lease")
        .is_none());
    shutdown.cancel();
    task.await.expect("the consumer ran cleanly");

    for i in 0..25 {
        exec.execute::<Counter, _>(
            &ctx("a"),
            &format!("t{i}"),
            None,
            CounterCommand::AddMany(2),
            &(),
        )
        .await
        .expect("write");
    }
    let shutdown = CancellationToken::new();
    let handler = Seen(positions.clone());
    let task = spawn_consumer(&store, handler, shutdown.clone());
    wait_for_checkpoint(&store, "seen", 90).await;
    shutdown.cancel();
    task.await.expect("the consumer ran cleanly");
    let seen = positions.lock().expect("lock").clone();
    assert_eq!(
        seen,
        (1..=90).collect::<Vec<_>>(),
        "every event once, in order, across a restart"
    );
    assert_eq!(seen_ids(&store).await.len(), 90);
}

pub(crate) async fn wait_for_checkpoint<S: Harness>(store: &S, name: &str, position: u64) {
    let mut head = store.watch_head();
    let reached = tokio::time::timeout(Duration::from_secs(120), async {
        while store.load_checkpoint(name).await.expect("checkpoint") < position {
            let _ = tokio::time::timeout(Duration::from_millis(100), head.changed()).await;
        }
    })
    .await;
    if reached.is_err() {
        panic!(
            "consumer {name} did not reach {position}: checkpoint {}, head {}; {}",
            store.load_checkpoint(name).await.expect("checkpoint"),
            store.head().await.expect("head"),
            store.diagnostics().await
        );
    }
}

/// 8 writers append 20,000 events in commits of 1–50 (some transactions rolled back on purpose)
/// while a live consumer follows; the consumer is stopped mid-way and restarted from its
/// checkpoint. It must receive every committed event exactly once, in position order, none of
/// the rolled-back ones, and the positions must be dense.
///
/// "Mid-way" is made certain rather than hoped for: each writer writes the second half of its
/// events only once the first run has stopped, which it does once its checkpoint passed a
/// quarter of the total; the second run starts once the head is 1,000 past that checkpoint.
/// So the restart begins with a checkpoint strictly between 0 and the head then (and the final
/// head), while the writers are still writing: a second run that started anywhere but at its
/// checkpoint would skip or repeat events.
pub(crate) async fn ordering_stress<S: Harness>(store: S) {
    const WRITERS: u64 = 8;
    const TOTAL: u64 = 20_000;
    let exec = executor(&store).with_snapshot_every(0);
    let positions = Arc::new(Mutex::new(Vec::new()));
    let shutdown = CancellationToken::new();
    let handler = Seen(positions.clone());
    let mut consumer = spawn_consumer(&store, handler, shutdown.clone());
    let (stopped_tx, stopped) = tokio::sync::watch::channel(false);

    let writers = (0..WRITERS).map(|w| {
        let exec = exec.clone();
        let store = store.clone();
        let mut stopped = stopped.clone();
        tokio::spawn(async move {
            let mut written = 0u64;
            let mut rolled_back = Vec::new();
            let mut i = 0u64;
            // A simple deterministic generator of sizes 1..=50 per writer.
            let mut seed = 0x9E37_79B9_7F4A_7C15u64 ^ (w + 1);
            while written < TOTAL / WRITERS {
                if written >= TOTAL / WRITERS / 2 {
                    // The second half waits until the first run has stopped.
                    stopped.wait_for(|s| *s).await.expect("stop signal");
                }
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let size = (1 + seed % 50).min(TOTAL / WRITERS - written) as u32;
                let stream_id = format!("w{w}-{}", i % 40);
                i += 1;
                if i.is_multiple_of(25) {
                    let version = exec.load::<Counter>(&stream_id).await.expect("load").1;
                    rolled_back.extend(
                        store
                            .rolled_back_write(&StreamRef::new("counter", &stream_id), version, 3)
                            .await,
                    );
                }
                exec.execute::<Counter, _>(
                    &ctx("writer"),
                    &stream_id,
                    None,
                    CounterCommand::AddMany(size),
                    &(),
                )
                .await
                .expect("write");
                written += u64::from(size);
            }
            rolled_back
        })
    });
    let writers: Vec<_> = writers.collect();

    // Stop the consumer once it is part-way through: past a quarter, while the writers cannot
    // have written more than about half (they wait for the stop).
    wait_for_checkpoint(&store, "seen", TOTAL / 4).await;
    shutdown.cancel();
    consumer
        .await
        .expect("the first consumer run ended cleanly");
    let stopped_at = store.load_checkpoint("seen").await.expect("checkpoint");
    let first_run = positions.lock().expect("lock").clone();
    assert!(
        (TOTAL / 4..TOTAL / 2 + 400).contains(&stopped_at),
        "stopped part-way: checkpoint {stopped_at} of {TOTAL}"
    );
    assert_eq!(
        first_run,
        (1..=stopped_at).collect::<Vec<_>>(),
        "the first run delivered exactly what its checkpoint says"
    );
    assert!(
        !writers.iter().any(|w| w.is_finished()),
        "the writers were still writing when the consumer stopped"
    );
    stopped_tx.send(true).expect("writers are waiting");
    // Restart with events waiting past the checkpoint, while the writers write the rest.
    support::wait_for_head(&store, stopped_at + 1_000).await;
    let head_at_restart = store.head().await.expect("head");
    let shutdown = CancellationToken::new();
    let handler = Seen(positions.clone());
    consumer = spawn_consumer(&store, handler, shutdown.clone());
    assert!(
        0 < stopped_at && stopped_at < head_at_restart,
        "the restart began mid-way: checkpoint {stopped_at}, head {head_at_restart} of {TOTAL}"
    );

    let mut rolled_back = HashSet::new();
    for writer in writers {
        rolled_back.extend(writer.await.expect("writer"));
    }
    assert!(!rolled_back.is_empty());
    support::wait_for_head_or_explain(&store, TOTAL).await;
    wait_for_checkpoint(&store, "seen", TOTAL).await;
    shutdown.cancel();
    consumer
        .await
        .expect("the second consumer run ended cleanly");

    assert_eq!(
        store.head().await.expect("head"),
        TOTAL,
        "exactly the committed events"
    );
    let seen = positions.lock().expect("lock").clone();
    assert_eq!(
        seen,
        (1..=TOTAL).collect::<Vec<_>>(),
        "each position once, in order"
    );
    assert_eq!(
        seen.get(stopped_at as usize),
        Some(&(stopped_at + 1)),
        "the second run began right after the checkpoint"
    );
    let seen_ids: HashSet<Uuid> = seen_ids(&store).await.into_iter().collect();
    assert_eq!(seen_ids.len() as u64, TOTAL);
    assert!(
        seen_ids.is_disjoint(&rolled_back),
        "no rolled-back event was delivered"
    );
    let log = store.read_log(0, u32::MAX).await.expect("log");
    let logged: HashSet<Uuid> = log.iter().map(|e| e.event.event_id).collect();
    assert_eq!(logged, seen_ids);
    assert_log_sound(&store, TOTAL).await;
    let total: u64 = futures::future::join_all(
        (0..WRITERS)
            .flat_map(|w| (0..40).map(move |s| format!("w{w}-{s}")))
            .map(|id| {
                let exec = exec.clone();
                async move { exec.load::<Counter>(&id).await.expect("load").0.value }
            }),
    )
    .await
    .into_iter()
    .sum();
    assert_eq!(total, TOTAL);
}

/// The sessions named for consumer `name` in the fixture's database: (pid, holds an advisory
/// lock, start of its last query as text).
async fn consumer_sessions(store: &PgStore, name: &str) -> Vec<(i32, bool, Option<String>)> {
    sqlx::query_as(
        "SELECT a.pid, EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid \
                               AND l.locktype = 'advisory' AND l.granted), \
                a.query_start::text \
         FROM pg_stat_activity a \
         WHERE a.datname = current_database() AND a.application_name = $1",
    )
    .bind(format!("rectiflow-consumer:{name}"))
    .fetch_all(store.pool())
    .await
    .expect("read pg_stat_activity")
}

/// A standby instance of a consumer keeps one session while another instance holds the name,
/// and tries the lock on it every time instead of connecting anew each second — and when the
/// holder goes, it takes over on that same session and carries on from the checkpoint.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_standby_consumer_keeps_one_session_and_takes_over() {
    let Some(fixture) = support::postgres().await else {
        return;
    };
    let store = fixture.store.clone();
    let exec = executor(&store);
    for i in 0..5 {
        exec.execute::<Counter, _>(
            &ctx("a"),
            &format!("s{i}"),
            None,
            CounterCommand::Add(1),
            &(),
        )
        .await
        .expect("write");
    }
    let holder_stop = CancellationToken::new();
    let holder = spawn_consumer(&store, Seen(Default::default()), holder_stop.clone());
    wait_for_checkpoint(&store, "seen", 5).await;
    let standby_positions = Arc::new(Mutex::new(Vec::new()));
    let standby_stop = CancellationToken::new();
    let standby = spawn_consumer(
        &store,
        Seen(standby_positions.clone()),
        standby_stop.clone(),
    );

    // Watch the standby's sessions until one of them has tried the lock three times (its
    // last query started at three different instants). Polled: the only witness of a try is
    // the server's view of the session.
    let mut standby_pids = HashSet::new();
    let mut tries_on: HashMap<i32, HashSet<String>> = HashMap::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let standby_pid = loop {
        for (pid, holds_lock, query_start) in consumer_sessions(&store, "seen").await {
            if !holds_lock {
                standby_pids.insert(pid);
                let starts = tries_on.entry(pid).or_default();
                starts.extend(query_start);
            }
        }
        assert!(
            standby_pids.len() <= 1,
            "the standby opened a session per try: {tries_on:?}"
        );
        if let Some((pid, _)) = tries_on.iter().find(|(_, starts)| starts.len() >= 3) {
            break *pid;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no standby session tried the lock three times within 30 s; standby sessions seen: \
             {tries_on:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };

    // The holder goes; the standby takes the lock on its session and consumes what follows.
    holder_stop.cancel();
    holder.await.expect("the holder stopped cleanly");
    for i in 0..5 {
        exec.execute::<Counter, _>(
            &ctx("a"),
            &format!("t{i}"),
            None,
            CounterCommand::Add(1),
            &(),
        )
        .await
        .expect("write");
    }
    wait_for_checkpoint(&store, "seen", 10).await;
    assert_eq!(
        *standby_positions.lock().expect("positions"),
        (6..=10).collect::<Vec<_>>(),
        "the standby carried on from the holder's checkpoint"
    );
    assert_eq!(
        consumer_sessions(&store, "seen")
            .await
            .into_iter()
            .filter(|(_, holds_lock, _)| *holds_lock)
            .map(|(pid, _, _)| pid)
            .collect::<Vec<_>>(),
        vec![standby_pid],
        "the lease is the standby's session"
    );
    standby_stop.cancel();
    standby.await.expect("the standby stopped cleanly");
}

/// Stepping a consumer by hand: `catch_up` applies everything to the head once, returns the
/// checkpoint there without waiting for more, resumes from it the next time, and refuses to
/// step a consumer another instance is running.
pub(crate) async fn a_consumer_is_caught_up_by_hand<S: Harness>(store: S) {
    let exec = executor(&store);
    let write = |n: u32| {
        let exec = exec.clone();
        async move {
            for i in 0..n {
                exec.execute::<Counter, _>(
                    &ctx("a"),
                    &format!("s{}", i % 3),
                    None,
                    CounterCommand::Add(1),
                    &(),
                )
                .await
                .expect("write");
            }
        }
    };
    let mut options = ConsumerOptions::new("seen");
    options.batch_size = 7;
    let positions = Arc::new(Mutex::new(Vec::new()));
    let mut handler = Seen(positions.clone());
    assert_eq!(
        consumer::catch_up(&store, &options, &mut handler)
            .await
            .expect("an empty log"),
        0
    );
    // Started on an empty log, it is on record as started (checkpoint 0, its version): what
    // a fresh service's readiness waits for.
    assert_eq!(
        store.consumer_position("seen").await.expect("its position"),
        Some(rectiflow_engine::consumer::ConsumerPosition {
            checkpoint: 0,
            version: 1,
        })
    );
    write(20).await;
    support::wait_for_head(&store, 20).await;
    assert_eq!(
        consumer::catch_up(&store, &options, &mut handler)
            .await
            .expect("caught up"),
        20,
        "over three batches"
    );
    write(5).await;
    assert_eq!(
        store.committed().await.expect("committed"),
        25,
        "placed or not"
    );
    support::wait_for_head(&store, 25).await;
    assert_eq!(
        consumer::catch_up(&store, &options, &mut handler)
            .await
            .expect("caught up"),
        25
    );
    let seen = positions.lock().expect("positions").clone();
    assert_eq!(
        seen,
        (1..=25).collect::<Vec<u64>>(),
        "each event once, in order"
    );

    let shutdown = CancellationToken::new();
    let task = spawn_consumer(&store, Seen(positions.clone()), shutdown.clone());
    // The checkpoint stands at 25 already: one more event, applied, shows the running
    // consumer has its lease (waiting for 25 raced its start and let the hand win).
    write(1).await;
    wait_for_checkpoint(&store, "seen", 26).await;
    let refused = consumer::catch_up(&store, &options, &mut Seen(positions.clone())).await;
    assert!(matches!(refused, Err(StoreError::Misuse(_))), "{refused:?}");
    shutdown.cancel();
    task.await.expect("the consumer ran cleanly");
}
