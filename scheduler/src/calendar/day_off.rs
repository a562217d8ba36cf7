//! Why a day is not a working day — said in an explanation, never decided here: whether a
//! day is worked is the campaign calendar's answer alone.

use std::fmt;

use chrono::{Datelike, NaiveDate, Weekday};
use rectiflow_domain::calendar::cn::arrangement;
use rectiflow_domain::calendar::WorkingCalendar;

/// Why a day the calendar says is not worked is off, as far as can be told from outside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayOff {
    /// A day off of one of China's statutory holidays (放假调休), as the year's notice names it
    /// (`国庆节`, `春节` …).
    Holiday { name: &'static str },
    /// A Saturday or Sunday that is not a make-up working day (调休上班).
    Weekend(Weekday),
    /// A weekday the campaign's calendar has off for another reason: a day the county
    /// declared off, or one a configured calendar lists.
    Declared,
}

impl DayOff {
    /// Why `date` is off, asked only of a day `calendar` says is not a working day: a
    /// statutory holiday when China's arrangement has it off, else a weekend, else declared.
    pub fn of(date: NaiveDate, calendar: &dyn WorkingCalendar) -> Option<Self> {
        if calendar.is_working_day(date) {
            return None;
        }
        let holiday =
            arrangement(date.year()).and_then(|a| a.holidays.iter().find(|h| h.is_day_off(date)));
        Some(match (holiday, date.weekday()) {
            (Some(h), _) => DayOff::Holiday { name: h.name },
            (None, day @ (Weekday::Sat | Weekday::Sun)) => DayOff::Weekend(day),
            (None, _) => DayOff::Declared,
        })
    }
}

/// The English name of a holiday as the notices name it, for a reader who does not read
/// Chinese; `None` for a name not known here (the Chinese name is always shown).
fn english(name: &str) -> Option<&'static str> {
    Some(match name {
        "元旦" => "New Year's Day",
        "春节" => "Spring Festival",
        "清明节" => "Qingming Festival",
        "劳动节" => "Labour Day",
        "端午节" => "Dragon Boat Festival",
        "中秋节" => "Mid-Autumn Festival",
        "国庆节" => "National Day",
        "国庆节、中秋节" => "National Day and Mid-Autumn Festival",
        _ => return None,
    })
}

impl fmt::Display for DayOff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DayOff::Holiday { name } => match english(name) {
                Some(english) => write!(f, "a holiday ({english}, {name})"),
                None => write!(f, "a holiday ({name})"),
            },
            DayOff::Weekend(day) => write!(f, "a weekend day ({day})"),
            DayOff::Declared => f.write_str("a day off in the campaign's calendar"),
        }
    }
}
