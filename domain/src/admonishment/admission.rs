//! Who admonishes: the policy triggers an admonishment from a publication's figures; a
//! secretariat triggers one by hand, schedules, holds and follows up every talk, and withdraws
//! an admonishment (e.g. one resting on a publication since corrected) before its talk. The
//! talk is held with the unit's head.

use super::aggregate::Admonishment;
use super::commands::AdmonishmentCommand;
use super::errors::AdmonishmentError;
use crate::handling::Admission;
use crate::organisation::Organisation;
use crate::permission::Party;
use crate::services::DomainServices;

impl Admission for Admonishment {
    type Body = AdmonishmentCommand;
    type Error = AdmonishmentError;

    fn request(body: &AdmonishmentCommand) -> &'static str {
        body.name()
    }

    fn request_label(body: &AdmonishmentCommand) -> &'static str {
        body.label()
    }

    fn party_for(
        &self,
        command: &AdmonishmentCommand,
        _services: &DomainServices,
    ) -> Option<Party> {
        Some(match command {
            AdmonishmentCommand::Trigger { .. } => Party::Policy,
            AdmonishmentCommand::TriggerManually { .. }
            | AdmonishmentCommand::Schedule { .. }
            | AdmonishmentCommand::RecordHeld { .. }
            | AdmonishmentCommand::RecordFollowUp { .. }
            | AdmonishmentCommand::Withdraw { .. } => Party::AnySecretariat,
        })
    }

    /// The campaigns `command` consults: read at their latest version before deciding it.
    fn campaigns_for(&self, command: &AdmonishmentCommand) -> Vec<crate::values::CampaignId> {
        match command {
            AdmonishmentCommand::Trigger { campaign, .. }
            | AdmonishmentCommand::TriggerManually { campaign, .. } => vec![campaign.clone()],
            _ => self.campaign.iter().cloned().collect(),
        }
    }

    /// DOMAIN.md: the talk is held with the unit's head (一把手) — the head the organisation
    /// names when the talk is recorded is among its attendees.
    fn agrees_with(
        &self,
        command: &AdmonishmentCommand,
        organisation: &Organisation,
    ) -> Result<(), AdmonishmentError> {
        let (AdmonishmentCommand::RecordHeld { attendees, .. }, Some(unit)) =
            (command, self.unit.as_ref())
        else {
            return Ok(());
        };
        match organisation.head_of(unit) {
            Some(head) if attendees.contains(head) => Ok(()),
            head => Err(AdmonishmentError::HeadNotAttending {
                unit: unit.clone(),
                head: head.cloned(),
            }),
        }
    }
}
