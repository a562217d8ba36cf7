//! Logs: human-readable lines on a terminal, coloured only there (a file or a pipe gets no
//! escape codes), or JSON lines for a log collector (`--log-format json`), each carrying the
//! fields of the spans it was written in — a request's `trace_id` among them, so a collector
//! joins a request's lines to its trace and to the events it recorded.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// How log lines are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Lines for people; colour on a terminal only.
    #[default]
    Human,
    /// One JSON object per line.
    Json,
}

/// Installs the process's subscriber on stderr, filtered by `RUST_LOG` (default `info`).
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Human => builder.with_ansi(std::io::stderr().is_terminal()).init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .init(),
    }
}
