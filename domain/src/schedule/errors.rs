//! Why a schedule command was refused.

use chrono::{DateTime, NaiveDate, Utc};

use super::commands::ScheduleKind;
use crate::failure::DomainError;
use crate::values::CampaignId;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScheduleError {
    /// E.g. creating a schedule twice, resuming one not paused, anything on a deleted one.
    #[error("cannot {request} the schedule: it is {state}")]
    InvalidTransition {
        /// `not_created`, `running`, `paused` or `deleted`.
        state: &'static str,
        request: &'static str,
    },
    #[error("{starts} to {ends}: a schedule cannot end before it starts")]
    EndsBeforeStart { starts: NaiveDate, ends: NaiveDate },
    #[error("{date} is outside the years a schedule covers ({min}..={max})")]
    DateOutOfRange { date: NaiveDate, min: i32, max: i32 },
    #[error("{from} to {to}: a backfill ends on or after its first day, before the schedule starts ({starts})")]
    BadBackfill {
        from: NaiveDate,
        to: NaiveDate,
        starts: NaiveDate,
    },
    #[error("{from} to {to}: a backfill covers at most {max_days} days")]
    BackfillTooLong {
        from: NaiveDate,
        to: NaiveDate,
        max_days: i64,
    },
    #[error("the occurrence must name its nominal times, earliest first, each falling due at the same instant")]
    BadOccurrence,
    #[error("{nominal} is not a nominal time of a {kind} in this campaign's rhythm")]
    NotANominalTime {
        nominal: DateTime<Utc>,
        kind: ScheduleKind,
    },
    #[error("the occurrence falls due at {due_at}: it cannot fire before")]
    NotYetDue { due_at: DateTime<Utc> },
    #[error("the occurrence is inside its catch-up window until {until}: fire it, late")]
    InsideCatchUpWindow { until: DateTime<Utc> },
    #[error("the dispatch's catch-up window closed at {until}: skip it")]
    CatchUpWindowPassed { until: DateTime<Utc> },
    #[error("a schedule of {kind} for {campaign} lives on the stream {expected}")]
    WrongStream {
        campaign: CampaignId,
        kind: ScheduleKind,
        expected: String,
    },
    /// The occurrence of this nominal time was already fired or skipped: exactly once.
    #[error("the occurrence at {nominal} was already {done}")]
    AlreadyDone {
        nominal: DateTime<Utc>,
        /// `fired` or `skipped`.
        done: &'static str,
    },
    #[error("the nominal day {day} is outside the days the schedule runs (from {starts}{ends})", ends = ends.map(|e| format!(" to {e}")).unwrap_or_default())]
    OutsideSchedule {
        day: NaiveDate,
        starts: NaiveDate,
        ends: Option<NaiveDate>,
    },
    /// Only an occurrence fired or skipped, and not completed yet, awaits its action.
    #[error("no occurrence identified by {nominal} awaits its action")]
    NotAwaitingAction { nominal: DateTime<Utc> },
    #[error("a {kind} is never skipped: it fires late")]
    NeverSkipped { kind: ScheduleKind },
    #[error("the campaign {0} is not known here")]
    UnknownCampaign(CampaignId),
    #[error(transparent)]
    Forbidden(crate::permission::Forbidden),
    /// The directory or the settings did not answer: not a refusal.
    #[error("{0}")]
    Unavailable(crate::failure::PortUnavailable),
}

impl ScheduleError {
    /// A stable code the HTTP layer exposes to integrators.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidTransition { .. } => "schedule.invalid_transition",
            Self::EndsBeforeStart { .. } => "schedule.ends_before_start",
            Self::DateOutOfRange { .. } => "schedule.date_out_of_range",
            Self::BadBackfill { .. } => "schedule.bad_backfill",
            Self::BackfillTooLong { .. } => "schedule.backfill_too_long",
            Self::BadOccurrence => "schedule.bad_occurrence",
            Self::NotANominalTime { .. } => "schedule.not_a_nominal_time",
            Self::NotYetDue { .. } => "schedule.not_yet_due",
            Self::InsideCatchUpWindow { .. } => "schedule.inside_catch_up_window",
            Self::CatchUpWindowPassed { .. } => "schedule.catch_up_window_passed",
            Self::WrongStream { .. } => "schedule.wrong_stream",
            Self::AlreadyDone { .. } => "schedule.already_done",
            Self::OutsideSchedule { .. } => "schedule.outside_schedule",
            Self::NotAwaitingAction { .. } => "schedule.not_awaiting_action",
            Self::NeverSkipped { .. } => "schedule.never_skipped",
            Self::UnknownCampaign(_) => "schedule.unknown_campaign",
            Self::Forbidden(_) => "schedule.forbidden",
            Self::Unavailable(_) => "schedule.unavailable",
        }
    }
}

impl DomainError for ScheduleError {
    fn unavailable(&self) -> Option<&crate::failure::PortUnavailable> {
        match self {
            Self::Unavailable(unavailable) => Some(unavailable),
            _ => None,
        }
    }

    fn code(&self) -> &'static str {
        ScheduleError::code(self)
    }
}

impl From<crate::permission::Refused> for ScheduleError {
    fn from(refused: crate::permission::Refused) -> Self {
        match refused {
            crate::permission::Refused::Forbidden(forbidden) => Self::Forbidden(forbidden),
            crate::permission::Refused::Unavailable(unavailable) => Self::Unavailable(unavailable),
        }
    }
}
