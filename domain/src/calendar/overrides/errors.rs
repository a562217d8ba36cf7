//! Why a county-calendar command was refused.

use chrono::NaiveDate;

use super::commands::{DeclaredDay, OverrideCommand};
use crate::failure::DomainError;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OverrideError {
    /// E.g. declaring a date already declared (revoke it first), or revoking one never declared.
    #[error(
        "{date} {}，不能{}",
        state_label(state),
        OverrideCommand::label_of(request)
    )]
    InvalidTransition {
        date: NaiveDate,
        /// `declared_working_day`, `declared_day_off` or `not_declared`.
        state: &'static str,
        request: &'static str,
    },
    #[error("{date} 在国家公布的节假日安排中已是{}，无需另行设定", day.label())]
    ChangesNothing { date: NaiveDate, day: DeclaredDay },
    #[error("{date} 超出本县工作日历可覆盖的年份（{min} 年至 {max} 年）")]
    DateOutOfRange { date: NaiveDate, min: i32, max: i32 },
    #[error(transparent)]
    Forbidden(crate::permission::Forbidden),
    /// The directory (or another port) did not answer: not a refusal.
    #[error("{0}")]
    Unavailable(crate::failure::PortUnavailable),
}

/// The name users read of a date's state in the county calendar, as the aggregate names it.
fn state_label(state: &str) -> &str {
    match state {
        "declared_working_day" => "已设定为工作日",
        "declared_day_off" => "已设定为休息日",
        "not_declared" => "未作设定",
        other => other,
    }
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
