//! The admonishment aggregate: decisions in [`Admonishment::decide`], folding in `apply`.

use chrono::{DateTime, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use crate::services::DomainServices;
use crate::values::{AdmonishmentId, CampaignId, PersonId, Text, UnitId, Uri};
use crate::Command;

use super::commands::{AdmonishmentCommand, AdmonishmentEvidence, AdmonishmentRule, EvidenceBasis};
use super::errors::AdmonishmentError;
use super::events::AdmonishmentEvent;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdmonishmentStatus {
    /// Not triggered yet (the stream does not exist).
    #[default]
    NotTriggered,
    Triggered,
    Scheduled,
    Held,
    FollowedUp,
}

impl AdmonishmentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AdmonishmentStatus::NotTriggered => "not_triggered",
            AdmonishmentStatus::Triggered => "triggered",
            AdmonishmentStatus::Scheduled => "scheduled",
            AdmonishmentStatus::Held => "held",
            AdmonishmentStatus::FollowedUp => "followed_up",
        }
    }
}

/// The talk as scheduled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    pub when: DateTime<Utc>,
    pub place: Text,
    pub conducted_by: Vec<PersonId>,
}

/// A referral for accountability recorded on this admonishment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Referral {
    pub earlier: AdmonishmentId,
    pub referred_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Admonishment {
    pub status: AdmonishmentStatus,
    pub id: Option<AdmonishmentId>,
    pub campaign: Option<CampaignId>,
    pub unit: Option<UnitId>,
    pub rule: Option<AdmonishmentRule>,
    pub triggered_at: Option<DateTime<Utc>>,
    pub meeting: Option<Meeting>,
    pub attendees: Vec<PersonId>,
    pub minutes: Option<Uri>,
    pub follow_up: Option<Text>,
    pub referral: Option<Referral>,
}

/// The evidence each rule needs, so a policy's decision can be checked against its source.
fn check_evidence(
    rule: AdmonishmentRule,
    evidence: &AdmonishmentEvidence,
) -> Result<(), AdmonishmentError> {
    let mismatch = |needs| Err(AdmonishmentError::EvidenceMismatch { rule, needs });
    match (rule, &evidence.basis) {
        (AdmonishmentRule::OverdueItems, Some(EvidenceBasis::Bulletin { .. })) => {
            if evidence.items.is_empty() {
                mismatch("the overdue items")
            } else {
                Ok(())
            }
        }
        (AdmonishmentRule::OverdueItems, _) => mismatch("a bulletin and the overdue items"),
        (AdmonishmentRule::BottomOfRanking, Some(EvidenceBasis::Bulletin { .. })) => Ok(()),
        (AdmonishmentRule::BottomOfRanking, _) => mismatch("a bulletin"),
        (AdmonishmentRule::FailedAssessment, Some(EvidenceBasis::Assessment { .. })) => Ok(()),
        (AdmonishmentRule::FailedAssessment, _) => mismatch("an assessment"),
        (AdmonishmentRule::Manual, _) => Ok(()),
    }
}

impl Admonishment {
    fn refuse(&self, request: &'static str) -> AdmonishmentError {
        AdmonishmentError::InvalidTransition {
            state: self.status.as_str(),
            request,
        }
    }

    fn require(
        &self,
        allowed: &[AdmonishmentStatus],
        request: &'static str,
    ) -> Result<(), AdmonishmentError> {
        if allowed.contains(&self.status) {
            Ok(())
        } else {
            Err(self.refuse(request))
        }
    }

