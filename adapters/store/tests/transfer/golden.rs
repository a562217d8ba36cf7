//! The golden log of `docs/CHAIN.md` on both backends: each stores the chain hashes the spec
//! gives — PostgreSQL recomputing them from what JSONB hands back (`1e16` as an integer, `-0.0`
//! as `0`, `9.223372036854776e18` as `9223372036854776000`), SQLite from the text it keeps —
//! and the log still verifies after a move to the other backend.

use super::*;
use support::golden::{self, VECTORS};

/// Commits the golden log in one commit and waits until it has its positions.
async fn commit_golden<S: EventStore>(store: &S) {
    let events = (1..=VECTORS.len() as u64).map(golden::new_event).collect();
    store
        .commit(Commit {
            stream: golden::stream(),
            expected_version: 0,
            events,
            snapshot: None,
            idempotency: None,
        })
        .await
        .expect("commit the golden log");
    support::wait_for_head(store, VECTORS.len() as u64).await;
}

async fn stored_hashes<S: EventStore>(store: &S) -> Vec<String> {
    let log = store.read_log(0, 1_000).await.expect("read log");
    log.into_iter().map(|logged| logged.hash).collect()
}

async fn import_and_verify<S: LogAudit, T: ImportTarget + LogAudit>(source: &S, target: &T) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = export_to_file(source, dir.path(), None).await;
    let imported = import(target, &path, &Progress::hidden())
        .await
        .expect("the golden log imports");
    let options = VerifyOptions::default();
    let source_summary = verify(source, &options).await.expect("source verifies");
    let target_summary = verify(target, &options).await.expect("target verifies");
    assert_eq!(target_summary, source_summary);
    assert_eq!(imported.head, source_summary.head);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn golden_log_hashes_alike_on_postgres_and_sqlite_and_moves_between_them() {
    let Some(postgres) = support::postgres().await else {
        return;
    };
    let Some((postgres_target, _db)) = idle_postgres().await else {
        return;
    };
    let sqlite = support::sqlite().await;
    let sqlite_target = support::sqlite().await;
    commit_golden(&postgres.store).await;
    commit_golden(&sqlite.store).await;

    let on_postgres = stored_hashes(&postgres.store).await;
    let on_sqlite = stored_hashes(&sqlite.store).await;
    assert_eq!(
        on_postgres, on_sqlite,
        "both backends chain the same log alike"
    );
    let golden: Vec<&str> = VECTORS.iter().map(|v| v.chain_hash).collect();
    assert_eq!(on_sqlite, golden, "the stored hashes are the spec's");

    import_and_verify(&sqlite.store, &postgres_target).await;
    import_and_verify(&postgres.store, &sqlite_target.store).await;
}
