//! What happened to a supplier.

use chrono::{DateTime, NaiveDate, Utc};

use crate::event::PublicView;
use serde::{Deserialize, Serialize};

use crate::values::{CampaignId, PersonId, Text};

use super::commands::BlacklistBasis;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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
        by: PersonId,
        at: DateTime<Utc>,
    },
    RemovedFromBlacklist {
        reason: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// The supplier was not listed when the award was checked.
    AwardCleared {
        procurement_ref: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
}

crate::event::event_types!(SupplierEvent {
    Blacklisted => "rectiflow.supplier.blacklisted",
    RemovedFromBlacklist => "rectiflow.supplier.removed_from_blacklist",
    AwardCleared => "rectiflow.supplier.award_cleared",
});

crate::event::attributed!(SupplierEvent {
    Blacklisted,
    RemovedFromBlacklist,
    AwardCleared
});

/// Nothing in these events is sealed: the whole event is public.
impl PublicView for SupplierEvent {}
