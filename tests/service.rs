//! The service as a user meets it: started on a random port, answering over HTTP, and stopping
//! cleanly when its shutdown token is cancelled — the token the `serve` command cancels on
//! SIGINT/SIGTERM. No signal is sent here (this crate runs the application in-process, and a
//! signal would reach the test runner); the signal itself is sent to a real `rectiflow serve`
//! process by the binary's CLI tests (`adapters/rectiflow/tests/cli/signals.rs`), which check
//! that it exits 0 and stops listening.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use rectiflow::Config;
use rectiflow_tests::{
    fresh_postgres_db, spawn_app, spawn_app_on, spawn_app_with, Db, FingerprintKey, Proxy, TestApp,
};
use sqlx::{Connection, PgConnection};

/// Health, metrics and a clean stop, on a fresh database of kind `db`.
async fn answers_health_and_metrics_then_stops(db: Db) {
    let Some(app) = spawn_app(db).await else {
        return;
    };

    let (status, body) = app.get("/healthz").await;
    assert_eq!(status, 200, "{body}");
    let health: serde_json::Value = serde_json::from_str(&body).expect("health is JSON");
    assert_eq!(health["status"], "ok", "{body}");
    assert_eq!(health["backend"], db.name(), "{body}");
    assert_eq!(health["log_head"], 0, "a fresh store: {body}");

    // Ready once every projection has caught up with the (empty) log: asked again, as a load
    // balancer asks, until it says so.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let (status, body) = app.get("/readyz").await;
        let ready: serde_json::Value = serde_json::from_str(&body).expect("readiness is JSON");
        if status == 200 {
            assert_eq!(ready["status"], "ready", "{body}");
            break;
        }
        assert_eq!(status, 503, "{body}");
        assert_eq!(ready["status"], "catching_up", "{body}");
        assert!(
            tokio::time::Instant::now() < deadline,
            "never ready: {body}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let (status, body) = app.get("/metrics").await;
    assert_eq!(status, 200);
    assert!(body.contains("rectiflow_log_head_position 0"), "{body}");
    if db == Db::Postgres {
        for metric in [
            "rectiflow_sequencer_active",
            "rectiflow_sequencer_events_total",
            "rectiflow_sequencer_batches_total",
        ] {
            assert!(body.contains(&format!("\n{metric} ")), "{metric}: {body}");
        }
    }

    let (status, _) = app.get("/no-such-page").await;
    assert_eq!(status, 404);

    let address = app.address;
    app.stop().await.expect("the server stopped cleanly");
    assert!(
        tokio::net::TcpStream::connect(address).await.is_err(),
        "nothing listens on {address} after the stop"
    );
}

#[tokio::test]
async fn sqlite_service_answers_health_and_metrics_and_stops_when_cancelled() {
    answers_health_and_metrics_then_stops(Db::Sqlite).await;
}

#[tokio::test]
async fn postgres_service_answers_health_and_metrics_and_stops_when_cancelled() {
    answers_health_and_metrics_then_stops(Db::Postgres).await;
}

/// Plants, as a console user could, an event row PostgreSQL accepts but the service cannot
/// read (a number beyond any float): the sequencer must stop there and say so.
async fn plant_unreadable_event(database_url: &str) {
    let mut conn = PgConnection::connect(database_url)
        .await
        .expect("connect to the test database");
    sqlx::query(
        "INSERT INTO events (stream_type, stream_id, stream_version, event_id, event_type, \
         schema_version, payload, metadata, recorded_at) \
         VALUES ('counter', 'unreadable', 1, gen_random_uuid(), 'Added', '1.0', \
                 '{\"Added\": {\"by\": 1e400}}', '{\"actor\": \"console\"}', now())",
    )
    .execute(&mut conn)
    .await
    .expect("plant an unreadable event row");
}

/// Repairs the row [`plant_unreadable_event`] planted.
async fn repair_unreadable_event(database_url: &str) {
    let mut conn = PgConnection::connect(database_url)
        .await
        .expect("connect to the test database");
    sqlx::query(
        "UPDATE events SET payload = '{\"Added\": {\"by\": 1}}' WHERE stream_id = 'unreadable'",
    )
    .execute(&mut conn)
    .await
    .expect("repair the event row");
}

/// Polls `/healthz` of `app` until its `status` is `expected` (state another process or the
/// database changes: there is no signal to wait on), failing after 30 s with the last answer.
async fn health_becomes(app: &TestApp, expected: &str) -> serde_json::Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let (status, body) = app.get("/healthz").await;
        assert_eq!(status, 200, "{body}");
        let health: serde_json::Value = serde_json::from_str(&body).expect("health is JSON");
        if health["status"] == expected {
            return health;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{} did not report {expected:?} within 30 s: {body}",
            app.base_url
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The value of the unlabelled series `name` in a Prometheus exposition.
fn series(exposition: &str, name: &str) -> Option<f64> {
    exposition
        .lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
        .and_then(|value| value.trim().parse().ok())
}

/// The advisory-lock key of the sequencer (`SEQUENCER_LOCK` in
/// `adapters/store/src/postgres/sequencer.rs`): holding it keeps every process a standby.
const SEQUENCER_LOCK: i64 = 7_248_016_002;

/// Asserts that `app` reports the log blocked at the planted row: degraded health naming it,
/// and `rectiflow_sequencer_blocked` at 1.
async fn assert_reports_blocked(app: &TestApp) {
    let health = health_becomes(app, "degraded").await;
    let reason = health["sequencer_blocked"].as_str().unwrap_or_default();
    assert!(reason.contains("would be position 1"), "{health}");
    assert_eq!(health["log_head"], 0, "{health}");
    // The gauge is the process's (one recorder for every service a test binary runs), set by
    // each `/metrics` answer just before it renders: a service of another test answering at
    // that instant can show its own 0 once, so ask until this one's 1 is seen.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let (status, metrics) = app.get("/metrics").await;
        assert_eq!(status, 200);
        if series(&metrics, "rectiflow_sequencer_blocked") == Some(1.0) {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "rectiflow_sequencer_blocked never read 1: {metrics}"
        );
        tokio::task::yield_now().await;
    }
}

/// Two processes on one database. A row the sequencer cannot read degrades the health of
/// both, naming the row, and both expose `rectiflow_sequencer_blocked` as 1 — while no process
/// holds the sequencer, and then while one does and is stopped at the row. Once the row is
/// repaired both are healthy again and the row gets its position.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_blocked_sequencer_degrades_every_process() {
    let Some(db) = fresh_postgres_db().await else {
        return;
    };
    let mut holder = PgConnection::connect(&db.url).await.expect("connect");
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(SEQUENCER_LOCK)
        .execute(&mut holder)
        .await
        .expect("hold the sequencer lock");
    let dir = tempfile::tempdir().expect("temporary folder");
    let key_file = dir.path().join("fingerprint.key");
    FingerprintKey::create(&key_file).expect("a fingerprint key file");
    let config = Config {
        database_url: db.url.clone(),
        fingerprint_key_file: Some(key_file),
        ..Config::default()
    };
    let first = spawn_app_on(config.clone()).await;
    let second = spawn_app_on(config).await;
    plant_unreadable_event(&db.url).await;

    // Neither process sequences: the database alone tells them the log is blocked.
    assert_reports_blocked(&first).await;
    assert_reports_blocked(&second).await;

    // One of them takes the sequencer and stops at the row; both still say so.
    holder.close().await.expect("release the sequencer lock");
    sequencer_holds_its_lock(&db.url).await;
    assert_reports_blocked(&first).await;
    assert_reports_blocked(&second).await;

    repair_unreadable_event(&db.url).await;
    for app in [&first, &second] {
        let health = health_becomes(app, "ok").await;
        assert!(health["sequencer_blocked"].is_null(), "{health}");
        let (_, metrics) = app.get("/metrics").await;
        assert_eq!(
            series(&metrics, "rectiflow_sequencer_blocked"),
            Some(0.0),
            "{metrics}"
        );
    }
    let head = async {
        while health_becomes(&second, "ok").await["log_head"] != 1 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(30), head)
        .await
        .expect("the repaired row gets position 1");
    second
        .stop()
        .await
        .expect("the second process stopped cleanly");
    first
        .stop()
        .await
        .expect("the first process stopped cleanly");
}

