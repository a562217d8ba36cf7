//! Deadlines and local time in the campaign's time zone.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::ValueError;

/// A deadline (时限): a local date. An item is due by 24:00 of that date in the campaign's time
/// zone, i.e. the deadline passes at 00:00 of the next local day.
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
#[serde(transparent)]
pub struct Deadline(NaiveDate);

impl Deadline {
    pub fn new(date: NaiveDate) -> Self {
        Self(date)
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(value: &str) -> Result<Self, ValueError> {
        NaiveDate::parse_from_str(value, "%Y-%m-%d")
            .map(Self)
            .map_err(|_| ValueError::Invalid {
                kind: "整改时限",
                value: value.to_owned(),
                rule: "应为 YYYY-MM-DD 格式的日期",
            })
    }

    pub fn date(self) -> NaiveDate {
        self.0
    }

    /// The instant the deadline passes: 24:00 of the date in `tz` (00:00 of the next day).
    /// Where that local midnight does not exist (a DST gap), the first instant after it.
    pub fn passes_at(self, tz: Tz) -> DateTime<Utc> {
        let next = self
            .0
            .checked_add_days(Days::new(1))
            .unwrap_or(NaiveDate::MAX);
        local_start_of_day(next, tz)
    }
}

/// The first instant of a local date in `tz`, in UTC.
pub fn local_start_of_day(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let naive = date.and_time(NaiveTime::MIN);
    match tz.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        // No midnight that day (a DST jump at 00:00): take 01:00, the first local hour that exists.
        chrono::LocalResult::None => tz
            .from_local_datetime(&(naive + chrono::Duration::hours(1)))
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&naive)),
    }
}

/// The local date of an instant in `tz`.
pub fn local_date(at: DateTime<Utc>, tz: Tz) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deadline_passes_at_local_midnight_after_its_date() {
        let deadline = Deadline::parse("2026-03-31").expect("valid");
        // Asia/Shanghai is UTC+8: 2026-04-01 00:00 local = 2026-03-31 16:00 UTC.
        let at = deadline.passes_at(chrono_tz::Asia::Shanghai);
        assert_eq!(at.to_rfc3339(), "2026-03-31T16:00:00+00:00");
        assert_eq!(
            local_date(at, chrono_tz::Asia::Shanghai).to_string(),
            "2026-04-01"
        );
        assert!(Deadline::parse("2026-02-30").is_err());
    }
}
