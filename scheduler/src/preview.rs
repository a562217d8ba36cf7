//! What `rectiflow schedule preview` prints: every publication the rhythm's schedules would
//! fire between two local dates, each with its schedule, the period it covers, its nominal and
//! actual fire times on the campaign's wall clock, and why it fires then — so a secretariat
//! can check a year's rhythm (the Spring Festival's moved dispatches, a bulletin on the first
//! working day after National Day) before the year starts. Pure: it reads no store.

use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use rectiflow_domain::publication::{local_instant, period_label};
use rectiflow_domain::schedule::ScheduleKind;
use serde::Serialize;
use thiserror::Error;

use crate::calendar::{CampaignCalendar, Due, OccurrenceError, RhythmRules};

/// The longest range a preview covers: ten years of days, so a mistyped year (`20266`) is
/// refused rather than computed for minutes.
pub const MAX_DAYS: u64 = 3_660;

/// Nominal times looked at per schedule: a weekly dispatch over [`MAX_DAYS`] is ~523.
const LIMIT: usize = 1_000;

/// The built-in schedules, by the name a preview and the schedule streams give them.
pub const WEEKLY_DISPATCH: &str = ScheduleKind::WeeklyDispatch.as_str();
pub const MONTHLY_BULLETIN: &str = ScheduleKind::MonthlyBulletin.as_str();
pub const QUARTERLY_ASSESSMENT: &str = ScheduleKind::QuarterlyAssessment.as_str();

/// One occurrence as a preview shows it. Local times are the campaign's wall clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreviewLine {
    /// The schedule that fires it ([`WEEKLY_DISPATCH`], [`MONTHLY_BULLETIN`],
    /// [`QUARTERLY_ASSESSMENT`]).
    pub schedule: &'static str,
    /// The period as its publication's stream names it: `2026-02-09` (a dispatch's first
    /// day), `2026-09`, `2026-Q3`.
    pub period: String,
    /// The local start of the period and its cut-off (exclusive).
    pub period_start: NaiveDateTime,
    pub cut_off: NaiveDateTime,
    /// The nominal times it stands for, earliest first: one, or several moved onto one day.
    pub nominal: Vec<NaiveDateTime>,
    /// When it fires, local and as an instant.
    pub fires: NaiveDateTime,
    pub fires_at: DateTime<Utc>,
    /// Why it fires then: "fires at its nominal time", or each move with its reason.
    pub why: String,
    /// Some day it rests on was counted on the Monday–Friday fallback (no arrangement
    /// published for that year yet): it may still move.
    pub calendar_unknown: bool,
}

/// Why a preview could not be made.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PreviewError {
    #[error("--to {to} is before --from {from}")]
    Reversed { from: NaiveDate, to: NaiveDate },
    #[error("from {from} to {to} is longer than {MAX_DAYS} days; preview a shorter range")]
    TooLong { from: NaiveDate, to: NaiveDate },
    #[error(transparent)]
    Occurrences(#[from] OccurrenceError),
    #[error("the period of an occurrence on {fires} is not one a publication can cover: {reason}")]
    Period {
        fires: NaiveDateTime,
        reason: String,
    },
}

/// Every occurrence of `rules` that fires from `from` (00:00 local) through `to` (to 24:00
/// local), in publishing order: by fire time, and at one instant the bulletin before the
/// assessment.
pub fn preview(
    rules: &RhythmRules,
    from: NaiveDate,
    to: NaiveDate,
    calendar: CampaignCalendar<'_>,
) -> Result<Vec<PreviewLine>, PreviewError> {
    if to < from {
        return Err(PreviewError::Reversed { from, to });
    }
    let end = to
        .checked_add_days(Days::new(1))
        .filter(|end| (*end - from).num_days() <= MAX_DAYS as i64)
        .ok_or(PreviewError::TooLong { from, to })?;
    let zone = calendar.zone;
    let start = local_instant(from, NaiveTime::MIN, zone);
    let end = local_instant(end, NaiveTime::MIN, zone);
    rules
        .due(start, end, calendar, LIMIT)?
        .into_iter()
        .map(|due| line(&due, calendar))
        .collect()
}

fn line(due: &Due, calendar: CampaignCalendar<'_>) -> Result<PreviewLine, PreviewError> {
    let zone = calendar.zone;
    let local = |at: DateTime<Utc>| at.with_timezone(&zone).naive_local();
    let occurrence = due.occurrence();
    let (schedule, weeks) = match due {
        Due::Dispatch(d) => (WEEKLY_DISPATCH, d.weeks),
        Due::Bulletin(_) => (MONTHLY_BULLETIN, 1),
        Due::Assessment(_) => (QUARTERLY_ASSESSMENT, 1),
    };
    let period = due.period();
    let label =
        period_label(due.kind(), period, weeks, zone).map_err(|e| PreviewError::Period {
            fires: occurrence.local,
            reason: e.to_string(),
        })?;
    Ok(PreviewLine {
        schedule,
        period: label,
        period_start: local(period.start),
        cut_off: local(period.cut_off),
        nominal: occurrence.nominal.iter().map(|n| local(n.at)).collect(),
        fires: occurrence.local,
        fires_at: occurrence.fires_at,
        why: occurrence.explanation().to_string(),
        calendar_unknown: occurrence.calendar_unknown,
    })
}

#[cfg(test)]
mod tests;
