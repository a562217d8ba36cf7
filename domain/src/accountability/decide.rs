//! Every decision of the accountability aggregate: the events a command yields, or why it is
//! refused. The actor (`stamp.actor`) is at hand for role checks (discipline inspection
//! decides; a policy or a secretariat proposes), which the organisation port will bring.

use crate::fault::FaultDecision;
use crate::services::DomainServices;
use crate::values::{AccountabilityId, Text};
use crate::Command;

use super::aggregate::{Accountability, AccountabilityStatus};
use super::commands::{
    AccountabilityCommand, FaultToleranceRuling, Ground, Outcome, Proposal, Role,
};
use super::errors::AccountabilityError;
use super::events::{AccountabilityEpisode, AccountabilityEvent, RecordedRuling};
use super::window::check_window;

impl Accountability {
    pub(super) fn decide(
        &self,
        command: Command<AccountabilityCommand>,
        services: &DomainServices,
    ) -> Result<Vec<AccountabilityEvent>, AccountabilityError> {
        let Command { stamp, body } = command;
        let request = body.name();
        let event = match body {
            AccountabilityCommand::Propose(proposal) => {
                if self.status != AccountabilityStatus::NotProposed {
                    return Err(self.refuse(request));
                }
                let referral_window_days = check_proposal(&proposal, services)?;
                let Proposal {
                    case,
                    campaign,
                    person,
                    unit,
                    grounds,
                } = proposal;
                AccountabilityEvent::Proposed {
                    case,
                    campaign,
                    person,
                    unit,
                    grounds,
                    referral_window_days,
                    by: stamp.actor,
                    at: stamp.at,
                }
            }
            AccountabilityCommand::Decide {
                outcome,
                reasons,
                fault_tolerance,
            } => {
                match self.status {
                    AccountabilityStatus::Proposed => {}
                    AccountabilityStatus::Decided => {
                        return Err(AccountabilityError::AlreadyDecided)
                    }
                    _ => return Err(self.refuse(request)),
                }
                require_reasons(&reasons)?;
                let case = self
                    .file
                    .as_ref()
                    .map(|f| f.case.clone())
                    .ok_or_else(|| self.refuse(request))?;
                let fault_tolerance = fault_tolerance
                    .map(|ruling| check_ruling(ruling, outcome, case))
                    .transpose()?;
                AccountabilityEvent::Decided {
                    outcome,
                    reasons,
                    fault_tolerance,
                    deducts: outcome.holds_accountable(),
                    by: stamp.actor,
                    at: stamp.at,
                }
            }
            AccountabilityCommand::Withdraw { reasons } => {
                if self.status != AccountabilityStatus::Proposed {
                    return Err(self.refuse(request));
                }
                require_reasons(&reasons)?;
                AccountabilityEvent::Withdrawn {
                    reasons,
                    by: stamp.actor,
                    at: stamp.at,
                }
            }
        };
        Ok(vec![event])
    }
}

fn require_reasons(reasons: &[Text]) -> Result<(), AccountabilityError> {
    if reasons.is_empty() {
        Err(AccountabilityError::NoReasons)
    } else {
        Ok(())
    }
}

/// Checks a proposal's grounds; returns the referral window it checked a repeated-admonishment
/// ground against (read from the campaign's settings in force), if it had one.
fn check_proposal(
    proposal: &Proposal,
    services: &DomainServices,
) -> Result<Option<u32>, AccountabilityError> {
    let Some(settings) = services.settings.settings(&proposal.campaign) else {
        return Err(AccountabilityError::UnknownCampaign {
            campaign: proposal.campaign.clone(),
        });
    };
    if proposal.grounds.is_empty() {
        return Err(AccountabilityError::NoGrounds);
    }
    let mut window = None;
    for ground in &proposal.grounds {
        let Ground::RepeatedAdmonishment {
            earlier,
            later,
            role,
        } = ground
        else {
            continue;
        };
        if window.is_some() {
            return Err(AccountabilityError::RepeatedGroundTwice);
        }
        if matches!(role, Role::ResponsiblePerson { items } if items.is_empty()) {
            return Err(AccountabilityError::NoItemsForRole);
        }
        let days = settings.admonishment.referral_window_days;
        check_window(earlier, later, days)?;
        // One case per person and occasion: the occasion is the later admonishment.
        let expected = AccountabilityId::for_occasion(&proposal.person, &later.admonishment);
        if proposal.case != expected {
            return Err(AccountabilityError::WrongCaseId {
                named: proposal.case.clone(),
                expected,
            });
        }
        window = Some(days);
    }
    Ok(window)
}

/// 容错 within the decision. Subjective wrongdoing is never excused. An exemption (免责) says
/// the person is not liable, so it comes only with 不予问责: recording "exempt" beside a
/// sanction would leave projections two answers to "does this deduct?". A mitigation (减轻)
/// comes with any outcome: the outcome is the mitigated one.
fn check_ruling(
    ruling: FaultToleranceRuling,
    outcome: Outcome,
    case: AccountabilityId,
) -> Result<RecordedRuling, AccountabilityError> {
    if !ruling.cause.permits(ruling.decision) {
        return Err(AccountabilityError::NotExcusable);
    }
    if ruling.decision == FaultDecision::Exempt && outcome.holds_accountable() {
        return Err(AccountabilityError::ExemptionContradictsOutcome { outcome });
    }
    Ok(RecordedRuling {
        episode: AccountabilityEpisode::Accountability { case },
        cause: ruling.cause,
        decision: ruling.decision,
        reason: ruling.reason,
    })
}
