//! Who may do what with an accountability case (问责): a policy (a unit's second admonishment
//! within the window) or a secretariat proposes it; discipline inspection alone decides it,
//! with any 容错 ruling; a mistaken proposal is withdrawn by discipline inspection or a
//! secretariat, before the decision.

use super::aggregate::Accountability;
use super::commands::AccountabilityCommand;
use crate::permission::{Admission, Party};
use crate::services::DomainServices;

impl Admission for Accountability {
    type Body = AccountabilityCommand;

    fn request(body: &AccountabilityCommand) -> &'static str {
        body.name()
    }

    fn party_for(
        &self,
        command: &AccountabilityCommand,
        _services: &DomainServices,
    ) -> Option<Party> {
        Some(match command {
            AccountabilityCommand::Propose(_) => Party::Policy.or(Party::AnySecretariat),
            AccountabilityCommand::Decide { .. } => Party::DisciplineInspection,
            AccountabilityCommand::Withdraw { .. } => {
                Party::DisciplineInspection.or(Party::AnySecretariat)
            }
        })
    }

    /// The campaigns `command` consults: read at their latest version before deciding it.
    fn campaigns_for(&self, command: &AccountabilityCommand) -> Vec<crate::values::CampaignId> {
        match command {
            AccountabilityCommand::Propose(proposal) => vec![proposal.campaign.clone()],
            _ => self.file.iter().map(|f| f.campaign.clone()).collect(),
        }
    }
}
