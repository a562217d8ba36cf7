//! What happened to a supplier.

use chrono::{DateTime, NaiveDate, Utc};
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use crate::values::{CampaignId, PersonId, Text};

use super::commands::BlacklistBasis;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SupplierEvent {
    Blacklisted {
        campaign: CampaignId,
        basis: BlacklistBasis,
        reason: Text,
        from: NaiveDate,
        until: NaiveDate,
        /// 00:00 of `from`, local time, as an instant.
        listed_from: DateTime<Utc>,
        /// 24:00 of `until`, local time, as an instant: the listing ends here (exclusive).
        listed_until: DateTime<Utc>,
        listed_by: PersonId,
        listed_at: DateTime<Utc>,
    },
    RemovedFromBlacklist {
        reason: Text,
        removed_by: PersonId,
        removed_at: DateTime<Utc>,
    },
    /// The supplier was not listed when the award was checked.
    AwardCleared {
        procurement_ref: Text,
        checked_by: PersonId,
        checked_at: DateTime<Utc>,
    },
}

impl DomainEvent for SupplierEvent {
    fn event_type(&self) -> String {
        match self {
            SupplierEvent::Blacklisted { .. } => "Blacklisted",
            SupplierEvent::RemovedFromBlacklist { .. } => "RemovedFromBlacklist",
            SupplierEvent::AwardCleared { .. } => "AwardCleared",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1.0".to_owned()
    }
}
