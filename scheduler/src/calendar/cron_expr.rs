//! Cron expressions, parsed with the `cron` crate and evaluated in the campaign's zone.
//!
//! The crate wants a seconds field (`sec min hour day-of-month month day-of-week [year]`) and
//! numbers weekdays as Quartz does, 1 = Sunday … 7 = Saturday, where Unix cron has 1 = Monday.
//! A secretariat writing `0 0 9 * * 1` means Monday and would get Sunday, so numeric weekdays
//! are refused: only names (`Mon` … `Sun`, ranges `Mon-Fri`, lists `Mon,Thu`) say the day
//! unambiguously. Shorthands (`@weekly` …) are refused too: they hide which day they mean.

use std::str::FromStr;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use thiserror::Error;

/// Why an expression is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CronError {
    #[error(
        "cron expression `{expression}` has {found} fields; write 6 or 7: \
         sec min hour day-of-month month day-of-week [year]"
    )]
    FieldCount { expression: String, found: usize },
    #[error(
        "cron expression `{expression}` is a shorthand; write the fields out \
         (sec min hour day-of-month month day-of-week), so the day it fires on is visible"
    )]
    Shorthand { expression: String },
    #[error(
        "cron expression `{expression}`: weekday `{item}` is a number; the cron crate counts \
         1 = Sunday (Quartz), not 1 = Monday, so write the weekday by name (Mon, Tue, Wed, \
         Thu, Fri, Sat, Sun)"
    )]
    NumericWeekday { expression: String, item: String },
    #[error(
        "cron expression `{expression}`: weekday `{item}` has a step; list the weekdays by \
         name instead (e.g. Mon,Wed,Fri)"
    )]
    WeekdayStep { expression: String, item: String },
    #[error("cron expression `{expression}` is not valid: {reason}")]
    Invalid { expression: String, reason: String },
}

/// A parsed cron expression whose weekdays are named. Fires at every instant whose local
/// wall-clock time in the zone matches every field: day-of-month **and** day-of-week (the
/// crate's rule, not Unix's "either"). A local time a clock change skips never fires; one it
/// repeats fires at both instants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronExpr {
    schedule: cron::Schedule,
}

/// How far ahead a clock turned back is looked for: no zone has turned back by more than
/// this, so the instants of a repeated local hour are never missed.
const FOLD_LOOKOUT: Duration = Duration::hours(3);

impl CronExpr {
    pub fn parse(expression: &str) -> Result<Self, CronError> {
        let owned = || expression.to_owned();
        if expression.trim_start().starts_with('@') {
            return Err(CronError::Shorthand {
                expression: owned(),
            });
        }
        let fields: Vec<&str> = expression.split_whitespace().collect();
        if !(6..=7).contains(&fields.len()) {
            return Err(CronError::FieldCount {
                expression: owned(),
                found: fields.len(),
            });
        }
        if let Some(weekdays) = fields.get(5) {
            check_weekdays(expression, weekdays)?;
        }
        let schedule =
            cron::Schedule::from_str(&fields.join(" ")).map_err(|e| CronError::Invalid {
                expression: owned(),
                reason: e.to_string(),
            })?;
        Ok(Self { schedule })
    }

    /// The expression as written (fields joined by single spaces).
    pub fn as_str(&self) -> &str {
        self.schedule.source()
    }

    /// The first instant strictly after `after` at which the expression fires in `zone`, or
    /// `None` when it never fires again (a year field that has run out, 30 February).
    pub fn next_after(&self, after: DateTime<Utc>, zone: Tz) -> Option<DateTime<Utc>> {
        // The crate walks local wall-clock time forward from `after`'s. When the clock is
        // turned back within the lookout, the repeated hour holds instants later than `after`
        // whose wall-clock time is earlier: start the walk that much earlier, and take the
        // earliest instant after `after` among those up to `fold` past the first one found.
        let fold = turned_back_within(after, zone);
        let start = after.checked_sub_signed(fold).unwrap_or(after);
        let mut found: Option<DateTime<Utc>> = None;
        let mut horizon = None;
        for candidate in self.schedule.after(&start.with_timezone(&zone)) {
            let wall = candidate.naive_local();
            if horizon.is_some_and(|h| wall > h) {
                break;
            }
            let instant = candidate.with_timezone(&Utc);
            if instant <= after {
                continue;
            }
            if found.is_none_or(|f| instant < f) {
                found = Some(instant);
            }
            if horizon.is_none() {
                horizon = Some(wall + fold);
            }
            if fold.is_zero() {
                break;
            }
        }
        found
    }

    /// Every instant the expression fires at after `after`, in order.
    pub fn after(
        &self,
        after: DateTime<Utc>,
        zone: Tz,
    ) -> impl Iterator<Item = DateTime<Utc>> + '_ {
        std::iter::successors(self.next_after(after, zone), move |at| {
            self.next_after(*at, zone)
        })
    }
}

impl FromStr for CronExpr {
    type Err = CronError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl std::fmt::Display for CronExpr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The weekday field holds `*`, `?`, names, name ranges and lists of them — no numbers (they
/// count from Sunday) and no steps (a step over weekdays counts from Sunday too).
fn check_weekdays(expression: &str, field: &str) -> Result<(), CronError> {
    for item in field.split(',') {
        let refusal = |item: &str| (expression.to_owned(), item.to_owned());
        if item.contains('/') {
            let (expression, item) = refusal(item);
            return Err(CronError::WeekdayStep { expression, item });
        }
        if item.chars().any(|c| c.is_ascii_digit()) {
            let (expression, item) = refusal(item);
            return Err(CronError::NumericWeekday { expression, item });
        }
    }
    Ok(())
}

/// By how much `zone`'s clock is turned back between `after` and the lookout past it (zero
/// when it is not): the wall-clock time the lookout should show, less the one it shows.
fn turned_back_within(after: DateTime<Utc>, zone: Tz) -> Duration {
    let Some(later) = after.checked_add_signed(FOLD_LOOKOUT) else {
        return Duration::zero();
    };
    let expected = after.with_timezone(&zone).naive_local() + FOLD_LOOKOUT;
    let shown = later.with_timezone(&zone).naive_local();
    (expected - shown).max(Duration::zero())
}
