//! Who may do what with an alert: the medical-insurance platform pushes it; the secretariat of
//! the medical-insurance task force triages it; a schedule records a missed triage.

use super::aggregate::Alert;
use super::commands::AlertCommand;
use crate::handling::Admission;
use crate::organisation::IntegratorKind;
use crate::permission::{secretariat_of_field, Party};
use crate::services::DomainServices;
use crate::settings::Field;

impl Admission for Alert {
    type Body = AlertCommand;
    type Error = super::errors::AlertError;

    fn request(body: &AlertCommand) -> &'static str {
        body.name()
    }

    fn request_label(body: &AlertCommand) -> &'static str {
        body.label()
    }

    fn party_for(&self, command: &AlertCommand, services: &DomainServices) -> Option<Party> {
        Some(match command {
            AlertCommand::Receive(_) => Party::Integrator {
                kind: IntegratorKind::MedicalInsurancePlatform,
            },
            AlertCommand::Triage(_) => {
                let receipt = self.receipt.as_ref()?;
                secretariat_of_field(
                    services.settings.as_ref(),
                    &receipt.campaign,
                    &Field::MedicalInsurance,
                )?
            }
            AlertCommand::RecordTriageMissed => Party::Schedule,
        })
    }

    /// The campaigns `command` consults: read at their latest version before deciding it.
    fn campaigns_for(&self, command: &AlertCommand) -> Vec<crate::values::CampaignId> {
        match command {
            AlertCommand::Receive(push) => vec![push.campaign.clone()],
            _ => self.receipt.iter().map(|r| r.campaign.clone()).collect(),
        }
    }
}
