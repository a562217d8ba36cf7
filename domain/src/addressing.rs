//! Which commands name their stream ([`crate::command::Addressed`]): the ones that create it.

use crate::accountability::AccountabilityCommand;
use crate::admonishment::AdmonishmentCommand;
use crate::alert::AlertCommand;
use crate::calendar::overrides::OverrideCommand;
use crate::campaign::CampaignCommand;
use crate::case::CaseCommand;
use crate::command::Addressed;
use crate::complaint::ComplaintCommand;
use crate::item::ItemCommand;
use crate::organisation::{OrganisationCommand, ORGANISATION};
use crate::publication::PublicationCommand;
use crate::registry::{CareHomeCommand, SupplierCommand};
use crate::survey::SurveyCommand;

impl Addressed for ItemCommand {
    fn addressed_to(&self) -> Option<&str> {
        match self {
            ItemCommand::Register(register) => Some(register.code.as_str()),
            _ => None,
        }
    }
}

impl Addressed for CampaignCommand {
    fn addressed_to(&self) -> Option<&str> {
        match self {
            CampaignCommand::CreateCampaign { campaign, .. } => Some(campaign.as_str()),
            _ => None,
        }
    }
}

impl Addressed for CaseCommand {
    fn addressed_to(&self) -> Option<&str> {
        match self {
            CaseCommand::RegisterClue { case, .. } => Some(case.as_str()),
            _ => None,
        }
    }
}

impl Addressed for ComplaintCommand {
    fn addressed_to(&self) -> Option<&str> {
        match self {
            ComplaintCommand::Receive { complaint, .. } => Some(complaint.as_str()),
            _ => None,
        }
    }
}

impl Addressed for AdmonishmentCommand {
    fn addressed_to(&self) -> Option<&str> {
        match self {
            AdmonishmentCommand::Trigger { admonishment, .. }
            | AdmonishmentCommand::TriggerManually { admonishment, .. } => {
                Some(admonishment.as_str())
            }
            _ => None,
        }
    }
}

/// An accountability case is created by its proposal, which names its stream (for a repeated
/// admonishment, the person's occasion: the case checks the id, the executor the stream).
impl Addressed for AccountabilityCommand {
    fn addressed_to(&self) -> Option<&str> {
        match self {
            AccountabilityCommand::Propose(proposal) => Some(proposal.case.as_str()),
            _ => None,
        }
    }
}

/// An alert's receipt names its stream, made of the platform's reference
/// ([`crate::values::AlertId::of_reference`]); the alert checks the id against the reference.
impl Addressed for AlertCommand {
    fn addressed_to(&self) -> Option<&str> {
        match self {
            AlertCommand::Receive(push) => Some(push.alert.as_str()),
            _ => None,
        }
    }
}

/// Every publication command creates its stream: the id is made of its kind, campaign, period
/// and scope ([`crate::publication::publication_id`]); the publication checks the id against
/// them, and the executor the stream against the id.
impl Addressed for PublicationCommand {
    fn addressed_to(&self) -> Option<&str> {
        Some(self.publication().as_str())
    }
}

/// A survey round's id is made of its campaign, quarter, field and unit
/// ([`crate::survey::round_id`]); the round checks the id its opening names against them, and
/// the executor the stream against the id.
impl Addressed for SurveyCommand {
    fn addressed_to(&self) -> Option<&str> {
        match self {
            SurveyCommand::OpenRound { round, .. } => Some(round.as_str()),
            _ => None,
        }
    }
}

/// Suppliers, care homes and a county's calendar declarations are addressed by the caller
/// alone (their bodies carry no id of their own stream).
impl Addressed for SupplierCommand {}
impl Addressed for CareHomeCommand {}
impl Addressed for OverrideCommand {}

/// There is one organisation: every command is for its stream.
impl Addressed for OrganisationCommand {
    fn addressed_to(&self) -> Option<&str> {
        Some(ORGANISATION)
    }
}

impl Addressed for crate::schedule::ScheduleCommand {
    fn addressed_to(&self) -> Option<&str> {
        match self {
            crate::schedule::ScheduleCommand::Create { schedule, .. } => Some(schedule.as_str()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::{CampaignId, Text};

    #[test]
    fn creating_commands_name_their_stream_and_others_do_not() {
        let create = CampaignCommand::CreateCampaign {
            campaign: CampaignId::parse("qunfu-2026").unwrap_or_else(|_| unreachable!()),
            name: Text::parse("2026 群腐整治").unwrap_or_else(|_| unreachable!()),
            year: 2026,
            settings: Default::default(),
        };
        assert_eq!(create.addressed_to(), Some("qunfu-2026"));
        assert_eq!(ItemCommand::Acknowledge.addressed_to(), None);
    }
}
