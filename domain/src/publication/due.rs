//! When a publication falls due — one rule for every kind (DOMAIN.md "The rhythm"): at the
//! rhythm's `publish_at` (09:00 local, in the campaign's time zone) of the first working day,
//! on the campaign's calendar, on or after its **nominal day**:
//!
//! - a bulletin's or an assessment's nominal day is its cut-off's local date (the 1st of the
//!   month after the period), so it falls due on the first working day of the next month or
//!   quarter;
//! - a dispatch's is its (last) nominal dispatch's local date, the rhythm's dispatch weekday
//!   on which its (last) week ends, so a dispatch on a holiday Monday moves to the next working
//!   day.
//!
//! The aggregate computes it; no command names it, so a wrong due instant cannot hide
//! lateness. A correction records the due instant of the publication it corrects and is never
//! late: it never falls due.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::calendar::{add_working_days, Reckoned, WorkingCalendar};
use crate::settings::Rhythm;
use crate::values::local_date;

use super::kind::{Period, PublicationKind};

/// The local date a publication of `kind` covering `period` is nominally due on: the cut-off's
/// local date, or for a dispatch its last nominal dispatch's (the cut-off's when it names none,
/// which [`decide`](super::Publication::decide) refuses before asking).
pub fn nominal_day(
    kind: PublicationKind,
    period: Period,
    nominal: &[DateTime<Utc>],
    tz: Tz,
) -> NaiveDate {
    let at = match (kind, nominal.last()) {
        (PublicationKind::Dispatch, Some(last)) => *last,
        _ => period.cut_off,
    };
    local_date(at, tz)
}

/// The instant a publication of `kind` covering `period` (a dispatch: standing for `nominal`)
/// falls due under `rhythm`, and whether the calendar guessed a day it looked at (a day of a
/// year without a published arrangement: [`WorkingCalendar::is_guessed`]).
pub fn due_at(
    kind: PublicationKind,
    period: Period,
    nominal: &[DateTime<Utc>],
    rhythm: &Rhythm,
    tz: Tz,
    calendar: &dyn WorkingCalendar,
) -> Reckoned<DateTime<Utc>> {
    first_working_day_at(
        nominal_day(kind, period, nominal, tz),
        rhythm.publish_at,
        tz,
        calendar,
    )
}

/// `time` (local, in `tz`) of the first working day on or after `date`. The days looked at are
/// `date` and, when it is not a working day, those after it up to the day returned.
pub fn first_working_day_at(
    date: NaiveDate,
    time: NaiveTime,
    tz: Tz,
    calendar: &dyn WorkingCalendar,
) -> Reckoned<DateTime<Utc>> {
    let guessed = calendar.is_guessed(date);
    let day = if calendar.is_working_day(date) {
        Reckoned::known(date)
    } else {
        add_working_days(calendar, date, 1)
    };
    Reckoned {
        value: local_instant(day.value, time, tz),
        calendar_unknown: guessed || day.calendar_unknown,
    }
}

/// `time` on `date` in `tz`, as an instant: the earlier of an ambiguous local time, and for a
/// local time skipped by a clock change the same time an hour later (the clock shows it then).
pub fn local_instant(date: NaiveDate, time: NaiveTime, tz: Tz) -> DateTime<Utc> {
    let naive = date.and_time(time);
    tz.from_local_datetime(&naive)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(naive + Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&naive))
}

/// Whether something due at `due_at` and done at `done_at` is late: done on a later local day
/// than it fell due (a schedule fires at the rhythm's time, so a later day means the
/// occurrence was missed and caught up). Publications and schedules judge it alike.
pub fn is_late(done_at: DateTime<Utc>, due_at: DateTime<Utc>, tz: Tz) -> bool {
    local_date(done_at, tz) > local_date(due_at, tz)
}

/// The instant a dispatch that fell due at `due_at` leaves the catch-up window: before it, a
/// missed dispatch must still be published (late); from it on, it is recorded as skipped.
pub fn catch_up_until(due_at: DateTime<Utc>, rhythm: &Rhythm) -> DateTime<Utc> {
    due_at
        .checked_add_signed(Duration::days(i64::from(rhythm.dispatch_catch_up_days)))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}
