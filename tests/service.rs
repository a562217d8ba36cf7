//! The service as a user meets it: started on a random port, answering over HTTP, and stopping
//! cleanly when its shutdown token is cancelled — the token the `serve` command cancels on
//! SIGINT/SIGTERM. No signal is sent here (this crate runs the application in-process, and a
//! signal would reach the test runner); the signal itself is sent to a real `rectiflow serve`
//! process by the binary's CLI tests (`adapters/rectiflow/tests/cli/signals.rs`), which check
//! that it exits 0 and stops listening.
#![allow(clippy::unwrap_used)]

use rectiflow_tests::{spawn_app, Db};

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
