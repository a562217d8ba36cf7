//! The inspecting commands — `verify`, `digest`, `export` — through the real binary: they open
//! the store read-only and never create or migrate it. A mistyped path or an empty database is
//! an error that writes nothing (never "log intact: 0 events"), and an auditor's SELECT-only
//! PostgreSQL role can run all three.

use super::*;
use sqlx::{Connection, PgConnection};

const INSPECTING: [&[&str]; 3] = [&["verify"], &["digest"], &["export"]];

/// Runs `rectiflow <args> --database-url <url>`.
fn inspect(dir: &Path, url: &str, args: &[&str]) -> Output {
    let args: Vec<&str> = args
        .iter()
        .copied()
        .chain(["--database-url", url])
        .collect();
    rectiflow(dir, &args)
}

/// `url` with its user replaced by `user` (and no password: the test cluster trusts local
/// connections).
fn as_user(url: &str, user: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let host = rest.split_once('@').map_or(rest, |(_, host)| host);
    format!("{scheme}://{user}@{host}")
}

#[track_caller]
fn assert_refused(output: &Output, because: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(1),
        "exit status; stderr: {stderr}"
    );
    assert!(stderr.contains(because), "{stderr}");
    assert!(output.stdout.is_empty(), "nothing reported as checked");
}

#[test]
fn a_mistyped_sqlite_path_is_refused_and_not_created() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let typo = dir.path().join("rectiflw.db");
    let url = format!("sqlite://{}", typo.display());
    for args in INSPECTING {
        assert_refused(&inspect(dir.path(), &url, args), "does not exist");
    }
    assert!(!typo.exists(), "inspection created no file");
}

#[test]
fn a_sqlite_file_that_is_not_a_store_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").expect("an empty file");
    let url = format!("sqlite://{}", empty.display());
    for args in INSPECTING {
        assert_refused(&inspect(dir.path(), &url, args), "no rectiflow store");
    }
    assert_eq!(
        std::fs::metadata(&empty).expect("file").len(),
        0,
        "nothing was written into it"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_postgres_database_is_refused_and_left_empty() {
    let Some(db) = fresh_postgres_db().await else {
        return;
    };
    let dir = tempfile::tempdir().expect("temporary folder");
    for args in INSPECTING {
        assert_refused(&inspect(dir.path(), &db.url, args), "no rectiflow store");
    }
    let mut conn = PgConnection::connect(&db.url).await.expect("connect");
    let tables: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            .fetch_one(&mut conn)
            .await
            .expect("count tables");
    assert_eq!(tables, 0, "inspection created no table");
}

/// The role of `ops/auditor-role.sql`, applied to a test database: SELECT on the tables and
/// nothing else. All three commands succeed with it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_select_only_auditor_can_verify_digest_and_export() {
    let Some(db) = fresh_postgres_db().await else {
        return;
    };
    AnyStore::open(&db.url).await.expect("create the store");
    let role = format!("auditor_{}", db.name());
    let script = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ops/auditor-role.sql"),
    )
    .expect("the documented role")
    .replace("rectiflow_auditor", &role)
    .replace(
        "DATABASE rectiflow ",
        &format!("DATABASE \"{}\" ", db.name()),
    );
    let mut owner = PgConnection::connect(&db.url).await.expect("connect");
    sqlx::raw_sql(&script)
        .execute(&mut owner)
        .await
        .expect("create the auditor role");

    let auditor_url = as_user(&db.url, &role);
    let dir = tempfile::tempdir().expect("temporary folder");
    let outcomes: Vec<Output> = INSPECTING
        .iter()
        .map(|args| inspect(dir.path(), &auditor_url, args))
        .collect();

    sqlx::raw_sql(&format!("DROP OWNED BY \"{role}\"; DROP ROLE \"{role}\";"))
        .execute(&mut owner)
        .await
        .expect("drop the auditor role");
    for (args, out) in INSPECTING.iter().zip(&outcomes) {
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?} as the auditor: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(String::from_utf8_lossy(&outcomes[0].stdout).contains("log intact: 0 events"));
}
