//! Test support shared by every crate's tests (feature `testing`): a fresh PostgreSQL database
//! per test, dropped when the test ends.
//!
//! Outside CI, a missing PostgreSQL server skips the PostgreSQL half with a loud message so a
//! new contributor can run the SQLite half anywhere; with `CI` set, a missing server fails the
//! test — the PostgreSQL event store must never go untested in CI.

use sqlx::{Connection, PgConnection};
use uuid::Uuid;

/// The server tests create their databases on: `RECTIFLOW_TEST_DATABASE_URL`, or the local
/// default `postgres://postgres@127.0.0.1:5432/postgres`.
pub fn admin_url() -> String {
    std::env::var("RECTIFLOW_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// Whether the tests run in CI (`CI` set to anything but empty, `0` or `false`).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// A database created for one test and dropped when the value is dropped.
pub struct FreshDb {
    pub url: String,
    name: String,
}

impl FreshDb {
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for FreshDb {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Drop cannot await; a short-lived thread with its own runtime does the cleanup.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                if let Ok(mut conn) = PgConnection::connect(&admin_url()).await {
                    let _ =
                        sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                            .execute(&mut conn)
                            .await;
                }
            });
        })
        .join();
    }
}

/// A fresh, empty PostgreSQL database; `None` when no server answers outside CI.
///
/// # Panics
/// In CI when PostgreSQL is unreachable, and when the database cannot be created: this is test
/// support, and a test that cannot get its database must fail loudly.
pub async fn fresh_postgres_db() -> Option<FreshDb> {
    let admin = admin_url();
    let mut conn = match PgConnection::connect(&admin).await {
        Ok(conn) => conn,
        Err(error) if !in_ci() => {
            eprintln!(
                "SKIPPED: no PostgreSQL at {admin} ({error}); set RECTIFLOW_TEST_DATABASE_URL"
            );
            return None;
        }
        Err(error) => panic!("CI: PostgreSQL at {admin} is required: {error}"),
    };
    let name = format!("rf_test_{}", Uuid::now_v7().simple());
    if let Err(error) = sqlx::query(&format!("CREATE DATABASE \"{name}\""))
        .execute(&mut conn)
        .await
    {
        panic!("cannot create test database {name}: {error}");
    }
    let base = admin
        .rsplit_once('/')
        .map_or(admin.as_str(), |(base, _)| base);
    Some(FreshDb {
        url: format!("{base}/{name}"),
        name,
    })
}
