//! A calendar quarter (季度), the period of surveys and assessments (季考核).

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::values::{local_start_of_day, Deadline, ValueError};

/// A calendar quarter: `q` is 1 (January–March) to 4 (October–December), `year` has four
/// digits. Written `2026-Q1`. Construct with [`Quarter::new`] or [`Quarter::parse`]; an invalid
/// quarter cannot exist.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(try_from = "String", into = "String")]
pub struct Quarter {
    year: i32,
    q: u8,
}

impl Quarter {
    pub fn new(year: i32, q: u8) -> Result<Self, ValueError> {
        if !(1000..=9999).contains(&year) {
            return Err(ValueError::OutOfRange {
                kind: "季度所属年份",
                value: year.to_string(),
                min: "1000".into(),
                max: "9999".into(),
            });
        }
        if !(1..=4).contains(&q) {
            return Err(ValueError::OutOfRange {
                kind: "季度",
                value: q.to_string(),
                min: "1".into(),
                max: "4".into(),
            });
        }
        Ok(Self { year, q })
    }

    /// Parses `YYYY-Qn` (also `YYYYQn`, and a lowercase `q`).
    pub fn parse(value: &str) -> Result<Self, ValueError> {
        let invalid = || ValueError::Invalid {
            kind: "季度",
            value: value.to_owned(),
            rule: "应为“YYYY-Qn”格式，n 为 1 至 4，如 2026-Q1",
        };
        let trimmed = value.trim();
        let (year, q) = trimmed.split_once(['Q', 'q']).ok_or_else(invalid)?;
        let year = year.strip_suffix('-').unwrap_or(year);
        if year.len() != 4 || !year.chars().all(|c| c.is_ascii_digit()) || q.len() != 1 {
            return Err(invalid());
        }
        let year: i32 = year.parse().map_err(|_| invalid())?;
        let q: u8 = q.parse().map_err(|_| invalid())?;
        Self::new(year, q).map_err(|_| invalid())
    }

    /// The quarter a local date falls in.
    pub fn containing(date: NaiveDate) -> Result<Self, ValueError> {
        // month0 is 0..=11, so the quotient is 0..=3 and fits in u8.
        let q = u8::try_from(date.month0() / 3 + 1).unwrap_or(4);
        Self::new(date.year(), q)
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn q(self) -> u8 {
        self.q
    }

    /// The first local date of the quarter.
    pub fn first_day(self) -> NaiveDate {
        // Always valid: year is 1000..=9999 and the month 1, 4, 7 or 10.
        NaiveDate::from_ymd_opt(self.year, u32::from(self.q) * 3 - 2, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The last local date of the quarter (the cut-off is 24:00 of this day).
    pub fn last_day(self) -> NaiveDate {
        let (year, month) = if self.q == 4 {
            (self.year + 1, 1)
        } else {
            (self.year, u32::from(self.q) * 3 + 1)
        };
        NaiveDate::from_ymd_opt(year, month, 1)
            .and_then(|d| d.pred_opt())
            .unwrap_or(NaiveDate::MAX)
    }

    /// The instant the quarter begins in `tz`: 00:00 local of its first day.
    pub fn starts_at(self, tz: Tz) -> DateTime<Utc> {
        local_start_of_day(self.first_day(), tz)
    }

    /// The instant the quarter ends in `tz` (its cut-off): 24:00 local of its last day. An
    /// act at or after it is outside the quarter.
    pub fn ends_at(self, tz: Tz) -> DateTime<Utc> {
        Deadline::new(self.last_day()).passes_at(tz)
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        self.first_day() <= date && date <= self.last_day()
    }

    /// The next quarter, if it has a four-digit year.
    pub fn next(self) -> Option<Self> {
        if self.q == 4 {
            Self::new(self.year + 1, 1).ok()
        } else {
            Self::new(self.year, self.q + 1).ok()
        }
    }

    /// The previous quarter, if it has a four-digit year.
    pub fn previous(self) -> Option<Self> {
        if self.q == 1 {
            Self::new(self.year - 1, 4).ok()
        } else {
            Self::new(self.year, self.q - 1).ok()
        }
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.q)
    }
}

impl std::str::FromStr for Quarter {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, ValueError> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Quarter {
    type Error = ValueError;
    fn try_from(value: String) -> Result<Self, ValueError> {
        Self::parse(&value)
    }
}

impl From<Quarter> for String {
    fn from(value: Quarter) -> String {
        value.to_string()
    }
}
