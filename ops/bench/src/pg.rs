//! The PostgreSQL server the benchmark runs on: loopback only, one fresh database per
//! contender (created here, always dropped), and the facts about the machine a result needs.

use std::str::FromStr;
use std::time::Duration;

use anyhow::{bail, Context};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, PgConnection, PgPool};
use uuid::Uuid;

/// Every contender's pool: 16 connections, one per writer of the widest workload.
pub const POOL_SIZE: u32 = 16;

/// Refuses any server but this machine's: a load generator must never point elsewhere.
pub fn require_loopback(url: &str) -> anyhow::Result<()> {
    let options = PgConnectOptions::from_str(url)
        .with_context(|| format!("invalid PostgreSQL URL {}", redact(url)))?;
    let host = options.get_host();
    let loopback = host == "localhost"
        || host == "::1"
        || host == "[::1]"
        || host.starts_with("127.")
        || host.starts_with('/'); // a Unix socket is local by construction
    if !loopback {
        bail!(
            "refusing {}: the benchmark only runs against this machine (127.0.0.1, localhost, ::1 or a Unix socket)",
            redact(url)
        );
    }
    Ok(())
}

/// The URL without its password.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => match url[scheme + 3..at].split_once(':') {
            Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
            None => url.to_owned(),
        },
        _ => url.to_owned(),
    }
}

/// A database made for one contender. Drop it with [`FreshDb::drop_now`]; the run does so
/// whether the contender succeeded or not.
pub struct FreshDb {
    pub url: String,
    pub name: String,
    admin_url: String,
}

impl FreshDb {
    pub async fn create(admin_url: &str, label: &str) -> anyhow::Result<Self> {
        let mut conn = PgConnection::connect(admin_url)
            .await
            .with_context(|| format!("connecting to {}", redact(admin_url)))?;
        let name = format!(
            "rf_bench_{label}_{}",
            &Uuid::now_v7().simple().to_string()[20..]
        );
        sqlx::query(&format!("CREATE DATABASE \"{name}\""))
            .execute(&mut conn)
            .await
            .with_context(|| format!("creating database {name}"))?;
        let _ = conn.close().await;
        Ok(Self {
            url: with_database(admin_url, &name),
            name,
            admin_url: admin_url.to_owned(),
        })
    }

    pub async fn drop_now(self) -> anyhow::Result<()> {
        let mut conn = PgConnection::connect(&self.admin_url)
            .await
            .with_context(|| {
                format!(
                    "connecting to {} to drop {}",
                    redact(&self.admin_url),
                    self.name
                )
            })?;
        sqlx::query(&format!(
            "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
            self.name
        ))
        .execute(&mut conn)
        .await
        .with_context(|| format!("dropping database {}", self.name))?;
        let _ = conn.close().await;
        Ok(())
    }
}

/// `url` pointing at database `name` instead (query parameters kept).
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

/// The pool the raw and postgres-es contenders use: the same size and settings as rectiflow's
/// writers get (no ping before each acquire, as `PgStore` configures its pool).
pub async fn pool(url: &str) -> anyhow::Result<PgPool> {
    PgPoolOptions::new()
        .max_connections(POOL_SIZE)
        .test_before_acquire(false)
        .acquire_timeout(Duration::from_secs(30))
        .connect(url)
        .await
        .with_context(|| format!("connecting a pool to {}", redact(url)))
}

/// What a reader of the results needs to know about where they were measured.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Machine {
    pub cores: usize,
    pub cpu: String,
    pub memory_gib: u64,
    pub postgres: String,
    pub shared_buffers: String,
    pub synchronous_commit: String,
    pub max_connections: String,
    /// The 1-minute load average when the run started: other work on the machine skews
    /// every contender, so a reader should know it was there.
    pub load_average: String,
}

/// The 1-, 5- and 15-minute load averages, as the kernel reports them.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".into())
}

pub async fn machine(admin_url: &str) -> anyhow::Result<Machine> {
    let mut conn = PgConnection::connect(admin_url)
        .await
        .with_context(|| format!("connecting to {}", redact(admin_url)))?;
    let mut values = Vec::new();
    for name in [
        "server_version",
        "shared_buffers",
        "synchronous_commit",
        "max_connections",
    ] {
        let value: String = sqlx::query_scalar(&format!("SHOW {name}"))
            .fetch_one(&mut conn)
            .await
            .with_context(|| format!("reading the server setting {name}"))?;
        values.push(value);
    }
    let _ = conn.close().await;
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or_else(|| "unknown".to_owned(), |(_, v)| v.trim().to_owned());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory_kib: u64 = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut values = values.into_iter();
    let mut next = || values.next().unwrap_or_default();
    Ok(Machine {
        cores: std::thread::available_parallelism().map_or(0, usize::from),
        cpu,
        memory_gib: (memory_kib + 512 * 1024) / (1024 * 1024),
        postgres: format!("PostgreSQL {}", next()),
        shared_buffers: next(),
        synchronous_commit: next(),
        max_connections: next(),
        load_average: load_average(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_machine_is_accepted() {
        for url in [
            "postgres://postgres@127.0.0.1:5432/postgres",
            "postgres://u:p@localhost/db",
            "postgresql://[::1]/db",
        ] {
            assert!(require_loopback(url).is_ok(), "{url}");
        }
        for url in ["postgres://10.0.0.1/db", "postgres://db.example.com/db"] {
            assert!(require_loopback(url).is_err(), "{url}");
        }
    }

    #[test]
    fn database_is_replaced_and_query_kept() {
        assert_eq!(
            with_database("postgres://u@127.0.0.1:5432/postgres?sslmode=disable", "b"),
            "postgres://u@127.0.0.1:5432/b?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://127.0.0.1", "b"),
            "postgres://127.0.0.1/b"
        );
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
    }
}
