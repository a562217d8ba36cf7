//! Care homes are the civil-affairs authority's (民政部门): inspections, rectification orders
//! and results, licence revocation and the care-home blacklist.

use super::aggregate::CareHome;
use super::commands::CareHomeCommand;
use crate::handling::Admission;
use crate::permission::Party;
use crate::services::DomainServices;

impl Admission for CareHome {
    type Body = CareHomeCommand;
    type Error = super::errors::CareHomeError;

    fn request(body: &CareHomeCommand) -> &'static str {
        body.name()
    }

    fn request_label(body: &CareHomeCommand) -> &'static str {
        body.label()
    }

    fn party_for(&self, _command: &CareHomeCommand, _services: &DomainServices) -> Option<Party> {
        Some(Party::CivilAffairs)
    }

    /// The campaigns `command` consults: read at their latest version before deciding it.
    fn campaigns_for(&self, command: &CareHomeCommand) -> Vec<crate::values::CampaignId> {
        match command {
            CareHomeCommand::RecordInspection { campaign, .. }
            | CareHomeCommand::OrderRectification { campaign, .. }
            | CareHomeCommand::Blacklist { campaign, .. } => vec![campaign.clone()],
            _ => self.campaign.iter().cloned().collect(),
        }
    }
}
