//! The monthly bulletin (月通报), county-wide: [`read_figures`] as the publisher calls it (read
//! every item's and complaint's history, then compute), and beside it the parts of its time —
//! the same rows fetched by plain sqlx (the baseline: what the database and the wire cost),
//! fetched through the read-model API as JSON rows, decoded into typed rows, and the pure
//! computation — so a miss can be put where it belongs.

use std::time::Instant;

use anyhow::Context;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use rectiflow_domain::publication::{FigureRules, Period, PublicationKind, PublicationScope};
use rectiflow_domain::values::CampaignId;
use rectiflow_projections::complaint_history::{ComplaintHistory, ComplaintRow};
use rectiflow_projections::figures::{compute, read_figures, FigureInputs};
use rectiflow_projections::item_history::{ItemHistory, ItemHistoryRow};
use rectiflow_projections::RowProjection;
use rectiflow_store::PgStore;
use serde::Serialize;

use crate::domain_log::CAMPAIGN;

/// One timed bulletin at one scale.
#[derive(Debug, Clone, Serialize)]
pub struct BulletinRound {
    pub round: usize,
    pub items: u64,
    /// `read_figures`: read and compute, as published.
    pub seconds: f64,
    /// Plain sqlx: every row of both histories, columns as strings, nothing decoded.
    pub raw_fetch_seconds: f64,
    /// The read-model API's `read_all` as JSON rows (fetch and the row-to-JSON conversion).
    pub json_rows_seconds: f64,
    /// `read_all` into typed rows (adds the decoding of the facts).
    pub typed_rows_seconds: f64,
    /// `compute` alone, on rows already read.
    pub compute_seconds: f64,
    pub units_ranked: usize,
}

/// May 2026's bulletin, county-wide, as of `position`.
pub fn inputs(position: u64) -> anyhow::Result<FigureInputs> {
    Ok(FigureInputs {
        kind: PublicationKind::Bulletin,
        campaign: CampaignId::parse(CAMPAIGN)?,
        scope: PublicationScope::County,
        period: Period {
            start: shanghai(2026, 5, 1)?,
            cut_off: shanghai(2026, 6, 1)?,
        },
        position,
        mitigation_factor: 0.5,
        rules: FigureRules {
            bottom_of_ranking: 5,
            overdue_items_threshold: 3,
            grades: None,
        },
        stall_days: 14,
    })
}

/// Times the bulletin of `inputs` on `store` and each of its parts.
pub async fn round(
    store: &PgStore,
    inputs: &FigureInputs,
    items: u64,
    round: usize,
) -> anyhow::Result<BulletinRound> {
    let started = Instant::now();
    let computed = read_figures(store, inputs, None)
        .await
        .context("read_figures")?;
    let seconds = started.elapsed().as_secs_f64();

    let started = Instant::now();
    for table in [ItemHistory::TABLE.name, ComplaintHistory::TABLE.name] {
        let rows = sqlx::query(&format!("SELECT * FROM {table}"))
            .fetch_all(store.pool())
            .await
            .with_context(|| format!("reading {table}"))?;
        std::hint::black_box(rows);
    }
    let raw_fetch_seconds = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let json: Vec<serde_json::Value> = ItemHistory::TABLE.read_all(store).await?;
    let json_complaints: Vec<serde_json::Value> = ComplaintHistory::TABLE.read_all(store).await?;
    let json_rows_seconds = started.elapsed().as_secs_f64();
    drop((json, json_complaints));

    let started = Instant::now();
    let rows: Vec<ItemHistoryRow> = ItemHistory::TABLE.read_all(store).await?;
    let complaints: Vec<ComplaintRow> = ComplaintHistory::TABLE.read_all(store).await?;
    let typed_rows_seconds = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let again = compute(inputs, &rows, &complaints, None)?;
    let compute_seconds = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        again.figures == computed.figures,
        "the figures computed apart differ from read_figures'"
    );
    Ok(BulletinRound {
        round,
        items,
        seconds,
        raw_fetch_seconds,
        json_rows_seconds,
        typed_rows_seconds,
        compute_seconds,
        units_ranked: computed.figures.units.len(),
    })
}

/// The start of a day in the county's time zone.
fn shanghai(y: i32, m: u32, d: u32) -> anyhow::Result<DateTime<Utc>> {
    let date = NaiveDate::from_ymd_opt(y, m, d).context("a date")?;
    chrono_tz::Asia::Shanghai
        .from_local_datetime(&date.and_hms_opt(0, 0, 0).context("midnight")?)
        .single()
        .map(|at| at.with_timezone(&Utc))
        .context("a local midnight")
}
