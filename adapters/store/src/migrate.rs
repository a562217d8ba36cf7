//! Embedded schema migrations, applied by `rectiflow migrate` and at start-up. Each backend
//! keeps its own SQL and runner in its folder; this is what they share.
//!
//! Our own small runner rather than `sqlx::migrate!`: it needs no compile-time database or
//! macro crate, and it refuses to start on a database whose applied migration differs from the
//! one embedded (a checksum mismatch), so a changed migration is caught before it does harm.

use sha2::{Digest, Sha256};

use rectiflow_engine::StoreError;

pub(crate) struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

pub(crate) fn checksum(sql: &str) -> String {
    hex::encode(Sha256::digest(sql.as_bytes()))
}

pub(crate) const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS rectiflow_migrations (
    version BIGINT PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL)";

pub(crate) fn check_applied(
    migration: &Migration,
    applied: &[(i64, String)],
) -> Result<bool, StoreError> {
    match applied.iter().find(|(v, _)| *v == migration.version) {
        None => Ok(false),
        Some((_, sum)) if *sum == checksum(migration.sql) => Ok(true),
        Some(_) => Err(StoreError::Migration(format!(
            "migration {} ({}) was changed after it was applied to this database",
            migration.version, migration.name
        ))),
    }
}
