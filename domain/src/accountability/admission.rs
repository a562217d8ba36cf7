//! Who may do what with an accountability case (问责): a policy (a unit's second admonishment
//! within the window) or a secretariat proposes it; discipline inspection alone decides it,
//! with any 容错 ruling; a mistaken proposal is withdrawn by discipline inspection or a
//! secretariat, before the decision.

use super::aggregate::Accountability;
use super::commands::AccountabilityCommand;
use super::errors::AccountabilityError;
use crate::handling::Admission;
use crate::organisation::Organisation;
use crate::permission::Party;
use crate::services::DomainServices;

impl Admission for Accountability {
    type Body = AccountabilityCommand;
    type Error = AccountabilityError;

    fn request(body: &AccountabilityCommand) -> &'static str {
        body.name()
    }

    fn request_label(body: &AccountabilityCommand) -> &'static str {
        body.label()
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

    /// A person proposed for accountability is one of the organisation's people, and the unit
    /// charged is one of its units (the person may have moved since the grounds arose).
    fn agrees_with(
        &self,
        command: &AccountabilityCommand,
        organisation: &Organisation,
    ) -> Result<(), AccountabilityError> {
        let AccountabilityCommand::Propose(proposal) = command else {
            return Ok(());
        };
        if organisation.person(&proposal.person).is_none() {
            return Err(AccountabilityError::UnknownPerson(proposal.person.clone()));
        }
        if organisation.unit(&proposal.unit).is_none() {
            return Err(AccountabilityError::UnknownUnit(proposal.unit.clone()));
        }
        Ok(())
    }
}
