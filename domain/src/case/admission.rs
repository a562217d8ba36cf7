//! Who may ask what of a clue or case: the secretariat of the field's task force runs clues,
//! cases and system repair (DOMAIN.md, "Roles and permissions"); discipline inspection
//! concludes investigations with their dispositions; the repair items' fate is recorded by the
//! policy that follows the items, or by the secretariat; a clue named by an escalated alert or
//! a substantiated complaint is registered by the policy following it, or by the secretariat.

use super::aggregate::Case;
use super::commands::CaseCommand;
use crate::handling::Admission;
use crate::permission::{secretariat_of_field, Party};
use crate::services::DomainServices;

impl Admission for Case {
    type Body = CaseCommand;
    type Error = super::errors::CaseError;

    fn request(body: &CaseCommand) -> &'static str {
        body.name()
    }

    fn request_label(body: &CaseCommand) -> &'static str {
        body.label()
    }

    fn party_for(&self, command: &CaseCommand, services: &DomainServices) -> Option<Party> {
        let (campaign, field) = match command {
            CaseCommand::RegisterClue {
                campaign, field, ..
            } => (campaign, field),
            _ => {
                let clue = self.clue.as_ref()?;
                (&clue.campaign, &clue.field)
            }
        };
        let secretariat = secretariat_of_field(services.settings.as_ref(), campaign, field)?;
        // A field without a task force: `decide` refuses the clue saying so
        // (`case.no_task_force`), which tells the sender more than "forbidden".
        if matches!(secretariat, Party::NoTaskForce { .. }) {
            return None;
        }
        Some(match command {
            CaseCommand::ConcludeInvestigation { .. } => Party::DisciplineInspection,
            // The policy that follows a substantiated complaint or an escalated alert
            // registers the clue they name; a secretariat registers its own.
            CaseCommand::RegisterClue { .. } => Party::Policy.or(secretariat),
            CaseCommand::RecordRepairItemClosed { .. }
            | CaseCommand::RecordRepairItemReopened { .. }
            | CaseCommand::RecordRepairItemWithdrawn { .. } => Party::Policy.or(secretariat),
            _ => secretariat,
        })
    }

    /// The campaigns `command` consults: read at their latest version before deciding it.
    fn campaigns_for(&self, command: &CaseCommand) -> Vec<crate::values::CampaignId> {
        match command {
            CaseCommand::RegisterClue { campaign, .. } => vec![campaign.clone()],
            _ => self.clue.iter().map(|c| c.campaign.clone()).collect(),
        }
    }
}
