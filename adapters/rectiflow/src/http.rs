//! The HTTP surface. For now: health and metrics; the campaign API joins it in later work.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use rectiflow_store::{AnyStore, Backend, EventStore};
use serde_json::json;

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<AnyStore>,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .with_state(state)
}

/// 200 with the log head when the store answers; 503 with an RFC 9457 problem when it does not.
#[tracing::instrument(skip_all)]
async fn healthz(State(state): State<AppState>) -> Response {
    let blocked = match state.store.as_ref() {
        AnyStore::Postgres(pg) => pg.stats().blocked(),
        AnyStore::Sqlite(_) => None,
    };
    match state.store.head().await {
        Ok(head) => Json(json!({
            // Degraded: the service answers, but new events get no position until an
            // operator repairs the row the sequencer cannot read.
            "status": if blocked.is_some() { "degraded" } else { "ok" },
            "backend": backend_name(state.store.backend()),
            "log_head": head,
            "sequencer_blocked": blocked,
        }))
        .into_response(),
        Err(error) => problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "store-unavailable",
            "The event store does not answer",
            &error.to_string(),
        ),
    }
}

/// Prometheus text exposition of the log and the sequencer.
async fn metrics(State(state): State<AppState>) -> Response {
    let mut out = String::new();
    if let Ok(head) = state.store.head().await {
        out.push_str(
            "# HELP rectiflow_log_head_position Highest position assigned in the global log.\n",
        );
        out.push_str("# TYPE rectiflow_log_head_position gauge\n");
        out.push_str(&format!("rectiflow_log_head_position {head}\n"));
    }
    if let AnyStore::Postgres(pg) = state.store.as_ref() {
        let stats = pg.stats();
        let lines = [
            (
                "rectiflow_sequencer_active",
                "gauge",
                "1 when this process is the database's sequencer.",
                u64::from(stats.is_active()) as f64,
            ),
            (
                "rectiflow_sequencer_events_total",
                "counter",
                "Events given a position by this process.",
                stats.events() as f64,
            ),
            (
                "rectiflow_sequencer_batches_total",
                "counter",
                "Batches sequenced by this process.",
                stats.batches() as f64,
            ),
            (
                "rectiflow_sequencer_horizon_waits_total",
                "counter",
                "Times committed events waited for the cluster-wide transaction horizon.",
                stats.horizon_waits() as f64,
            ),
            (
                "rectiflow_sequencer_horizon_wait_seconds_total",
                "counter",
                "Total time committed events waited for the horizon.",
                stats.horizon_wait().as_secs_f64(),
            ),
            (
                "rectiflow_sequencer_current_horizon_wait_seconds",
                "gauge",
                "How long the current horizon wait has lasted.",
                stats.current_horizon_wait().as_secs_f64(),
            ),
        ];
        for (name, kind, help, value) in lines {
            out.push_str(&format!(
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}\n"
            ));
        }
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out).into_response()
}

fn backend_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => "postgres",
        Backend::Sqlite => "sqlite",
    }
}

/// An RFC 9457 problem+json response.
pub fn problem(status: StatusCode, code: &str, title: &str, detail: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        Json(json!({
            "type": format!("https://rectiflow.dev/problems/{code}"),
            "title": title,
            "status": status.as_u16(),
            "detail": detail,
            "code": code,
        })),
    )
        .into_response()
}
