//! Every API request counted and timed, by method, route (the path's template, so ids do not
//! make a series each) and status: `rectiflow_http_requests_total` and
//! `rectiflow_http_request_duration_seconds` (to the response's head: a stream's body is not
//! timed).

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use tokio::time::Instant;

pub async fn metered(request: Request, next: Next) -> Response {
    // Any token is a method to HTTP: only the standard ones name a series, so a client making
    // up methods cannot grow the exposition without end.
    let method = match request.method().as_str() {
        m @ ("GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS") => m,
        _ => "OTHER",
    }
    .to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::histogram!(
        "rectiflow_http_request_duration_seconds",
        "method" => method.clone(),
        "route" => route.clone()
    )
    .record(started.elapsed().as_secs_f64());
    metrics::counter!(
        "rectiflow_http_requests_total",
        "method" => method,
        "route" => route,
        "status" => status
    )
    .increment(1);
    response
}
