//! What one look at a campaign's schedules finds to do, in order — pure logic, no store.
//!
//! First the occurrences fired or skipped whose action is not done (a process stopped between
//! the two): their publications are made now. Then every occurrence the rhythm fired up to now
//! since the last its schedule did (and in ranges backfilled), in publishing order (by fire time; at one instant the
//! dispatch, then the bulletin, then the assessment): a dispatch whose catch-up window has
//! closed is skipped, anything else fires, late if it is. Nominal times already done, or on
//! days the schedule does not run, are left out of an occurrence (two moved onto one day make
//! one, and only the rest of it fires). While the bulletins are paused the assessments wait.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rectiflow_domain::publication::catch_up_until;
use rectiflow_domain::schedule::{Done, ScheduleKind, ScheduleState};
use rectiflow_domain::settings::Rhythm;
use rectiflow_domain::values::{local_date, local_start_of_day};
use ScheduleKind::{MonthlyBulletin, QuarterlyAssessment};

use crate::calendar::{CampaignCalendar, Due, OccurrenceError, RhythmRules};

/// How far ahead the next fire time is looked for: past the longest gap between two
/// occurrences of one rule (a quarter, its first working day moved by a holiday).
const LOOK_AHEAD_DAYS: i64 = 100;

/// At most this many nominal times of one rule are looked at in one plan (ten years of weekly
/// dispatches and more): a bound, not a limit a campaign reaches.
const MAX_NOMINAL: usize = 1_000;

/// One thing to do, for the schedule of `kind`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Make the publications of an occurrence already fired or skipped.
    Complete {
        kind: ScheduleKind,
        nominal: Vec<DateTime<Utc>>,
        done: Done,
    },
    /// Fire the occurrence standing for `nominal` (due at `due_at`), then publish.
    Fire {
        kind: ScheduleKind,
        nominal: Vec<DateTime<Utc>>,
        due_at: DateTime<Utc>,
    },
    /// Record the dispatch standing for `nominal` as skipped: its catch-up window closed.
    Skip {
        kind: ScheduleKind,
        nominal: Vec<DateTime<Utc>>,
        due_at: DateTime<Utc>,
    },
}

impl Step {
    pub fn kind(&self) -> ScheduleKind {
        match self {
            Step::Complete { kind, .. } | Step::Fire { kind, .. } | Step::Skip { kind, .. } => {
                *kind
            }
        }
    }
}

/// What a look found: the steps, and when the next occurrence fires.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    pub steps: Vec<Step>,
    /// The first fire time after now of a schedule that runs (none paused or deleted).
    pub next_due: Option<DateTime<Utc>>,
}

/// The steps for a campaign's `schedules` at `now`, on its rhythm and calendar.
pub fn plan(
    rhythm: &Rhythm,
    calendar: CampaignCalendar<'_>,
    schedules: &[(ScheduleKind, &ScheduleState)],
    now: DateTime<Utc>,
) -> Result<Plan, OccurrenceError> {
    let rules = RhythmRules::new(rhythm);
    let mut steps = awaiting(schedules);
    let running = |kind: ScheduleKind| {
        schedules
            .iter()
            .find(|(k, state)| *k == kind && !state.deleted && state.paused.is_none())
            .map(|(_, state)| *state)
    };
    let to = now + Duration::microseconds(1);
    // Schedules that start after today have nothing due yet.
    let from = schedules
        .iter()
        .filter_map(|(kind, _)| running(*kind))
        .map(|state| looks_from(state, calendar))
        .min()
        .filter(|from| *from < to);
    // While the bulletins are paused the assessments wait too: a bulletin goes first.
    let bulletins_paused = schedules
        .iter()
        .any(|(kind, state)| *kind == MonthlyBulletin && !state.deleted && state.paused.is_some());
    if let Some(from) = from {
        for due in rules.due(from, to, calendar, MAX_NOMINAL)? {
            let kind = kind_of(&due);
            let Some(state) = running(kind) else {
                continue;
            };
            if kind == QuarterlyAssessment && bulletins_paused {
                continue;
            }
            let occurrence = due.occurrence();
            let nominal: Vec<DateTime<Utc>> = occurrence
                .nominal
                .iter()
                .map(|n| n.at)
                .filter(|at| still_to_do(state, *at, calendar))
                .collect();
            if nominal.is_empty() {
                continue;
            }
            let due_at = occurrence.fires_at;
            let window_closed = now >= catch_up_until(due_at, rhythm);
            steps.push(if kind.may_skip() && window_closed {
                Step::Skip {
                    kind,
                    nominal,
                    due_at,
                }
            } else {
                Step::Fire {
                    kind,
                    nominal,
                    due_at,
                }
            });
        }
    }
    let next_due = next_due(&rules, calendar, now, |kind| running(kind).is_some())?;
    Ok(Plan { steps, next_due })
}

