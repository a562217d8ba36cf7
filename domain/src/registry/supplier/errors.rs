//! Why a supplier command was refused.

use chrono::{DateTime, NaiveDate, Utc};

use crate::failure::DomainError;
use crate::values::{CampaignId, Text};

use super::aggregate::Supplier;
use super::commands::{BlacklistBasis, SupplierCommand};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SupplierError {
    #[error("整治行动 {campaign} 不存在")]
    UnknownCampaign { campaign: CampaignId },
    #[error(
        "供应商处于“{}”状态，不能{}",
        Supplier::state_label(state),
        SupplierCommand::label_of(request)
    )]
    InvalidTransition {
        state: &'static str,
        request: &'static str,
    },
    #[error("黑名单期限的截止日（{until}）不得早于起始日（{from}）")]
    InvalidPeriod { from: NaiveDate, until: NaiveDate },
    #[error("截至 {until} 的黑名单期限已届满")]
    PeriodAlreadyOver { until: NaiveDate },
    /// 一票否决 — the one-vote veto: a listed supplier cannot be awarded.
    #[error("采购项目 {procurement_ref} 不得授予该供应商：其列入黑名单至 {until}，一票否决")]
    Blacklisted {
        procurement_ref: Text,
        basis: BlacklistBasis,
        until: NaiveDate,
        listed_until: DateTime<Utc>,
    },
    #[error(transparent)]
    Forbidden(crate::permission::Forbidden),
    /// The directory (or another port) did not answer: not a refusal.
    #[error("{0}")]
    Unavailable(crate::failure::PortUnavailable),
}

impl SupplierError {
    /// A stable code the HTTP layer exposes to integrators.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Forbidden(_) => "supplier.forbidden",
            Self::Unavailable(_) => "supplier.unavailable",
            SupplierError::UnknownCampaign { .. } => "supplier.unknown_campaign",
            SupplierError::InvalidTransition { .. } => "supplier.invalid_transition",
            SupplierError::InvalidPeriod { .. } => "supplier.invalid_period",
            SupplierError::PeriodAlreadyOver { .. } => "supplier.period_already_over",
            SupplierError::Blacklisted { .. } => "supplier.blacklisted",
        }
    }
}

/// Every SupplierError is a refusal by the rules, never a port's failure: the ports this aggregate
/// consults (settings, calendar, directory) answer from memory and cannot fail.
impl DomainError for SupplierError {
    fn unavailable(&self) -> Option<&crate::failure::PortUnavailable> {
        match self {
            Self::Unavailable(unavailable) => Some(unavailable),
            _ => None,
        }
    }

    fn code(&self) -> &'static str {
        SupplierError::code(self)
    }
}

impl From<crate::permission::Refused> for SupplierError {
    fn from(refused: crate::permission::Refused) -> Self {
        match refused {
            crate::permission::Refused::Forbidden(forbidden) => Self::Forbidden(forbidden),
            crate::permission::Refused::Unavailable(unavailable) => Self::Unavailable(unavailable),
        }
    }
}
