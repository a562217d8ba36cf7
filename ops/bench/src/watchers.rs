//! `rectiflow-bench watchers` (issue #11): the deadline watcher over N open items on
//! PostgreSQL, against a baseline measured in the same run — the least SQL that records one
//! fact per item (an optimistic append of one event to each item's stream, in its own
//! transaction, one after another as the watcher goes) — at two scales, so the cost is shown
//! linear in open items.
//!
//! Each round fills a fresh database with N items registered and assigned on one morning,
//! none acknowledged, builds the item watch, moves the clock past their 签收 window, and times
//! one look of the watcher `serve` runs: every item gets its `RecordAcknowledgementOverdue`
//! (found in the watch, loaded, decided, committed). Then the baseline appends one event per
//! item on a plain table of the same database.

use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use chrono::{DateTime, Duration, TimeZone, Utc};
use rectiflow::config::Config;
use rectiflow_domain::campaign::{Campaign, CampaignCommand};
use rectiflow_domain::clock::ManualClock;
use rectiflow_domain::item::{DeadlineSettings, ItemEvent, ItemSource, Severity};
use rectiflow_domain::organisation::{Organisation, OrganisationCommand, ORGANISATION};
use rectiflow_domain::settings::CampaignSettings;
use rectiflow_domain::values::{
    CampaignId, Deadline, ItemCode, PersonId, TaskForceId, Text, UnitId,
};
use rectiflow_engine::model::Commit;
use rectiflow_engine::{CancellationToken, CommandContext, EventStore, StreamRef};
use rectiflow_projections::due_work::{AlertWatch, ComplaintWatch, ItemWatch};
use rectiflow_projections::RowProjection;
use rectiflow_store::PgStore;
use serde::Serialize;

use crate::contenders::ours::Ours;
use crate::report::emit;
use crate::run::{on_fresh_db, per_second};

/// The county's time zone.
const TZ: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

/// One scale measured in one round.
#[derive(Debug, Clone, Serialize)]
pub struct WatchRound {
    pub round: usize,
    pub items: u64,
    /// Facts the look recorded (each item's one).
    pub recorded: u64,
    pub watcher_s: f64,
    pub raw_s: f64,
}

impl WatchRound {
    pub fn watcher_per_s(&self) -> f64 {
        per_second(
            self.recorded,
            std::time::Duration::from_secs_f64(self.watcher_s),
        )
    }

    pub fn raw_per_s(&self) -> f64 {
        per_second(self.items, std::time::Duration::from_secs_f64(self.raw_s))
    }
}

/// The rounds at `small` and `big` items, interleaved.
pub async fn run(
    admin_url: &str,
    small: u64,
    big: u64,
    repeats: usize,
) -> anyhow::Result<Vec<WatchRound>> {
    let mut rounds = Vec::new();
    for round in 0..repeats {
        for items in [small, big] {
            eprintln!("watchers round {} at {items} items", round + 1);
            let result = on_fresh_db(admin_url, "watchers", |url| async move {
                let ours = Ours::start(&url, 100).await?;
                let result = one(&ours, items, round).await;
                ours.stop().await;
                result
            })
            .await?;
            emit("watchers", &result);
            rounds.push(result);
        }
    }
    Ok(rounds)
}

