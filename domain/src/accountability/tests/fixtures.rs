//! Fixtures shared by the accountability tests: the head of the county hospital, proposed by
//! the policy after the hospital's second admonishment within 182 days.

use chrono::{DateTime, Utc};
use cqrs_es::test::TestFramework;

use crate::accountability::*;
pub(super) use crate::testing::fixtures::{at, campaign, code, person, text, unit};
use crate::values::{AccountabilityId, AdmonishmentId, PersonId, Text};
use crate::{Command, Stamp};

/// The county hospital and its head are people of the organisation; the roles are
/// [`officer_directory`](crate::testing::officer_directory)'s.
pub(super) fn framework() -> TestFramework<Accountability> {
    TestFramework::with(services())
}

pub(super) fn services() -> crate::services::DomainServices {
    crate::testing::services(
        crate::testing::officer_directory().with_head(unit("county-hospital"), head()),
    )
    .0
}

pub(super) fn policy() -> PersonId {
    person("policy:repeated-admonishment")
}

/// A discipline-inspection officer (纪检监察).
pub(super) fn inspector() -> PersonId {
    person("jiwei-officer")
}

pub(super) fn head() -> PersonId {
    person("hospital-head-liu")
}

pub(super) fn admonishment(id: &str) -> AdmonishmentId {
    AdmonishmentId::parse(id).expect("valid admonishment id")
}

/// The cut-off of the March bulletin: 2026-03-01 00:00 Beijing time.
pub(super) const EARLIER_CUT_OFF: &str = "2026-02-28T16:00:00Z";
/// The cut-off of the July bulletin, 122 days later.
pub(super) const LATER_CUT_OFF: &str = "2026-06-30T16:00:00Z";
pub(super) const PROPOSED: &str = "2026-07-02T01:00:00Z";
pub(super) const DECIDED: &str = "2026-07-20T02:00:00Z";

pub(super) fn basis(id: &str, cut_off: &str) -> AdmonishmentBasis {
    AdmonishmentBasis {
        admonishment: admonishment(id),
        cut_off: at(cut_off),
    }
}

pub(super) fn repeated(earlier: DateTime<Utc>, later: DateTime<Utc>) -> Ground {
    Ground::RepeatedAdmonishment {
        earlier: AdmonishmentBasis {
            admonishment: admonishment("adm-2026-03-hospital"),
            cut_off: earlier,
        },
        later: AdmonishmentBasis {
            admonishment: admonishment("adm-2026-07-hospital"),
            cut_off: later,
        },
        role: Role::UnitHead,
    }
}

pub(super) fn case_id() -> AccountabilityId {
    AccountabilityId::for_occasion(&head(), &admonishment("adm-2026-07-hospital"))
}

pub(super) fn proposal(grounds: Vec<Ground>) -> Proposal {
    Proposal {
        case: case_id(),
        campaign: campaign(),
        person: head(),
        unit: unit("county-hospital"),
        grounds,
    }
}

pub(super) fn propose() -> AccountabilityCommand {
    AccountabilityCommand::Propose(proposal(vec![repeated(
        at(EARLIER_CUT_OFF),
        at(LATER_CUT_OFF),
    )]))
}

pub(super) fn cmd_at(
    when: &str,
    actor: PersonId,
    body: AccountabilityCommand,
) -> Command<AccountabilityCommand> {
    Command::new(
        Stamp {
            at: at(when),
            actor,
        },
        body,
    )
}

pub(super) fn proposed() -> AccountabilityEvent {
    AccountabilityEvent::Proposed {
        case: case_id(),
        campaign: campaign(),
        person: head(),
        unit: unit("county-hospital"),
        grounds: vec![repeated(at(EARLIER_CUT_OFF), at(LATER_CUT_OFF))],
        referral_window_days: Some(182),
        by: policy(),
        at: at(PROPOSED),
    }
}

pub(super) fn reasons() -> Vec<Text> {
    vec![text("两次约谈后逾期问题仍未整改，负主要领导责任")]
}

pub(super) fn decided(outcome: Outcome) -> AccountabilityEvent {
    AccountabilityEvent::Decided {
        outcome,
        reasons: reasons(),
        fault_tolerance: None,
        deducts: outcome.holds_accountable(),
        by: inspector(),
        at: at(DECIDED),
    }
}

pub(super) fn withdrawn() -> AccountabilityEvent {
    AccountabilityEvent::Withdrawn {
        reasons: vec![text("约谈记录所属单位有误，提议错误")],
        by: person("sec-yibao"),
        at: at(DECIDED),
    }
}

/// A refused transition; its message names the state and the request in Chinese.
pub(super) fn invalid(state: &'static str, request: &'static str) -> AccountabilityError {
    let error = AccountabilityError::InvalidTransition { state, request };
    let message = error.to_string();
    assert!(
        !message.chars().any(|c| c.is_ascii_alphabetic()),
        "{state}/{request} has no Chinese name: {message}"
    );
    error
}

pub(super) fn fold(events: Vec<AccountabilityEvent>) -> Accountability {
    crate::testing::fixtures::replay(events)
}
