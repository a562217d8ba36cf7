//! # The demo campaign
//!
//! `rectiflow demo` and `rectiflow serve --demo` write a sample campaign modelled on the
//! source into a rehearsal store of its own (`./data/demo.db`, never the real store): the
//! county of [`cast`] — four task forces, about sixty units and their people — and the
//! [`plan`] drawn for a seed: about 2,000 items with the source's categories, school-meal
//! complaints with their 24-hour window and others, alerts from the medical-insurance
//! platform, cases with both investigations (一案双查) and their repair items, and each
//! quarter's satisfaction surveys.
//!
//! Nothing is faked: every act is a command the rules decide, as the person the rules name
//! (see [`acts`]), and the rhythm is the real one — the [`Driver`] walks the clock from the
//! campaign's first Monday in March to early July, stopping at every instant something falls
//! due between one working day's office hours and the next (within a day's hours the acts are
//! decided one after another and what falls due meanwhile — a 24-hour window closing at 14:00
//! — is recorded when the driver next steps, after 17:00), so the weekly dispatches, the monthly bulletins, the quarterly assessments, the
//! deadline facts, the admonishments and the accountability cases they lead to are all
//! published by the schedules, the watchers and the policies themselves. Each working day's
//! acts are decided in memory and written in one transaction ([`rectiflow_engine::Batch`]),
//! so the whole campaign takes seconds. Same seed, same campaign.

pub mod acts;
pub mod cast;
pub mod cli;
pub mod plan;
mod setup;

use std::collections::BTreeMap;
use std::time::Instant;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;
use rectiflow_engine::EventStore;
use rectiflow_store::mode::Mode;
use rectiflow_store::Store;
use serde::Serialize;

use crate::config::Config;
use crate::driver::Driver;
use acts::Acting;
use plan::{ymd, Act, Scale};

/// The demo campaign's id.
pub const CAMPAIGN: &str = "qunfu-2026";
/// Where `serve --demo` keeps its rehearsal store, beside the real one.
pub const DEMO_DATABASE_URL: &str = "sqlite://data/demo.db";
/// The seed when none is given.
pub const DEFAULT_SEED: u64 = 2026;

/// The day the county is organised and the campaign set up (a Monday).
fn set_up_on() -> NaiveDate {
    ymd(2026, 3, 2)
}

/// The last day the secretariats list new items.
fn listing_ends() -> NaiveDate {
    ymd(2026, 6, 12)
}

/// The demo's last day: a week after the second quarter's assessment.
fn last_day() -> NaiveDate {
    ymd(2026, 7, 8)
}

/// `day` at `hour`:00 in the county (Asia/Shanghai has no daylight saving: never ambiguous).
fn local(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    let time = NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN);
    Shanghai
        .from_local_datetime(&day.and_time(time))
        .single()
        .map(|at| at.with_timezone(&Utc))
        .unwrap_or_else(|| day.and_time(time).and_utc())
}

/// Where the demo's clock is parked when it is written: 18:00 on its last day. `serve
/// --demo` serves the campaign as it stands then.
pub fn ends_at() -> DateTime<Utc> {
    local(last_day(), 18)
}

/// What the demo wrote.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub seed: u64,
    pub events: u64,
    pub items: usize,
    pub complaints: usize,
    pub alerts: usize,
    pub cases: usize,
    /// Publications the schedules made, by kind.
    pub dispatches: usize,
    pub bulletins: usize,
    pub assessments: usize,
    /// Admonishments the policy triggered, and accountability cases proposed.
    pub admonishments: Vec<String>,
    pub accountability: Vec<String>,
    /// Instants the driver stopped at.
    pub instants: usize,
    pub ended_at: DateTime<Utc>,
    pub seconds: f64,
}

