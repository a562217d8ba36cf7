//! Commands while a PostgreSQL import is open: they wait for it and land on top of what it
//! imported, never between imported versions of a stream.

use std::time::Duration;

use super::*;
use rectiflow_engine::ExecuteError;
use rectiflow_store::transfer::{BatchWritten, ImportSink};

/// How many sessions of the store's database wait for a lock on `events`.
async fn waiting_on_events(store: &PgStore) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM pg_locks \
         WHERE NOT granted AND relation = 'events'::regclass \
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    )
    .fetch_one(store.pool())
    .await
    .expect("read pg_locks")
}

/// The import is driven through its public parts (`begin_import`, the sink's `write` and
/// `finish`) so it can be held open between two batches — the moment a killed import used to
/// leave behind as a committed prefix. Two commands start there, on a stream of the file and
/// on a new one. Whatever the store does with them (make them wait, refuse them, or let them
/// conflict), afterwards every stream's versions are dense, a command applied lands after the
/// imported versions, and the log verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_commands_during_an_import_land_after_it() {
    let Some((target, _db)) = idle_postgres().await else {
        return;
    };
    let source = support::sqlite().await;
    fill(&source.store, 300, 3, 10).await;
    let log = source.store.read_log(0, 1_000).await.expect("read");
    let head = log.len() as u64;
    let s0 = StreamRef::new("counter", "s0");
    let in_file = log.iter().filter(|e| e.event.stream == s0).count() as u64;
    let (before, after) = log.split_at(20);
    assert!(
        before.iter().any(|e| e.event.stream == s0) && after.iter().any(|e| e.event.stream == s0),
        "s0 has versions on both sides of the pause"
    );

    let mut sink = target.begin_import().await.expect("begin the import");
    assert_eq!(
        sink.write(before).await.expect("first batch"),
        BatchWritten::All
    );

    let exec = executor(&target);
    let command = |stream: &'static str| {
        let exec = exec.clone();
        tokio::spawn(async move {
            exec.execute::<Counter, _>(&ctx(), stream, None, CounterCommand::AddMany(3), &())
                .await
        })
    };
    let on_imported = command("s0");
    let on_new = command("fresh");
    // Until both wait for the import's lock (there is no signal for that but pg_locks), or
    // both are done (a store that let them through).
    tokio::time::timeout(Duration::from_secs(60), async {
        while waiting_on_events(&target).await < 2
            && !(on_imported.is_finished() && on_new.is_finished())
        {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("the commands neither waited for the import nor finished");

    let imported = match sink.write(after).await {
        Ok(BatchWritten::All) => sink.finish(head).await,
        Ok(other) => panic!("the file has no repeated ids, yet: {other:?}"),
        Err(error) => {
            let _ = sink.abort().await;
            Err(error)
        }
    };
    let mut applied = 0;
    for (name, task, imported_versions) in [("s0", on_imported, in_file), ("fresh", on_new, 0)] {
        match task.await.expect("the command task") {
            Ok(outcome) => {
                assert_eq!(
                    outcome.version,
                    imported_versions + 3,
                    "the command on {name} lands after the imported versions"
                );
                applied += 3;
            }
            Err(ExecuteError::Conflict { .. }) => {}
            Err(other) => panic!("the command on {name} failed: {other}"),
        }
    }
    let versions: Vec<u64> = target
        .load_events(&s0, 0)
        .await
        .expect("load s0")
        .iter()
        .map(|e| e.stream_version)
        .collect();
    assert_eq!(
        versions,
        (1..=versions.len() as u64).collect::<Vec<_>>(),
        "the versions of s0 are dense"
    );
    imported.expect("the import committed");

    let shutdown = CancellationToken::new();
    let _workers = target.start(shutdown.clone());
    support::wait_for_head(&target, head + applied).await;
    let summary = verify(&target, &VerifyOptions::default())
        .await
        .expect("the log verifies");
    assert_eq!(summary.events, head + applied);
    let imported_part = target.read_log(0, head as u32).await.expect("read");
    assert_eq!(imported_part, log, "the imported positions are the file's");
    shutdown.cancel();
}
