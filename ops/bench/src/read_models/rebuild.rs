//! Rebuild against catch-up: a rebuild of every registered projection through the very code of
//! `rectiflow rebuild` ([`rebuild_projections`]: every projection rebuilt aside from position 0
//! in one pass over the log and swapped in together), against the raw catch-up read of the
//! same log ([`crate::catchup::raw_scan`]: one streaming SELECT, rows decoded into the same
//! types), interleaved round by round.

use std::time::Instant;

use rectiflow::rebuild::rebuild_projections;
use rectiflow_engine::CancellationToken;
use rectiflow_store::PgStore;
use serde::Serialize;

use crate::run::per_second;

/// One projection's share of a rebuild.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectionRebuild {
    pub projection: String,
    pub seconds: f64,
    pub events_per_s: f64,
}

/// One round: the raw read, then the rebuild of all projections.
#[derive(Debug, Clone, Serialize)]
pub struct RebuildRound {
    pub round: usize,
    pub events: u64,
    pub raw_seconds: f64,
    pub raw_events_per_s: f64,
    /// All projections, from the first lease to the last swap.
    pub rebuild_seconds: f64,
    /// The log's events over the whole rebuild's time.
    pub rebuild_events_per_s: f64,
    pub projections: Vec<ProjectionRebuild>,
}

/// The raw read of the log's `events` positions, then a rebuild of every projection.
pub async fn round(store: &PgStore, events: u64, round: usize) -> anyhow::Result<RebuildRound> {
    let (raw_events, raw) = crate::catchup::raw_scan(store, events).await?;
    let (rebuild_seconds, projections) = rebuild_all(store, &[]).await?;
    Ok(RebuildRound {
        round,
        events: raw_events,
        raw_seconds: raw.as_secs_f64(),
        raw_events_per_s: per_second(raw_events, raw),
        rebuild_seconds,
        rebuild_events_per_s: raw_events as f64 / rebuild_seconds.max(1e-6),
        projections,
    })
}

/// Rebuilds the projections `names` (every registered one if empty) as `rectiflow rebuild`
/// does (it prints a line per projection on stdout, as the command does); returns the whole
/// time and each one's.
pub async fn rebuild_all(
    store: &PgStore,
    names: &[String],
) -> anyhow::Result<(f64, Vec<ProjectionRebuild>)> {
    let started = Instant::now();
    let rebuilt = rebuild_projections(store, names, &CancellationToken::new()).await?;
    let took = started.elapsed().as_secs_f64();
    let projections = rebuilt
        .iter()
        .map(|r| ProjectionRebuild {
            projection: r.consumer.clone(),
            seconds: r.elapsed.as_secs_f64(),
            events_per_s: r.rate(),
        })
        .collect();
    Ok((took, projections))
}
