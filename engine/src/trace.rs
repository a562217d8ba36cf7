//! # One trace from the request to every consumer
//!
//! An event keeps the W3C trace context of the request that caused it ([`TraceContext`] in
//! its metadata). Whatever acts on the event later — a projection's batch, a policy's
//! command, a webhook delivery, the NATS publisher — opens its span *in that trace*, so an
//! operator who follows a request in their tracing tool sees every consumer it set moving,
//! and a command a policy sends records the same trace again: the chain
//! request → event → policy → command → event → webhook is one trace.
//!
//! With an OpenTelemetry exporter installed (a `tracing-opentelemetry` layer), a span joined
//! here is exported as a child of the event's span, and the ids it hands on are its own.
//! Without one there is no span to export, but the ids still matter: log lines carry the
//! `trace_id` field, and what is handed on keeps the trace id under a fresh span id.
//!
//! A batch holds events of many requests; a span has one parent. The batch's span is the
//! child of its first traced event and *links* to the traces of the others (the
//! OpenTelemetry messaging conventions for batch processing), up to [`MAX_LINKS`].

use opentelemetry::trace::{
    SpanContext, SpanId, TraceContextExt as _, TraceFlags, TraceId, TraceState,
};
use tracing::Span;
use tracing_opentelemetry::OpenTelemetrySpanExt as _;

use crate::model::{LoggedEvent, TraceContext};

/// The most traces a batch's span links to (OpenTelemetry's default limit of links per
/// span): a catch-up batch of thousands of requests' events is not worth thousands of links.
pub const MAX_LINKS: usize = 128;

impl TraceContext {
    /// The trace id (32 lowercase hex digits), if the `traceparent` is well formed.
    pub fn trace_id(&self) -> Option<&str> {
        self.parts().map(|(trace, _, _)| trace)
    }

    fn parts(&self) -> Option<(&str, &str, &str)> {
        parts(&self.traceparent)
    }

    /// The caller's span as the remote parent of one of ours.
    fn remote(&self) -> Option<SpanContext> {
        remote(&self.traceparent)
    }
}

/// `(trace id, parent span id, flags)` of a well-formed `traceparent` of version 00.
fn parts(traceparent: &str) -> Option<(&str, &str, &str)> {
    let mut parts = traceparent.split('-');
    let (version, trace, span, flags) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let hex = |s: &str, len: usize| {
        s.len() == len && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    };
    let zero = |s: &str| s.bytes().all(|b| b == b'0');
    (version == "00"
        && parts.next().is_none()
        && hex(trace, 32)
        && !zero(trace)
        && hex(span, 16)
        && !zero(span)
        && hex(flags, 2))
    .then_some((trace, span, flags))
}

/// The span a well-formed `traceparent` names, as the remote parent of one of ours.
fn remote(traceparent: &str) -> Option<SpanContext> {
    let (trace, span, flags) = parts(traceparent)?;
    Some(SpanContext::new(
        TraceId::from_hex(trace).ok()?,
        SpanId::from_hex(span).ok()?,
        TraceFlags::new(u8::from_str_radix(flags, 16).ok()?),
        true,
        TraceState::default(),
    ))
}

/// The `traceparent` an event's metadata names, read in place (every consumer asks this of
/// every event it applies: no copy, no decoding of the rest).
fn traceparent_of(event: &LoggedEvent) -> Option<&str> {
    let traceparent = event
        .event
        .metadata
        .get("trace")?
        .get("traceparent")?
        .as_str()?;
    parts(traceparent).map(|_| traceparent)
}

/// The trace context an event was recorded under, if its metadata names a well-formed one.
pub fn of(event: &LoggedEvent) -> Option<TraceContext> {
    let trace = event.event.metadata.get("trace")?;
    serde_json::from_value::<TraceContext>(trace.clone())
        .ok()
        .filter(|t| t.parts().is_some())
}

/// Makes `span` (fresh: not yet entered) a child of `parent`'s span — or, without a parent,
/// the root of a new trace — and returns the context `span` stands in, for what is recorded
/// or sent inside it. Records the trace id in `span`'s `trace_id` field when it declares one.
pub fn begin(span: &Span, parent: Option<&TraceContext>) -> TraceContext {
    if let Some(remote) = parent.and_then(TraceContext::remote) {
        // Without an exporter there is no OpenTelemetry span to re-parent: nothing to do.
        let _ = span.set_parent(opentelemetry::Context::new().with_remote_span_context(remote));
    }
    let context = own(span, parent).unwrap_or_else(|| minted(parent));
    if let Some(trace_id) = context.trace_id() {
        span.record("trace_id", trace_id);
    }
    context
}

