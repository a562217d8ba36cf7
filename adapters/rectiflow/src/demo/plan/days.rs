//! The demo's calendar: China's working days, which every act of the plan falls on.

use chrono::{Days, NaiveDate};
use rectiflow_domain::calendar::{ChinaCalendar, WorkingCalendar};

/// Working days from `first` to `last` (both included).
pub fn working_days(first: NaiveDate, last: NaiveDate) -> Vec<NaiveDate> {
    first
        .iter_days()
        .take_while(|d| *d <= last)
        .filter(|d| ChinaCalendar.is_working_day(*d))
        .collect()
}

/// The `n`-th working day after `day` (`n` = 0: `day` itself if working, else the next).
pub fn working_day_after(day: NaiveDate, n: u32) -> NaiveDate {
    let mut left = n;
    let mut at = day;
    while !ChinaCalendar.is_working_day(at) {
        at = at + Days::new(1);
    }
    while left > 0 {
        at = at + Days::new(1);
        if ChinaCalendar.is_working_day(at) {
            left -= 1;
        }
    }
    at
}

/// A date of the demo's calendar (always valid: the demo's own constants).
pub fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}
