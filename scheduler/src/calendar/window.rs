//! One-off windows counted from an instant or a date: plain hours, or working days — the
//! deadlines a schedule fires at (签收 within 2 working days, a response within 24 hours, a
//! warning 3 working days before a deadline). Counted with the domain's arithmetic, so a
//! window here ends where the aggregates' own does.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rectiflow_domain::calendar::{add_working_days, sub_working_days, Reckoned};
use rectiflow_domain::values::{local_date, local_start_of_day, Deadline};

use super::CampaignCalendar;

/// A window that runs from an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Elapsed hours, whatever the day or hour (24 hours for a school-meal complaint). No
    /// calendar, so never a guess.
    Hours(u32),
    /// N working days after the instant: by 24:00 local of the N-th working day after the
    /// instant's *local* date (DOMAIN.md), so it ends at 00:00 of the day after that one.
    WorkingDaysAfter(u32),
}

impl Window {
    /// The instant the window starting at `start` ends (from this instant on it has passed),
    /// and whether counting it looked at a guessed day. Past the end of time it saturates.
    pub fn ends_at(
        self,
        start: DateTime<Utc>,
        calendar: CampaignCalendar<'_>,
    ) -> Reckoned<DateTime<Utc>> {
        match self {
            Window::Hours(hours) => Reckoned::known(
                start
                    .checked_add_signed(Duration::hours(i64::from(hours)))
                    .unwrap_or(DateTime::<Utc>::MAX_UTC),
            ),
            Window::WorkingDaysAfter(days) => {
                add_working_days(calendar.days, local_date(start, calendar.zone), days)
                    .map(|last| Deadline::new(last).passes_at(calendar.zone))
            }
        }
    }
}

/// A lead before a date: N working days before it, opening at 00:00 local of that working
/// day — when a deadline's warning is due (the warning window opens N working days before
/// the deadline date).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkingDaysBefore(pub u32);

impl WorkingDaysBefore {
    /// 00:00 local of the N-th working day before `date` (not counting `date`), and whether
    /// counting it looked at a guessed day.
    pub fn opens_at(
        self,
        date: NaiveDate,
        calendar: CampaignCalendar<'_>,
    ) -> Reckoned<DateTime<Utc>> {
        sub_working_days(calendar.days, date, self.0)
            .map(|day| local_start_of_day(day, calendar.zone))
    }
}
