//! Who admonishes: the policy triggers an admonishment from a publication's figures; a
//! secretariat triggers one by hand, and schedules, holds and follows up every talk.

use super::aggregate::Admonishment;
use super::commands::AdmonishmentCommand;
use crate::permission::Party;

impl Admonishment {
    pub(super) fn party_for(&self, command: &AdmonishmentCommand) -> Option<Party> {
        Some(match command {
            AdmonishmentCommand::Trigger { .. } => Party::Policy,
            _ => Party::AnySecretariat,
        })
    }
}

impl Admonishment {
    /// The campaigns `command` consults: read at their latest version before deciding it.
    pub(super) fn campaigns_for(
        &self,
        command: &AdmonishmentCommand,
    ) -> Vec<crate::values::CampaignId> {
        match command {
            AdmonishmentCommand::Trigger { campaign, .. }
            | AdmonishmentCommand::TriggerManually { campaign, .. } => vec![campaign.clone()],
            _ => self.campaign.iter().cloned().collect(),
        }
    }
}
