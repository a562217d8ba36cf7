//! The HTTP surface beside the API: liveness (`/healthz`), readiness (`/readyz`) and metrics.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use metrics_exporter_prometheus::PrometheusHandle;
use rectiflow_engine::StoreError;
use rectiflow_store::Store;
use serde_json::json;

/// What every handler can reach: the store (whichever backend was chosen) and the metrics.
#[derive(Clone)]
pub struct AppState<S> {
    pub store: S,
    pub metrics: PrometheusHandle,
    /// Set once every projection has caught up with the log (see [`readyz`]).
    pub ready: Arc<AtomicBool>,
}

impl<S> AppState<S> {
    pub fn new(store: S, metrics: PrometheusHandle) -> Self {
        Self {
            store,
            metrics,
            ready: Arc::new(AtomicBool::new(false)),
        }
    }
}

pub fn router<S: Store>(state: AppState<S>) -> Router {
    Router::new()
        .route("/healthz", get(healthz::<S>))
        .route("/readyz", get(readyz::<S>))
        .route("/metrics", get(metrics::<S>))
        .with_state(state)
}

/// 200 with the log head when the store answers; 503 with an RFC 9457 problem when it does not.
/// "degraded" (still 200) when the log is blocked at a row the sequencer cannot read — read
/// from the database, so every process says so, not only the one holding the sequencer.
#[tracing::instrument(skip_all)]
async fn healthz<S: Store>(State(state): State<AppState<S>>) -> Response {
    let answer =
        async { Ok::<_, StoreError>((state.store.head().await?, state.store.blocked().await?)) };
    match answer.await {
        Ok((head, blocked)) => Json(json!({
            // Degraded: the service answers, but new events get no position until an
            // operator repairs the row the sequencer cannot read.
            "status": if blocked.is_some() { "degraded" } else { "ok" },
            "backend": state.store.backend(),
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

/// 200 once this process is ready to answer reads: its migrations were applied before it
/// listened, and every projection has caught up with the log at least once since it started
/// (a read model far behind would answer with old rows). Once ready it stays ready: a lag
/// later is the lag gauge's to show, not a reason to take the process out of the balancer.
/// 503 with each projection's lag until then.
#[tracing::instrument(skip_all)]
async fn readyz<S: Store>(State(state): State<AppState<S>>) -> Response {
    if state.ready.load(Ordering::Acquire) {
        return Json(json!({ "status": "ready" })).into_response();
    }
    let lines = match crate::projections::lag_lines(&state.store).await {
        Ok(lines) => lines,
        Err(error) => {
            return problem(
                StatusCode::SERVICE_UNAVAILABLE,
                "store-unavailable",
                "The event store does not answer",
                &error.to_string(),
            )
        }
    };
    let projections = rectiflow_projections::registry::names();
    // A projection that has recorded no checkpoint has not started (its tables may not exist
    // yet), however short the log.
    let behind: Vec<_> = lines
        .iter()
        .filter(|line| projections.contains(&line.consumer.as_str()))
        .filter(|line| line.lag > 0 || line.version.is_none())
        .map(|line| json!({ "projection": line.consumer, "lag": line.lag }))
        .collect();
    if behind.is_empty() {
        state.ready.store(true, Ordering::Release);
        return Json(json!({ "status": "ready" })).into_response();
    }
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(json!({ "status": "catching_up", "behind": behind })),
    )
        .into_response()
}

/// Prometheus text exposition of everything recorded through the `metrics` facade.
async fn metrics<S: Store>(State(state): State<AppState<S>>) -> Response {
    // The head and whether the log is blocked are read when asked: the log's truth is in the
    // database, not in this process (which may not be the one holding the sequencer).
    if let Ok(head) = state.store.head().await {
        metrics::gauge!("rectiflow_log_head_position").set(head as f64);
        if let Err(error) = crate::subscriptions::webhook::lag::record(&state.store, head).await {
            tracing::warn!(%error, "cannot read the webhook subscriptions' lags");
        }
    }
    if let Err(error) = crate::projections::record_lags(&state.store).await {
        tracing::warn!(%error, "cannot read the consumers' lags");
    }
    if state.store.sequenced() {
        if let Ok(blocked) = state.store.blocked().await {
            metrics::gauge!("rectiflow_sequencer_blocked")
                .set(f64::from(u8::from(blocked.is_some())));
        }
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
        .into_response()
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
