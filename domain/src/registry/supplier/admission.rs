//! A supplier's blacklist is kept by the secretariat of the state-assets task force (国资国企);
//! the award check (一票否决) is asked by the trading platform or by that secretariat — by the
//! trading platform alone for a supplier not listed, whose campaign (and so secretariat) is
//! unknown.

use super::aggregate::Supplier;
use super::commands::SupplierCommand;
use crate::handling::Admission;
use crate::organisation::IntegratorKind;
use crate::permission::{secretariat_of_field, Party};
use crate::services::DomainServices;
use crate::settings::Field;

impl Admission for Supplier {
    type Body = SupplierCommand;
    type Error = super::errors::SupplierError;

    fn request(body: &SupplierCommand) -> &'static str {
        body.name()
    }

    fn request_label(body: &SupplierCommand) -> &'static str {
        body.label()
    }

    fn party_for(&self, command: &SupplierCommand, services: &DomainServices) -> Option<Party> {
        let trading_platform = Party::Integrator {
            kind: IntegratorKind::TradingPlatform,
        };
        let campaign = match (command, &self.listing) {
            (SupplierCommand::Blacklist { campaign, .. }, _) => campaign,
            (_, Some(listing)) => &listing.campaign,
            // A supplier never listed (or taken off the list) names no campaign, hence no
            // state-assets secretariat: the award check is the trading platform's alone, never
            // anyone's (it records the fact a procurement cites).
            (SupplierCommand::CheckAward { .. }, None) => return Some(trading_platform),
            // Nothing to remove: `decide` refuses it as such.
            (SupplierCommand::RemoveFromBlacklist { .. }, None) => return None,
        };
        let secretariat =
            secretariat_of_field(services.settings.as_ref(), campaign, &Field::StateAssets)?;
        Some(match command {
            SupplierCommand::CheckAward { .. } => trading_platform.or(secretariat),
            _ => secretariat,
        })
    }

    /// The campaigns `command` consults: read at their latest version before deciding it.
    fn campaigns_for(&self, command: &SupplierCommand) -> Vec<crate::values::CampaignId> {
        match command {
            SupplierCommand::Blacklist { campaign, .. } => vec![campaign.clone()],
            _ => self.listing.iter().map(|l| l.campaign.clone()).collect(),
        }
    }
}
