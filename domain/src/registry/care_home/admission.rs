//! Care homes are the civil-affairs authority's (民政部门): inspections, rectification orders
//! and results, licence revocation and the care-home blacklist.

use super::aggregate::CareHome;
use super::commands::CareHomeCommand;
use crate::permission::Party;
use crate::services::DomainServices;

impl CareHome {
    pub(super) fn party_for(
        &self,
        _command: &CareHomeCommand,
        _services: &DomainServices,
    ) -> Option<Party> {
        Some(Party::CivilAffairs)
    }
}
