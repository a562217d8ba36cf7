//! [`CountyCalendar`]: the calendar a county's campaigns count working days with.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::cn::ChinaCalendar;
use super::overrides::{CountyOverrides, DeclaredDay};
use super::port::WorkingCalendar;

/// China's vendored arrangement with the county's own declarations on top: a declared day is
/// what the county declared, whatever the arrangement (or the weekday) says.
///
/// A year stays as known or unknown as China's arrangement makes it: a declaration does not
/// publish a year. But a declared day is not a guess, so the arithmetic does not flag a
/// computation that only looked at declared days of an unknown year
/// ([`WorkingCalendar::is_guessed`]).
///
/// Built from the county's [`CountyOverrides`] as folded at the moment of a decision; an
/// adapter keeps one current from the county's stream, as it does the settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CountyCalendar {
    declared: BTreeMap<NaiveDate, DeclaredDay>,
}

impl CountyCalendar {
    /// China's arrangement alone: a county that has declared nothing.
    pub fn china() -> Self {
        Self::default()
    }

    /// The county's calendar as its declarations stand.
    pub fn new(overrides: &CountyOverrides) -> Self {
        Self {
            declared: overrides
                .declarations()
                .iter()
                .map(|(date, declaration)| (*date, declaration.day))
                .collect(),
        }
    }

    /// What the county declared `date` to be, if it declared it.
    pub fn declared(&self, date: NaiveDate) -> Option<DeclaredDay> {
        self.declared.get(&date).copied()
    }
}

impl From<&CountyOverrides> for CountyCalendar {
    fn from(overrides: &CountyOverrides) -> Self {
        Self::new(overrides)
    }
}

impl WorkingCalendar for CountyCalendar {
    fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.declared(date) {
            Some(day) => day.is_working(),
            None => ChinaCalendar.is_working_day(date),
        }
    }

    fn is_known_year(&self, year: i32) -> bool {
        ChinaCalendar.is_known_year(year)
    }

    fn is_guessed(&self, date: NaiveDate) -> bool {
        !self.declared.contains_key(&date) && !self.is_known_year(date.year())
    }
}
