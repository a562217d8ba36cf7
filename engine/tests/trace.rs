//! A consumer's span, exported through a real OpenTelemetry layer, continues the trace of the
//! request that caused its events: the child of the first event's span, linked to the others'.

use std::sync::{Arc, Mutex};

use chrono::Utc;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::error::OTelSdkResult;
use opentelemetry_sdk::trace::{SdkTracerProvider, SpanData, SpanExporter};
use rectiflow_engine::{trace, LoggedEvent, RecordedEvent, StreamRef, TraceContext};
use serde_json::json;
use tracing_subscriber::layer::SubscriberExt as _;
use uuid::Uuid;

/// Keeps what it is given, for the test to read.
#[derive(Debug, Clone, Default)]
struct Kept(Arc<Mutex<Vec<SpanData>>>);

impl SpanExporter for Kept {
    async fn export(&self, batch: Vec<SpanData>) -> OTelSdkResult {
        if let Ok(mut kept) = self.0.lock() {
            kept.extend(batch);
        }
        Ok(())
    }
}

fn event(position: u64, traceparent: Option<&str>) -> LoggedEvent {
    let metadata = match traceparent {
        Some(t) => json!({"actor": "p-1", "trace": {"traceparent": t}}),
        None => json!({"actor": "p-1"}),
    };
    LoggedEvent {
        position,
        hash: String::new(),
        event: RecordedEvent {
            event_id: Uuid::now_v7(),
            stream: StreamRef::new("item", "YB-1"),
            stream_version: position,
            event_type: "item.registered".to_owned(),
            schema_version: "1".to_owned(),
            payload: json!({}),
            metadata,
            recorded_at: Utc::now(),
        },
    }
}

const FIRST: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
const OTHER: &str = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

#[test]
fn a_batch_span_is_the_child_of_its_first_trace_and_links_the_others() {
    let kept = Kept::default();
    let provider = SdkTracerProvider::builder()
        .with_simple_exporter(kept.clone())
        .build();
    let subscriber = tracing_subscriber::registry()
        .with(tracing_opentelemetry::layer().with_tracer(provider.tracer("test")));
    let (joined, within) = tracing::subscriber::with_default(subscriber, || {
        let span = tracing::error_span!("consume", trace_id = tracing::field::Empty);
        let batch = [
            event(1, None),
            event(2, Some(FIRST)),
            event(3, Some(OTHER)),
            event(4, Some(FIRST)),
        ];
        let joined = trace::join(&span, &batch).expect("the batch names a trace");
        let cause = TraceContext {
            traceparent: FIRST.to_owned(),
            tracestate: None,
        };
        let within = span.in_scope(|| trace::within(Some(&cause)));
        drop(span);
        (joined, within)
    });
    let spans = kept.0.lock().expect("the kept spans").clone();
    let [span] = spans.as_slice() else {
        panic!("one span exported, not {}", spans.len())
    };
    assert_eq!(
        format!("{:032x}", span.span_context.trace_id()),
        "4bf92f3577b34da6a3ce929d0e0e4736"
    );
    assert_eq!(format!("{:016x}", span.parent_span_id), "00f067aa0ba902b7");
    assert!(span.parent_span_is_remote);
    let links: Vec<String> = span
        .links
        .iter()
        .map(|l| format!("{:032x}", l.span_context.trace_id()))
        .collect();
    assert_eq!(
        links,
        ["0af7651916cd43dd8448eb211c80319c"],
        "one link per other trace"
    );
    // What the span hands on is its own exported id, in the first event's trace.
    let own = format!(
        "00-{:032x}-{:016x}-01",
        span.span_context.trace_id(),
        span.span_context.span_id()
    );
    assert_eq!(joined.traceparent, own);
    assert_eq!(within.map(|w| w.traceparent), Some(own));
}

#[test]
fn a_batch_without_traces_joins_none() {
    let span = tracing::error_span!("consume", trace_id = tracing::field::Empty);
    assert_eq!(trace::join(&span, &[event(1, None)]), None);
}
