//! Test support shared by every crate's tests (feature `testing`): a fresh PostgreSQL database
//! per test, dropped when the test ends.
//!
//! Without a PostgreSQL server a PostgreSQL test fails, saying how to start one — a suite that
//! passes without testing the PostgreSQL event store would be worse than one that fails.
//! Outside CI, a contributor without a server may set `RECTIFLOW_SKIP_POSTGRES=1` to run the
//! rest: each PostgreSQL test then skips, and says so on the terminal (written past the test
//! harness's capture of output, which would otherwise hide it behind an "ok"). In CI (`CI`
//! set) a missing server always fails, whatever the variable says.

use std::io::Write;

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

/// The variable that lets the PostgreSQL tests skip, outside CI, when no server answers.
pub const SKIP_POSTGRES_VAR: &str = "RECTIFLOW_SKIP_POSTGRES";

/// Whether `RECTIFLOW_SKIP_POSTGRES` asks to skip (`1` or `true`).
pub fn skip_postgres_allowed() -> bool {
    std::env::var(SKIP_POSTGRES_VAR).is_ok_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
}

/// What a PostgreSQL test does when no server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WithoutServer {
    /// Fail: the PostgreSQL event store must not go untested unnoticed.
    Fail,
    /// Skip, saying so on the terminal.
    Skip,
}

/// In CI a missing server fails; elsewhere it fails too unless skipping was asked for.
pub fn without_server(in_ci: bool, skip_allowed: bool) -> WithoutServer {
    if skip_allowed && !in_ci {
        WithoutServer::Skip
    } else {
        WithoutServer::Fail
    }
}

/// A fresh, empty PostgreSQL database; `None` only when no server answers, outside CI, with
/// `RECTIFLOW_SKIP_POSTGRES=1` (the test then returns early, and this prints a line naming it
/// on the terminal).
///
/// # Panics
/// When PostgreSQL is unreachable (unless skipping, as above), and when the database cannot be
/// created: this is test support, and a test that cannot get its database must fail loudly.
pub async fn fresh_postgres_db() -> Option<FreshDb> {
    let admin = admin_url();
    let mut conn = match PgConnection::connect(&admin).await {
        Ok(conn) => conn,
        Err(error) => match without_server(in_ci(), skip_postgres_allowed()) {
            WithoutServer::Skip => {
                report_skip(&admin, &error);
                return None;
            }
            WithoutServer::Fail if in_ci() => {
                panic!("CI: PostgreSQL at {admin} is required: {error}")
            }
            WithoutServer::Fail => panic!(
                "no PostgreSQL at {admin} ({error}). Start one, or point \
                 RECTIFLOW_TEST_DATABASE_URL at one; to run without the PostgreSQL tests, set \
                 {SKIP_POSTGRES_VAR}=1 (each then reports itself skipped)"
            ),
        },
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

/// Names the skipped test on the terminal. Written to the process's standard error directly,
/// not with `eprintln!`, which the test harness captures and shows only for failing tests.
fn report_skip(admin: &str, error: &sqlx::Error) {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a PostgreSQL test");
    let _ = writeln!(
        std::io::stderr().lock(),
        "SKIPPED {test}: no PostgreSQL at {admin} ({error}); {SKIP_POSTGRES_VAR}=1"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_server_fails_unless_skipping_was_asked_for_outside_ci() {
        assert_eq!(without_server(false, false), WithoutServer::Fail);
        assert_eq!(without_server(false, true), WithoutServer::Skip);
        assert_eq!(without_server(true, false), WithoutServer::Fail);
        assert_eq!(
            without_server(true, true),
            WithoutServer::Fail,
            "CI fails whatever the variable says"
        );
    }
}