async fn one(ours: &Ours, items: u64, round: usize) -> anyhow::Result<WatchRound> {
    let store = &ours.store;
    let assigned_at = TZ
        .with_ymd_and_hms(2026, 3, 2, 10, 0, 0)
        .single()
        .context("an instant")?
        .with_timezone(&Utc);
    let clock = ManualClock::starting_at(assigned_at - Duration::hours(1));
    let ports = rectiflow::policies::ports(store, &Config::default(), Arc::new(clock.clone()))?;
    set_up(&ports.exec, &ports.services).await?;
    crate::catchup::commit_all(store, "open items", items, 2 * items, move |i| {
        open_item(i, assigned_at)
    })
    .await?;
    // The fill waited for its own events; the set-up's are placed by now too.
    let committed = store.committed().await?;
    crate::catchup::wait_for_head(store, committed, std::time::Duration::from_secs(600)).await?;
    // Every watch the look reads (the complaints' and alerts' are empty here).
    let watches = [ItemWatch::NAME, ComplaintWatch::NAME, AlertWatch::NAME].map(str::to_owned);
    crate::read_models::rebuild::rebuild_all(store, &watches).await?;
    sqlx::query("VACUUM ANALYZE")
        .execute(store.pool())
        .await
        .context("vacuuming")?;

    // Past the 签收 window (two working days: by 24:00 on Wednesday 03-04), before any other.
    clock.set(assigned_at + Duration::days(3));
    let watcher = rectiflow::schedule::watching::watcher(&ports);
    let started = Instant::now();
    let watched = watcher.look(&CancellationToken::new()).await?;
    let watcher_s = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        watched.failures.is_empty() && watched.refused.is_empty(),
        "the look failed or was refused: {:?} {:?}",
        watched.failures.first(),
        watched.refused.first()
    );
    let recorded = watched.recorded.len() as u64;
    anyhow::ensure!(recorded == items, "recorded {recorded} of {items} facts");

    crate::contenders::raw::prepare(store.pool()).await?;
    let started = Instant::now();
    for i in 0..items {
        crate::contenders::raw::append(store.pool(), &code(i), 1).await?;
    }
    let raw_s = started.elapsed().as_secs_f64();
    Ok(WatchRound {
        round,
        items,
        recorded,
        watcher_s,
        raw_s,
    })
}

/// The organisation's administrator and the campaign the items belong to, through commands.
async fn set_up(
    exec: &rectiflow_engine::Executor<PgStore>,
    services: &rectiflow_domain::services::DomainServices,
) -> anyhow::Result<()> {
    let person = |id: &str| PersonId::parse(id).context("a person id");
    exec.execute::<Organisation, _>(
        &CommandContext::new(person("installer")?),
        ORGANISATION,
        None,
        OrganisationCommand::Bootstrap {
            admin: person("admin-wu")?,
        },
        services,
    )
    .await
    .map_err(|e| anyhow::anyhow!("bootstrapping the organisation: {e}"))?;
    exec.execute::<Campaign, _>(
        &CommandContext::new(person("admin-wu")?),
        crate::domain_log::CAMPAIGN,
        None,
        CampaignCommand::CreateCampaign {
            campaign: CampaignId::parse(crate::domain_log::CAMPAIGN)?,
            name: Text::parse("2026 群腐整治")?,
            year: 2026,
            settings: CampaignSettings::default(),
        },
        services,
    )
    .await
    .map_err(|e| anyhow::anyhow!("creating the campaign: {e}"))?;
    Ok(())
}

fn code(i: u64) -> String {
    format!("YB-2026-{:06}", i + 1)
}

/// Item `i` registered and assigned at `assigned_at`, deadline a month on, not acknowledged.
fn open_item(i: u64, assigned_at: DateTime<Utc>) -> anyhow::Result<Commit> {
    let secretariat = PersonId::parse("sec-officer-1")?;
    let unit = UnitId::parse(format!("unit-{:04}", i % 1_000))?;
    let deadline_date = chrono::NaiveDate::from_ymd_opt(2026, 3, 31).context("a date")?;
    let passes_at = TZ
        .with_ymd_and_hms(2026, 4, 1, 0, 0, 0)
        .single()
        .context("an instant")?
        .with_timezone(&Utc);
    let events = [
        ItemEvent::ItemRegistered {
            campaign: CampaignId::parse(crate::domain_log::CAMPAIGN)?,
            task_force: TaskForceId::parse("yibao")?,
            code: ItemCode::parse(code(i))?,
            title: Text::parse(format!("问题 {} 整改", i + 1))?,
            description: Text::parse("定点医疗机构挂床住院、虚记费用，套取医保基金")?,
            category: Text::parse("欺诈骗保")?,
            source: ItemSource::Inspection,
            source_ref: None,
            severity: Severity::Medium,
            time_zone: TZ,
            yellow_after_send_backs: 2,
            by: secretariat.clone(),
            at: assigned_at - Duration::minutes(30),
        },
        ItemEvent::ItemAssigned {
            responsible_unit: unit.clone(),
            responsible_person: PersonId::parse(format!("head-{unit}"))?,
            supervising_unit: UnitId::parse("discipline-inspection")?,
            deadline: Deadline::new(deadline_date),
            measures: Text::parse("逐项核查病历与收费清单，追回违规资金")?,
            milestones: Vec::new(),
            acknowledgement_due_at: TZ
                .with_ymd_and_hms(2026, 3, 5, 0, 0, 0)
                .single()
                .context("an instant")?
                .with_timezone(&Utc),
            deadline_passes_at: passes_at,
            warning_at: passes_at - Duration::days(4),
            calendar_unknown: false,
            settings: DeadlineSettings {
                acknowledgement_working_days: 2,
                warning_working_days: 3,
            },
            by: secretariat.clone(),
            at: assigned_at,
        },
    ];
    let events = events
        .iter()
        .map(|event| crate::domain_log::new_event(event, &secretariat))
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Commit {
        stream: StreamRef::new("item", code(i)),
        expected_version: 0,
        events,
        snapshot: None,
        idempotency: None,
    })
}

