//! Who may run a satisfaction round: the secretariat of the field's task force opens it,
//! records the aggregated scores it receives, and closes it.

use super::aggregate::Survey;
use super::commands::SurveyCommand;
use crate::handling::Admission;
use crate::permission::{secretariat_of_field, Party};
use crate::services::DomainServices;

impl Admission for Survey {
    type Body = SurveyCommand;
    type Error = super::errors::SurveyError;

    fn request(body: &SurveyCommand) -> &'static str {
        body.name()
    }

    fn request_label(body: &SurveyCommand) -> &'static str {
        body.label()
    }

    fn party_for(&self, command: &SurveyCommand, services: &DomainServices) -> Option<Party> {
        let (campaign, field) = match command {
            SurveyCommand::OpenRound {
                campaign, field, ..
            } => (campaign, field),
            _ => (self.campaign.as_ref()?, self.field.as_ref()?),
        };
        // A field without a task force: `decide` refuses the round saying so
        // (`survey.no_task_force`), which tells the sender more than "forbidden".
        secretariat_of_field(services.settings.as_ref(), campaign, field)
            .filter(|party| !matches!(party, Party::NoTaskForce { .. }))
    }

    /// The campaigns `command` consults: read at their latest version before deciding it.
    fn campaigns_for(&self, command: &SurveyCommand) -> Vec<crate::values::CampaignId> {
        match command {
            SurveyCommand::OpenRound { campaign, .. } => vec![campaign.clone()],
            _ => self.campaign.iter().cloned().collect(),
        }
    }
}
