//! Who may ask what of a complaint (DOMAIN.md, "Complaints" and "Roles and permissions").
//!
//! First-receiver responsibility (首接负责制): the receiving unit records the complaint (or the
//! parents' meal app pushes it), stays accountable after a transfer, transfers it, and alone
//! closes it. Only the handling unit answers and resolves — for school meals, the education
//! department. The schedule alone records a missed response. The complainant's rating comes
//! through the first receiver or the app that took the complaint. Erasure is ordered by the
//! secretariat of the field's task force (who may read the sealed text) or the first receiver:
//! both answer for the complainant's protection.
//!
//! 查阅 — reading the sealed text (DOMAIN.md, "Protection") is for the secretariat of the
//! field's task force and for the handling unit's designated handler, nobody else: not the
//! first receiver once the complaint has been transferred away from it, not integrators (the
//! meal app that pushed it included), not leadership, not any member of the handling unit but
//! its designated handler (承办人), whom the unit's head or the secretariat names. Until one is
//! named, any member of the handling unit answers and resolves; once named, the handler alone.

use super::aggregate::Complaint;
use super::commands::{Channel, ComplaintCommand};
use super::errors::ComplaintError;
use crate::organisation::{IntegratorKind, Organisation};
use crate::permission::{secretariat_of_field, Party};
use crate::services::SettingsSource;
use crate::values::PersonId;

impl Complaint {
    /// Refuses `command` unless `actor` is the party it needs. On a complaint not received
    /// yet, only a receipt has a party; anything else is left to `decide` to refuse.
    pub(super) fn admit(
        &self,
        command: &ComplaintCommand,
        actor: &PersonId,
        organisation: &Organisation,
        settings: &dyn SettingsSource,
    ) -> Result<(), ComplaintError> {
        let Some(party) = self.party_for(command, settings) else {
            return Ok(());
        };
        party
            .check(organisation, actor)
            .map_err(|needs| ComplaintError::Forbidden {
                actor: actor.clone(),
                request: command.name(),
                needs,
            })
    }

    fn party_for(
        &self,
        command: &ComplaintCommand,
        settings: &dyn SettingsSource,
    ) -> Option<Party> {
        let meal_app = Party::Integrator {
            kind: IntegratorKind::MealApp,
        };
        if let ComplaintCommand::Receive {
            channel,
            receiving_unit,
            ..
        } = command
        {
            let receiver = Party::MemberOf {
                unit: receiving_unit.clone(),
            };
            return Some(match channel {
                Channel::SchoolMealApp => receiver.or(meal_app),
                _ => receiver,
            });
        }
        let receipt = self.receipt.as_ref()?;
        let first_receiver = Party::MemberOf {
            unit: receipt.first_receiver.clone(),
        };
        let handling_unit = self.handling_unit.clone()?;
        // Once designated, the handler alone acts for the handling unit (承办人).
        let handler = match &self.designated_handler {
            Some(person) => Party::Person {
                person: person.clone(),
            },
            None => Party::MemberOf {
                unit: handling_unit.clone(),
            },
        };
        let secretariat = secretariat_of_field(settings, &receipt.campaign, &receipt.field);
        Some(match command {
            ComplaintCommand::Receive { .. } => return None,
            ComplaintCommand::Respond { .. } | ComplaintCommand::Resolve { .. } => handler,
            ComplaintCommand::RecordResponseMissed => Party::Schedule,
            ComplaintCommand::Transfer { .. } | ComplaintCommand::Close => first_receiver,
            ComplaintCommand::EraseIdentity => match secretariat {
                Some(secretariat) => first_receiver.or(secretariat),
                None => first_receiver,
            },
            // The sealed text is for the designated handler, never any member of the unit.
            ComplaintCommand::Reveal { .. } => {
                let designated = self
                    .designated_handler
                    .clone()
                    .map(|person| Party::Person { person });
                match (designated, secretariat) {
                    (Some(handler), Some(secretariat)) => handler.or(secretariat),
                    (Some(handler), None) => handler,
                    (None, Some(secretariat)) => secretariat,
                    (None, None) => Party::NoTaskForce {
                        field: receipt.field.clone(),
                    },
                }
            }
            ComplaintCommand::DesignateHandler { .. } => {
                let head = Party::HeadOf {
                    unit: handling_unit,
                };
                match secretariat {
                    Some(secretariat) => head.or(secretariat),
                    None => head,
                }
            }
            ComplaintCommand::RecordFeedback { .. } => match receipt.channel {
                Channel::SchoolMealApp => first_receiver.or(meal_app),
                _ => first_receiver,
            },
        })
    }
}

impl Complaint {
    /// The campaigns `command` consults: read at their latest version before deciding it.
    pub(super) fn campaigns_for(
        &self,
        command: &ComplaintCommand,
    ) -> Vec<crate::values::CampaignId> {
        match command {
            ComplaintCommand::Receive { campaign, .. } => vec![campaign.clone()],
            _ => self.receipt.iter().map(|r| r.campaign.clone()).collect(),
        }
    }
}
