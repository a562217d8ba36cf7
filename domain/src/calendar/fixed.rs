//! [`FixedCalendar`]: a calendar spelled out in full, for tests and for campaigns that
//! configure their own days.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::port::{is_monday_to_friday, WorkingCalendar};

/// Monday to Friday are working days, except the listed holidays; the listed make-up days
/// (调休上班) are working days even on a weekend. It lists every day it means, so it knows
/// every year ([`WorkingCalendar::is_known_year`] keeps its default, `true`).
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
        is_monday_to_friday(date)
    }
}
