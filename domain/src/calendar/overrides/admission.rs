//! The county's calendar declarations are configuration: an administrator records them.

use super::aggregate::CountyOverrides;
use super::commands::OverrideCommand;
use crate::handling::Admission;
use crate::permission::Party;
use crate::services::DomainServices;

impl Admission for CountyOverrides {
    type Body = OverrideCommand;
    type Error = super::errors::OverrideError;

    fn request(body: &OverrideCommand) -> &'static str {
        body.name()
    }

    fn request_label(body: &OverrideCommand) -> &'static str {
        body.label()
    }

    fn party_for(&self, _command: &OverrideCommand, _services: &DomainServices) -> Option<Party> {
        Some(Party::Admin)
    }
}
