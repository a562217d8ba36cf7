//! Who holds a person to account (DOMAIN.md "Roles and permissions"): a policy or a
//! secretariat proposes; only discipline inspection decides (and rules 容错 within its
//! decision); discipline inspection or a secretariat withdraws a mistaken proposal.

use cqrs_es::test::TestFramework;

use super::fixtures::*;
use crate::accountability::*;
use crate::permission::{Forbidden, Party};
use crate::testing::{roles_directory, services};

/// A member of the hospital whose head is proposed, beside the test roles.
const STAFF: &str = "hospital-staff-wang";

fn framework_with_roles() -> TestFramework<Accountability> {
    let directory = roles_directory()
        .with_head(unit("county-hospital"), head())
        .with_member(unit("county-hospital"), person(STAFF));
    TestFramework::with(services(directory).0)
}

fn forbidden(actor: &str, request: &'static str, needs: Party) -> AccountabilityError {
    AccountabilityError::Forbidden(Forbidden {
        actor: person(actor),
        request,
        request_label: AccountabilityCommand::label_of(request),
        needs,
    })
}

fn decide() -> AccountabilityCommand {
    AccountabilityCommand::Decide {
        outcome: Outcome::AdmonishingTalk,
        reasons: reasons(),
        fault_tolerance: None,
    }
}

#[test]
fn a_policy_or_a_secretariat_proposes_and_nobody_else() {
    framework_with_roles()
        .given_no_previous_events()
        .when(cmd_at(PROPOSED, policy(), propose()))
        .then_expect_events(vec![proposed()]);
    let events = framework_with_roles()
        .given_no_previous_events()
        .when(cmd_at(PROPOSED, person("sec-xiaoyuan"), propose()))
        .inspect_result()
        .expect("a secretariat proposes");
    assert!(matches!(
        events.as_slice(),
        [AccountabilityEvent::Proposed { by, .. }] if *by == person("sec-xiaoyuan")
    ));
    for actor in [
        "jiwei-officer",
        "hospital-head-liu",
        STAFF,
        "schedule:accountability",
    ] {
        framework_with_roles()
            .given_no_previous_events()
            .when(cmd_at(PROPOSED, person(actor), propose()))
            .then_expect_error(forbidden(
                actor,
                "propose",
                Party::Policy.or(Party::AnySecretariat),
            ));
    }
}

#[test]
fn only_discipline_inspection_decides() {
    framework_with_roles()
        .given(vec![proposed()])
        .when(cmd_at(DECIDED, inspector(), decide()))
        .then_expect_events(vec![decided(Outcome::AdmonishingTalk)]);
    for actor in [
        "sec-yibao",
        "policy:repeated-admonishment",
        "hospital-head-liu",
        STAFF,
        "minzheng-officer",
    ] {
        framework_with_roles()
            .given(vec![proposed()])
            .when(cmd_at(DECIDED, person(actor), decide()))
            .then_expect_error(forbidden(actor, "decide", Party::DisciplineInspection));
    }
}

#[test]
fn discipline_inspection_or_a_secretariat_withdraws_a_proposal() {
    let withdraw = || AccountabilityCommand::Withdraw {
        reasons: vec![text("约谈记录所属单位有误，提议错误")],
    };
    framework_with_roles()
        .given(vec![proposed()])
        .when(cmd_at(DECIDED, person("sec-yibao"), withdraw()))
        .then_expect_events(vec![withdrawn()]);
    for actor in ["policy:repeated-admonishment", "hospital-head-liu", STAFF] {
        framework_with_roles()
            .given(vec![proposed()])
            .when(cmd_at(DECIDED, person(actor), withdraw()))
            .then_expect_error(forbidden(
                actor,
                "withdraw",
                Party::DisciplineInspection.or(Party::AnySecretariat),
            ));
    }
}
