//! Every decision of the admonishment aggregate: the events a command yields, or why it is
//! refused. The actor (`stamp.actor`) is at hand for the role checks to come.

use crate::publication::StreamName;
use crate::services::DomainServices;
use crate::values::PublicationId;
use crate::Command;

use super::aggregate::{Admonishment, AdmonishmentStatus};
use super::commands::AdmonishmentCommand;
use super::errors::AdmonishmentError;
use super::events::AdmonishmentEvent;
use super::evidence::{Basis, Finding};
use super::id::admonishment_id;
use super::trigger::{check_findings, check_publication};

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

    /// `correction` must be a later correction of the publication this admonishment rests on
    /// (same original stream, a higher correction number), as its stream id reads.
    fn check_correction(&self, correction: &PublicationId) -> Result<(), AdmonishmentError> {
        let rests_on = self
            .basis
            .as_ref()
            .and_then(Basis::publication)
            .map(|p| p.publication.clone());
        let corrects = rests_on
            .as_ref()
            .and_then(StreamName::read)
            .is_some_and(|base| {
                StreamName::read(correction)
                    .is_some_and(|c| c.original == base.original && c.correction > base.correction)
            });
        if corrects {
            Ok(())
        } else {
            Err(AdmonishmentError::NotACorrection {
                correction: correction.clone(),
                rests_on,
            })
        }
    }

    /// Every decision of the aggregate: the events a command yields, or why it is refused.
    pub fn decide(
        &self,
        command: Command<AdmonishmentCommand>,
        services: &DomainServices,
    ) -> Result<Vec<AdmonishmentEvent>, AdmonishmentError> {
        use AdmonishmentStatus::{Held, NotTriggered, Scheduled, Triggered};
        let Command { stamp, body } = command;
        let request = body.name();
        let event = match body {
            AdmonishmentCommand::Trigger {
                admonishment,
                campaign,
                unit,
                publication,
                findings,
                items,
                reasons,
            } => {
                self.require(&[NotTriggered], request)?;
                let Some(settings) = services.settings.settings(&campaign) else {
                    return Err(AdmonishmentError::UnknownCampaign { campaign });
                };
                // One stream per publication and unit: a retried policy cannot admonish twice.
                let expected = admonishment_id(&publication.publication, &unit)
                    .map(String::from)
                    .unwrap_or_else(|_| format!("{}~{unit}", publication.publication));
                if admonishment.as_str() != expected {
                    return Err(AdmonishmentError::WrongStream {
                        named: admonishment,
                        expected,
                    });
                }
                if reasons.is_empty() {
                    return Err(AdmonishmentError::MissingReasons);
                }
                check_publication(&publication)?;
                check_findings(&publication, &findings, items.len(), &settings)?;
                let grades_in_force = findings
                    .iter()
                    .any(|f| matches!(f, Finding::FailedAssessment { .. }))
                    .then(|| Box::new(settings.grades.clone()));
                AdmonishmentEvent::Triggered {
                    admonishment,
                    campaign,
                    unit,
                    basis: Basis::Policy {
                        publication,
                        findings,
                        rules_in_force: settings.admonishment.clone(),
                        grades_in_force,
                    },
                    items,
                    reasons,
                    by: stamp.actor,
                    at: stamp.at,
                }
            }
            AdmonishmentCommand::TriggerManually {
                admonishment,
                campaign,
                unit,
                publication,
                items,
                reasons,
            } => {
                self.require(&[NotTriggered], request)?;
                if services.settings.settings(&campaign).is_none() {
                    return Err(AdmonishmentError::UnknownCampaign { campaign });
                }
                if reasons.is_empty() {
                    return Err(AdmonishmentError::MissingReasons);
                }
                if let Some(publication) = &publication {
                    check_publication(publication)?;
                }
                AdmonishmentEvent::Triggered {
                    admonishment,
                    campaign,
                    unit,
                    basis: Basis::Manual { publication },
                    items,
                    reasons,
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
            AdmonishmentCommand::Withdraw {
                reasons,
                correction,
            } => {
                // Once held, the talk happened: it is followed up, not undone. Withdrawn once.
                self.require(&[Triggered, Scheduled], request)?;
                if reasons.is_empty() {
                    return Err(AdmonishmentError::MissingReasons);
                }
                if let Some(correction) = &correction {
                    self.check_correction(correction)?;
                }
                AdmonishmentEvent::Withdrawn {
                    reasons,
                    correction,
                    by: stamp.actor,
                    at: stamp.at,
                }
            }
        };
        Ok(vec![event])
    }
}
