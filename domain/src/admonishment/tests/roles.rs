//! Who admonishes (DOMAIN.md "Roles and permissions"): a policy triggers at a publication; a
//! secretariat — of any task force, an admonishment being county-wide — triggers by hand,
//! schedules and records the talk, and withdraws; nobody else, least of all the unit
//! admonished.

use cqrs_es::test::TestFramework;

use super::fixtures::*;
use crate::admonishment::*;
use crate::permission::{Forbidden, Party};
use crate::testing::{roles_directory, services};

/// A member of the admonished unit, beside the test roles.
const CLERK: &str = "township-clerk";

fn framework_with_roles() -> TestFramework<Admonishment> {
    let directory = roles_directory()
        .with_member(unit(), person(CLERK))
        .with_head(unit(), person("township-head"));
    TestFramework::with(services(directory).0)
}

fn forbidden(actor: &str, request: &'static str, needs: Party) -> AdmonishmentError {
    AdmonishmentError::Forbidden(Forbidden {
        actor: person(actor),
        request,
        request_label: AdmonishmentCommand::label_of(request),
        needs,
    })
}

fn manual() -> AdmonishmentCommand {
    AdmonishmentCommand::TriggerManually {
        admonishment: id("adm-manual-7"),
        campaign: campaign(),
        unit: unit(),
        publication: None,
        items: vec![],
        reasons: vec![text("推诿扯皮")],
    }
}

fn record_held() -> AdmonishmentCommand {
    AdmonishmentCommand::RecordHeld {
        attendees: vec![person("township-head")],
        minutes: minutes(),
    }
}

#[test]
fn the_policy_triggers_at_a_publication_and_nobody_else_does() {
    framework_with_roles()
        .given_no_previous_events()
        .when(cmd_at(
            TRIGGERED,
            policy(),
            trigger(vec![overdue(), bottom()]),
        ))
        .then_expect_events(vec![triggered()]);
    for actor in ["sec-yibao", "jiwei-officer", CLERK] {
        framework_with_roles()
            .given_no_previous_events()
            .when(cmd_at(TRIGGERED, person(actor), trigger(vec![overdue()])))
            .then_expect_error(forbidden(actor, "trigger", Party::Policy));
    }
}

#[test]
fn any_secretariat_triggers_by_hand_and_a_policy_or_the_unit_does_not() {
    let events = framework_with_roles()
        .given_no_previous_events()
        .when(cmd_at(NOW, person("sec-xiaoyuan"), manual()))
        .inspect_result()
        .expect("a secretariat admonishes by hand");
    assert!(matches!(
        events.as_slice(),
        [AdmonishmentEvent::Triggered { basis: Basis::Manual { .. }, by, .. }]
            if *by == person("sec-xiaoyuan")
    ));
    for actor in ["policy:admonishment", CLERK, "minzheng-officer"] {
        framework_with_roles()
            .given_no_previous_events()
            .when(cmd_at(NOW, person(actor), manual()))
            .then_expect_error(forbidden(actor, "trigger_manually", Party::AnySecretariat));
    }
}

#[test]
fn a_secretariat_holds_the_talk_and_a_member_of_the_unit_cannot() {
    let when = "2026-04-08T03:00:00Z";
    framework_with_roles()
        .given(vec![triggered(), scheduled()])
        .when(cmd_at(when, person("sec-yibao"), record_held()))
        .then_expect_events(vec![held()]);
    for actor in [CLERK, "policy:admonishment", "jiwei-officer"] {
        framework_with_roles()
            .given(vec![triggered(), scheduled()])
            .when(cmd_at(when, person(actor), record_held()))
            .then_expect_error(forbidden(actor, "record_held", Party::AnySecretariat));
    }
    framework_with_roles()
        .given(vec![triggered()])
        .when(cmd_at(
            NOW,
            person(CLERK),
            AdmonishmentCommand::Schedule {
                when: at(MEETING),
                place: text("会议室"),
                conducted_by: vec![person("deputy-head")],
            },
        ))
        .then_expect_error(forbidden(CLERK, "schedule", Party::AnySecretariat));
    framework_with_roles()
        .given(vec![triggered(), scheduled(), held()])
        .when(cmd_at(
            NOW,
            person(CLERK),
            AdmonishmentCommand::RecordFollowUp {
                outcome: text("已整改"),
            },
        ))
        .then_expect_error(forbidden(CLERK, "record_follow_up", Party::AnySecretariat));
}

#[test]
fn only_a_secretariat_withdraws() {
    let withdraw = AdmonishmentCommand::Withdraw {
        reasons: vec![text("通报已更正")],
        correction: None,
    };
    for actor in [CLERK, "policy:admonishment", "jiwei-officer"] {
        framework_with_roles()
            .given(vec![triggered()])
            .when(cmd_at(NOW, person(actor), withdraw.clone()))
            .then_expect_error(forbidden(actor, "withdraw", Party::AnySecretariat));
    }
    let events = framework_with_roles()
        .given(vec![triggered()])
        .when(cmd_at(NOW, person("sec-guoqi"), withdraw))
        .inspect_result()
        .expect("any secretariat withdraws");
    assert!(matches!(
        events.as_slice(),
        [AdmonishmentEvent::Withdrawn { by, .. }] if *by == person("sec-guoqi")
    ));
}
