//! 查阅 — each reveal of the sealed part is itself an event; only the secretariat of the
//! complaint's task force and the handling unit's designated handler may ask for one, and the
//! domain decrypts nothing (the adapter opens the vault after the event has committed).

use std::sync::Arc;

use cqrs_es::test::TestFramework;

use super::fixtures::*;
use crate::complaint::*;
use crate::organisation::{IntegratorKind, Role};
use crate::permission::Party;
use crate::services::DomainServices;
use crate::values::TaskForceId;

const PURPOSE: &str = "核实举报人身份以便回访";
const WHEN: &str = "2026-03-10T06:00:00Z";

/// The complaint fixtures' directory, plus the school-meal and medical-insurance
/// secretariats, a leader and the meal app.
fn reveal_services() -> DomainServices {
    let directory = directory()
        .with_role(
            person("sec-xiaoyuan"),
            Role::Secretariat {
                task_force: xiaoyuan(),
            },
        )
        .with_role(
            person("sec-yibao"),
            Role::Secretariat {
                task_force: TaskForceId::parse("yibao").expect("id"),
            },
        )
        .with_role(person("leader"), Role::Leadership)
        .with_role(
            person("meal-app"),
            Role::Integrator {
                kind: IntegratorKind::MealApp,
            },
        );
    DomainServices {
        directory: Arc::new(directory),
        ..services().0
    }
}

fn reveal() -> ComplaintCommand {
    ComplaintCommand::Reveal {
        purpose: text(PURPOSE),
    }
}

fn revealed(by: &str) -> ComplaintEvent {
    ComplaintEvent::Revealed {
        key_ref: "key:cmp-1".into(),
        purpose: text(PURPOSE),
        by: person(by),
        at: at(WHEN),
    }
}

/// Who may reveal while no handler is designated: the field's secretariat alone.
fn secretariat_only() -> Party {
    Party::Secretariat {
        task_force: xiaoyuan(),
    }
}

/// `person` of `unit` designated as the handler.
fn designated(unit_id: &str, person_id: &str) -> ComplaintEvent {
    ComplaintEvent::HandlerDesignated {
        unit: unit(unit_id),
        person: person(person_id),
        by: person("sec-xiaoyuan"),
        at: at("2026-03-10T03:00:00Z"),
    }
}

fn forbidden(actor: &str, needs: Party) -> ComplaintError {
    ComplaintError::Forbidden {
        actor: person(actor),
        request: "reveal",
        needs,
    }
}

#[test]
fn the_secretariat_of_the_complaints_task_force_reveals_and_the_reveal_is_recorded() {
    TestFramework::<Complaint>::with(reveal_services())
        .given(vec![received_named()])
        .when(cmd_by("sec-xiaoyuan", WHEN, reveal()))
        .then_expect_events(vec![revealed("sec-xiaoyuan")]);
}

#[test]
fn the_handling_units_designated_handler_reveals_wherever_the_complaint_went() {
    TestFramework::<Complaint>::with(reveal_services())
        .given(vec![
            received_named(),
            designated("county-education-bureau", "officer-1"),
        ])
        .when(cmd_by("officer-1", WHEN, reveal()))
        .then_expect_events(vec![revealed("officer-1")]);
    TestFramework::<Complaint>::with(reveal_services())
        .given(vec![
            received_named(),
            transferred("county-education-bureau", "market-regulation"),
            designated("market-regulation", "market-officer"),
        ])
        .when(cmd_by("market-officer", WHEN, reveal()))
        .then_expect_events(vec![revealed("market-officer")]);
}

/// A member of the handling unit who is not its designated handler reads only the summary.
#[test]
fn a_member_of_the_handling_unit_who_is_not_its_handler_may_not_reveal() {
    TestFramework::<Complaint>::with(reveal_services())
        .given(vec![received_named()])
        .when(cmd_by("officer-1", WHEN, reveal()))
        .then_expect_error(forbidden("officer-1", secretariat_only()));
}

/// First-receiver responsibility does not carry the right to read: once the complaint went to
/// another unit, the first receiver reads only the summary.
#[test]
fn the_first_receiver_no_longer_handling_the_complaint_may_not_reveal() {
    TestFramework::<Complaint>::with(reveal_services())
        .given(vec![
            received_named(),
            transferred("county-education-bureau", "market-regulation"),
        ])
        .when(cmd_by("officer-1", WHEN, reveal()))
        .then_expect_error(forbidden("officer-1", secretariat_only()));
}

/// Never integrators (not even the app that pushed the complaint), never leadership, never
/// the secretariat of another field's task force.
#[test]
fn integrators_leadership_and_other_secretariats_never_reveal() {
    for actor in ["meal-app", "leader", "sec-yibao"] {
        TestFramework::<Complaint>::with(reveal_services())
            .given(vec![received_named()])
            .when(cmd_by(actor, WHEN, reveal()))
            .then_expect_error(forbidden(actor, secretariat_only()));
    }
}

/// The text may be needed after closure (for the case it led to): a closed complaint is read
/// the same way.
#[test]
fn a_closed_complaint_may_still_be_revealed() {
    TestFramework::<Complaint>::with(reveal_services())
        .given(vec![
            received_named(),
            responded("2026-03-10T04:00:00Z", true),
            resolved(),
            closed(),
        ])
        .when(cmd_by("sec-xiaoyuan", WHEN, reveal()))
        .then_expect_events(vec![revealed("sec-xiaoyuan")]);
}

#[test]
fn an_erased_identity_cannot_be_revealed() {
    TestFramework::<Complaint>::with(reveal_services())
        .given(vec![
            received_named(),
            ComplaintEvent::IdentityErased {
                key_ref: "key:cmp-1".into(),
                by: officer(),
                at: at("2026-03-10T04:00:00Z"),
            },
        ])
        .when(cmd_by("sec-xiaoyuan", WHEN, reveal()))
        .then_expect_error(ComplaintError::IdentityAlreadyErased);
}

#[test]
fn nothing_is_revealed_where_nothing_is_sealed() {
    TestFramework::<Complaint>::with(reveal_services())
        .given_no_previous_events()
        .when(cmd_by("sec-xiaoyuan", WHEN, reveal()))
        .then_expect_error(ComplaintError::NothingSealed);
}

/// The domain records the reveal and opens nothing: a vault that is down does not stop the
/// event, which must commit before the adapter opens anything.
#[test]
fn the_reveal_is_recorded_without_the_vault() {
    let services = DomainServices {
        vault: Arc::new(BrokenVault),
        ..reveal_services()
    };
    TestFramework::<Complaint>::with(services)
        .given(vec![received_named()])
        .when(cmd_by("sec-xiaoyuan", WHEN, reveal()))
        .then_expect_events(vec![revealed("sec-xiaoyuan")]);
}

/// A reveal is a fact for the audit trail: the complaint's state stays as it was.
#[test]
fn a_reveal_changes_nothing_in_the_complaint() {
    let before = fold(vec![received_named()]);
    let after = fold(vec![received_named(), revealed("sec-xiaoyuan")]);
    assert_eq!(before, after);
}
