//! Logs: human-readable lines on a terminal, coloured only there (a file or a pipe gets no
//! escape codes), or JSON lines for a log collector (`--log-format json`), each carrying the
//! fields of the spans it was written in — a request's `trace_id` among them, so a collector
//! joins a request's lines to its trace and to the events it recorded. With an OTLP endpoint,
//! the same spans are exported as traces ([`crate::otel`]).

use std::io::IsTerminal;

use opentelemetry_sdk::trace::Tracer;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// How log lines are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Lines for people; colour on a terminal only.
    #[default]
    Human,
    /// One JSON object per line.
    Json,
}

/// Installs the process's subscriber: lines on stderr filtered by `RUST_LOG` (default `info`),
/// and spans exported through `tracer` when there is one. The NATS client is held to `info`
/// whatever `RUST_LOG` says: its debug lines print the server's URL, credentials and all.
pub fn init(format: LogFormat, tracer: Option<Tracer>) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    let lines = match format {
        LogFormat::Human => tracing_subscriber::fmt::layer()
            .with_writer(std::io::stderr)
            .with_ansi(std::io::stderr().is_terminal())
            .boxed(),
        LogFormat::Json => tracing_subscriber::fmt::layer()
            .json()
            .flatten_event(true)
            .with_current_span(true)
            // Every enclosing span, so a line written deep in a command still names the
            // request's trace_id.
            .with_span_list(true)
            .with_writer(std::io::stderr)
            .boxed(),
    };
    let traces = tracer.map(|tracer| tracing_opentelemetry::layer().with_tracer(tracer));
    // Above every other directive, however specific (`async_nats::connector=debug` too).
    let nats_held = tracing_subscriber::filter::filter_fn(|meta| {
        !meta.target().starts_with("async_nats") || *meta.level() <= tracing::Level::INFO
    });
    tracing_subscriber::registry()
        .with(filter)
        .with(nats_held)
        .with(lines)
        .with(traces)
        .init();
}
