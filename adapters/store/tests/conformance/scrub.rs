//! Migration 0004 on a store that kept unkeyed fingerprints: they are scrubbed, and a repeat of
//! their keys is refused as a reused key — never carried out a second time.

use rectiflow_store::{FingerprintKey, PgSettings, PgStore, SqliteStore};

use super::*;

/// A keyed command recorded as the store did before 0004: a plain SHA-256, no refusal column,
/// migration 4 not applied.
async fn as_before_0004<S: Harness>(store: &S) {
    executor(store)
        .execute::<Counter, _>(&keyed(), "c", None, CounterCommand::Add(1), &())
        .await
        .expect("keyed command");
    let plain = "9f".repeat(32);
    store
        .tamper(&format!(
            "UPDATE idempotency SET command_hash = '{plain}' WHERE key = 'legacy-1'"
        ))
        .await;
    store
        .tamper("ALTER TABLE idempotency DROP COLUMN refusal_code")
        .await;
    store
        .tamper("DELETE FROM rectiflow_migrations WHERE version = 4")
        .await;
}

fn keyed() -> CommandContext {
    ctx("clerk").with_idempotency_key(IdempotencyKey::parse("legacy-1").expect("key"))
}

async fn assert_scrubbed<S: EventStore>(store: &S) {
    let record = store.find_idempotency("clerk", "legacy-1").await;
    let record = record.expect("find").expect("the record stays");
    assert_eq!(record.command_hash, "scrubbed:unkeyed");
    assert_eq!(record.refusal, None);
    let exec = executor(store);
    let repeat = exec
        .execute::<Counter, _>(&keyed(), "c", None, CounterCommand::Add(1), &())
        .await;
    assert!(
        matches!(repeat, Err(ExecuteError::IdempotencyKeyReused { .. })),
        "{repeat:?}"
    );
    assert_eq!(exec.load::<Counter>("c").await.expect("load").0.value, 1);
}

#[tokio::test]
async fn sqlite_migration_0004_scrubs_unkeyed_fingerprints() {
    let fixture = support::sqlite().await;
    as_before_0004(&fixture.store).await;
    let url = format!(
        "sqlite://{}",
        fixture.dir.path().join("rectiflow.db").display()
    );
    let reopened = SqliteStore::connect(&url).await.expect("reopen, migrating");
    assert_scrubbed(&reopened).await;
}

#[tokio::test]
async fn postgres_migration_0004_scrubs_unkeyed_fingerprints() {
    let Some(fixture) = support::postgres().await else {
        return;
    };
    as_before_0004(&fixture.store).await;
    let settings =
        PgSettings::new(&fixture.db.url).with_fingerprint_key(FingerprintKey::generate());
    let reopened = PgStore::connect(settings)
        .await
        .expect("reconnect, migrating");
    assert_scrubbed(&reopened).await;
}
