//! Metrics exposition. Every crate records through the `metrics` facade where the thing it
//! counts happens (the sequencer's batches, a worker's failures, …); this module installs the
//! one Prometheus recorder of the process and renders it for `/metrics`.

use std::sync::OnceLock;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// The latency buckets of API requests, in seconds.
const LATENCY_BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// The process's Prometheus recorder, installed on first use. A process has one global
/// recorder, so several applications in one process (as in tests) share it.
pub fn metrics() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            // Latency as a histogram with buckets (not the default summary): summaries of
            // several processes cannot be added up behind a balancer; buckets can.
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full("rectiflow_http_request_duration_seconds".to_owned()),
                    LATENCY_BUCKETS,
                )
                .unwrap_or_else(|_| PrometheusBuilder::new());
            let recorder = builder.build_recorder();
            let handle = recorder.handle();
            // Another recorder may already be installed (a test harness's); ours then
            // renders only what was described to it, which is still a valid exposition.
            if metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!("a metrics recorder was already installed; /metrics is partial");
            }
            describe();
            handle
        })
        .clone()
}

/// The kind of a series, as described to the recorder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Counter,
    Gauge,
    Histogram,
}

/// Every series the process records, with its help text: what `describe` tells the recorder
/// and what ops/RUNBOOK.md must document (a test holds the two together).
const SERIES: &[(&str, Kind, &str)] = &[
    (
        "rectiflow_log_head_position",
        Kind::Gauge,
        "Highest position assigned in the global log.",
    ),
    (
        "rectiflow_sequencer_active",
        Kind::Gauge,
        "1 when this process is the database's sequencer.",
    ),
    (
        "rectiflow_sequencer_blocked",
        Kind::Gauge,
        "1 while the log is stopped at an event row the sequencer cannot read (read from the \
         database: the same in every process).",
    ),
    (
        "rectiflow_sequencer_events_total",
        Kind::Counter,
        "Events given a position by this process.",
    ),
    (
        "rectiflow_sequencer_batches_total",
        Kind::Counter,
        "Batches sequenced by this process.",
    ),
    (
        "rectiflow_sequencer_pending_transactions",
        Kind::Gauge,
        "Transactions still running behind the sequencer's cursor, whose events take the next \
         positions when they commit.",
    ),
    (
        "rectiflow_consumer_lag",
        Kind::Gauge,
        "Events each consumer (projection or policy) has yet to apply: the log's head minus its \
         checkpoint (read from the database: the same in every process).",
    ),
    (
        "rectiflow_worker_failures_total",
        Kind::Counter,
        "Failures (errors, panics, early exits) of each background worker.",
    ),
    (
        "rectiflow_http_requests_total",
        Kind::Counter,
        "API requests by method, route (the path's template) and status.",
    ),
    (
        "rectiflow_http_request_duration_seconds",
        Kind::Histogram,
        "Time to answer an API request (to the response's head), by method and route.",
    ),
    (
        "rectiflow_commands_total",
        Kind::Counter,
        "Commands by aggregate and outcome: accepted, refused (by the rules), conflict (a \
         stale version), malformed, failed (a port or the store).",
    ),
    (
        "rectiflow_events_appended_total",
        Kind::Counter,
        "Events committed by this process's commands, by aggregate.",
    ),
    (
        "rectiflow_sse_streams",
        Kind::Gauge,
        "Event streams (SSE) this process is serving.",
    ),
    (
        "rectiflow_webhook_lag",
        Kind::Gauge,
        "Events each webhook subscription has yet to handle: the log's head minus its \
         position, by subscription (read from the database at each scrape; 0 once removed).",
    ),
    (
        "rectiflow_events_unpublished_total",
        Kind::Counter,
        "Events a subscriber was owed that the catalogue cannot publish (a type or schema \
         version it does not know): parked by webhooks, passed over by streams.",
    ),
    (
        "rectiflow_nats_published_total",
        Kind::Counter,
        "Events JetStream acknowledged storing, published by this process.",
    ),
    (
        "rectiflow_webhook_deliveries_total",
        Kind::Counter,
        "Webhook deliveries a receiver accepted (2xx), redeliveries included.",
    ),
    (
        "rectiflow_webhook_failures_total",
        Kind::Counter,
        "Webhook delivery tries that failed: another status, a timeout, no connection.",
    ),
    (
        "rectiflow_scheduler_next_fire_timestamp_seconds",
        Kind::Gauge,
        "When the rhythm next fires (Unix seconds) — the earliest next occurrence of any \
         running schedule, as this process's scheduler last looked; 0 when none runs.",
    ),
    (
        "rectiflow_scheduler_occurrences_total",
        Kind::Counter,
        "Occurrences this process's scheduler fired, skipped (past their catch-up window) or \
         completed, and those another process took first (lost), by outcome.",
    ),
    (
        "rectiflow_webhook_dead_letters_total",
        Kind::Counter,
        "Webhook deliveries given up on after their last try and parked as dead letters.",
    ),
];

