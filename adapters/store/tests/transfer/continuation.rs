//! After an import, new commits continue the imported chain.

use super::*;

/// After an import the sequencer, started later, resumes from the last imported row: events
/// committed before and after it starts get the next positions and the chain stays intact.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_sequencer_continues_after_import() {
    let Some(fixture) = support::postgres().await else {
        return;
    };
    let Some((target, _db)) = idle_postgres().await else {
        return;
    };
    const IMPORTED: u64 = 2_500;
    fill(&fixture.store, IMPORTED, 10, 20).await;
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = export_to_file(&fixture.store, dir.path(), None).await;
    import(&target, &path, &Progress::hidden())
        .await
        .expect("import");
    let imported_tx: Vec<String> = sqlx::query_scalar("SELECT DISTINCT tx_id::text FROM events")
        .fetch_all(target.pool())
        .await
        .expect("tx ids");
    assert_eq!(imported_tx, vec![IMPORTED_TX_ID.to_owned()]);
    // Commit order (transaction id, row id) must follow position order, or the sequencer's
    // cursor, recovered from the last position, would not be the last imported row.
    let out_of_order: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM ( \
             SELECT e.id, lag(e.id) OVER (ORDER BY l.position) AS previous \
             FROM log l JOIN events e ON e.id = l.event_ref) x \
         WHERE x.previous >= x.id",
    )
    .fetch_one(target.pool())
    .await
    .expect("row order");
    assert_eq!(out_of_order, 0, "row ids follow positions");

    let exec = executor(&target);
    // Committed before any sequencer runs: waits, and is not lost.
    let early = exec
        .execute::<Counter, _>(&ctx(), "s0", None, CounterCommand::AddMany(3), &())
        .await
        .expect("command on an imported stream");
    let s0_before = fixture
        .store
        .load_events(&StreamRef::new("counter", "s0"), 0)
        .await
        .expect("source s0")
        .len() as u64;
    assert_eq!(early.version, s0_before + 3, "the stream version continues");

    let shutdown = CancellationToken::new();
    let _workers = target.start(shutdown.clone());
    for i in 0..20 {
        exec.execute::<Counter, _>(
            &ctx(),
            &format!("new-{}", i % 4),
            None,
            CounterCommand::AddMany(2),
            &(),
        )
        .await
        .expect("command on a new stream");
    }
    let total = IMPORTED + 3 + 40;
    support::wait_for_head(&target, total).await;
    let summary = verify(&target, &VerifyOptions::default())
        .await
        .expect("the continued chain verifies");
    assert_eq!(summary.events, total);
    let after_import = target.read_log(IMPORTED, 3).await.expect("read");
    assert!(after_import
        .iter()
        .all(|e| e.event.stream.stream_id == "s0"));
    shutdown.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_continues_after_import() {
    let source = support::sqlite().await;
    let target = support::sqlite().await;
    fill(&source.store, 500, 10, 20).await;
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = export_to_file(&source.store, dir.path(), None).await;
    import(&target.store, &path, &Progress::hidden())
        .await
        .expect("import");
    let exec = executor(&target.store);
    exec.execute::<Counter, _>(&ctx(), "s1", None, CounterCommand::AddMany(5), &())
        .await
        .expect("command after import");
    let summary = verify(&target.store, &VerifyOptions::default())
        .await
        .expect("verifies");
    assert_eq!(summary.events, 505);
}