/// Writes the demo campaign of `seed` into `store`, which must be empty, driving the rhythm
/// with `config`'s ports (its county's calendar, its repair terms).
pub async fn write<S: Store>(
    store: &S,
    config: &Config,
    seed: u64,
    scale: Scale,
) -> anyhow::Result<Summary> {
    let began = Instant::now();
    anyhow::ensure!(
        store.committed().await? == 0,
        "the demo is written into an empty store only; this one holds events already"
    );
    let start = local(set_up_on(), 9);
    // A rehearsal store: `serve --demo` serves it in rehearsal mode, its clock where the demo
    // left it, and it can never be served as the real campaign.
    rectiflow_store::mode::claim(store, Mode::Rehearsal, Some(start), chrono::Utc::now()).await?;
    let driver = Driver::new(store.clone(), config, start)?;
    let forces = cast::task_forces();
    setup::organise(&driver, &forces).await?;
    let plan = plan::draw(
        seed,
        scale,
        &forces,
        set_up_on() + chrono::Days::new(1),
        listing_ends(),
        last_day(),
    );
    let mut by_day: BTreeMap<NaiveDate, Vec<Act>> = BTreeMap::new();
    for (day, act) in &plan.acts {
        by_day.entry(*day).or_default().push(*act);
    }
    let acting = Acting {
        plan: &plan,
        forces: &forces,
        services: &driver.ports().services,
    };
    let mut instants = 0;
    for (day, acts) in by_day {
        // Everything due before the office opens happens first: facts, publications.
        instants += driver.advance_to(local(day, 9)).await?.instants;
        // The day's acts spread over the office hours, 09:00 to 17:00.
        let step = Duration::seconds(8 * 3600 / acts.len().max(1) as i64);
        let mut batch = driver.ports().exec.batch();
        for (k, act) in acts.into_iter().enumerate() {
            let now = local(day, 9) + step * k as i32;
            driver.clock().set(now);
            acting.act(&mut batch, act, now).await?;
        }
        batch.commit().await?;
    }
    instants += driver.advance_to(ends_at()).await?.instants;
    rectiflow_store::mode::keep_clock(store, driver.now()).await?;
    let mut summary = summarise(store).await?;
    summary.seed = seed;
    summary.items = plan.items.len();
    summary.complaints = plan.complaints.len();
    summary.alerts = plan.alerts.len();
    summary.cases = plan.cases.len();
    summary.instants = instants;
    summary.ended_at = driver.now();
    summary.seconds = began.elapsed().as_secs_f64();
    Ok(summary)
}

/// Counts what the schedules and policies published in `store`.
pub async fn summarise<S: EventStore + Sync>(store: &S) -> anyhow::Result<Summary> {
    let publications = store.all_stream_ids("publication").await?;
    let count = |kind: &str| {
        publications
            .iter()
            .filter(|id| id.starts_with(&format!("{kind}~")))
            .count()
    };
    Ok(Summary {
        events: store.committed().await?,
        dispatches: count("dispatch"),
        bulletins: count("bulletin"),
        assessments: count("assessment"),
        admonishments: store.all_stream_ids("admonishment").await?,
        accountability: store.all_stream_ids("accountability").await?,
        ..Summary::default()
    })
}

/// The demo as `serve --demo` finds it: written now (seed `seed`) if its store is empty, or
/// as an earlier run wrote it.
pub async fn load<S: Store>(store: &S, config: &Config, seed: u64) -> anyhow::Result<Summary> {
    if store.committed().await? == 0 {
        return write(store, config, seed, Scale::DEMO).await;
    }
    anyhow::ensure!(
        rectiflow_store::mode::read(store).await?.is_some(),
        "the demo store was written by an earlier version, before rehearsal stores were \
         marked: delete it ({DEMO_DATABASE_URL}) and start again"
    );
    let summary = summarise(store).await?;
    // The second quarter's assessment is published a week before the end: a store without it
    // holds a demo that was interrupted (the days are written one transaction each).
    anyhow::ensure!(
        summary.assessments >= 2,
        "the demo store holds an interrupted demo (no second-quarter assessment): delete it \
         ({DEMO_DATABASE_URL}) and start again"
    );
    Ok(Summary {
        ended_at: ends_at(),
        ..summary
    })
}

/// What the terminal shows of a demo.
pub fn report(summary: &Summary) -> String {
    let written = if summary.items > 0 {
        format!(
            "written in {:.1} s (seed {}): {} items, {} complaints, {} alerts, {} cases; ",
            summary.seconds,
            summary.seed,
            summary.items,
            summary.complaints,
            summary.alerts,
            summary.cases
        )
    } else {
        "as written before: ".to_owned()
    };
    format!(
        "demo campaign {CAMPAIGN} {written}{} events\n\
         published by the rhythm: {} dispatches, {} bulletins, {} assessments; \
         the policies triggered {} admonishments and proposed {} accountability cases\n\
         the clock stands at {} (Asia/Shanghai)\n\
         the schedules: rectiflow schedule list --database-url {DEMO_DATABASE_URL}\n",
        summary.events,
        summary.dispatches,
        summary.bulletins,
        summary.assessments,
        summary.admonishments.len(),
        summary.accountability.len(),
        summary
            .ended_at
            .with_timezone(&Shanghai)
            .format("%Y-%m-%d %H:%M"),
    )
}