    /// Every decision of the aggregate: the events a command yields, or why it is refused.
    pub fn decide(
        &self,
        command: Command<AdmonishmentCommand>,
        services: &DomainServices,
    ) -> Result<Vec<AdmonishmentEvent>, AdmonishmentError> {
        use AdmonishmentStatus::{FollowedUp, Held, NotTriggered, Scheduled, Triggered};
        let Command { stamp, body } = command;
        let request = body.name();
        let event = match body {
            AdmonishmentCommand::Trigger {
                admonishment,
                campaign,
                unit,
                rule,
                reasons,
                evidence,
            } => {
                self.require(&[NotTriggered], request)?;
                let Some(settings) = services.settings.settings(&campaign) else {
                    return Err(AdmonishmentError::UnknownCampaign { campaign });
                };
                if reasons.is_empty() {
                    return Err(AdmonishmentError::MissingReasons);
                }
                check_evidence(rule, &evidence)?;
                // The overdue-items rule fires at the campaign's threshold, not below it.
                let threshold = settings.admonishment.overdue_items_threshold;
                if rule == AdmonishmentRule::OverdueItems
                    && evidence.items.len() < threshold as usize
                {
                    return Err(AdmonishmentError::BelowThreshold {
                        items: evidence.items.len(),
                        threshold,
                    });
                }
                AdmonishmentEvent::Triggered {
                    admonishment,
                    campaign,
                    unit,
                    rule,
                    reasons,
                    evidence,
                    by: stamp.actor,
                    at: stamp.at,
                }
            }
            AdmonishmentCommand::Schedule {
                when,
                place,
                conducted_by,
            } => {
                self.require(&[Triggered, Scheduled], request)?;
                if when <= stamp.at {
                    return Err(AdmonishmentError::ScheduledInPast { when });
                }
                if conducted_by.is_empty() {
                    return Err(AdmonishmentError::MissingConductors);
                }
                AdmonishmentEvent::Scheduled {
                    when,
                    place,
                    conducted_by,
                    by: stamp.actor,
                    at: stamp.at,
                }
            }
            AdmonishmentCommand::RecordHeld { attendees, minutes } => {
                self.require(&[Scheduled], request)?;
                let Some(meeting) = &self.meeting else {
                    return Err(self.refuse(request));
                };
                if stamp.at < meeting.when {
                    return Err(AdmonishmentError::NotYetHeld {
                        scheduled_for: meeting.when,
                    });
                }
                if attendees.is_empty() {
                    return Err(AdmonishmentError::MissingAttendees);
                }
                AdmonishmentEvent::Held {
                    attendees,
                    minutes,
                    scheduled_for: meeting.when,
                    by: stamp.actor,
                    at: stamp.at,
                }
            }
            AdmonishmentCommand::RecordFollowUp { outcome } => {
                self.require(&[Held], request)?;
                AdmonishmentEvent::FollowedUp {
                    outcome,
                    by: stamp.actor,
                    at: stamp.at,
                }
            }
            AdmonishmentCommand::ReferForAccountability { earlier, reason } => {
                self.require(&[Triggered, Scheduled, Held, FollowedUp], request)?;
                if self.referral.is_some() {
                    return Err(AdmonishmentError::AlreadyReferred);
                }
                if self.id.as_ref() == Some(&earlier) {
                    return Err(AdmonishmentError::SelfReference { earlier });
                }
                let Some(unit) = self.unit.clone() else {
                    return Err(self.refuse(request));
                };
                AdmonishmentEvent::ReferredForAccountability {
                    unit,
                    earlier,
                    reason,
                    by: stamp.actor,
                    at: stamp.at,
                }
            }
        };
        Ok(vec![event])
    }
}

/// The fold below, as snapshots of it record it (see [`crate::FoldVersion`]).
impl crate::FoldVersion for Admonishment {
    const FOLD_VERSION: u32 = 1;
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
        for event in self.decide(command, services)? {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            AdmonishmentEvent::Triggered {
                admonishment,
                campaign,
                unit,
                rule,
                at: triggered_at,
                ..
            } => {
                self.status = AdmonishmentStatus::Triggered;
                self.id = Some(admonishment);
                self.campaign = Some(campaign);
                self.unit = Some(unit);
                self.rule = Some(rule);
                self.triggered_at = Some(triggered_at);
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
            AdmonishmentEvent::ReferredForAccountability {
                earlier,
                at: referred_at,
                ..
            } => {
                self.referral = Some(Referral {
                    earlier,
                    referred_at,
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
