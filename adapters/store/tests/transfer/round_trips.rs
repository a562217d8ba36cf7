//! Export and import between every pair of backends reproduce positions, hashes and digest.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_to_postgres() {
    let Some(fixture) = support::postgres().await else {
        return;
    };
    let Some((target, _db)) = idle_postgres().await else {
        return;
    };
    round_trip(&fixture.store, &target, 3_000).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_to_sqlite() {
    let source = support::sqlite().await;
    let target = support::sqlite().await;
    round_trip(&source.store, &target.store, 3_000).await;
}

/// The large case: 50,000 events, crossing many batches in both directions.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_to_postgres() {
    let Some((target, _db)) = idle_postgres().await else {
        return;
    };
    let source = support::sqlite().await;
    round_trip(&source.store, &target, 50_000).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_to_sqlite() {
    let Some(fixture) = support::postgres().await else {
        return;
    };
    let target = support::sqlite().await;
    round_trip(&fixture.store, &target.store, 3_000).await;
}
