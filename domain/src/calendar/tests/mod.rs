//! Tests of the calendar: the arithmetic and its unknown-year flag, China's vendored
//! arrangements (pinned days and self-consistency). The county's declarations are tested with
//! their aggregate (`overrides::tests`).

mod arithmetic;
mod china;

use chrono::NaiveDate;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}
