//! What happened to an accountability case.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::event::PublicView;
use crate::fault::{FaultCause, FaultDecision};
use crate::values::{AccountabilityId, CampaignId, PersonId, Text, UnitId};

use super::commands::{Ground, Outcome};

/// The episode a 容错 ruling within an accountability decision rules on: this case, and only
/// it. Tagged like the item's [`Episode`](crate::item::Episode) (`{"kind": …}`), so a reader of
/// rulings across aggregates tells them apart by `kind`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AccountabilityEpisode {
    Accountability { case: AccountabilityId },
}

/// A 容错 ruling as recorded in a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RecordedRuling {
    pub episode: AccountabilityEpisode,
    pub cause: FaultCause,
    pub decision: FaultDecision,
    pub reason: Text,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum AccountabilityEvent {
    Proposed {
        case: AccountabilityId,
        campaign: CampaignId,
        person: PersonId,
        /// The unit charged: the person's unit when the grounds arose.
        unit: UnitId,
        grounds: Vec<Ground>,
        /// The referral window (days) in force that a repeated-admonishment ground was checked
        /// against; `None` without such a ground.
        referral_window_days: Option<u32>,
        by: PersonId,
        at: DateTime<Utc>,
    },
    Decided {
        outcome: Outcome,
        reasons: Vec<Text>,
        fault_tolerance: Option<RecordedRuling>,
        /// Whether the decision deducts points from the unit charged (outcome ≠ 不予问责).
        deducts: bool,
        by: PersonId,
        at: DateTime<Utc>,
    },
    Withdrawn {
        reasons: Vec<Text>,
        by: PersonId,
        at: DateTime<Utc>,
    },
}

crate::event::event_types!(AccountabilityEvent {
    Proposed => "rectiflow.accountability.proposed",
    Decided => "rectiflow.accountability.decided",
    Withdrawn => "rectiflow.accountability.withdrawn",
});

crate::event::attributed!(AccountabilityEvent {
    Proposed,
    Decided,
    Withdrawn
});

/// Nothing is sealed: an accountability case is a record about a cadre's conduct in office,
/// which the campaign publishes (通报批评 is public by definition). The personal data this
/// system seals is that of complainants and parents, none of which a case carries.
impl PublicView for AccountabilityEvent {}
