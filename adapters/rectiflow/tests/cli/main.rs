//! The `rectiflow` binary as a user runs it: the log-custody subcommands (`verify`, `digest`,
//! `export`, `import`) on a fresh database of each backend, their exit codes and messages, an
//! import killed part-way, the projections' `rebuild`, `lag` and life under `serve`, and the
//! command line itself.

use std::path::Path;
use std::process::{Command, Output};

use chrono::Utc;
use rectiflow_engine::model::{to_micros, Commit, NewEvent};
use rectiflow_engine::{CancellationToken, StreamRef, Supervisor};
use rectiflow_store::failpoint::FAILPOINT_VAR;
use rectiflow_store::testing::{fresh_postgres_db, FreshDb};
use rectiflow_store::{with_store, AnyStore, Store};
use serde_json::json;
use uuid::Uuid;

mod custody;
mod inspection;
mod killed_bulletin;
mod killed_import;
mod logs;
mod otel;
mod projections;
mod schedule;
mod schedule_list;
mod signals;
mod tokens;
mod usage;

const EVENTS: u64 = 300;

/// Runs `rectiflow` in `dir` (so no config file or `./data` of the developer is used) with no
/// database URL from the environment.
fn rectiflow(dir: &Path, args: &[&str]) -> Output {
    rectiflow_with(dir, args, &[])
}

/// [`rectiflow`] with more environment variables (a failpoint).
fn rectiflow_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rectiflow"))
        .args(args)
        .current_dir(dir)
        .env_remove("RECTIFLOW_DATABASE_URL")
        .env_remove(FAILPOINT_VAR)
        .env_remove("RECTIFLOW_FINGERPRINT_KEY_FILE")
        .envs(env.iter().copied())
        .env("RUST_LOG", "warn")
        .output()
        .expect("run rectiflow")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[track_caller]
fn assert_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "exit status\nstdout: {}\nstderr: {}",
        stdout(output),
        stderr(output)
    );
}

/// Fills the store at `url` with `EVENTS` events over 5 streams and waits until all have
/// positions (on PostgreSQL the sequencer runs in this process meanwhile).
async fn fill(url: &str) -> AnyStore {
    fill_with(url, EVENTS).await
}

/// [`fill`] with `events` events (a multiple of 10).
async fn fill_with(url: &str, events: u64) -> AnyStore {
    let store = AnyStore::open(url).await.expect("open store");
    with_store!(&store, store => fill_on(store, events).await);
    store
}

async fn fill_on<S: Store>(store: &S, total: u64) {
    let shutdown = CancellationToken::new();
    let mut workers = Supervisor::new(shutdown.clone());
    for worker in store.workers() {
        workers.add(worker);
    }
    let mut versions = [0u64; 5];
    let mut written = 0;
    while written < total {
        let stream = (written / 10 % 5) as usize;
        let events = (0..10)
            .map(|i| NewEvent {
                event_id: Uuid::now_v7(),
                event_type: "Added".into(),
                schema_version: "1.0".into(),
                payload: json!({"Added": {"by": written + i, "ratio": 0.1 * i as f64}}),
                metadata: json!({"actor": "clerk-1"}),
                recorded_at: to_micros(Utc::now()),
            })
            .collect();
        store
            .commit(Commit {
                stream: StreamRef::new("counter", format!("s{stream}")),
                expected_version: versions[stream],
                events,
                snapshot: None,
                idempotency: None,
            })
            .await
            .expect("commit");
        versions[stream] += 10;
        written += 10;
    }
    let mut head = store.watch_head();
    tokio::time::timeout(std::time::Duration::from_secs(60), async {
        while store.head().await.expect("head") < total {
            let _ =
                tokio::time::timeout(std::time::Duration::from_millis(200), head.changed()).await;
        }
    })
    .await
    .expect("all events sequenced");
    shutdown.cancel();
    workers
        .wait()
        .await
        .expect("the store's workers stop cleanly");
}

enum Backend {
    Postgres,
    Sqlite,
}

/// A fresh, empty database of `backend`: its URL, and what keeps it alive.
async fn fresh(backend: Backend, dir: &Path, name: &str) -> Option<(String, Option<FreshDb>)> {
    match backend {
        Backend::Postgres => {
            let db = fresh_postgres_db().await?;
            Some((db.url.clone(), Some(db)))
        }
        Backend::Sqlite => Some((
            format!("sqlite://{}", dir.join(format!("{name}.db")).display()),
            None,
        )),
    }
}
