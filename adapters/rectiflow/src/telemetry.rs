//! Metrics exposition. Every crate records through the `metrics` facade where the thing it
//! counts happens (the sequencer's batches, a worker's failures, …); this module installs the
//! one Prometheus recorder of the process and renders it for `/metrics`.

use std::sync::OnceLock;

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

/// The process's Prometheus recorder, installed on first use. A process has one global
/// recorder, so several applications in one process (as in tests) share it.
pub fn metrics() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new().build_recorder();
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

/// Help texts, so the exposition says what each series means.
fn describe() {
    use metrics::{describe_counter, describe_gauge};
    describe_gauge!(
        "rectiflow_log_head_position",
        "Highest position assigned in the global log."
    );
    describe_gauge!(
        "rectiflow_sequencer_active",
        "1 when this process is the database's sequencer."
    );
    describe_gauge!(
        "rectiflow_sequencer_blocked",
        "1 while the sequencer is stopped at an event row it cannot read."
    );
    describe_counter!(
        "rectiflow_sequencer_events_total",
        "Events given a position by this process."
    );
    describe_counter!(
        "rectiflow_sequencer_batches_total",
        "Batches sequenced by this process."
    );
    describe_gauge!(
        "rectiflow_sequencer_pending_transactions",
        "Transactions still running behind the sequencer's cursor, whose events take the next \
         positions when they commit."
    );
    describe_counter!(
        "rectiflow_worker_failures_total",
        "Failures (errors, panics, early exits) of each background worker."
    );
}