/// Waits until a process's sequencer session holds the sequencer lock (seen in
/// `pg_locks`; polled, as there is no signal across processes), failing after 30 s.
async fn sequencer_holds_its_lock(database_url: &str) {
    let mut conn = PgConnection::connect(database_url).await.expect("connect");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let held: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
             WHERE l.locktype = 'advisory' AND l.granted AND l.database = \
                   (SELECT oid FROM pg_database WHERE datname = current_database()) \
               AND a.application_name = 'rectiflow-sequencer')",
        )
        .fetch_one(&mut conn)
        .await
        .expect("read pg_locks");
        if held {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no process took the sequencer lock within 30 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The database becomes unreachable as in a network partition (connections stay open and
/// nothing answers) while a worker waits on it; shutdown still completes within the grace
/// period, abandoning the worker instead of waiting for an answer that never comes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_shutdown_completes_within_its_grace_when_the_database_is_unreachable() {
    const GRACE: Duration = Duration::from_secs(2);
    let proxy = Proxy::in_front_of(&rectiflow_tests::admin_url()).await;
    let Some(app) = spawn_app_with(Db::Postgres, |config| {
        config.database_url = proxy.url_for(&config.database_url);
        config.shutdown_grace_seconds = GRACE.as_secs() as u32;
    })
    .await
    else {
        return;
    };
    let (status, body) = app.get("/healthz").await;
    assert_eq!(status, 200, "serving, with its workers started: {body}");

    proxy.blackhole();
    // The sequencer polls the database every 250 ms: it is soon left waiting for an answer.
    tokio::time::timeout(
        Duration::from_secs(10),
        proxy.swallowed_on("rectiflow-sequencer"),
    )
    .await
    .expect("the sequencer asks the unreachable database within 10 s");

    let (result, took) = app.stop_within(GRACE + Duration::from_secs(10)).await;
    result.expect("a shutdown that abandons stuck workers is still a clean stop");
    assert!(
        took < GRACE + Duration::from_secs(2),
        "shutdown took {took:?}, beyond its grace of {GRACE:?}"
    );
}