/// From when a running schedule's occurrences are looked for: the day after the last nominal
/// day it did (so a look costs what is new, and a rhythm changed since — another hour or
/// weekday — cannot bring back a period done under the old one), or its first day; and the
/// first day of every range backfilled before it (bounded: a backfill covers at most a year).
fn looks_from(state: &ScheduleState, calendar: CampaignCalendar<'_>) -> DateTime<Utc> {
    let run = local_start_of_day(run_from(state, calendar), calendar.zone);
    state
        .backfills
        .iter()
        .map(|(from, _)| local_start_of_day(*from, calendar.zone))
        .fold(run, DateTime::min)
}

/// The first local day of the run still to look at: the day after the last nominal day done,
/// or the first day the schedule runs.
fn run_from(state: &ScheduleState, calendar: CampaignCalendar<'_>) -> NaiveDate {
    let after_last = state
        .done
        .keys()
        .next_back()
        .and_then(|last| local_date(*last, calendar.zone).succ_opt());
    after_last.map_or(state.starts, |after| after.max(state.starts))
}

/// Whether the nominal time `at` is one still to do: not done, on a day the schedule runs,
/// and after the last day done — or in a backfilled range.
fn still_to_do(state: &ScheduleState, at: DateTime<Utc>, calendar: CampaignCalendar<'_>) -> bool {
    let day = local_date(at, calendar.zone);
    let backfilled = state
        .backfills
        .iter()
        .any(|(from, to)| (*from..=*to).contains(&day));
    !state.done.contains_key(&at)
        && state.runs_on(day)
        && (backfilled || day >= run_from(state, calendar))
}

/// The occurrences fired or skipped and not completed, oldest first (at one due instant in
/// publishing order).
fn awaiting(schedules: &[(ScheduleKind, &ScheduleState)]) -> Vec<Step> {
    let mut waiting: Vec<(DateTime<Utc>, ScheduleKind, Step)> = schedules
        .iter()
        .flat_map(|(kind, state)| {
            state.awaiting.values().map(move |awaiting| {
                let due_at = match awaiting.done {
                    Done::Fired { due_at, .. } | Done::Skipped { due_at, .. } => due_at,
                };
                let step = Step::Complete {
                    kind: *kind,
                    nominal: awaiting.nominal.clone(),
                    done: awaiting.done,
                };
                (due_at, *kind, step)
            })
        })
        .collect();
    waiting.sort_by_key(|(due_at, kind, _)| (*due_at, *kind));
    waiting.into_iter().map(|(_, _, step)| step).collect()
}

/// The first fire time after `now` of a running schedule's rule.
fn next_due(
    rules: &RhythmRules,
    calendar: CampaignCalendar<'_>,
    now: DateTime<Utc>,
    runs: impl Fn(ScheduleKind) -> bool,
) -> Result<Option<DateTime<Utc>>, OccurrenceError> {
    let from = now + Duration::microseconds(1);
    let to = now + Duration::days(LOOK_AHEAD_DAYS);
    Ok(rules
        .due(from, to, calendar, MAX_NOMINAL)?
        .iter()
        .filter(|due| runs(kind_of(due)))
        .map(|due| due.occurrence().fires_at)
        .min())
}

fn kind_of(due: &Due) -> ScheduleKind {
    match due {
        Due::Dispatch(_) => ScheduleKind::WeeklyDispatch,
        Due::Bulletin(_) => ScheduleKind::MonthlyBulletin,
        Due::Assessment(_) => ScheduleKind::QuarterlyAssessment,
    }
}
