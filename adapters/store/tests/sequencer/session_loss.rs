//! The sequencer losing its database session while writers commit.

use super::*;

/// The sequencer's session is killed mid-stream — while writers are committing and the head is
/// moving — as a server restart or an operator would: it reconnects, takes the lock again and
/// continues the log without a hole. A live reader and the final log hold every committed
/// event exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_sequencer_survives_losing_its_session() {
    const WRITERS: usize = 4;
    support::init_tracing();
    let Some(fixture) = support::postgres().await else {
        return;
    };
    let store = fixture.store.clone();
    let mut reader = follow(&store);
    let stop_writing = CancellationToken::new();
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let store = store.clone();
            let stop = stop_writing.clone();
            tokio::spawn(async move {
                let exec = Executor::new(store, Arc::new(ManualClock::starting_at(Utc::now())));
                let mut written = Vec::new();
                let mut i = 0;
                while !stop.is_cancelled() {
                    let outcome = exec
                        .execute::<Counter, _>(
                            &ctx(),
                            &format!("w{w}-{}", i % 5),
                            None,
                            CounterCommand::AddMany(3),
                            &(),
                        )
                        .await
                        .expect("write");
                    written.extend(outcome.events.iter().map(|e| e.event_id));
                    i += 1;
                }
                written
            })
        })
        .collect();

    // Sequencing is under way when the session is killed ...
    support::wait_for_head(&store, 60).await;
    let db = fixture.db.name().to_owned();
    let sequencer_pids = || {
        sqlx::query_scalar::<_, i32>(
            "SELECT pid FROM pg_stat_activity \
             WHERE application_name = 'rectiflow-sequencer' AND datname = $1",
        )
        .bind(db.clone())
        .fetch_all(store.pool())
    };
    let killed_pid = sequencer_pids().await.expect("the sequencer's session");
    let killed: Vec<bool> =
        sqlx::query_scalar("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid")
            .bind(&killed_pid)
            .fetch_all(store.pool())
            .await
            .expect("terminate");
    let head_at_kill = store.head().await.expect("head");
    assert_eq!(killed, vec![true], "exactly one sequencer session");
    assert!(
        !writers.iter().any(|w| w.is_finished()),
        "the writers were writing when the session was killed"
    );
    // ... and the head moves again afterwards, over events written after the kill.
    support::wait_for_head(&store, head_at_kill + 60).await;
    stop_writing.cancel();
    let mut written = Vec::new();
    for writer in writers {
        written.extend(writer.await.expect("writer"));
    }
    let total = written.len() as u64;
    support::wait_for_head(&store, total).await;
    reader.reached(total).await;
    let seen = reader.stop().await;

    assert_chain(&store, total).await;
    let log = store.read_log(0, u32::MAX).await.expect("log");
    let logged: Vec<Uuid> = log.iter().map(|e| e.event.event_id).collect();
    let unique: HashSet<Uuid> = logged.iter().copied().collect();
    assert_eq!(unique.len(), logged.len(), "nothing sequenced twice");
    assert_eq!(
        unique,
        written.into_iter().collect::<HashSet<_>>(),
        "every committed event sequenced, nothing else"
    );
    assert_eq!(
        seen,
        log.iter()
            .map(|e| (e.position, e.event.event_id))
            .collect::<Vec<_>>(),
        "the live reader saw every position once, in order"
    );
    let now = sequencer_pids().await.expect("sessions");
    assert!(
        now.len() == 1 && now != killed_pid,
        "a new session holds the lock: {now:?} (killed {killed_pid:?})"
    );
}
