//! The calendar rules pinned on real days of China's 2026 arrangement, and checked against a
//! brute-force search.

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use rectiflow_domain::calendar::CountyCalendar;

use super::{CampaignCalendar, DEFAULT_ZONE};

mod cron;
mod proptests;
mod rhythm;
mod rules;
mod windows;
mod working_day_props;

/// The week, Monday first.
const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// China's arrangement, no county declarations.
static CHINA: LazyLock<CountyCalendar> = LazyLock::new(CountyCalendar::china);

/// Beijing time on China's arrangement: what a campaign counts with by default.
fn china() -> CampaignCalendar<'static> {
    CampaignCalendar::new(DEFAULT_ZONE, &*CHINA)
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date in a test")
}

/// `YYYY-MM-DD HH:MM[:SS]` on `zone`'s wall clock, as an instant (the earlier when repeated).
fn local_in(zone: Tz, text: &str) -> DateTime<Utc> {
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M"))
        .expect("a local time in a test");
    zone.from_local_datetime(&naive)
        .earliest()
        .expect("a local time that exists")
        .with_timezone(&Utc)
}

/// A Beijing wall-clock time, as an instant.
fn bj(text: &str) -> DateTime<Utc> {
    local_in(DEFAULT_ZONE, text)
}
