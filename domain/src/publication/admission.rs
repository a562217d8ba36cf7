//! Who publishes: the schedule publishes (and skips) what falls due — a person cannot publish
//! a bulletin of their own; a secretariat publishes corrections (DOMAIN.md, roles).

use super::aggregate::Publication;
use super::commands::PublicationCommand;
use crate::handling::Admission;
use crate::permission::Party;
use crate::services::DomainServices;

impl Admission for Publication {
    type Body = PublicationCommand;
    type Error = super::errors::PublicationError;

    fn request(body: &PublicationCommand) -> &'static str {
        body.name()
    }

    fn request_label(body: &PublicationCommand) -> &'static str {
        body.label()
    }

    fn party_for(&self, command: &PublicationCommand, _services: &DomainServices) -> Option<Party> {
        Some(match command {
            PublicationCommand::Publish(_) | PublicationCommand::Skip(_) => Party::Schedule,
            PublicationCommand::Correct { .. } => Party::AnySecretariat,
        })
    }

    /// The campaigns `command` consults: read at their latest version before deciding it.
    fn campaigns_for(&self, command: &PublicationCommand) -> Vec<crate::values::CampaignId> {
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
