//! SQLite's migrations and their runner.

use rectiflow_engine::StoreError;
use sqlx::SqlitePool;

use crate::fault::OrStore;
use crate::migrate::{check_applied, check_current, checksum, Migration, APPLIED, CREATE_TABLE};

pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "event_log",
        sql: include_str!("migrations/0001_event_log.sql"),
    },
    Migration {
        version: 2,
        name: "identity_keys",
        sql: include_str!("migrations/0002_identity_keys.sql"),
    },
    Migration {
        version: 3,
        name: "event_id_unique",
        sql: include_str!("migrations/0003_event_id_unique.sql"),
    },
    Migration {
        version: 4,
        name: "keyed_idempotency",
        sql: include_str!("migrations/0004_keyed_idempotency.sql"),
    },
    Migration {
        version: 6,
        name: "snapshot_fold_version",
        sql: include_str!("migrations/0006_snapshot_fold_version.sql"),
    },
    Migration {
        version: 9,
        name: "identity_key_per_subject",
        sql: include_str!("migrations/0009_identity_key_per_subject.sql"),
    },
    Migration {
        version: 10,
        name: "checkpoint_version",
        sql: include_str!("migrations/0010_checkpoint_version.sql"),
    },
    Migration {
        version: 12,
        name: "api_tokens",
        sql: include_str!("migrations/0012_api_tokens.sql"),
    },
    Migration {
        version: 13,
        name: "store_mode",
        sql: include_str!("migrations/0013_store_mode.sql"),
    },
    Migration {
        version: 14,
        name: "token_expiry",
        sql: include_str!("migrations/0014_token_expiry.sql"),
    },
    Migration {
        version: 15,
        name: "webhooks",
        sql: include_str!("migrations/0015_webhooks.sql"),
    },
    Migration {
        version: 16,
        name: "webhook_secret_rotation",
        sql: include_str!("migrations/0016_webhook_secret_rotation.sql"),
    },
];

/// Applies the SQLite migrations not yet applied; returns how many ran.
pub(crate) async fn run(pool: &SqlitePool) -> Result<usize, StoreError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.db()?;
    sqlx::raw_sql(CREATE_TABLE).execute(&mut *tx).await.db()?;
    let applied: Vec<(i64, String)> = sqlx::query_as(APPLIED).fetch_all(&mut *tx).await.db()?;
    let mut ran = 0;
    for migration in MIGRATIONS {
        if check_applied(migration, &applied)? {
            continue;
        }
        sqlx::raw_sql(migration.sql).execute(&mut *tx).await.db()?;
        sqlx::query("INSERT INTO rectiflow_migrations (version, name, checksum) VALUES (?, ?, ?)")
            .bind(migration.version)
            .bind(migration.name)
            .bind(checksum(migration.sql))
            .execute(&mut *tx)
            .await
            .db()?;
        ran += 1;
    }
    tx.commit().await.db()?;
    Ok(ran)
}

/// Refuses a database that is not a rectiflow store at exactly this build's schema, reading
/// only (see [`check_current`]).
pub(crate) async fn check(pool: &SqlitePool) -> Result<(), StoreError> {
    let exists: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master \
                        WHERE type = 'table' AND name = 'rectiflow_migrations')",
    )
    .fetch_one(pool)
    .await
    .db()?;
    let applied: Option<Vec<(i64, String)>> = if exists {
        Some(sqlx::query_as(APPLIED).fetch_all(pool).await.db()?)
    } else {
        None
    };
    check_current(MIGRATIONS, applied.as_deref())
}
