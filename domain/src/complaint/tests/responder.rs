//! Who must respond: the first receiver, except for school meals, where the education
//! department responds within 24 hours whoever received the complaint (DOMAIN.md, seed).

use cqrs_es::test::TestFramework;

use super::fixtures::*;
use crate::complaint::*;
use crate::services::DomainServices;
use crate::settings::{CampaignSettings, Field};
use crate::testing::{StaticSettings, EDUCATION_BUREAU};

fn received_by(unit_id: &str, field: Field) -> ComplaintCommand {
    let mut body = receive(field, None);
    if let ComplaintCommand::Receive { receiving_unit, .. } = &mut body {
        *receiving_unit = unit(unit_id);
    }
    body
}

/// Received by the school itself at its reception day, a school-meal complaint is still the
/// education department's to answer; the school stays its first receiver.
#[test]
fn the_education_department_responds_to_a_school_meal_complaint_received_by_a_school() {
    let events = receipt(received_by("no1-primary-school", Field::SchoolMeals));
    let handler = fold(events.clone()).handling_unit;
    match &events[..] {
        [ComplaintEvent::Received {
            receiving_unit,
            responder,
            ..
        }] => {
            assert_eq!(receiving_unit, &unit("no1-primary-school"));
            assert_eq!(responder, &unit(EDUCATION_BUREAU));
        }
        other => panic!("expected one receipt, got {other:?}"),
    }
    assert_eq!(handler, Some(unit(EDUCATION_BUREAU)));
    // Its response is the education department's.
    TestFramework::<Complaint>::with(services().0)
        .given(events)
        .when(cmd_at(
            "2026-03-09T10:00:00Z",
            ComplaintCommand::Respond {
                response: text("已约谈学校负责人"),
            },
        ))
        .then_expect_events(vec![ComplaintEvent::Responded {
            unit: unit(EDUCATION_BUREAU),
            response: text("已约谈学校负责人"),
            by: officer(),
            at: at("2026-03-09T10:00:00Z"),
            within_deadline: true,
        }]);
}

#[test]
fn in_other_fields_the_first_receiver_responds() {
    let events = receipt(received_by(
        "county-healthcare-security-bureau",
        Field::MedicalInsurance,
    ));
    assert!(matches!(
        &events[..],
        [ComplaintEvent::Received { responder, .. }] if responder == &unit("county-healthcare-security-bureau")
    ));
}

#[test]
fn a_campaign_without_an_education_department_cannot_take_school_meal_complaints() {
    TestFramework::<Complaint>::with(DomainServices {
        settings: std::sync::Arc::new(StaticSettings(CampaignSettings::default())),
        ..services().0
    })
    .given_no_previous_events()
    .when(cmd_by(
        "school-officer",
        RECEIVED,
        received_by("no1-primary-school", Field::SchoolMeals),
    ))
    .then_expect_error(ComplaintError::NoSchoolMealResponder {
        campaign: campaign(),
    });
}

/// The events of receiving `body` at [`RECEIVED`].
fn receipt(body: ComplaintCommand) -> Vec<ComplaintEvent> {
    TestFramework::<Complaint>::with(services().0)
        .given_no_previous_events()
        .when(cmd_by(receiver_of(&body), RECEIVED, body))
        .inspect_result()
        .expect("received")
}

/// The officer of the unit receiving `body`, in the fixtures' directory.
fn receiver_of(body: &ComplaintCommand) -> &'static str {
    match body {
        ComplaintCommand::Receive { receiving_unit, .. } => match receiving_unit.as_str() {
            "no1-primary-school" => "school-officer",
            "county-healthcare-security-bureau" => "healthcare-officer",
            _ => "officer-1",
        },
        _ => "officer-1",
    }
}