/// Help texts, so the exposition says what each series means.
fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram, Unit};
    for (name, kind, help) in SERIES {
        match kind {
            Kind::Counter => describe_counter!(*name, *help),
            Kind::Gauge if name.ends_with("_seconds") => {
                describe_gauge!(*name, Unit::Seconds, *help)
            }
            Kind::Gauge => describe_gauge!(*name, *help),
            Kind::Histogram => describe_histogram!(*name, Unit::Seconds, *help),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SERIES;

    /// Identifiers in the docs that look like series but are not: a role, notification
    /// channels, the migrations table.
    const NOT_SERIES: &[&str] = &[
        "rectiflow_auditor",
        "rectiflow_log",
        "rectiflow_commit",
        "rectiflow_migrations",
    ];

    /// The `rectiflow_*` identifiers a document names (crate paths such as
    /// `rectiflow_store::Store` left out).
    fn named_in(text: &str) -> Vec<String> {
        let mut names = Vec::new();
        let mut rest = text;
        while let Some(at) = rest.find("rectiflow_") {
            let tail = &rest[at..];
            let end = tail
                .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
                .unwrap_or(tail.len());
            if !tail[end..].starts_with("::") {
                names.push(tail[..end].trim_end_matches('_').to_owned());
            }
            rest = &tail[end..];
        }
        names
    }

    /// The docs and the Grafana dashboard name only series the code records, and the runbook
    /// names every one: a documented or charted series that is never emitted (or an emitted one
    /// nobody can look up) fails.
    #[test]
    fn the_docs_and_the_recorded_series_agree() {
        let known = |name: &str| {
            let base = name
                .strip_suffix("_sum")
                .or_else(|| name.strip_suffix("_count"))
                .unwrap_or(name);
            SERIES.iter().any(|(series, _, _)| *series == base)
        };
        for (doc, text) in [
            ("ops/RUNBOOK.md", include_str!("../../../ops/RUNBOOK.md")),
            (
                "docs/EVENT_STORE.md",
                include_str!("../../../docs/EVENT_STORE.md"),
            ),
            ("docs/ENGINE.md", include_str!("../../../docs/ENGINE.md")),
            (
                "ops/grafana/rectiflow.json",
                include_str!("../../../ops/grafana/rectiflow.json"),
            ),
        ] {
            for name in named_in(text) {
                assert!(
                    known(&name) || NOT_SERIES.contains(&name.as_str()),
                    "{doc} names {name}, which the code does not record"
                );
            }
        }
        let runbook = named_in(include_str!("../../../ops/RUNBOOK.md"));
        for (series, _, _) in SERIES {
            assert!(
                runbook.iter().any(|name| name == series),
                "ops/RUNBOOK.md does not document {series}"
            );
        }
    }
}
