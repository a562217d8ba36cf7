//! PostgreSQL's migrations and their runner.

use rectiflow_engine::StoreError;
use sqlx::PgPool;

use crate::fault::OrStore;
use crate::migrate::{check_applied, check_current, checksum, Migration, APPLIED, CREATE_TABLE};

/// The advisory lock concurrent migrators queue on.
const MIGRATION_LOCK: i64 = 7_248_016_001;

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
        version: 5,
        name: "log_event_ref_unique",
        sql: include_str!("migrations/0005_log_event_ref_unique.sql"),
    },
    Migration {
        version: 6,
        name: "snapshot_fold_version",
        sql: include_str!("migrations/0006_snapshot_fold_version.sql"),
    },
    Migration {
        version: 7,
        name: "sequencer_state",
        sql: include_str!("migrations/0007_sequencer_state.sql"),
    },
    Migration {
        version: 8,
        name: "event_content_hash",
        sql: include_str!("migrations/0008_event_content_hash.sql"),
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
        version: 11,
        name: "stream_ids",
        sql: include_str!("migrations/0011_stream_ids.sql"),
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

/// Applies the PostgreSQL migrations not yet applied; returns how many ran. Concurrent
/// migrators (several processes starting at once) queue on an advisory lock.
pub(crate) async fn run(pool: &PgPool) -> Result<usize, StoreError> {
    let mut tx = pool.begin().await.db()?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(MIGRATION_LOCK)
        .execute(&mut *tx)
        .await
        .db()?;
    sqlx::raw_sql(CREATE_TABLE).execute(&mut *tx).await.db()?;
    let applied: Vec<(i64, String)> = sqlx::query_as(APPLIED).fetch_all(&mut *tx).await.db()?;
    let mut ran = 0;
    for migration in MIGRATIONS {
        if check_applied(migration, &applied)? {
            continue;
        }
        sqlx::raw_sql(migration.sql).execute(&mut *tx).await.db()?;
        sqlx::query(
            "INSERT INTO rectiflow_migrations (version, name, checksum) VALUES ($1, $2, $3)",
        )
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
pub(crate) async fn check(pool: &PgPool) -> Result<(), StoreError> {
    let exists: bool = sqlx::query_scalar("SELECT to_regclass('rectiflow_migrations') IS NOT NULL")
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
