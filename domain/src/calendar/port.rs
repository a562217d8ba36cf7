//! The port ([`WorkingCalendar`]) and the arithmetic every working-day window is counted with.
//!
//! "N working days after an instant" means by 24:00 of the N-th working day after that
//! instant's local date (DOMAIN.md); the functions here find that N-th day. They also say
//! whether they had to guess: a day in a year China has not published an arrangement for yet
//! is a working day by the Monday–Friday fallback, and every event computed from such a day
//! records that it was ([`Reckoned::calendar_unknown`]).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use chrono::{Datelike, Days, NaiveDate, Weekday};

use crate::failure::PortUnavailable;

/// The calendar as it stands for one decision (see [`WorkingCalendar::in_force`]).
pub type CalendarFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Arc<dyn WorkingCalendar>, PortUnavailable>> + Send + 'a>>;

/// Tells whether a local date is a working day of the campaign, and whether that answer is
/// published fact or the Monday–Friday fallback.
pub trait WorkingCalendar: Send + Sync {
    fn is_working_day(&self, date: NaiveDate) -> bool;

    /// Whether the calendar has a published arrangement for `year`. In a year it has none for
    /// (the State Council publishes next year's arrangement around November), working days
    /// fall back to Monday–Friday.
    ///
    /// The default is `true`: a calendar that spells out every day it means, such as
    /// [`FixedCalendar`](super::FixedCalendar), guesses nothing.
    fn is_known_year(&self, year: i32) -> bool {
        let _ = year;
        true
    }

    /// Whether `date`'s status is the Monday–Friday guess rather than a published or declared
    /// fact. By default: its year is unknown. A calendar whose days can also be declared one by
    /// one ([`CountyCalendar`](super::CountyCalendar)) answers `false` for a declared day, even
    /// in an unknown year: that one day is certain, the rest of its year is not.
    fn is_guessed(&self, date: NaiveDate) -> bool {
        !self.is_known_year(date.year())
    }

    /// The calendar to decide one command with, when what it knows can change while the
    /// service runs: a county's calendar read from its declarations at their latest version,
    /// so a day declared a moment ago counts at once. `None` (the default): this calendar is
    /// data that does not change under a decision (China's vendored arrangement, a fixed test
    /// calendar) and answers as it is.
    fn in_force(&self) -> Option<CalendarFuture<'_>> {
        None
    }
}

/// Monday to Friday: the working week when nothing else is said (no holiday, no 调休).
pub fn is_monday_to_friday(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// A value computed with a calendar, and whether the computation rested on a guess.
///
/// `calendar_unknown` is `true` when some day the arithmetic looked at was
/// [guessed](WorkingCalendar::is_guessed): the result may move once the year's arrangement is
/// published. Events store the flag beside the instant, so a reader of the log can tell a
/// window counted on published days from one counted on the fallback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reckoned<T> {
    pub value: T,
    pub calendar_unknown: bool,
}

impl<T> Reckoned<T> {
    /// A value that needed no calendar (an elapsed-hours window, say): nothing was guessed.
    pub fn known(value: T) -> Self {
        Self {
            value,
            calendar_unknown: false,
        }
    }

    /// The same reckoning, its value turned into another (a date into the instant it ends).
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Reckoned<U> {
        Reckoned {
            value: f(self.value),
            calendar_unknown: self.calendar_unknown,
        }
    }
}

/// How far the working-day arithmetic looks before it gives up: twenty years. A calendar
/// with no working days in that span is broken; the arithmetic then stops there rather than
/// running for ever.
const MAX_SCAN_DAYS: u32 = 7_305;

/// The date `n` working days after `from` (not counting `from` itself). `n == 0` returns
/// `from` unchanged and looks at no day. The days looked at are those after `from` up to the
/// date returned.
pub fn add_working_days(
    calendar: &dyn WorkingCalendar,
    from: NaiveDate,
    n: u32,
) -> Reckoned<NaiveDate> {
    count(calendar, from, n, next_day)
}

/// The date `n` working days before `to` (not counting `to` itself). The days looked at are
/// those before `to` down to the date returned.
pub fn sub_working_days(
    calendar: &dyn WorkingCalendar,
    to: NaiveDate,
    n: u32,
) -> Reckoned<NaiveDate> {
    count(calendar, to, n, prev_day)
}

fn count(
    calendar: &dyn WorkingCalendar,
    start: NaiveDate,
    n: u32,
    step: fn(NaiveDate) -> NaiveDate,
) -> Reckoned<NaiveDate> {
    let mut date = start;
    let mut left = n;
    let mut scanned = 0;
    let mut guessed = false;
    while left > 0 && scanned < MAX_SCAN_DAYS {
        scanned += 1;
        date = step(date);
        guessed |= calendar.is_guessed(date);
        if calendar.is_working_day(date) {
            left -= 1;
        }
    }
    Reckoned {
        value: date,
        calendar_unknown: guessed,
    }
}

fn next_day(date: NaiveDate) -> NaiveDate {
    date.checked_add_days(Days::new(1))
        .unwrap_or(NaiveDate::MAX)
}

fn prev_day(date: NaiveDate) -> NaiveDate {
    date.checked_sub_days(Days::new(1))
        .unwrap_or(NaiveDate::MIN)
}