/// Joins `span` (fresh) to the traces of `batch`: the child of the first traced event's span,
/// linked to the other traces (see the module's documentation). Returns the context of
/// `span`, or `None` when no event of the batch names a trace.
pub fn join(span: &Span, batch: &[LoggedEvent]) -> Option<TraceContext> {
    let at = batch.iter().position(|e| traceparent_of(e).is_some())?;
    let first = of(&batch[at])?;
    // The links go on before `begin` starts the span, so a sampler sees them.
    let mut linked: Vec<&str> = Vec::new();
    for traceparent in batch[at + 1..].iter().filter_map(traceparent_of) {
        if linked.len() == MAX_LINKS {
            break;
        }
        let Some((id, _, _)) = parts(traceparent) else {
            continue;
        };
        if Some(id) == first.trace_id() || linked.contains(&id) {
            continue;
        }
        linked.push(id);
        if let Some(remote) = remote(traceparent) {
            span.add_link(remote);
        }
    }
    Some(begin(span, Some(&first)))
}

/// What a command sent inside the current span on behalf of an event recorded under `cause`
/// records: the current span's own context when it is exported in the same trace (so the
/// command's events are its children), else the cause's as it was.
pub fn within(cause: Option<&TraceContext>) -> Option<TraceContext> {
    let cause = cause?;
    let same_trace = |c: &TraceContext| c.trace_id() == cause.trace_id();
    own(&Span::current(), Some(cause))
        .filter(same_trace)
        .or_else(|| Some(cause.clone()))
}

/// `span`'s own OpenTelemetry context as a `traceparent` (with `parent`'s state when in its
/// trace), or `None` without an exporter.
fn own(span: &Span, parent: Option<&TraceContext>) -> Option<TraceContext> {
    let context = span.context();
    let own = context.span().span_context().clone();
    if !own.is_valid() {
        return None;
    }
    let traceparent = format!(
        "00-{:032x}-{:016x}-{:02x}",
        own.trace_id(),
        own.span_id(),
        own.trace_flags().to_u8()
    );
    let tracestate = parent
        .filter(|p| p.parts().map(|(t, _, _)| t) == Some(&traceparent[3..35]))
        .and_then(|p| p.tracestate.clone());
    Some(TraceContext {
        traceparent,
        tracestate,
    })
}

/// A context drawn here: `parent`'s trace under a new span id, or a new trace.
fn minted(parent: Option<&TraceContext>) -> TraceContext {
    let span_id = format!("{:016x}", rand::random::<u64>() | 1);
    match parent.and_then(|p| p.parts().map(|parts| (p, parts))) {
        Some((parent, (trace, _, flags))) => TraceContext {
            traceparent: format!("00-{trace}-{span_id}-{flags}"),
            tracestate: parent.tracestate.clone(),
        },
        None => TraceContext {
            traceparent: format!("00-{:032x}-{span_id}-01", rand::random::<u128>() | 1),
            tracestate: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CALLER: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    fn context(traceparent: &str) -> TraceContext {
        TraceContext {
            traceparent: traceparent.to_owned(),
            tracestate: Some("rojo=1".to_owned()),
        }
    }

    #[test]
    fn only_a_well_formed_traceparent_names_a_trace() {
        assert_eq!(
            context(CALLER).trace_id(),
            Some("4bf92f3577b34da6a3ce929d0e0e4736")
        );
        for bad in [
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-xx",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
        ] {
            assert_eq!(context(bad).trace_id(), None, "{bad}");
        }
    }

    #[test]
    fn without_an_exporter_a_span_continues_the_trace_under_a_span_id_of_its_own() {
        let span = tracing::error_span!("consume", trace_id = tracing::field::Empty);
        let begun = begin(&span, Some(&context(CALLER)));
        assert_eq!(begun.trace_id(), Some("4bf92f3577b34da6a3ce929d0e0e4736"));
        assert_ne!(begun.traceparent, CALLER, "a span id of its own");
        assert_eq!(begun.tracestate.as_deref(), Some("rojo=1"));

        let root = begin(&span, None);
        assert!(root.trace_id().is_some());
        assert_ne!(root.trace_id(), begun.trace_id());
        assert_eq!(root.tracestate, None);
        // Outside an exported span, a command on behalf of the cause keeps the cause's.
        assert_eq!(within(Some(&context(CALLER))), Some(context(CALLER)));
        assert_eq!(within(None), None);
    }
}
