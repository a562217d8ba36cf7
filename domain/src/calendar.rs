//! The working-day calendar port (工作日历).
//!
//! Acknowledgement windows, warning windows and most complaint response deadlines are counted
//! in working days. Which days are working days is a fact of the outside world (China moves
//! holidays and declares make-up working days — 调休 — every year), so it comes in through the
//! [`WorkingCalendar`] port. [`FixedCalendar`] is a plain, fully specified calendar for tests and
//! for campaigns that configure their own days.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// Tells whether a local date is a working day of the campaign.
pub trait WorkingCalendar: Send + Sync {
    fn is_working_day(&self, date: NaiveDate) -> bool;
}

/// How far the working-day arithmetic looks before it gives up: twenty years. A calendar
/// with no working days in that span is broken; the arithmetic then stops there rather than
/// running for ever.
const MAX_SCAN_DAYS: u32 = 7_305;

/// The date `n` working days after `from` (not counting `from` itself).
/// `n == 0` returns `from` unchanged.
pub fn add_working_days(calendar: &dyn WorkingCalendar, from: NaiveDate, n: u32) -> NaiveDate {
    let mut date = from;
    let mut left = n;
    let mut scanned = 0;
    while left > 0 && scanned < MAX_SCAN_DAYS {
        scanned += 1;
        date = next_day(date);
        if calendar.is_working_day(date) {
            left -= 1;
        }
    }
    date
}

/// The date `n` working days before `to` (not counting `to` itself).
pub fn sub_working_days(calendar: &dyn WorkingCalendar, to: NaiveDate, n: u32) -> NaiveDate {
    let mut date = to;
    let mut left = n;
    let mut scanned = 0;
    while left > 0 && scanned < MAX_SCAN_DAYS {
        scanned += 1;
        date = prev_day(date);
        if calendar.is_working_day(date) {
            left -= 1;
        }
    }
    date
}

fn next_day(date: NaiveDate) -> NaiveDate {
    date.checked_add_days(Days::new(1))
        .unwrap_or(NaiveDate::MAX)
}

fn prev_day(date: NaiveDate) -> NaiveDate {
    date.checked_sub_days(Days::new(1))
        .unwrap_or(NaiveDate::MIN)
}

/// Monday to Friday are working days, except the listed holidays; the listed make-up days
/// (调休上班) are working days even on a weekend.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FixedCalendar {
    holidays: BTreeSet<NaiveDate>,
    make_up_days: BTreeSet<NaiveDate>,
}

impl FixedCalendar {
    /// Weekends off, no holidays.
    pub fn weekdays() -> Self {
        Self::default()
    }

    pub fn with_holidays(mut self, days: impl IntoIterator<Item = NaiveDate>) -> Self {
        self.holidays.extend(days);
        self
    }

    pub fn with_make_up_days(mut self, days: impl IntoIterator<Item = NaiveDate>) -> Self {
        self.make_up_days.extend(days);
        self
    }
}

impl WorkingCalendar for FixedCalendar {
    fn is_working_day(&self, date: NaiveDate) -> bool {
        if self.make_up_days.contains(&date) {
            return true;
        }
        if self.holidays.contains(&date) {
            return false;
        }
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn working_days_skip_weekends_and_holidays_but_keep_make_up_days() {
        // 2026-10-01..07 National Day holiday; Sunday 2026-10-11 a make-up working day.
        let cal = FixedCalendar::weekdays()
            .with_holidays((1..=7).map(|day| d(2026, 10, day)))
            .with_make_up_days([d(2026, 10, 11)]);
        // Tuesday 2026-09-29 + 3 working days: Wed 30, (holidays), Thu 8, Fri 9.
        assert_eq!(add_working_days(&cal, d(2026, 9, 29), 3), d(2026, 10, 9));
        // Fri 9 + 1 = Sun 11 (make-up day).
        assert_eq!(add_working_days(&cal, d(2026, 10, 9), 1), d(2026, 10, 11));
        assert_eq!(sub_working_days(&cal, d(2026, 10, 11), 2), d(2026, 10, 8));
        assert_eq!(add_working_days(&cal, d(2026, 10, 9), 0), d(2026, 10, 9));
    }

    #[test]
    fn a_calendar_without_working_days_does_not_hang_the_arithmetic() {
        struct NeverWorks;
        impl WorkingCalendar for NeverWorks {
            fn is_working_day(&self, _: NaiveDate) -> bool {
                false
            }
        }
        let far = add_working_days(&NeverWorks, d(2026, 1, 1), 3);
        assert!(far > d(2045, 1, 1) && far < d(2047, 1, 1), "{far}");
        let _ = sub_working_days(&NeverWorks, d(2026, 1, 1), 3);
    }
}
