//! Embedded schema migrations, applied by `rectiflow migrate` and at start-up.
//!
//! Our own small runner rather than `sqlx::migrate!`: it needs no compile-time database or
//! macro crate, and it refuses to start on a database whose applied migration differs from the
//! one embedded (a checksum mismatch), so a changed migration is caught before it does harm.

use sha2::{Digest, Sha256};
use sqlx::{PgPool, SqlitePool};

use crate::error::StoreError;

pub(crate) struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

pub(crate) const POSTGRES: &[Migration] = &[
    Migration {
        version: 1,
        name: "event_log",
        sql: include_str!("../migrations/postgres/0001_event_log.sql"),
    },
    Migration {
        version: 2,
        name: "identity_keys",
        sql: include_str!("../migrations/postgres/0002_identity_keys.sql"),
    },
];

pub(crate) const SQLITE: &[Migration] = &[
    Migration {
        version: 1,
        name: "event_log",
        sql: include_str!("../migrations/sqlite/0001_event_log.sql"),
    },
    Migration {
        version: 2,
        name: "identity_keys",
        sql: include_str!("../migrations/sqlite/0002_identity_keys.sql"),
    },
];

fn checksum(sql: &str) -> String {
    hex::encode(Sha256::digest(sql.as_bytes()))
}

const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS rectiflow_migrations (
    version BIGINT PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL)";

/// Applies the PostgreSQL migrations not yet applied; returns how many ran. Concurrent
/// migrators (several processes starting at once) queue on an advisory lock.
pub(crate) async fn postgres(pool: &PgPool) -> Result<usize, StoreError> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock(7248016001)")
        .execute(&mut *tx)
        .await?;
    sqlx::raw_sql(CREATE_TABLE).execute(&mut *tx).await?;
    let applied: Vec<(i64, String)> =
        sqlx::query_as("SELECT version, checksum FROM rectiflow_migrations ORDER BY version")
            .fetch_all(&mut *tx)
            .await?;
    let mut ran = 0;
    for migration in POSTGRES {
        if check_applied(migration, &applied)? {
            continue;
        }
        sqlx::raw_sql(migration.sql).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO rectiflow_migrations (version, name, checksum) VALUES ($1, $2, $3)",
        )
        .bind(migration.version)
        .bind(migration.name)
        .bind(checksum(migration.sql))
        .execute(&mut *tx)
        .await?;
        ran += 1;
    }
    tx.commit().await?;
    Ok(ran)
}

/// Applies the SQLite migrations not yet applied; returns how many ran.
pub(crate) async fn sqlite(pool: &SqlitePool) -> Result<usize, StoreError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    sqlx::raw_sql(CREATE_TABLE).execute(&mut *tx).await?;
    let applied: Vec<(i64, String)> =
        sqlx::query_as("SELECT version, checksum FROM rectiflow_migrations ORDER BY version")
            .fetch_all(&mut *tx)
            .await?;
    let mut ran = 0;
    for migration in SQLITE {
        if check_applied(migration, &applied)? {
            continue;
        }
        sqlx::raw_sql(migration.sql).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO rectiflow_migrations (version, name, checksum) VALUES (?, ?, ?)")
            .bind(migration.version)
            .bind(migration.name)
            .bind(checksum(migration.sql))
            .execute(&mut *tx)
            .await?;
        ran += 1;
    }
    tx.commit().await?;
    Ok(ran)
}

fn check_applied(migration: &Migration, applied: &[(i64, String)]) -> Result<bool, StoreError> {
    match applied.iter().find(|(v, _)| *v == migration.version) {
        None => Ok(false),
        Some((_, sum)) if *sum == checksum(migration.sql) => Ok(true),
        Some(_) => Err(StoreError::Migration(format!(
            "migration {} ({}) was changed after it was applied to this database",
            migration.version, migration.name
        ))),
    }
}
