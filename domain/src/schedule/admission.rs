//! Who may ask what of a schedule: an administrator configures it (DOMAIN.md: settings are
//! the admin's); only the schedule itself fires or skips its occurrences.

use super::actor_of;
use super::aggregate::Schedule;
use super::commands::ScheduleCommand;
use crate::handling::Admission;
use crate::permission::Party;
use crate::services::DomainServices;
use crate::values::CampaignId;

impl Admission for Schedule {
    type Body = ScheduleCommand;
    type Error = super::errors::ScheduleError;

    fn request(body: &ScheduleCommand) -> &'static str {
        body.name()
    }

    fn request_label(body: &ScheduleCommand) -> &'static str {
        body.label()
    }

    fn party_for(&self, command: &ScheduleCommand, _services: &DomainServices) -> Option<Party> {
        match command {
            ScheduleCommand::Fire { .. }
            | ScheduleCommand::Skip { .. }
            | ScheduleCommand::Complete { .. } => {
                self.actor().map(|person| Party::Person { person })
            }
            // The built-in schedules are created by the scheduler as each schedule itself,
            // when it first finds the campaign; an administrator may create one too.
            ScheduleCommand::Create { schedule, .. } => Some(match actor_of(schedule) {
                Ok(person) => Party::Admin.or(Party::Person { person }),
                Err(_) => Party::Admin,
            }),
            _ => Some(Party::Admin),
        }
    }

    /// A schedule is created for a campaign that exists; a firing is checked against the
    /// campaign's rhythm, time zone and calendar.
    fn campaigns_for(&self, command: &ScheduleCommand) -> Vec<CampaignId> {
        match (command, self.state()) {
            (ScheduleCommand::Create { campaign, .. }, _) => vec![campaign.clone()],
            (ScheduleCommand::Fire { .. } | ScheduleCommand::Skip { .. }, Some(state)) => {
                vec![state.campaign.clone()]
            }
            _ => Vec::new(),
        }
    }
}
