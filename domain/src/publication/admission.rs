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
