//! The response deadline of a complaint.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use crate::calendar::{add_working_days, Reckoned, WorkingCalendar};
use crate::settings::ResponseWindow;
use crate::values::{local_date, Deadline};

/// The instant by which a complaint received at `received_at` must be answered, and whether
/// counting it looked at a day of a year without a published arrangement.
///
/// - [`ResponseWindow::Hours`]`(n)`: `n` elapsed hours after receipt (the source: 24 hours for
///   school-meal complaints, whatever the day or hour). No calendar, so never a guess.
/// - [`ResponseWindow::WorkingDays`]`(n)`: 24:00 local time (in `tz`) of the `n`-th working day
///   after the *local* date of receipt — a complaint received at 01:30 Beijing time on a
///   Friday counts from Friday, although it is still Thursday in UTC.
///
/// A response is in time when it is recorded strictly before this instant; from this instant
/// on the deadline has passed (as with [`Deadline::passes_at`]). An instant past the end of
/// time saturates rather than panicking.
pub fn response_due(
    received_at: DateTime<Utc>,
    window: ResponseWindow,
    tz: Tz,
    calendar: &dyn WorkingCalendar,
) -> Reckoned<DateTime<Utc>> {
    match window {
        ResponseWindow::Hours(hours) => Reckoned::known(
            received_at
                .checked_add_signed(Duration::hours(i64::from(hours)))
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
        ),
        ResponseWindow::WorkingDays(days) => {
            add_working_days(calendar, local_date(received_at, tz), days)
                .map(|last_day| Deadline::new(last_day).passes_at(tz))
        }
    }
}
