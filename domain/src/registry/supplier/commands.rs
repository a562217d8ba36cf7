//! What may be asked of a supplier.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::values::{CampaignId, CaseId, ItemCode, Text};

/// What established the misconduct behind a blacklisting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BlacklistBasis {
    /// A concluded case (案件).
    Case { case: CaseId },
    /// An item of the issue list.
    Item { code: ItemCode },
}

/// The body of a supplier command; it travels as [`crate::Command<SupplierCommand>`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SupplierCommand {
    /// Lists the supplier from `from` to `until` (local dates, both included) in the
    /// campaign's time zone.
    Blacklist {
        campaign: CampaignId,
        basis: BlacklistBasis,
        reason: Text,
        from: NaiveDate,
        until: NaiveDate,
    },
    /// Takes the supplier off the list before its period ends (e.g. the decision was revoked).
    RemoveFromBlacklist { reason: Text },
    /// Checks that the supplier may be awarded the procurement `procurement_ref`.
    CheckAward { procurement_ref: Text },
}

impl SupplierCommand {
    /// The request's name, as named in a refused transition.
    pub fn name(&self) -> &'static str {
        match self {
            SupplierCommand::Blacklist { .. } => "blacklist",
            SupplierCommand::RemoveFromBlacklist { .. } => "remove_from_blacklist",
            SupplierCommand::CheckAward { .. } => "check_award",
        }
    }

    /// The name users read, 中文.
    pub fn label(&self) -> &'static str {
        Self::label_of(self.name())
    }

    /// The name users read (中文) of the request named `name` by [`name`](Self::name);
    /// `name` itself if no request is so named.
    pub fn label_of(name: &'static str) -> &'static str {
        match name {
            "blacklist" => "列入黑名单",
            "remove_from_blacklist" => "移出黑名单",
            "check_award" => "核验中标资格",
            other => other,
        }
    }
}
