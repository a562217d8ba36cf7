//! Who may ask what of an item (DOMAIN.md, "Roles and permissions"), in one place.
//!
//! - The **secretariat of the item's task force** registers, assigns, reassigns, withdraws,
//!   decides extensions, verifies or sends back sign-off, re-inspects, rules on 容错, urges,
//!   carries the item over to a later campaign and records its outcome indicators;
//!   and for every decision on an assigned item it must also be outside the responsible unit
//!   (segregation of duties, [`Item::ensure_outside_unit`]).
//! - A **member of the responsible unit** acknowledges (签收), reports progress and asks for an
//!   extension; the **responsible person or the unit's head** asks for sign-off.
//! - A **policy** (`policy:<name>`) registers the item a case's repair, a substantiated
//!   complaint or an escalated alert names, and assigns a case's repair item to the supervising
//!   department the case names (DOMAIN.md, "Cases": the case spawns repair items for it); it
//!   takes no other decision on an item.
//! - **Schedules** record the deadline facts (late 签收, warning, overdue): a person cannot
//!   declare an item overdue, nor a unit pre-empt its own warning.
//! - A leader's instruction (批示) is recorded by the leader, or by the secretariat from the
//!   leader's written instruction; the named leader must belong to the leadership group.
//!
//! Membership is read from the organisation at its latest version: a person who has moved to
//! another unit no longer acts for the old one.

use super::Item;
use crate::item::commands::{AssignItem, ItemCommand, ItemRequest};
use crate::item::errors::ItemError;
use crate::organisation::{Organisation, Role};
use crate::permission::Party;
use crate::values::{CampaignId, PersonId};

impl Item {
    /// Refuses `command` unless `actor` is the party its request needs. An item not registered
    /// yet has no task force to check against except the one a registration names; any other
    /// request on it is left to `decide` to refuse as not found.
    pub(super) fn admit(
        &self,
        command: &ItemCommand,
        actor: &PersonId,
        organisation: &Organisation,
    ) -> Result<(), ItemError> {
        let request = command.request();
        let Some(party) = self.party_for(command) else {
            return Ok(());
        };
        party
            .check(organisation, actor)
            .map_err(|needs| ItemError::Forbidden {
                actor: actor.clone(),
                request,
                needs,
            })?;
        if decides_on_the_unit(request) {
            self.ensure_outside_unit(actor, request, organisation)?;
        }
        // Handing an item to a unit is deciding about that unit too: never by its own people.
        if let ItemCommand::Assign(AssignItem {
            responsible_unit,
            responsible_person,
            ..
        })
        | ItemCommand::Reassign {
            responsible_unit,
            responsible_person,
            ..
        } = command
        {
            if actor == responsible_person || organisation.is_member(responsible_unit, actor) {
                return Err(ItemError::SegregationOfDuties {
                    actor: actor.clone(),
                    request,
                });
            }
        }
        if let ItemCommand::RecordInstruction { by: leader, .. } = command {
            if !organisation.has_role(leader, &Role::Leadership) {
                return Err(ItemError::NotLeadership(leader.clone()));
            }
        }
        Ok(())
    }

    fn party_for(&self, command: &ItemCommand) -> Option<Party> {
        use ItemRequest as R;
        let task_force = match command {
            ItemCommand::Register(register) => &register.task_force,
            _ => &self.registration.as_ref()?.task_force,
        };
        let secretariat = Party::secretariat(task_force);
        let party = match command.request() {
            R::Register | R::Assign => Party::Policy.or(secretariat),
            R::Reassign
            | R::Withdraw
            | R::ApproveExtension
            | R::DenyExtension
            | R::VerifySignOff
            | R::RejectSignOff
            | R::RecordReinspection
            | R::RuleFaultTolerance
            | R::Urge
            | R::CarryOver
            | R::RecordOutcome
            | R::CorrectOutcome => secretariat,
            R::Acknowledge | R::ReportProgress | R::RequestExtension => {
                let assignment = self.assignment.as_ref()?;
                Party::MemberOf {
                    unit: assignment.responsible_unit.clone(),
                }
            }
            R::RequestSignOff => {
                let assignment = self.assignment.as_ref()?;
                Party::SignatoryOf {
                    unit: assignment.responsible_unit.clone(),
                    person: assignment.responsible_person.clone(),
                }
            }
            R::RecordAcknowledgementOverdue
            | R::RecordDeadlineWarning
            | R::RecordOverdue
            | R::RecordReinspectionDue => Party::Schedule,
            R::RecordInstruction => Party::Leadership.or(secretariat),
        };
        Some(party)
    }
}

impl Item {
    /// The campaigns `command` consults: read at their latest version before deciding it.
    pub(super) fn campaigns_for(&self, command: &ItemCommand) -> Vec<CampaignId> {
        let mut campaigns: Vec<CampaignId> = match command {
            ItemCommand::Register(register) => vec![register.campaign.clone()],
            _ => self
                .registration
                .iter()
                .map(|r| r.campaign.clone())
                .collect(),
        };
        if let ItemCommand::CarryOver { to, .. } = command {
            campaigns.push(to.clone());
        }
        campaigns
    }
}

/// The secretariat's decisions about an item the responsible unit answers for: whoever takes
/// them is neither the responsible person nor a member of the responsible unit, even holding
/// the secretariat role (segregation of duties). Instructions and registration decide nothing
/// about the unit; the unit's own requests are the unit's.
fn decides_on_the_unit(request: ItemRequest) -> bool {
    use ItemRequest as R;
    matches!(
        request,
        R::Reassign
            | R::Withdraw
            | R::ApproveExtension
            | R::DenyExtension
            | R::VerifySignOff
            | R::RejectSignOff
            | R::RecordReinspection
            | R::RuleFaultTolerance
            | R::Urge
            | R::CarryOver
            | R::RecordOutcome
            | R::CorrectOutcome
    )
}
