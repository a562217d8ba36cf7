//! The log-custody subcommands through the real binary: `verify`, `digest`, `export`, `import`
//! on a fresh database of each backend, their exit codes and messages, `--database-url`
//! before or after the subcommand, and `serve`'s refusal to run on PostgreSQL without a good
//! fingerprint key file.

use std::path::Path;
use std::process::{Command, Output};

use chrono::Utc;
use rectiflow_engine::model::{to_micros, Commit, NewEvent};
use rectiflow_engine::{CancellationToken, StreamRef, Supervisor};
use rectiflow_store::testing::{fresh_postgres_db, FreshDb};
use rectiflow_store::{with_store, AnyStore, Store};
use serde_json::json;
use uuid::Uuid;

const EVENTS: u64 = 300;

/// Runs `rectiflow` in `dir` (so no config file or `./data` of the developer is used) with no
/// database URL from the environment.
fn rectiflow(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rectiflow"))
        .args(args)
        .current_dir(dir)
        .env_remove("RECTIFLOW_DATABASE_URL")
        .env_remove("RECTIFLOW_FINGERPRINT_KEY_FILE")
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
    let store = AnyStore::open(url).await.expect("open store");
    with_store!(&store, store => fill_on(store).await);
    store
}

async fn fill_on<S: Store>(store: &S) {
    let shutdown = CancellationToken::new();
    let mut workers = Supervisor::new(shutdown.clone());
    for worker in store.workers() {
        workers.add(worker);
    }
    let mut versions = [0u64; 5];
    let mut written = 0;
    while written < EVENTS {
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
        while store.head().await.expect("head") < EVENTS {
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

async fn edit_payload(store: &AnyStore, position: u64) {
    let done = match store {
        AnyStore::Postgres(pg) => sqlx::query(
            "UPDATE events SET payload = '{\"Added\":{\"by\":999999}}' \
             WHERE id = (SELECT event_ref FROM log WHERE position = $1)",
        )
        .bind(position as i64)
        .execute(pg.pool())
        .await
        .expect("edit payload")
        .rows_affected(),
        AnyStore::Sqlite(lite) => sqlx::query(
            "UPDATE events SET payload = '{\"Added\":{\"by\":999999}}' WHERE position = ?",
        )
        .bind(position as i64)
        .execute(lite.pool())
        .await
        .expect("edit payload")
        .rows_affected(),
    };
    assert_eq!(done, 1);
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

/// The whole custody story on one pair of stores.
async fn story(source: Backend, target: Backend) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let d = dir.path();
    let Some((source_url, _source_db)) = fresh(source, d, "source").await else {
        return;
    };
    let Some((target_url, _target_db)) = fresh(target, d, "target").await else {
        return;
    };
    let store = fill(&source_url).await;
    let url = source_url.as_str();

    // verify: intact.
    let out = rectiflow(d, &["verify", "--database-url", url]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains(&format!(
            "log intact: {EVENTS} events; head position {EVENTS} sha256:"
        )),
        "{}",
        stdout(&out)
    );

    // digest: the head, a position, JSON, and a position beyond the head.
    let out = rectiflow(d, &["--database-url", url, "digest"]);
    assert_exit(&out, 0);
    let head_line = stdout(&out).trim().to_owned();
    assert!(
        head_line.starts_with(&format!("position {EVENTS} sha256:")),
        "{head_line}"
    );
    let head_digest = head_line.rsplit(' ').next().expect("digest").to_owned();
    let out = rectiflow(
        d,
        &["digest", "--at", "100", "--json", "--database-url", url],
    );
    assert_exit(&out, 0);
    let json: serde_json::Value = serde_json::from_str(stdout(&out).trim()).expect("JSON digest");
    assert_eq!(json["position"], 100);
    let digest_100 = json["digest"].as_str().expect("digest string").to_owned();
    assert!(digest_100.starts_with("sha256:"), "{digest_100}");
    let out = rectiflow(d, &["digest", "--at", "301", "--database-url", url]);
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("position 301 is beyond the head of the log (300)"),
        "{}",
        stderr(&out)
    );

    // verify against published digests.
    let at = EVENTS.to_string();
    let out = rectiflow(
        d,
        &[
            "verify",
            "--digest",
            &head_digest,
            "--at",
            &at,
            "--database-url",
            url,
        ],
    );
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("matches the published digest"),
        "{}",
        stdout(&out)
    );
    let wrong = format!("sha256:{}", "0".repeat(64));
    let out = rectiflow(
        d,
        &[
            "verify",
            "--digest",
            &wrong,
            "--at",
            "100",
            "--database-url",
            url,
        ],
    );
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("position 100"), "{}", stderr(&out));

    // export: to a file, and a range to standard output.
    let file = d.join("log.ndjson");
    let file_arg = file.to_str().expect("utf-8 path");
    let out = rectiflow(d, &["export", "--output", file_arg, "--database-url", url]);
    assert_exit(&out, 0);
    assert!(
        stderr(&out).contains("exported 300 events (positions 1 to 300)"),
        "{}",
        stderr(&out)
    );
    let text = std::fs::read_to_string(&file).expect("export file");
    assert_eq!(text.lines().count() as u64, EVENTS);
    let out = rectiflow(
        d,
        &[
            "--database-url",
            url,
            "export",
            "--from",
            "10",
            "--to",
            "12",
        ],
    );
    assert_exit(&out, 0);
    let positions: Vec<u64> = stdout(&out)
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("NDJSON line");
            value["position"].as_u64().expect("position")
        })
        .collect();
    assert_eq!(positions, vec![10, 11, 12]);

    // import: a tampered file is refused (exit 2) with nothing written.
    let tampered = d.join("tampered.ndjson");
    let edited: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, line)| {
            if i == 4 {
                line.replacen("\"by\":4", "\"by\":40", 1)
            } else {
                line.to_owned()
            }
        })
        .collect();
    std::fs::write(&tampered, edited.join("\n") + "\n").expect("write tampered file");
    let tampered_arg = tampered.to_str().expect("utf-8 path");
    let out = rectiflow(d, &["import", tampered_arg, "--database-url", &target_url]);
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("line 5: position 5"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("nothing was imported"),
        "{}",
        stderr(&out)
    );
    let out = rectiflow(d, &["digest", "--database-url", &target_url]);
    assert_exit(&out, 0);
    assert!(stdout(&out).starts_with("position 0 "), "{}", stdout(&out));

    // import: the real file; the target then gives the source's digests.
    let out = rectiflow(d, &["import", file_arg, "--database-url", &target_url]);
    assert_exit(&out, 0);
    assert_eq!(
        stdout(&out).trim(),
        format!("imported {EVENTS} events; head {head_line}")
    );
    let out = rectiflow(d, &["digest", "--database-url", &target_url]);
    assert_eq!(stdout(&out).trim(), head_line);
    let out = rectiflow(
        d,
        &[
            "verify",
            "--digest",
            &digest_100,
            "--at",
            "100",
            "--database-url",
            &target_url,
        ],
    );
    assert_exit(&out, 0);
    let out = rectiflow(d, &["import", file_arg, "--database-url", &target_url]);
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("import only into an empty store"),
        "{}",
        stderr(&out)
    );

    // tamper with the source: verify names the position, exit 2 (also as JSON).
    edit_payload(&store, 57).await;
    let out = rectiflow(d, &["verify", "--database-url", url]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("position 57:"), "{}", stderr(&out));
    assert!(stderr(&out).contains("altered"), "{}", stderr(&out));
    let out = rectiflow(d, &["verify", "--json", "--database-url", url]);
    assert_exit(&out, 2);
    let json: serde_json::Value = serde_json::from_str(stdout(&out).trim()).expect("JSON verdict");
    assert_eq!(json["intact"], false);
    assert_eq!(json["position"], 57);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custody_on_postgres() {
    story(Backend::Postgres, Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custody_on_sqlite() {
    story(Backend::Sqlite, Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custody_from_sqlite_to_postgres() {
    story(Backend::Sqlite, Backend::Postgres).await;
}

#[test]
fn database_url_before_or_after_the_subcommand() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}", dir.path().join("flags.db").display());
    for args in [
        vec!["--database-url", url.as_str(), "digest"],
        vec!["digest", "--database-url", url.as_str()],
    ] {
        let out = rectiflow(dir.path(), &args);
        assert_exit(&out, 0);
        assert!(
            stdout(&out).starts_with("position 0 sha256:"),
            "{}",
            stdout(&out)
        );
    }
    assert!(
        dir.path().join("flags.db").exists(),
        "the URL given was used, not the default"
    );
    assert!(
        !dir.path().join("data").exists(),
        "the default store was not touched"
    );
}

/// Bad usage is told apart from a log that does not verify: usage errors exit 64 (EX_USAGE),
/// `--help` exits 0, and a bad database URL is a plain failure (1) that names the URL.
#[test]
fn usage_errors_and_bad_urls_have_their_own_exit_codes() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = rectiflow(dir.path(), &["verify", "--at", "not-a-number"]);
    assert_exit(&out, 64);
    assert!(stderr(&out).contains("--at"), "{}", stderr(&out));
    assert_exit(&rectiflow(dir.path(), &["--help"]), 0);
    assert_exit(&rectiflow(dir.path(), &["no-such-command"]), 64);
    let out = rectiflow(
        dir.path(),
        &["migrate", "--database-url", "mysql://somewhere/db"],
    );
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("mysql://somewhere/db"),
        "{}",
        stderr(&out)
    );
}

/// `serve` on PostgreSQL needs a fingerprint key file and refuses to start without one —
/// before it connects (nothing listens at the URL given) — and a file that holds no key is
/// named, its content never printed.
#[test]
fn serve_on_postgres_needs_a_good_fingerprint_key_file() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = "postgres://nobody@127.0.0.1:1/none";
    let out = rectiflow(dir.path(), &["serve", "--database-url", url]);
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("fingerprint_key_file is required with PostgreSQL"),
        "{}",
        stderr(&out)
    );

    std::fs::write(dir.path().join("bad.key"), "not-a-key\n").expect("write");
    let args = [
        "serve",
        "--database-url",
        url,
        "--fingerprint-key-file",
        "bad.key",
    ];
    let out = rectiflow(dir.path(), &args);
    assert_exit(&out, 1);
    let message = stderr(&out);
    assert!(
        message.contains("bad.key") && message.contains("64 hexadecimal digits"),
        "{message}"
    );
    assert!(!message.contains("not-a-key"), "{message}");
}
