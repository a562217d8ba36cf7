//! 指定承办人 — the handling unit's head names its designated handler, who alone answers from
//! then on; a transfer ends the designation.

use std::sync::Arc;

use cqrs_es::test::TestFramework;

use super::fixtures::*;
use crate::complaint::*;
use crate::permission::Party;
use crate::services::DomainServices;

/// The education bureau with its head and a second member beside the fixtures' officer.
fn framework_with_head() -> TestFramework<Complaint> {
    let directory = directory()
        .with_head(unit("county-education-bureau"), person("edu-head"))
        .with_member(unit("county-education-bureau"), person("edu-clerk"));
    TestFramework::with(DomainServices {
        directory: Arc::new(directory),
        ..services().0
    })
}

fn designate(person_id: &str) -> ComplaintCommand {
    ComplaintCommand::DesignateHandler {
        person: person(person_id),
    }
}

fn designated(person_id: &str) -> ComplaintEvent {
    ComplaintEvent::HandlerDesignated {
        unit: unit("county-education-bureau"),
        person: person(person_id),
        by: person("edu-head"),
        at: at("2026-03-10T03:00:00Z"),
    }
}

#[test]
fn the_units_head_designates_one_of_its_people() {
    framework_with_head()
        .given(vec![received()])
        .when(cmd_by(
            "edu-head",
            "2026-03-10T03:00:00Z",
            designate("edu-clerk"),
        ))
        .then_expect_events(vec![designated("edu-clerk")]);
    framework_with_head()
        .given(vec![received()])
        .when(cmd_by(
            "edu-head",
            "2026-03-10T03:00:00Z",
            designate("market-officer"),
        ))
        .then_expect_error(ComplaintError::HandlerNotInUnit {
            person: person("market-officer"),
            unit: unit("county-education-bureau"),
        });
    // A plain member does not designate.
    framework_with_head()
        .given(vec![received()])
        .when(cmd_by(
            "edu-clerk",
            "2026-03-10T03:00:00Z",
            designate("edu-clerk"),
        ))
        .then_expect_error(ComplaintError::Forbidden {
            actor: person("edu-clerk"),
            request: "designate_handler",
            needs: Party::HeadOf {
                unit: unit("county-education-bureau"),
            }
            .or(Party::Secretariat {
                task_force: xiaoyuan(),
            }),
        });
}

#[test]
fn once_designated_the_handler_alone_answers_until_a_transfer() {
    let respond = || ComplaintCommand::Respond {
        response: text("已核实"),
    };
    framework_with_head()
        .given(vec![received(), designated("edu-clerk")])
        .when(cmd_by("officer-1", "2026-03-10T04:00:00Z", respond()))
        .then_expect_error(ComplaintError::Forbidden {
            actor: officer(),
            request: "respond",
            needs: Party::Person {
                person: person("edu-clerk"),
            },
        });
    // Transferred to market regulation: its own people answer again, until it names one.
    let events = framework_with_head()
        .given(vec![
            received(),
            designated("edu-clerk"),
            transferred("county-education-bureau", "market-regulation"),
        ])
        .when(cmd_by("market-officer", "2026-03-10T04:00:00Z", respond()))
        .inspect_result()
        .expect("the new unit answers");
    assert!(matches!(
        events.as_slice(),
        [ComplaintEvent::Responded { .. }]
    ));
}
