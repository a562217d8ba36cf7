//! The county's calendar declarations are configuration: an administrator records them.

use super::aggregate::CountyOverrides;
use super::commands::OverrideCommand;
use crate::permission::Party;
use crate::services::DomainServices;

impl CountyOverrides {
    pub(super) fn party_for(
        &self,
        _command: &OverrideCommand,
        _services: &DomainServices,
    ) -> Option<Party> {
        Some(Party::Admin)
    }
}
