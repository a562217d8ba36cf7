//! When things fire: the calendar rules of the campaign's rhythm, pure logic.
//!
//! Every rule is evaluated in the campaign's IANA time zone (default `Asia/Shanghai`) on its
//! working-day calendar — China's statutory holidays and make-up working days (调休) with the
//! county's overrides, [`rectiflow_domain::calendar::WorkingCalendar`]. Nothing here keeps its
//! own list of holidays: a day is working or not because the domain's calendar says so, and a
//! result that looked at a day of a year without a published arrangement says it guessed
//! ([`Reckoned::calendar_unknown`](rectiflow_domain::calendar::Reckoned)).
//!
//! - [`cron_expr`]: cron expressions (seconds field, weekdays by name only).
//! - [`rule`]: recurring rules — a cron expression fired as is or moved off days off, the
//!   first working day of a month or a quarter — each a variant that says which it is.
//! - [`window`]: one-off windows from an instant — plain hours, N working days after, N
//!   working days before.
//! - [`day_off`]: why a day is not a working day, for the explanations.
//! - [`occurrence`]: every occurrence of a rule in a range, with its nominal time, its local
//!   fire time and a typed explanation of any working-day adjustment (what
//!   `rectiflow schedule preview` prints).
//! - [`rhythm`]: the built-in rules of a campaign (周调度、月通报、季考核) and the period each
//!   publication covers.

pub mod cron_expr;
pub mod day_off;
pub mod occurrence;
pub mod rhythm;
pub mod rule;
pub mod window;

#[cfg(test)]
mod tests;

use chrono_tz::Tz;
use rectiflow_domain::calendar::WorkingCalendar;

pub use cron_expr::{CronError, CronExpr};
pub use day_off::DayOff;
pub use occurrence::{occurrences, Adjustment, Explanation, Nominal, Occurrence, OccurrenceError};
pub use rhythm::{period_of, AssessmentDue, BulletinDue, DispatchDue, Due, RhythmRules};
pub use rule::Rule;
pub use window::{Window, WorkingDaysBefore};

/// The campaign's time zone when its settings name none (DOMAIN.md: `Asia/Shanghai`).
pub const DEFAULT_ZONE: Tz = chrono_tz::Asia::Shanghai;

/// What every rule is evaluated on: the campaign's time zone and its working-day calendar.
/// Borrowed, so one calendar as it stands for a decision serves a whole evaluation.
#[derive(Clone, Copy)]
pub struct CampaignCalendar<'a> {
    pub zone: Tz,
    pub days: &'a dyn WorkingCalendar,
}

impl<'a> CampaignCalendar<'a> {
    pub fn new(zone: Tz, days: &'a dyn WorkingCalendar) -> Self {
        Self { zone, days }
    }
}

impl std::fmt::Debug for CampaignCalendar<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CampaignCalendar")
            .field("zone", &self.zone)
            .finish_non_exhaustive()
    }
}
