//! Faults only one backend can hold, named by position and cause.

use super::*;

/// PostgreSQL: an event row deleted under its log row (foreign keys switched off, as a
/// superuser can) vanishes from the joined read; verify names the position and says why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_deleted_event_row_is_named() {
    let Some(fixture) = support::postgres().await else {
        return;
    };
    let store = fixture.store.clone();
    fill(&store, EVENTS, 5).await;
    let mut tx = store.pool().begin().await.expect("begin");
    sqlx::query("SET LOCAL session_replication_role = replica")
        .execute(&mut *tx)
        .await
        .expect("disable foreign keys");
    sqlx::query("DELETE FROM events WHERE id = (SELECT event_ref FROM log WHERE position = 64)")
        .execute(&mut *tx)
        .await
        .expect("delete event row");
    tx.commit().await.expect("commit");
    match tamper(verify(&store, &options()).await) {
        Tamper::Missing { position, detail } => {
            assert_eq!(position, 64);
            assert!(detail.contains("does not exist"), "{detail}");
        }
        other => panic!("expected a missing position, got {other:?}"),
    }
}

/// PostgreSQL: a log row deleted says so, and a consistent renumbering of the rest is still a
/// broken chain at the first renumbered position.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_deleted_log_row_is_named() {
    let Some(fixture) = support::postgres().await else {
        return;
    };
    let store = fixture.store.clone();
    fill(&store, EVENTS, 5).await;
    store.delete(70).await;
    match tamper(verify(&store, &options()).await) {
        Tamper::Missing { position, detail } => {
            assert_eq!(position, 70);
            assert!(detail.contains("log row was deleted"), "{detail}");
        }
        other => panic!("expected a missing position, got {other:?}"),
    }
    for position in 71..=EVENTS {
        store
            .sql(&format!(
                "UPDATE log SET position = {} WHERE position = {position}",
                position - 1
            ))
            .await;
    }
    assert_eq!(
        tamper(verify(&store, &options()).await).position(),
        70,
        "the renumbered event does not chain at its new position"
    );
}

/// SQLite keeps payloads as text: a row that is not JSON any more is named, not a panic.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_unreadable_row_is_named() {
    let fixture = support::sqlite().await;
    let store = fixture.store.clone();
    fill(&store, EVENTS, 5).await;
    store.edit_payload(33, "{not json").await;
    match tamper(verify(&store, &options()).await) {
        Tamper::Unreadable { position, reason } => {
            assert_eq!(position, 33);
            assert!(reason.contains("not JSON"), "{reason}");
        }
        other => panic!("expected an unreadable position, got {other:?}"),
    }
}
