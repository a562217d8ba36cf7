//! `rectiflow-bench projections` (issue #10): the read models at a county's scale, each against
//! a baseline measured in the same run — a rebuild of every projection against the raw
//! catch-up read of the same log, the monthly bulletin at 100,000 items against 10,000 (and
//! its parts against a plain fetch of the same rows), and ledger pages against the same SELECT
//! by plain sqlx. Every part runs on databases created for it and dropped afterwards.

pub mod bulletin;
pub mod ledger;
mod markdown;
pub mod rebuild;

use std::path::PathBuf;

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::ValueEnum;
use rectiflow_engine::EventStore;
use rectiflow_projections::complaint_history::ComplaintHistory;
use rectiflow_projections::item_history::ItemHistory;
use rectiflow_projections::item_register::ItemRegister;
use rectiflow_projections::RowProjection;
use rectiflow_store::PgStore;

use crate::contenders::ours::Ours;
use crate::domain_log::{self, Scale};
use crate::report::emit;
use crate::run::on_fresh_db;
use bulletin::BulletinRound;
use ledger::LedgerRound;
pub use markdown::{Header, BEGIN, END};
use rebuild::RebuildRound;

/// The parts of the projection benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Part {
    Rebuild,
    Bulletin,
    Ledger,
}

#[derive(Debug, Clone)]
pub struct Settings {
    /// The big log: 1,000,000 events over 100,000 items of 1,000 units by default.
    pub scale: Scale,
    /// Items of the second, smaller log for the bulletin's scaling (same units, same events
    /// per item).
    pub small_items: u64,
    pub repeats: usize,
    /// Pages per ledger case per round.
    pub ledger_repeats: usize,
    pub parts: Vec<Part>,
    pub output: PathBuf,
}

/// Everything one run measured.
#[derive(Debug, Default)]
pub struct Results {
    pub events: u64,
    pub small_events: u64,
    pub rebuilds: Vec<RebuildRound>,
    pub bulletins: Vec<BulletinRound>,
    pub ledger: Vec<LedgerRound>,
    pub plans: Vec<(String, String)>,
}

/// The instant the ledger's read-time filters are judged at: fixed, so every run sees the
/// same overdue items.
fn ledger_as_of() -> DateTime<Utc> {
    DateTime::from_timestamp(1_780_000_000, 0).unwrap_or_default()
}

pub async fn run(admin_url: &str, settings: &Settings) -> anyhow::Result<Results> {
    let scale = settings.scale;
    on_fresh_db(admin_url, "projections", |url| async move {
        let ours = Ours::start(&url, 100).await?;
        let result = on_big(admin_url, &ours.store, scale, settings).await;
        ours.stop().await;
        result
    })
    .await
}

/// Fills the big log; runs the rebuild rounds on it (or one unmeasured rebuild, to build the
/// models the other parts read); then the bulletin against the small log, and the ledger.
async fn on_big(
    admin_url: &str,
    store: &PgStore,
    scale: Scale,
    settings: &Settings,
) -> anyhow::Result<Results> {
    let mut results = Results {
        events: domain_log::fill(store, scale).await?,
        ..Results::default()
    };
    settle(store).await?;
    let head = store.head().await?;
    if settings.parts.contains(&Part::Rebuild) {
        for round in 0..settings.repeats {
            eprintln!("rebuild round {}", round + 1);
            let result = rebuild::round(store, head, round).await?;
            emit("projections_rebuild", &result);
            results.rebuilds.push(result);
        }
    } else {
        // Only what the bulletin and the ledger read, unmeasured.
        rebuild::rebuild_all(store, &read_by_parts()).await?;
    }
    settle(store).await?;
    if settings.parts.contains(&Part::Bulletin) {
        let small = Scale {
            events: scale.events * settings.small_items / scale.items.max(1),
            items: settings.small_items,
            units: scale.units,
        };
        let big_inputs = bulletin::inputs(head)?;
        let (small_events, rounds) = on_fresh_db(admin_url, "bulletin", |url| async move {
            let ours = Ours::start(&url, 100).await?;
            let result = bulletins(store, &ours.store, &big_inputs, scale, small, settings).await;
            ours.stop().await;
            result
        })
        .await?;
        results.small_events = small_events;
        results.bulletins = rounds;
    }
    if settings.parts.contains(&Part::Ledger) {
        let as_of = ledger_as_of();
        for round in 0..settings.repeats {
            eprintln!("ledger round {}", round + 1);
            for result in
                ledger::round(store, &scale, as_of, settings.ledger_repeats, round).await?
            {
                emit("projections_ledger", &result);
                results.ledger.push(result);
            }
        }
        results.plans = ledger::plans(store, &scale, as_of).await?;
    }
    Ok(results)
}

/// The small log filled and built, then the bulletin at both scales, interleaved round by round.
async fn bulletins(
    big: &PgStore,
    small: &PgStore,
    big_inputs: &rectiflow_projections::figures::FigureInputs,
    scale: Scale,
    small_scale: Scale,
    settings: &Settings,
) -> anyhow::Result<(u64, Vec<BulletinRound>)> {
    let events = domain_log::fill(small, small_scale).await?;
    rebuild::rebuild_all(small, &read_by_parts()).await?;
    settle(small).await?;
    let small_inputs = bulletin::inputs(small.head().await?)?;
    let mut rounds = Vec::new();
    for round in 0..settings.repeats {
        eprintln!("bulletin round {}", round + 1);
        for (store, inputs, items) in [
            (small, &small_inputs, small_scale.items),
            (big, big_inputs, scale.items),
        ] {
            let result = bulletin::round(store, inputs, items, round).await?;
            emit("projections_bulletin", &result);
            rounds.push(result);
        }
    }
    Ok((events, rounds))
}

/// The projections the bulletin and the ledger read.
fn read_by_parts() -> Vec<String> {
    [
        ItemRegister::NAME,
        ItemHistory::NAME,
        ComplaintHistory::NAME,
    ]
    .map(str::to_owned)
    .to_vec()
}

/// Vacuums and analyses every table, so each reader finds them settled with fresh statistics.
async fn settle(store: &PgStore) -> anyhow::Result<()> {
    sqlx::query("VACUUM ANALYZE")
        .execute(store.pool())
        .await
        .context("vacuuming")?;
    Ok(())
}
