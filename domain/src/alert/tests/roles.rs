//! Who handles an alert (DOMAIN.md "Roles and permissions"): the medical-insurance platform's
//! integrator pushes it; the medical-insurance secretariat (`sec-yibao`) triages it; a schedule
//! records a missed triage; nobody else does any of these.

use cqrs_es::test::TestFramework;

use super::fixtures::*;
use crate::alert::*;
use crate::organisation::IntegratorKind;
use crate::permission::{Forbidden, Party};
use crate::testing::{roles_directory, services};
use crate::values::TaskForceId;

fn framework_with_roles() -> TestFramework<Alert> {
    TestFramework::with(services(roles_directory()).0)
}

fn forbidden(actor: &str, request: &'static str, needs: Party) -> AlertError {
    AlertError::Forbidden(Forbidden {
        actor: person(actor),
        request,
        request_label: AlertCommand::label_of(request),
        needs,
    })
}

#[test]
fn only_the_medical_insurance_platform_pushes_an_alert() {
    framework_with_roles()
        .given_no_previous_events()
        .when(cmd_at(RECEIVED, platform(), AlertCommand::Receive(push())))
        .then_expect_events(vec![received()]);
    let platform = Party::Integrator {
        kind: IntegratorKind::MedicalInsurancePlatform,
    };
    for actor in [
        "meal_app-app",
        "trading_platform-app",
        "sec-yibao",
        "schedule:alert-triage",
    ] {
        framework_with_roles()
            .given_no_previous_events()
            .when(cmd_at(
                RECEIVED,
                person(actor),
                AlertCommand::Receive(push()),
            ))
            .then_expect_error(forbidden(actor, "receive", platform.clone()));
    }
}

#[test]
fn only_the_medical_insurance_secretariat_triages() {
    let when = "2026-03-12T02:00:00Z";
    framework_with_roles()
        .given(vec![received()])
        .when(cmd_at(when, sec(), AlertCommand::Triage(to_item())))
        .then_expect_events(vec![triaged(when, to_item(), false)]);
    let yibao = Party::secretariat(&TaskForceId::parse("yibao").expect("id"));
    for actor in [
        "sec-xiaoyuan",
        "medical_insurance_platform-app",
        "jiwei-officer",
        "policy:alert-escalation",
    ] {
        framework_with_roles()
            .given(vec![received()])
            .when(cmd_at(when, person(actor), AlertCommand::Triage(to_item())))
            .then_expect_error(forbidden(actor, "triage", yibao.clone()));
    }
}

#[test]
fn only_a_schedule_records_a_missed_triage() {
    framework_with_roles()
        .given(vec![received()])
        .when(cmd_at(DUE, schedule(), AlertCommand::RecordTriageMissed))
        .then_expect_events(vec![missed(DUE, schedule())]);
    for actor in [
        "sec-yibao",
        "medical_insurance_platform-app",
        "policy:alert-triage",
    ] {
        framework_with_roles()
            .given(vec![received()])
            .when(cmd_at(DUE, person(actor), AlertCommand::RecordTriageMissed))
            .then_expect_error(forbidden(actor, "record_triage_missed", Party::Schedule));
    }
}
