//! What `rectiflow schedule list` says of a schedule: how it stands, its next fire times on
//! the campaign's calendar, and what became of its last occurrence — pure logic over the
//! schedule's state, so the CLI and the API say the same.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use rectiflow_domain::schedule::{Done, ScheduleKind, ScheduleState};
use rectiflow_domain::settings::Rhythm;
use rectiflow_domain::values::local_date;
use serde::Serialize;

use crate::calendar::{CampaignCalendar, Due, OccurrenceError, RhythmRules};

/// How far ahead fire times are listed.
const AHEAD_DAYS: i64 = 400;

/// One schedule as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScheduleLine {
    /// Its stream id, `<campaign>:<kind>`.
    pub schedule: String,
    pub kind: ScheduleKind,
    /// `running`, `paused`, `deleted`, `not_created` (the scheduler creates it when it first
    /// looks at the campaign), or `campaign_closed` (nothing fires any more).
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paused_note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starts: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ends: Option<NaiveDate>,
    /// The next fire times, local to the campaign, earliest first.
    pub next: Vec<NextFire>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last: Option<LastOutcome>,
    /// Occurrences fired or skipped whose publications are not all made yet.
    pub awaiting_action: usize,
}

/// A fire time to come.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextFire {
    pub fires_at: DateTime<Utc>,
    pub local: NaiveDateTime,
}

/// What became of the last occurrence (by nominal time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LastOutcome {
    pub nominal: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    /// `due_at` on the campaign's wall clock.
    pub due_local: NaiveDateTime,
    /// `fired`, `fired_late` or `skipped`.
    pub outcome: &'static str,
    /// Whether its publications are all made.
    pub completed: bool,
    /// The publications it made (or recorded as skipped), once completed.
    pub publications: Vec<String>,
}

/// `kind`'s schedule (its `state`, `None` if not created) as listed at `now`, with up to
/// `count` next fire times; `closed` when its campaign is.
#[allow(clippy::too_many_arguments)]
pub fn line(
    schedule: String,
    kind: ScheduleKind,
    state: Option<&ScheduleState>,
    closed: bool,
    rhythm: &Rhythm,
    calendar: CampaignCalendar<'_>,
    now: DateTime<Utc>,
    count: usize,
) -> Result<ScheduleLine, OccurrenceError> {
    let status = match state {
        _ if closed => "campaign_closed",
        None => "not_created",
        Some(s) if s.deleted => "deleted",
        Some(s) if s.paused.is_some() => "paused",
        Some(_) => "running",
    };
    let next = match state {
        Some(s) if status == "running" => next_fires(kind, s, rhythm, calendar, now, count)?,
        None if closed => Vec::new(),
        // Not created yet: the scheduler creates it running from the day after the campaign's
        // creation, which is past, so what the rhythm fires next is what it will fire.
        None => next_fires_any(kind, rhythm, calendar, now, count, |_| true)?,
        Some(_) => Vec::new(),
    };
    let last = state.and_then(|state| last_outcome(state, calendar.zone));
    Ok(ScheduleLine {
        schedule,
        kind,
        status,
        paused_note: state.and_then(|s| s.paused.as_ref().map(|n| n.to_string())),
        starts: state.map(|s| s.starts),
        ends: state.and_then(|s| s.ends),
        next,
        last,
        awaiting_action: state.map_or(0, |s| s.awaiting.len()),
    })
}

fn next_fires(
    kind: ScheduleKind,
    state: &ScheduleState,
    rhythm: &Rhythm,
    calendar: CampaignCalendar<'_>,
    now: DateTime<Utc>,
    count: usize,
) -> Result<Vec<NextFire>, OccurrenceError> {
    next_fires_any(kind, rhythm, calendar, now, count, |at| {
        state.runs_on(local_date(at, calendar.zone)) && !state.done.contains_key(&at)
    })
}

fn next_fires_any(
    kind: ScheduleKind,
    rhythm: &Rhythm,
    calendar: CampaignCalendar<'_>,
    now: DateTime<Utc>,
    count: usize,
    runs: impl Fn(DateTime<Utc>) -> bool,
) -> Result<Vec<NextFire>, OccurrenceError> {
    let rules = RhythmRules::new(rhythm);
    let (from, to) = (now, now + Duration::days(AHEAD_DAYS));
    let due: Vec<Due> = match kind {
        ScheduleKind::WeeklyDispatch => rules
            .dispatches(from, to, calendar, 1_000)?
            .into_iter()
            .map(Due::Dispatch)
            .collect(),
        ScheduleKind::MonthlyBulletin => rules
            .bulletins(from, to, calendar, 1_000)?
            .into_iter()
            .map(Due::Bulletin)
            .collect(),
        ScheduleKind::QuarterlyAssessment => rules
            .assessments(from, to, calendar, 1_000)?
            .into_iter()
            .map(Due::Assessment)
            .collect(),
    };
    Ok(due
        .iter()
        .map(Due::occurrence)
        .filter(|o| o.nominal.iter().any(|n| runs(n.at)))
        .take(count)
        .map(|o| NextFire {
            fires_at: o.fires_at,
            local: o.local,
        })
        .collect())
}

fn last_outcome(state: &ScheduleState, zone: chrono_tz::Tz) -> Option<LastOutcome> {
    let (&nominal, &done) = state.done.iter().next_back()?;
    let (due_at, outcome) = match done {
        Done::Fired {
            due_at,
            late: false,
        } => (due_at, "fired"),
        Done::Fired { due_at, late: true } => (due_at, "fired_late"),
        Done::Skipped { due_at, .. } => (due_at, "skipped"),
    };
    let completed = state
        .last_completed
        .as_ref()
        .filter(|c| c.nominal == nominal);
    Some(LastOutcome {
        nominal,
        due_at,
        due_local: due_at.with_timezone(&zone).naive_local(),
        outcome,
        completed: completed.is_some(),
        publications: completed
            .map(|c| c.publications.iter().map(|p| p.to_string()).collect())
            .unwrap_or_default(),
    })
}
