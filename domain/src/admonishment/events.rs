//! What happened to an admonishment.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::event::PublicView;
use crate::values::{
    AdmonishmentId, CampaignId, ItemCode, PersonId, PublicationId, Text, UnitId, Uri,
};

use super::evidence::Basis;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum AdmonishmentEvent {
    /// 约谈提醒 triggered: by the policy at a publication (every rule that fired, with its
    /// evidence), or by the secretariat.
    Triggered {
        admonishment: AdmonishmentId,
        campaign: CampaignId,
        unit: UnitId,
        basis: Basis,
        items: Vec<ItemCode>,
        reasons: Vec<Text>,
        by: PersonId,
        at: DateTime<Utc>,
    },
    Scheduled {
        when: DateTime<Utc>,
        place: Text,
        conducted_by: Vec<PersonId>,
        by: PersonId,
        at: DateTime<Utc>,
    },
    Held {
        attendees: Vec<PersonId>,
        minutes: Uri,
        /// The instant the talk had been scheduled for.
        scheduled_for: DateTime<Utc>,
        by: PersonId,
        at: DateTime<Utc>,
    },
    FollowedUp {
        outcome: Text,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// Withdrawn (撤销) by a secretariat before the talk was held, with reasons and, when
    /// the publication it rested on was corrected, the correcting publication. It no longer
    /// counts: not for the 182-day window, not for assessment deductions.
    Withdrawn {
        reasons: Vec<Text>,
        correction: Option<PublicationId>,
        by: PersonId,
        at: DateTime<Utc>,
    },
}

crate::event::event_types!(AdmonishmentEvent {
    Triggered => "rectiflow.admonishment.triggered",
    Scheduled => "rectiflow.admonishment.scheduled",
    Held => "rectiflow.admonishment.held",
    FollowedUp => "rectiflow.admonishment.followed_up",
    Withdrawn => "rectiflow.admonishment.withdrawn",
});

crate::event::attributed!(AdmonishmentEvent {
    Triggered,
    Scheduled,
    Held,
    FollowedUp,
    Withdrawn
});

/// Nothing in these events is sealed: the whole event is public.
impl PublicView for AdmonishmentEvent {}
