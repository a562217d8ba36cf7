//! Why a county-calendar command was refused.

use chrono::NaiveDate;

use super::commands::DeclaredDay;
use crate::failure::DomainError;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OverrideError {
    /// E.g. declaring a date already declared (revoke it first), or revoking one never declared.
    #[error("cannot {request} {date}: it is {state}")]
    InvalidTransition {
        date: NaiveDate,
        /// `declared_working_day`, `declared_day_off` or `not_declared`.
        state: &'static str,
        request: &'static str,
    },
    #[error(
        "{date} is already a {day} in China's published arrangement: declaring it changes nothing"
    )]
    ChangesNothing { date: NaiveDate, day: DeclaredDay },
    #[error("{date} is outside the years a county calendar covers ({min}..={max})")]
    DateOutOfRange { date: NaiveDate, min: i32, max: i32 },
}

impl OverrideError {
    /// A stable code the HTTP layer exposes to integrators.
    pub fn code(&self) -> &'static str {
        match self {
            OverrideError::InvalidTransition { .. } => "county_calendar.invalid_transition",
            OverrideError::ChangesNothing { .. } => "county_calendar.changes_nothing",
            OverrideError::DateOutOfRange { .. } => "county_calendar.date_out_of_range",
        }
    }
}

/// Every OverrideError is a refusal by the rules, never a port's failure: the aggregate
/// consults no port (China's arrangement is constant data).
impl DomainError for OverrideError {
    fn code(&self) -> &'static str {
        OverrideError::code(self)
    }
}
