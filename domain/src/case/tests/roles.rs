//! Who runs a case: the field's secretariat (or the policy following an escalated alert or a
//! substantiated complaint) registers the clue; discipline inspection concludes investigations.

use cqrs_es::test::TestFramework;

use super::fixtures::*;
use crate::case::*;
use crate::permission::{Forbidden, Party};
use crate::testing::{roles_directory, services};
use crate::values::PersonId;
use crate::{Command, Stamp};

fn by(actor: &str, body: CaseCommand) -> Command<CaseCommand> {
    Command::new(
        Stamp {
            at: at(NOW),
            actor: person(actor),
        },
        body,
    )
}

fn framework_with_roles() -> TestFramework<Case> {
    TestFramework::with(services(roles_directory()).0)
}

fn forbidden(actor: &str, request: &'static str, needs: Party) -> CaseError {
    CaseError::Forbidden(Forbidden {
        actor: PersonId::parse(actor).expect("id"),
        request,
        request_label: CaseCommand::label_of(request),
        needs,
    })
}

#[test]
fn the_policy_following_an_alert_registers_the_clue_it_names() {
    let events = framework_with_roles()
        .given_no_previous_events()
        .when(by("policy:alert-escalation", register()))
        .inspect_result()
        .expect("the policy registers the clue");
    assert!(matches!(
        events.as_slice(),
        [CaseEvent::ClueRegistered { .. }]
    ));
    framework_with_roles()
        .given_no_previous_events()
        .when(by("sec-xiaoyuan", register()))
        .then_expect_error(forbidden(
            "sec-xiaoyuan",
            "register_clue",
            Party::Policy.or(Party::secretariat(&yibao())),
        ));
}

#[test]
fn only_discipline_inspection_concludes_an_investigation() {
    let conclude = CaseCommand::ConcludeInvestigation {
        track: InvestigationTrack::Direct,
        findings: text("查实"),
        persons_named: vec![],
        amount_involved: yuan("0"),
        disposition: Disposition::CriticismAndEducation,
    };
    framework_with_roles()
        .given(vec![
            clue_registered(),
            opened(),
            started(InvestigationTrack::Direct),
        ])
        .when(by("sec-yibao", conclude.clone()))
        .then_expect_error(forbidden(
            "sec-yibao",
            "conclude_investigation",
            Party::DisciplineInspection,
        ));
    let events = framework_with_roles()
        .given(vec![
            clue_registered(),
            opened(),
            started(InvestigationTrack::Direct),
        ])
        .when(by("jiwei-officer", conclude))
        .inspect_result()
        .expect("discipline inspection concludes");
    assert!(matches!(
        events.as_slice(),
        [CaseEvent::InvestigationConcluded { .. }]
    ));
}
