//! Every decision of the complaint aggregate (it also calls the identity vault): the events a
//! command yields, in order, or why it is refused.

use crate::identity::{ComplaintSecret, VaultError};
use crate::services::DomainServices;
use crate::Command;

use super::aggregate::{Complaint, ComplaintStatus, SecretState};
use super::commands::ComplaintCommand;
use super::deadline::response_due;
use super::errors::ComplaintError;
use super::events::ComplaintEvent;

/// A vault that fails makes the command fail as the port's fault, not as a refusal.
fn vault_error(error: VaultError) -> ComplaintError {
    ComplaintError::Unavailable(error.into())
}

impl Complaint {
    pub(super) async fn decide(
        &self,
        command: Command<ComplaintCommand>,
        services: &DomainServices,
    ) -> Result<Vec<ComplaintEvent>, ComplaintError> {
        use ComplaintStatus::{Closed, NotReceived, Open, Resolved};
        let Command { stamp, body } = command;
        let request = body.name();
        // Roles and membership, from the organisation at its latest version.
        let organisation = services
            .directory
            .organisation()
            .await
            .map_err(ComplaintError::Unavailable)?;
        self.admit(
            &body,
            &stamp.actor,
            &organisation,
            services.settings.as_ref(),
        )?;
        // A fact that must be recorded before the command's own event (a response that comes
        // after its deadline records the miss first, so the miss is one fact whichever of the
        // scheduler and the unit comes first).
        let mut first = None;
        let event = match body {
            ComplaintCommand::Receive {
                complaint,
                campaign,
                channel,
                field,
                summary,
                content,
                attachments,
                receiving_unit,
                complainant,
            } => {
                self.require(&[NotReceived], request)?;
                let Some(settings) = services.settings.settings(&campaign) else {
                    return Err(ComplaintError::UnknownCampaign { campaign });
                };
                if complainant
                    .as_ref()
                    .is_some_and(|c| c.name.trim().is_empty() && c.contact.trim().is_empty())
                {
                    return Err(ComplaintError::BlankIdentity);
                }
                let responder = settings.responder(&field, &receiving_unit).ok_or_else(|| {
                    ComplaintError::NoSchoolMealResponder {
                        campaign: campaign.clone(),
                    }
                })?;
                let response_window = settings.response_window(&field);
                // The field's task force, named in every event's metadata from now on. A
                // campaign without one for the field still takes the complaint: a complaint
                // must never be lost for want of a task force.
                let task_force = services.settings.task_force(&campaign, &field);
                let due = response_due(
                    stamp.at,
                    response_window,
                    settings.time_zone,
                    services.calendar.as_ref(),
                );
                // Sealing is the last step before recording: every check has passed. The text
                // and the files are sealed with the identity, anonymous or not: they can name
                // the complainant as surely as a name does.
                let anonymous = complainant.is_none();
                let secret = ComplaintSecret {
                    complainant,
                    content: content.as_str().to_owned(),
                    attachments,
                };
                let sealed = services
                    .vault
                    .seal(complaint.as_str(), &secret)
                    .await
                    .map_err(vault_error)?;
                ComplaintEvent::Received {
                    complaint,
                    campaign,
                    channel,
                    field,
                    task_force,
                    summary,
                    receiving_unit,
                    responder,
                    anonymous,
                    sealed,
                    by: stamp.actor,
                    at: stamp.at,
                    response_window,
                    response_due: due.value,
                    calendar_unknown: due.calendar_unknown,
                }
            }
            ComplaintCommand::Respond { response } => {
                self.require(&[Open, Resolved], request)?;
                if self.response.is_some() {
                    return Err(ComplaintError::AlreadyResponded);
                }
                let receipt = self.received(request)?;
                let due = receipt.response_due;
                if stamp.at >= due && !self.response_missed {
                    first = Some(ComplaintEvent::ResponseMissed {
                        response_due: due,
                        calendar_unknown: receipt.calendar_unknown,
                        by: stamp.actor.clone(),
                        at: stamp.at,
                    });
                }
                ComplaintEvent::Responded {
                    unit: self.handler(request)?,
                    response,
                    by: stamp.actor,
                    at: stamp.at,
                    within_deadline: stamp.at < due,
                }
            }
            ComplaintCommand::RecordResponseMissed => {
                let receipt = self.received(request)?;
                let due = receipt.response_due;
                if self.response.is_some() {
                    return Err(ComplaintError::AlreadyResponded);
                }
                if self.response_missed {
                    return Err(ComplaintError::ResponseAlreadyMissed);
                }
                if stamp.at < due {
                    return Err(ComplaintError::ResponseNotYetDue { response_due: due });
                }
                ComplaintEvent::ResponseMissed {
                    response_due: due,
                    calendar_unknown: receipt.calendar_unknown,
                    by: stamp.actor.clone(),
                    at: stamp.at,
                }
            }
            ComplaintCommand::Transfer { to, reason } => {
                self.require(&[Open], request)?;
                let from = self.handler(request)?;
                if from == to {
                    return Err(ComplaintError::AlreadyWithUnit { unit: to });
                }
                ComplaintEvent::Transferred {
                    from,
                    to,
                    reason,
                    by: stamp.actor,
                    at: stamp.at,
                }
            }
            ComplaintCommand::Resolve { resolution } => {
                self.require(&[Open], request)?;
                ComplaintEvent::Resolved {
                    resolution,
                    by: stamp.actor,
                    at: stamp.at,
                }
            }
            ComplaintCommand::RecordFeedback { rating } => {
                self.require(&[Resolved, Closed], request)?;
                if self.rating.is_some() {
                    return Err(ComplaintError::FeedbackAlreadyRecorded);
                }
                ComplaintEvent::FeedbackRecorded {
                    rating,
                    by: stamp.actor.clone(),
                    at: stamp.at,
                }
            }
            ComplaintCommand::Close => {
                self.require(&[Resolved], request)?;
                // 事事有回音: a complaint is not closed before the complainant was answered.
                if self.response.is_none() {
                    return Err(ComplaintError::NotResponded);
                }
                ComplaintEvent::Closed {
                    by: stamp.actor,
                    at: stamp.at,
                }
            }
            ComplaintCommand::EraseIdentity => {
                self.received(request)?;
                let key_ref = match &self.secret {
                    SecretState::None => return Err(self.refuse(request)),
                    SecretState::Erased { .. } => {
                        return Err(ComplaintError::IdentityAlreadyErased)
                    }
                    SecretState::Sealed { key_ref } => key_ref.clone(),
                };
                services.vault.erase(&key_ref).await.map_err(vault_error)?;
                ComplaintEvent::IdentityErased {
                    key_ref,
                    by: stamp.actor,
                    at: stamp.at,
                }
            }
            ComplaintCommand::Reveal { purpose } => self.reveal(purpose, stamp.actor, stamp.at)?,
            ComplaintCommand::DesignateHandler { person } => {
                self.designate_handler(person, &organisation, stamp.actor, stamp.at)?
            }
        };
        Ok(first.into_iter().chain([event]).collect())
    }
}
