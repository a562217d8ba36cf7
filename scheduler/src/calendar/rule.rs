//! Recurring rules: when something nominally fires, and where a working-day rule moves it.
//!
//! Each kind of rule is its own variant, so a schedule says which it is: a cron expression
//! fired whatever the day, a cron expression moved off days off, a weekday (周调度), the first
//! working day of a month (月通报) or of a quarter (季考核). The nominal time is the one the
//! rule names before any working day is looked at — with the schedule's id it identifies an
//! occurrence; the fire time is when it actually fires.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use rectiflow_domain::calendar::{add_working_days, Reckoned};
use rectiflow_domain::values::local_date;

use super::cron_expr::CronExpr;
use super::day_off::DayOff;
use super::occurrence::Adjustment;
use super::CampaignCalendar;
use rectiflow_domain::publication::local_instant;

/// A recurring rule of the campaign's calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// Fires whenever the expression matches, working day or not: no calendar is consulted.
    Cron(CronExpr),
    /// The expression's fire times, each on a day that is not a working day moved to the next
    /// working day at the same local time.
    CronNextWorkingDay(CronExpr),
    /// Every `weekday` at `at` local, moved to the next working day at the same time when that
    /// day is not a working day — the weekly dispatch (周调度: Monday 09:00).
    Weekly { weekday: Weekday, at: NaiveTime },
    /// The first working day of every month at `at` local: nominally the 1st, moved to the
    /// next working day when the 1st is off — the monthly bulletin (月通报).
    FirstWorkingDayOfMonth { at: NaiveTime },
    /// The first working day of every quarter (1 January, April, July, October) at `at`
    /// local, moved the same way — the quarterly assessment (季考核).
    FirstWorkingDayOfQuarter { at: NaiveTime },
}

/// Where one nominal time fires, and whether working out the day rested on a guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fire {
    pub at: Reckoned<DateTime<Utc>>,
    pub adjustment: Adjustment,
}

impl Rule {
    /// Whether the rule moves a time that falls on a day off (every rule but [`Rule::Cron`]).
    pub fn moves_off_days_off(&self) -> bool {
        !matches!(self, Rule::Cron(_))
    }

    /// The first nominal time strictly after `after`, or `None` when there is none (a cron
    /// expression that never fires again, the end of time).
    pub fn next_nominal(&self, after: DateTime<Utc>, zone: Tz) -> Option<DateTime<Utc>> {
        match self {
            Rule::Cron(expr) | Rule::CronNextWorkingDay(expr) => expr.next_after(after, zone),
            Rule::Weekly { weekday, at } => {
                let date = local_date(after, zone);
                let ahead = (7 + weekday.num_days_from_monday()
                    - date.weekday().num_days_from_monday())
                    % 7;
                let first = date.checked_add_days(Days::new(u64::from(ahead)))?;
                first_after(after, zone, *at, first, |d| {
                    d.checked_add_days(Days::new(7))
                })
            }
            Rule::FirstWorkingDayOfMonth { at } => {
                let first = local_date(after, zone).with_day(1)?;
                first_after(after, zone, *at, first, |d| {
                    d.checked_add_months(Months::new(1))
                })
            }
            Rule::FirstWorkingDayOfQuarter { at } => {
                let date = local_date(after, zone);
                let first = NaiveDate::from_ymd_opt(date.year(), (date.month0() / 3) * 3 + 1, 1)?;
                first_after(after, zone, *at, first, |d| {
                    d.checked_add_months(Months::new(3))
                })
            }
        }
    }

    /// When the nominal time `nominal` fires: as it is on a working day (or for a rule that
    /// fires whatever the day), else at the same local time of the next working day.
    pub(crate) fn fire(&self, nominal: DateTime<Utc>, calendar: CampaignCalendar<'_>) -> Fire {
        let unmoved = |calendar_unknown| Fire {
            at: Reckoned {
                value: nominal,
                calendar_unknown,
            },
            adjustment: Adjustment::None,
        };
        if !self.moves_off_days_off() {
            return unmoved(false);
        }
        let local = nominal.with_timezone(&calendar.zone).naive_local();
        let day = local.date();
        let guessed = calendar.days.is_guessed(day);
        let Some(because) = DayOff::of(day, calendar.days) else {
            return unmoved(guessed);
        };
        let next = add_working_days(calendar.days, day, 1);
        Fire {
            at: Reckoned {
                value: local_instant(next.value, local.time(), calendar.zone),
                calendar_unknown: guessed || next.calendar_unknown,
            },
            adjustment: Adjustment::MovedToNextWorkingDay {
                from: day,
                to: next.value,
                because,
            },
        }
    }
}

/// `at` local on the first of `first`, `step(first)`, … whose instant is after `after`. Three
/// steps at most: `first` is on or just before `after`'s local date.
fn first_after(
    after: DateTime<Utc>,
    zone: Tz,
    at: NaiveTime,
    first: NaiveDate,
    step: impl Fn(NaiveDate) -> Option<NaiveDate>,
) -> Option<DateTime<Utc>> {
    let mut date = first;
    for _ in 0..3 {
        let instant = local_instant(date, at, zone);
        if instant > after {
            return Some(instant);
        }
        date = step(date)?;
    }
    None
}
