//! The W3C trace context of a request (`traceparent`, `tracestate`), kept in the metadata of
//! every event its command records, so one trace follows a command from the API to every
//! subscriber: the SSE stream's and NATS's CloudEvents and the webhook deliveries carry it.
//!
//! Every request gets one ([`traced`]): the caller's trace continued under a span of ours, or
//! a trace begun here when it sent none — so every command's events name a trace, and every
//! log line written while serving the request carries its `trace_id`. A malformed context is
//! not refused: tracing is the caller's instrument, never a reason to turn a command away (the
//! W3C specification says to restart the trace).

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use rectiflow_engine::TraceContext;
use tracing::Instrument;

use crate::subscriptions::cloudevent::is_traceparent;

/// The longest `tracestate` kept (the W3C limit is 32 members; 512 characters is what
/// implementations must propagate).
const MAX_TRACESTATE: usize = 512;

/// The request's trace context, if it sent a well-formed one.
pub fn context(headers: &HeaderMap) -> Option<TraceContext> {
    let traceparent = headers
        .get("traceparent")?
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|t| is_traceparent(t) && !t.starts_with("ff-"))
        .filter(|t| {
            t.split('-')
                .nth(1)
                .is_some_and(|id| id.bytes().any(|b| b != b'0'))
        })?;
    let tracestate = headers
        .get("tracestate")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|t| {
            !t.is_empty()
                && t.len() <= MAX_TRACESTATE
                && t.bytes().all(|b| (0x20..0x7f).contains(&b))
        })
        .map(str::to_owned);
    Some(TraceContext {
        traceparent: traceparent.to_owned(),
        tracestate,
    })
}

/// Gives the request its trace context — the caller's trace continued under the request's
/// own span, or a trace begun here — as its `traceparent` header (what [`context`] then reads),
/// and serves it inside that span. With an OTLP exporter ([`crate::otel`]) the span is an
/// OpenTelemetry span and the ids events record are its own; without one they are drawn here
/// ([`rectiflow_engine::trace::begin`]).
/// The span is at error level, so it is on whatever `RUST_LOG` filters out: a warning written
/// while serving still names its trace.
pub async fn traced(mut request: Request, next: Next) -> Response {
    let caller = context(request.headers());
    if caller.is_none() {
        // A state belongs to the trace it came with; a new trace starts without one.
        request.headers_mut().remove("tracestate");
    }
    let span = tracing::error_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        trace_id = tracing::field::Empty,
    );
    let begun = rectiflow_engine::trace::begin(&span, caller.as_ref());
    if let Ok(value) = HeaderValue::from_str(&begun.traceparent) {
        request.headers_mut().insert("traceparent", value);
    }
    next.run(request).instrument(span).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, value.parse().expect("a header value"));
        }
        headers
    }

    #[test]
    fn a_well_formed_context_is_kept_and_anything_else_ignored() {
        let good = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        let kept = context(&headers(&[
            ("traceparent", good),
            ("tracestate", "rojo=00f067aa0ba902b7"),
        ]))
        .expect("kept");
        assert_eq!(kept.traceparent, good);
        assert_eq!(kept.tracestate.as_deref(), Some("rojo=00f067aa0ba902b7"));
        for bad in [
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "hello",
        ] {
            assert!(
                context(&headers(&[("traceparent", bad)])).is_none(),
                "{bad}"
            );
        }
        assert!(context(&HeaderMap::new()).is_none());
    }
}
