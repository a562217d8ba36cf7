//! One-off windows counted from an instant or a date: plain hours, or working days — the
//! deadlines a schedule fires at (签收 within 2 working days, a response within 24 hours, a
//! warning 3 working days before a deadline). Counted with the domain's arithmetic, so a
//! window here ends where the aggregates' own does.

use chrono::{DateTime, NaiveDate, Utc};
use rectiflow_domain::calendar::{sub_working_days, Reckoned};
use rectiflow_domain::complaint::response_due;
use rectiflow_domain::settings::ResponseWindow;
use rectiflow_domain::values::local_start_of_day;

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
    /// Counted by the domain's own rule for such windows (a complaint's response deadline is
    /// one), so the two cannot drift apart.
    pub fn ends_at(
        self,
        start: DateTime<Utc>,
        calendar: CampaignCalendar<'_>,
    ) -> Reckoned<DateTime<Utc>> {
        let window = match self {
            Window::Hours(hours) => ResponseWindow::Hours(hours),
            Window::WorkingDaysAfter(days) => ResponseWindow::WorkingDays(days),
        };
        response_due(start, window, calendar.zone, calendar.days)
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
