//! The triage deadline of a data alert.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::calendar::{add_working_days, Reckoned, WorkingCalendar};
use crate::values::{local_date, Deadline};

/// The instant by which an alert received at `received_at` must be triaged: 24:00 local time
/// (in `tz`) of the `working_days`-th working day after the local date of receipt — the rule
/// of every working-day window (DOMAIN.md "Complaints": 签收, response, triage). Triage
/// strictly before it is in time; at or after it, late. Counted from receipt, not from the
/// platform's `raised_at`: the secretariat cannot triage what it has not got, and the
/// platform's clock is not ours.
pub fn triage_due(
    received_at: DateTime<Utc>,
    working_days: u32,
    tz: Tz,
    calendar: &dyn WorkingCalendar,
) -> Reckoned<DateTime<Utc>> {
    add_working_days(calendar, local_date(received_at, tz), working_days)
        .map(|last_day| Deadline::new(last_day).passes_at(tz))
}
