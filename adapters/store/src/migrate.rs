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

/// The migrations a database has applied, with their checksums, in order.
pub(crate) const APPLIED: &str =
    "SELECT version, checksum FROM rectiflow_migrations ORDER BY version";

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

/// Whether a store opened for inspection (`verify`, `digest`, `export`: read-only, never
/// migrated, so an auditor's SELECT-only role can run them and a mistyped URL creates nothing)
/// is exactly at this build's schema. `applied` is `None` when the database has no migrations
/// table at all.
pub(crate) fn check_current(
    migrations: &[Migration],
    applied: Option<&[(i64, String)]>,
) -> Result<(), StoreError> {
    let Some(applied) = applied else {
        return Err(StoreError::NotInspectable(
            "this database holds no rectiflow store (no migrations were ever applied): check \
             the database URL, or create the store with `rectiflow migrate`"
                .into(),
        ));
    };
    for migration in migrations {
        if !check_applied(migration, applied)? {
            return Err(StoreError::NotInspectable(format!(
                "the store lacks migration {} ({}) of this build: run `rectiflow migrate` with \
                 a role allowed to change the schema, then inspect again",
                migration.version, migration.name
            )));
        }
    }
    if let Some((version, _)) = applied
        .iter()
        .find(|(v, _)| migrations.iter().all(|m| m.version != *v))
    {
        return Err(StoreError::NotInspectable(format!(
            "the store has migration {version}, which this build does not know: inspect it \
             with the build that wrote it, or a newer one"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIGRATIONS: &[Migration] = &[
        Migration {
            version: 1,
            name: "one",
            sql: "CREATE TABLE one (x INTEGER)",
        },
        Migration {
            version: 2,
            name: "two",
            sql: "CREATE TABLE two (x INTEGER)",
        },
    ];

    fn applied(versions: &[i64]) -> Vec<(i64, String)> {
        versions
            .iter()
            .map(|v| (*v, checksum(MIGRATIONS[(*v - 1) as usize].sql)))
            .collect()
    }

    fn refusal(result: Result<(), StoreError>) -> String {
        match result {
            Err(StoreError::NotInspectable(reason)) => reason,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn only_a_store_at_exactly_this_schema_is_inspected() {
        assert!(check_current(MIGRATIONS, Some(&applied(&[1, 2]))).is_ok());
        assert!(refusal(check_current(MIGRATIONS, None)).contains("no rectiflow store"));
        assert!(
            refusal(check_current(MIGRATIONS, Some(&applied(&[1])))).contains("lacks migration 2")
        );
        let mut newer = applied(&[1, 2]);
        newer.push((3, "later".into()));
        assert!(refusal(check_current(MIGRATIONS, Some(&newer))).contains("does not know"));
        let mut changed = applied(&[1, 2]);
        changed[1].1 = "edited".into();
        assert!(matches!(
            check_current(MIGRATIONS, Some(&changed)),
            Err(StoreError::Migration(_))
        ));
    }
}
