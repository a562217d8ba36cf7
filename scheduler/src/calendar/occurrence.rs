//! Every occurrence of a rule in a range, and why each fires when it does — what a
//! `rectiflow schedule preview` prints.
//!
//! An occurrence stands for one or more nominal times: when a working-day rule moves two of
//! them onto the same instant (two Monday dispatches over the Spring Festival both moved to
//! the Tuesday after it), they make one occurrence that lists both, as the domain's dispatch
//! does (DOMAIN.md: "two nominal dispatches moved onto the same day make one").

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use rectiflow_domain::values::local_date;
use thiserror::Error;

use super::day_off::DayOff;
use super::rule::Rule;
use super::CampaignCalendar;
use rectiflow_domain::publication::local_instant;

/// What the working-day calendar did to one nominal time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adjustment {
    /// Fires at its nominal time: its day is a working day, or the rule fires whatever the day.
    None,
    /// Its day `from` is not a working day (`because`): it fires at the same local time on the
    /// next working day, `to`.
    MovedToNextWorkingDay {
        from: NaiveDate,
        to: NaiveDate,
        because: DayOff,
    },
}

impl fmt::Display for Adjustment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Adjustment::None => f.write_str("fires at its nominal time"),
            Adjustment::MovedToNextWorkingDay { from, to, because } => {
                write!(f, "{from} is {because}; moved to the next working day {to}")
            }
        }
    }
}

/// One nominal time of a rule and what became of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nominal {
    pub at: DateTime<Utc>,
    pub adjustment: Adjustment,
}

/// One firing of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// The nominal times it stands for, earliest first: one, or several moved onto the same
    /// instant. With the schedule's id, the last identifies the occurrence (the domain dates
    /// a dispatch by its last nominal dispatch).
    pub nominal: Vec<Nominal>,
    /// When it fires.
    pub fires_at: DateTime<Utc>,
    /// The same instant on the campaign's wall clock.
    pub local: NaiveDateTime,
    /// Some day looked at was a guess (a year without a published arrangement, counted
    /// Monday–Friday): the fire time may move once the arrangement is published.
    pub calendar_unknown: bool,
}

impl Occurrence {
    /// The nominal time that identifies the occurrence: the last it stands for.
    pub fn key(&self) -> Option<DateTime<Utc>> {
        self.nominal.last().map(|n| n.at)
    }

    /// Why it fires when it does, for a reader.
    pub fn explanation(&self) -> Explanation<'_> {
        Explanation(self)
    }
}

/// Why an occurrence fires when it does: each nominal time's adjustment, whether several made
/// one, whether the calendar guessed. Its `Display` is the sentence a preview prints.
#[derive(Debug, Clone, Copy)]
pub struct Explanation<'a>(&'a Occurrence);

impl fmt::Display for Explanation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let occurrence = self.0;
        let moved: Vec<&Adjustment> = occurrence
            .nominal
            .iter()
            .map(|n| &n.adjustment)
            .filter(|a| **a != Adjustment::None)
            .collect();
        if moved.is_empty() {
            f.write_str("fires at its nominal time")?;
        }
        for (i, adjustment) in moved.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{adjustment}")?;
        }
        if occurrence.nominal.len() > 1 {
            write!(
                f,
                "; {} nominal times fire as one",
                occurrence.nominal.len()
            )?;
        }
        if occurrence.calendar_unknown {
            f.write_str(
                "; counted on the Monday–Friday fallback (no holiday arrangement published for \
                 that year yet), so it may move",
            )?;
        }
        Ok(())
    }
}

/// Why occurrences could not be listed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OccurrenceError {
    #[error("the range is empty or reversed: from {from} to {to}")]
    EmptyRange {
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    },
    #[error("more than {limit} nominal times in the range; ask for a shorter one")]
    TooMany { limit: usize },
    #[error("{date} is outside the years a publication period can name")]
    OutOfRange { date: NaiveDate },
}

/// How many days off in a row the listing looks back over for a nominal time moved into the
/// range: a year. A calendar with more days off in a row than that is not a working calendar.
const MAX_DAYS_OFF_IN_A_ROW: u32 = 366;

/// Every occurrence of `rule` that fires in `[from, to)`, in order of firing, with its nominal
/// times (one, or several moved onto the same instant) and the adjustments that moved them.
/// A nominal time before `from` moved into the range is listed; one in the range moved past
/// `to` is not. Refuses to look at more than `limit` nominal times.
pub fn occurrences(
    rule: &Rule,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    calendar: CampaignCalendar<'_>,
    limit: usize,
) -> Result<Vec<Occurrence>, OccurrenceError> {
    if from >= to {
        return Err(OccurrenceError::EmptyRange { from, to });
    }
    let mut by_fire: BTreeMap<DateTime<Utc>, Occurrence> = BTreeMap::new();
    let mut cursor = scan_start(rule, from, calendar);
    let mut seen = 0usize;
    // A fire time is never before its nominal time, so nominal times from `to` on fire after.
    while let Some(nominal) = rule.next_nominal(cursor, calendar.zone).filter(|n| *n < to) {
        seen += 1;
        if seen > limit {
            return Err(OccurrenceError::TooMany { limit });
        }
        cursor = nominal;
        let fire = rule.fire(nominal, calendar);
        if fire.at.value < from || fire.at.value >= to {
            continue;
        }
        let entry = by_fire.entry(fire.at.value).or_insert_with(|| Occurrence {
            nominal: Vec::new(),
            fires_at: fire.at.value,
            local: fire.at.value.with_timezone(&calendar.zone).naive_local(),
            calendar_unknown: false,
        });
        entry.nominal.push(Nominal {
            at: nominal,
            adjustment: fire.adjustment,
        });
        entry.calendar_unknown |= fire.at.calendar_unknown;
    }
    Ok(by_fire.into_values().collect())
}

/// The instant just before the first nominal time that can fire in the range: `from` for a
/// rule that fires as it is; for one that moves times off days off, the start of the run of
/// days off just before `from`'s day (a nominal time there may be moved into the range).
fn scan_start(rule: &Rule, from: DateTime<Utc>, calendar: CampaignCalendar<'_>) -> DateTime<Utc> {
    if !rule.moves_off_days_off() {
        return from;
    }
    let mut day = local_date(from, calendar.zone);
    for _ in 0..MAX_DAYS_OFF_IN_A_ROW {
        match day.pred_opt() {
            Some(before) if !calendar.days.is_working_day(before) => day = before,
            _ => break,
        }
    }
    let start = local_instant(day, NaiveTime::MIN, calendar.zone);
    start
        .checked_sub_signed(Duration::seconds(1))
        .unwrap_or(start)
        .min(from)
}
