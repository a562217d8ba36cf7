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
    #[error(transparent)]
    Forbidden(crate::permission::Forbidden),
    /// The directory (or another port) did not answer: not a refusal.
    #[error("{0}")]
    Unavailable(crate::failure::PortUnavailable),
}

impl OverrideError {
    /// A stable code the HTTP layer exposes to integrators.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Forbidden(_) => "county_calendar.forbidden",
            Self::Unavailable(_) => "county_calendar.unavailable",
            OverrideError::InvalidTransition { .. } => "county_calendar.invalid_transition",
            OverrideError::ChangesNothing { .. } => "county_calendar.changes_nothing",
            OverrideError::DateOutOfRange { .. } => "county_calendar.date_out_of_range",
        }
    }
}

/// Every OverrideError is a refusal by the rules, never a port's failure: the aggregate
/// consults no port (China's arrangement is constant data).
impl DomainError for OverrideError {
    fn unavailable(&self) -> Option<&crate::failure::PortUnavailable> {
        match self {
            Self::Unavailable(unavailable) => Some(unavailable),
            _ => None,
        }
    }

    fn code(&self) -> &'static str {
        OverrideError::code(self)
    }
}

impl From<crate::permission::Refused> for OverrideError {
    fn from(refused: crate::permission::Refused) -> Self {
        match refused {
            crate::permission::Refused::Forbidden(forbidden) => Self::Forbidden(forbidden),
            crate::permission::Refused::Unavailable(unavailable) => Self::Unavailable(unavailable),
        }
    }
}
