//! `rectiflow schedule preview`: the rhythm's occurrences between two dates, as a table or as
//! JSON. Without a campaign it previews the built-in rhythm (DOMAIN.md: Monday 09:00
//! dispatches, bulletins and assessments at 09:00 on the first working day) on China's
//! arrangement in Beijing time, and opens no store. With one, it reads that campaign's rhythm
//! and time zone and the county's working-day declarations from the store — read-only, as
//! `verify` does, so it never creates or migrates a database.

use std::fmt::Write as _;
use std::sync::Arc;

use anyhow::Context;
use chrono::NaiveDate;
use rectiflow_domain::calendar::{CountyCalendar, WorkingCalendar};
use rectiflow_domain::services::SettingsSource;
use rectiflow_domain::values::{CampaignId, CountyId};
use rectiflow_engine::calendar::StoreCalendar;
use rectiflow_engine::settings::StoreSettings;
use rectiflow_engine::Executor;
use rectiflow_scheduler::calendar::{CampaignCalendar, RhythmRules, DEFAULT_ZONE};
use rectiflow_scheduler::preview::{preview, PreviewLine};
use rectiflow_store::{with_store, AnyStore, Store};

use crate::clock::SystemClock;
use crate::config::Config;

/// The built-in rhythm on China's arrangement in Beijing time.
pub fn preview_default(from: NaiveDate, to: NaiveDate) -> anyhow::Result<Vec<PreviewLine>> {
    let china = CountyCalendar::china();
    Ok(preview(
        &RhythmRules::default(),
        from,
        to,
        CampaignCalendar::new(DEFAULT_ZONE, &china),
    )?)
}

/// `campaign`'s rhythm, time zone and working days as the store at `config.database_url`
/// holds them now.
pub async fn preview_campaign(
    config: &Config,
    campaign: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> anyhow::Result<Vec<PreviewLine>> {
    let campaign = CampaignId::parse(campaign)?;
    let store = AnyStore::inspect(&config.database_url).await?;
    let county = config.county_id()?;
    with_store!(store, store => preview_on(&store, county, &campaign, from, to).await)
}

/// [`preview_campaign`] on an open store, with `county`'s declarations.
pub async fn preview_on<S: Store>(
    store: &S,
    county: CountyId,
    campaign: &CampaignId,
    from: NaiveDate,
    to: NaiveDate,
) -> anyhow::Result<Vec<PreviewLine>> {
    let exec = Executor::new(store.clone(), Arc::new(SystemClock));
    let view = StoreSettings::new(exec.clone())
        .in_force(std::slice::from_ref(campaign))
        .await?;
    let settings = view
        .settings(campaign)
        .with_context(|| format!("no campaign {campaign} in this store"))?;
    let county = Arc::new(StoreCalendar::new(exec, county));
    let days: Arc<dyn WorkingCalendar> = match county.in_force() {
        Some(in_force) => in_force.await?,
        None => county.clone(),
    };
    Ok(preview(
        &RhythmRules::new(&settings.rhythm),
        from,
        to,
        CampaignCalendar::new(settings.time_zone, &*days),
    )?)
}

/// The preview as a table: one line per occurrence, local times.
pub fn table(lines: &[PreviewLine]) -> String {
    let mut out = format!(
        "{:<21} {:<11} {:<16} {:<33} {}\n",
        "schedule", "period", "fires", "nominal", "why"
    );
    for line in lines {
        let nominal: Vec<String> = line
            .nominal
            .iter()
            .map(|n| n.format("%Y-%m-%d %H:%M").to_string())
            .collect();
        let _ = writeln!(
            out,
            "{:<21} {:<11} {:<16} {:<33} {}",
            line.schedule,
            line.period,
            line.fires.format("%Y-%m-%d %H:%M"),
            nominal.join(", "),
            line.why
        );
    }
    out
}