pub const BEGIN: &str = "<!-- rectiflow-bench:watchers:begin (generated by `rectiflow-bench watchers`; edits inside are overwritten) -->";
pub const END: &str = "<!-- rectiflow-bench:watchers:end -->";

/// A run's rounds at its two scales.
pub struct Measured {
    pub rounds: Vec<WatchRound>,
    pub small: u64,
    pub big: u64,
}

impl Measured {
    pub fn markdown(&self, header: &crate::read_models::Header<'_>) -> String {
        markdown(&self.rounds, header, self.small, self.big)
    }
}

/// The watchers' section of `docs/BENCHMARKS.md`.
pub fn markdown(
    rounds: &[WatchRound],
    header: &crate::read_models::Header<'_>,
    small: u64,
    big: u64,
) -> String {
    use crate::summary::Spread;
    use std::fmt::Write as _;
    let mut md = String::new();
    let _ = writeln!(
        md,
        "## Deadline watchers (issue #11)\n\n```sh\n{}\n```\n\n{} Each round on a fresh \
         database: N items registered and assigned on one morning, none acknowledged, the item \
         watch built, the clock moved past their 签收 window; timed: one look of the watcher \
         `serve` runs (every item's `RecordAcknowledgementOverdue` found in the watch, loaded, \
         decided and committed, one after another), then the baseline — one optimistic append of \
         one event per item on a plain table (`BEGIN; SELECT` head`; INSERT; COMMIT`), one after \
         another. Rounds interleaved across the scales; medians with the range of the rounds.\n",
        header.command,
        header.provenance(),
    );
    let _ = writeln!(
        md,
        "| open items | watcher s | watcher items/s | range | raw appends/s | range | watcher ÷ raw |\n|--:|--:|--:|--:|--:|--:|--:|"
    );
    let mut medians = Vec::new();
    for items in [small, big] {
        let of = |f: fn(&WatchRound) -> f64| {
            Spread::of(rounds.iter().filter(|r| r.items == items).map(f))
        };
        let (Some(secs), Some(ours), Some(raw), Some(ratio)) = (
            of(|r| r.watcher_s),
            of(WatchRound::watcher_per_s),
            of(WatchRound::raw_per_s),
            of(|r| r.watcher_per_s() / r.raw_per_s().max(f64::MIN_POSITIVE)),
        ) else {
            continue;
        };
        medians.push((items, secs.median));
        let _ = writeln!(
            md,
            "| {items} | {:.1} | {:.0} | {:.0}–{:.0} | {:.0} | {:.0}–{:.0} | {:.2}× ({:.2}–{:.2}) |",
            secs.median, ours.median, ours.min, ours.max, raw.median, raw.min, raw.max,
            ratio.median, ratio.min, ratio.max
        );
    }
    if let [(small_items, small_s), (big_items, big_s)] = medians[..] {
        let scale = big_s / small_s.max(f64::MIN_POSITIVE);
        let _ = writeln!(
            md,
            "\n### Targets\n\n| target | measured | goal | met |\n|---|--:|---|---|\n| cost linear in open items: look at {big_items} ÷ look at {small_items} | {scale:.1}× | within 12× | {} |",
            if scale <= 12.0 { "yes" } else { "**no**" }
        );
    }
    md
}
