//! `rectiflow schedule list`: every campaign's schedules (or one campaign's), each with its
//! next fire times and what became of its last occurrence, read from the store read-only.

use std::fmt::Write as _;
use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use rectiflow_domain::calendar::WorkingCalendar;
use rectiflow_domain::campaign::Campaign;
use rectiflow_domain::schedule::{schedule_id, Schedule, ScheduleKind};
use rectiflow_domain::services::SettingsSource;
use rectiflow_domain::values::{CampaignId, CountyId};
use rectiflow_engine::calendar::StoreCalendar;
use rectiflow_engine::settings::StoreSettings;
use rectiflow_engine::{EventStore, Executor};
use rectiflow_scheduler::calendar::CampaignCalendar;
use rectiflow_scheduler::listing::{line, ScheduleLine};
use rectiflow_store::mode::{self, Marked};
use rectiflow_store::{with_store, AnyStore, Store};

use crate::clock::SystemClock;
use crate::config::Config;

/// How many next fire times each schedule lists.
pub const NEXT: usize = 3;

/// The schedules of `campaign` (or of every campaign) in the store at `config.database_url`,
/// their next fire times after `now` — or, on a rehearsal store, after the instant its clock
/// was last kept at: a rehearsal's schedules run on its own time, not the wall clock's.
pub async fn list(
    config: &Config,
    campaign: Option<&str>,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<ScheduleLine>> {
    let campaign = campaign.map(CampaignId::parse).transpose()?;
    let store = AnyStore::inspect(&config.database_url).await?;
    let county = config.county_id()?;
    with_store!(store, store => {
        let now = match mode::read(&store).await? {
            Some(Marked { clock: Some(clock), .. }) => clock,
            _ => now,
        };
        list_on(&store, county, campaign.as_ref(), now).await
    })
}

/// [`list`] on an open store, with `county`'s working-day declarations.
pub async fn list_on<S: Store>(
    store: &S,
    county: CountyId,
    campaign: Option<&CampaignId>,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<ScheduleLine>> {
    let campaigns = match campaign {
        Some(campaign) => vec![campaign.clone()],
        None => all_campaigns(store).await?,
    };
    let exec = Executor::new(store.clone(), Arc::new(SystemClock));
    let view = StoreSettings::new(exec.clone())
        .in_force(&campaigns)
        .await?;
    let county = Arc::new(StoreCalendar::new(exec.clone(), county));
    let days: Arc<dyn WorkingCalendar> = match county.in_force() {
        Some(in_force) => in_force.await?,
        None => county.clone(),
    };
    let mut lines = Vec::new();
    for campaign in &campaigns {
        let in_force = view
            .campaign(campaign)
            .with_context(|| format!("no campaign {campaign} in this store"))?;
        let settings = in_force.settings();
        let calendar = CampaignCalendar::new(settings.time_zone, &*days);
        for kind in ScheduleKind::ALL {
            let id = schedule_id(campaign, kind)?;
            let (schedule, _) = exec.load::<Schedule>(id.as_str()).await?;
            lines.push(line(
                id.to_string(),
                kind,
                schedule.state(),
                in_force.is_closed(),
                &settings.rhythm,
                calendar,
                now,
                NEXT,
            )?);
        }
    }
    Ok(lines)
}

async fn all_campaigns<S: EventStore>(store: &S) -> anyhow::Result<Vec<CampaignId>> {
    let ids = store.all_stream_ids(Campaign::TYPE).await?;
    Ok(ids
        .into_iter()
        .map(CampaignId::parse)
        .collect::<Result<_, _>>()?)
}

/// The schedules as a table, local times.
pub fn table(lines: &[ScheduleLine]) -> String {
    let mut out = format!(
        "{:<40} {:<11} {:<35} {}\n",
        "schedule", "status", "next (local)", "last"
    );
    for line in lines {
        let next: Vec<String> = line
            .next
            .iter()
            .map(|n| n.local.format("%m-%d %H:%M").to_string())
            .collect();
        let last = match &line.last {
            None => "—".to_owned(),
            Some(last) => format!(
                "{} (due {}){}",
                last.outcome,
                last.due_local.format("%Y-%m-%d %H:%M"),
                if last.completed {
                    format!(", {} publications", last.publications.len())
                } else {
                    ", awaiting its publications".to_owned()
                }
            ),
        };
        let status = match &line.paused_note {
            Some(note) => format!("paused: {note}"),
            None => line.status.to_owned(),
        };
        let _ = writeln!(
            out,
            "{:<40} {:<11} {:<35} {}",
            line.schedule,
            status,
            next.join(", "),
            last
        );
    }
    out
}
