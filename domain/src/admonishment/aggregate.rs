//! The admonishment aggregate's state and its fold; the decisions are in `decide.rs`.

use chrono::{DateTime, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use crate::services::DomainServices;
use crate::values::{
    AdmonishmentId, CampaignId, ItemCode, PersonId, PublicationId, Text, UnitId, Uri,
};
use crate::Command;

use super::commands::AdmonishmentCommand;
use super::errors::AdmonishmentError;
use super::events::AdmonishmentEvent;
use super::evidence::Basis;

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AdmonishmentStatus {
    /// Not triggered yet (the stream does not exist).
    #[default]
    NotTriggered,
    Triggered,
    Scheduled,
    Held,
    FollowedUp,
    /// Withdrawn by a secretariat before the talk was held: it counts for nothing.
    Withdrawn,
}

impl AdmonishmentStatus {
    /// Every status, in the order an admonishment goes through them.
    pub const ALL: [AdmonishmentStatus; 6] = [
        AdmonishmentStatus::NotTriggered,
        AdmonishmentStatus::Triggered,
        AdmonishmentStatus::Scheduled,
        AdmonishmentStatus::Held,
        AdmonishmentStatus::FollowedUp,
        AdmonishmentStatus::Withdrawn,
    ];

    /// The name users read (中文).
    pub fn label(self) -> &'static str {
        match self {
            AdmonishmentStatus::NotTriggered => "未启动",
            AdmonishmentStatus::Triggered => "已启动待约谈",
            AdmonishmentStatus::Scheduled => "已安排约谈",
            AdmonishmentStatus::Held => "已约谈",
            AdmonishmentStatus::FollowedUp => "已跟踪整改",
            AdmonishmentStatus::Withdrawn => "已撤销",
        }
    }

    /// The name users read (中文) of the state named `name` by [`as_str`](Self::as_str);
    /// `name` itself if no state is so named.
    pub fn label_of(name: &'static str) -> &'static str {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == name)
            .map_or(name, Self::label)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AdmonishmentStatus::NotTriggered => "not_triggered",
            AdmonishmentStatus::Triggered => "triggered",
            AdmonishmentStatus::Scheduled => "scheduled",
            AdmonishmentStatus::Held => "held",
            AdmonishmentStatus::FollowedUp => "followed_up",
            AdmonishmentStatus::Withdrawn => "withdrawn",
        }
    }
}

/// The talk as scheduled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Meeting {
    pub when: DateTime<Utc>,
    pub place: Text,
    pub conducted_by: Vec<PersonId>,
}

/// Why and by whom an admonishment was withdrawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Withdrawal {
    pub reasons: Vec<Text>,
    /// The publication correcting the one the admonishment rested on, if that is why.
    pub correction: Option<PublicationId>,
    pub by: PersonId,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Admonishment {
    pub status: AdmonishmentStatus,
    pub id: Option<AdmonishmentId>,
    pub campaign: Option<CampaignId>,
    pub unit: Option<UnitId>,
    pub basis: Option<Basis>,
    /// The items involved (their responsible persons are the ones accountability is proposed
    /// for at a second admonishment).
    pub items: Vec<ItemCode>,
    pub triggered_at: Option<DateTime<Utc>>,
    pub meeting: Option<Meeting>,
    pub attendees: Vec<PersonId>,
    pub minutes: Option<Uri>,
    pub follow_up: Option<Text>,
    /// Set once withdrawn; absent (read as `None`) in snapshots taken before withdrawals
    /// existed, which could not hold one.
    #[serde(default)]
    pub withdrawal: Option<Withdrawal>,
}

impl Admonishment {
    /// The instant the 182-day window of "a second admonishment" is measured from: the cut-off
    /// of the publication a policy admonishment rests on (so two admonishments are compared
    /// between cut-offs, however late either was triggered); a manual admonishment's trigger
    /// instant. `None` before it is triggered, and `None` once withdrawn: a withdrawn
    /// admonishment counts neither for the 182-day window (it is no first nor second
    /// admonishment) nor for assessment deductions (which read the same instant).
    pub fn window_instant(&self) -> Option<DateTime<Utc>> {
        if self.is_withdrawn() {
            return None;
        }
        match &self.basis {
            Some(Basis::Policy { publication, .. }) => Some(publication.cut_off),
            Some(Basis::Manual { .. }) => self.triggered_at,
            None => None,
        }
    }
}

impl Admonishment {
    /// Whether a secretariat withdrew the admonishment (it then counts for nothing).
    pub fn is_withdrawn(&self) -> bool {
        self.status == AdmonishmentStatus::Withdrawn
    }
}

/// The fold below, as snapshots of it record it (see [`crate::FoldVersion`]). Version 2: the
/// basis (publication and findings) replaced the single rule, the referral left.
impl crate::FoldVersion for Admonishment {
    const FOLD_VERSION: u32 = 2;
}

impl Aggregate for Admonishment {
    const TYPE: &'static str = "admonishment";
    type Command = Command<AdmonishmentCommand>;
    type Event = AdmonishmentEvent;
    type Error = AdmonishmentError;
    type Services = DomainServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        crate::handling::handle(self, command, services, sink, Self::decide).await
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            AdmonishmentEvent::Triggered {
                admonishment,
                campaign,
                unit,
                basis,
                items,
                at,
                ..
            } => {
                self.status = AdmonishmentStatus::Triggered;
                self.id = Some(admonishment);
                self.campaign = Some(campaign);
                self.unit = Some(unit);
                self.basis = Some(basis);
                self.items = items;
                self.triggered_at = Some(at);
            }
            AdmonishmentEvent::Scheduled {
                when,
                place,
                conducted_by,
                ..
            } => {
                self.status = AdmonishmentStatus::Scheduled;
                self.meeting = Some(Meeting {
                    when,
                    place,
                    conducted_by,
                });
            }
            AdmonishmentEvent::Held {
                attendees, minutes, ..
            } => {
                self.status = AdmonishmentStatus::Held;
                self.attendees = attendees;
                self.minutes = Some(minutes);
            }
            AdmonishmentEvent::FollowedUp { outcome, .. } => {
                self.status = AdmonishmentStatus::FollowedUp;
                self.follow_up = Some(outcome);
            }
            AdmonishmentEvent::Withdrawn {
                reasons,
                correction,
                by,
                at,
            } => {
                self.status = AdmonishmentStatus::Withdrawn;
                self.withdrawal = Some(Withdrawal {
                    reasons,
                    correction,
                    by,
                    at,
                });
            }
        }
    }
}

impl crate::event::Scoped for Admonishment {
    /// The admonishment's campaign and the unit admonished.
    fn scope(&self) -> crate::event::Scope {
        let Some(campaign) = &self.campaign else {
            return crate::event::Scope::default();
        };
        crate::event::Scope::campaign(campaign).with_unit(self.unit.as_ref())
    }
}
