//! China's statutory holidays and make-up working days (法定节假日与调休上班), vendored per year.
//!
//! Every year the State Council General Office publishes a notice, 国务院办公厅关于20XX年部分
//! 节假日安排的通知, fixing which days are off (放假调休) and which weekend days are worked to pay
//! for them (调休上班). Each year is transcribed into a file of its own (`y2026.rs` …) that
//! names its notice — number (文号), date and address — and quotes each line beside the dates it
//! gives, so a reviewer can check the file against the notice line by line.
//!
//! A year without a file is *unknown*: [`ChinaCalendar`] falls back to Monday–Friday there and
//! says so ([`WorkingCalendar::is_known_year`]), and every event computed from such a day
//! records it.
//!
//! Nothing here is parsed at run time: the dates are constants built by `day!`, which fails the
//! build on a date that does not exist, so looking a day up cannot fail. The tests check the
//! rest (each notice's days inside its year, no day both off and worked, 共N天 matching the run).
//!
//! To add a year: transcribe its notice into `yYYYY.rs`, add it to [`ARRANGEMENTS`], and pin a
//! few of its days in the tests.

use chrono::{Datelike, NaiveDate};

use super::port::{is_monday_to_friday, WorkingCalendar};

/// A date checked at compile time: `day!(2026, 2, 14)`. Evaluated in a `const` block, so a date
/// that does not exist is a compile error, never a panic at run time.
macro_rules! day {
    ($y:literal, $m:literal, $d:literal) => {
        const {
            match chrono::NaiveDate::from_ymd_opt($y, $m, $d) {
                Some(date) => date,
                None => panic!(concat!(
                    "not a date: ",
                    stringify!($y),
                    "-",
                    stringify!($m),
                    "-",
                    stringify!($d)
                )),
            }
        }
    };
}

mod y2024;
mod y2025;
mod y2026;

/// Every vendored arrangement, oldest first.
pub const ARRANGEMENTS: &[Arrangement] =
    &[y2024::ARRANGEMENT, y2025::ARRANGEMENT, y2026::ARRANGEMENT];

/// The notice an arrangement transcribes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Notice {
    /// 国务院办公厅关于20XX年部分节假日安排的通知.
    pub title: &'static str,
    /// The document number (文号), e.g. 国办发明电〔2025〕7号.
    pub number: &'static str,
    /// The date the notice bears (成文日期).
    pub issued: NaiveDate,
    /// Where www.gov.cn publishes it.
    pub url: &'static str,
}

/// One holiday of a notice (元旦, 春节 …): a run of consecutive days off, weekends included as
/// the notice counts them, and the make-up working days (调休上班) that go with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holiday {
    /// As the notice names it; 国庆节、中秋节 when the two are merged.
    pub name: &'static str,
    pub first_day_off: NaiveDate,
    pub last_day_off: NaiveDate,
    /// 共N天 as the notice states it (1 where it says only "放假" for a single day); the tests
    /// check it against the run.
    pub days_off: u32,
    /// 调休 — make-up working days, usually a Saturday or Sunday.
    pub make_up_days: &'static [NaiveDate],
}

impl Holiday {
    pub fn is_day_off(&self, date: NaiveDate) -> bool {
        self.first_day_off <= date && date <= self.last_day_off
    }
}

/// One year's arrangement, as its notice publishes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arrangement {
    pub year: i32,
    pub notice: Notice,
    pub holidays: &'static [Holiday],
}

impl Arrangement {
    /// A day off of one of the holidays (放假调休).
    pub fn is_day_off(&self, date: NaiveDate) -> bool {
        self.holidays.iter().any(|h| h.is_day_off(date))
    }

    /// A make-up working day (调休上班).
    pub fn is_make_up_day(&self, date: NaiveDate) -> bool {
        self.holidays.iter().any(|h| h.make_up_days.contains(&date))
    }
}

/// The arrangement vendored for `year`, if any.
pub fn arrangement(year: i32) -> Option<&'static Arrangement> {
    ARRANGEMENTS.iter().find(|a| a.year == year)
}

/// China's working days as vendored: in a year with an arrangement, Monday–Friday except its
/// days off, plus its make-up days; in any other year, Monday–Friday, and the year is unknown.
/// The county's own declarations go on top of it in
/// [`CountyCalendar`](super::CountyCalendar).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChinaCalendar;

impl WorkingCalendar for ChinaCalendar {
    fn is_working_day(&self, date: NaiveDate) -> bool {
        match arrangement(date.year()) {
            Some(a) if a.is_make_up_day(date) => true,
            Some(a) if a.is_day_off(date) => false,
            _ => is_monday_to_friday(date),
        }
    }

    fn is_known_year(&self, year: i32) -> bool {
        arrangement(year).is_some()
    }
}
