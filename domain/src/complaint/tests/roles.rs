//! First-receiver responsibility as roles: who may receive, answer, transfer, close.

use std::sync::Arc;

use cqrs_es::test::TestFramework;

use super::fixtures::*;
use crate::complaint::*;
use crate::organisation::{IntegratorKind, Role};
use crate::permission::Party;
use crate::services::DomainServices;

#[test]
fn after_a_transfer_only_the_handling_unit_answers_and_only_the_first_receiver_closes() {
    let transferred_away = vec![
        received(),
        transferred("county-education-bureau", "market-regulation"),
    ];
    // The first receiver may no longer answer: the handling unit does.
    framework()
        .given(transferred_away.clone())
        .when(cmd(ComplaintCommand::Respond {
            response: text("答复"),
        }))
        .then_expect_error(ComplaintError::Forbidden {
            actor: officer(),
            request: "respond",
            needs: Party::MemberOf {
                unit: unit("market-regulation"),
            },
        });
    // The handling unit resolves, but closing stays with the first receiver.
    let mut resolved_history = transferred_away;
    resolved_history.push(responded("2026-03-10T05:00:00Z", true));
    resolved_history.push(resolved());
    framework()
        .given(resolved_history.clone())
        .when(cmd_by(
            "market-officer",
            "2026-03-10T06:00:00Z",
            ComplaintCommand::Close,
        ))
        .then_expect_error(ComplaintError::Forbidden {
            actor: person("market-officer"),
            request: "close",
            needs: Party::MemberOf {
                unit: unit("county-education-bureau"),
            },
        });
    framework()
        .given(resolved_history)
        .when(cmd_at("2026-03-10T05:30:00Z", ComplaintCommand::Close))
        .then_expect_events(vec![closed()]);
}

#[test]
fn only_a_schedule_records_a_missed_response() {
    framework()
        .given(vec![received()])
        .when(cmd_by(
            "officer-1",
            MEAL_DUE,
            ComplaintCommand::RecordResponseMissed,
        ))
        .then_expect_error(ComplaintError::Forbidden {
            actor: officer(),
            request: "record_response_missed",
            needs: Party::Schedule,
        });
}

#[test]
fn the_meal_app_pushes_school_meal_complaints_and_nothing_else() {
    let app = person("meal-app");
    let services = DomainServices {
        directory: Arc::new(directory().with_role(
            app.clone(),
            Role::Integrator {
                kind: IntegratorKind::MealApp,
            },
        )),
        ..services().0
    };
    let received_by_app = TestFramework::<Complaint>::with(services.clone())
        .given_no_previous_events()
        .when(cmd_by(
            "meal-app",
            RECEIVED,
            receive(crate::settings::Field::SchoolMeals, None),
        ))
        .inspect_result()
        .expect("the app pushes a school-meal complaint");
    assert!(matches!(
        received_by_app.as_slice(),
        [ComplaintEvent::Received { by, .. }] if *by == app
    ));
    // It cannot answer one.
    TestFramework::<Complaint>::with(services)
        .given(vec![received()])
        .when(cmd_by(
            "meal-app",
            "2026-03-10T06:00:00Z",
            ComplaintCommand::Respond {
                response: text("答复"),
            },
        ))
        .then_expect_error(ComplaintError::Forbidden {
            actor: app,
            request: "respond",
            needs: Party::MemberOf {
                unit: unit("county-education-bureau"),
            },
        });
}
