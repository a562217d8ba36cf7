//! Who publishes: the schedule publishes (and skips) what falls due — a person cannot publish
//! a bulletin of their own; a secretariat publishes corrections (DOMAIN.md, roles).

use super::aggregate::Publication;
use super::commands::PublicationCommand;
use crate::permission::Party;

impl Publication {
    pub(super) fn party_for(&self, command: &PublicationCommand) -> Option<Party> {
        Some(match command {
            PublicationCommand::Publish(_) | PublicationCommand::Skip(_) => Party::Schedule,
            PublicationCommand::Correct { .. } => Party::AnySecretariat,
        })
    }
}

impl Publication {
    /// The campaigns `command` consults: read at their latest version before deciding it.
    pub(super) fn campaigns_for(
        &self,
        command: &PublicationCommand,
    ) -> Vec<crate::values::CampaignId> {
        match command {
            PublicationCommand::Publish(publish)
            | PublicationCommand::Correct {
                correction: publish,
                ..
            } => vec![publish.campaign.clone()],
            PublicationCommand::Skip(skip) => vec![skip.campaign.clone()],
        }
    }
}
