//! The response, and a missed response.

use super::fixtures::*;
use crate::complaint::*;

#[test]
fn a_response_before_the_deadline_is_within_it() {
    framework()
        .given(vec![received()])
        .when(cmd_at(
            "2026-03-11T01:59:59Z",
            ComplaintCommand::Respond {
                response: text("已约谈学校负责人"),
            },
        ))
        .then_expect_events(vec![responded("2026-03-11T01:59:59Z", true)]);
}

#[test]
fn a_response_at_or_after_the_deadline_is_late() {
    for when in [MEAL_DUE, "2026-03-12T00:00:00Z"] {
        framework()
            .given(vec![received()])
            .when(cmd_at(
                when,
                ComplaintCommand::Respond {
                    response: text("已约谈学校负责人"),
                },
            ))
            // The late response records the miss first: one fact, whoever comes first.
            .then_expect_events(vec![
                ComplaintEvent::ResponseMissed {
                    response_due: at(MEAL_DUE),
                    calendar_unknown: false,
                    by: officer(),
                    at: at(when),
                },
                responded(when, false),
            ]);
    }
    // Late after the miss was recorded: the miss is not recorded again.
    framework()
        .given(vec![received(), missed()])
        .when(cmd_at(
            "2026-03-12T00:00:00Z",
            ComplaintCommand::Respond {
                response: text("已约谈学校负责人"),
            },
        ))
        .then_expect_events(vec![responded("2026-03-12T00:00:00Z", false)]);
}

#[test]
fn the_response_names_the_unit_handling_the_complaint_after_a_transfer() {
    let events = framework()
        .given(vec![
            received(),
            transferred("county-education-bureau", "market-regulation"),
        ])
        .when(cmd_by(
            "market-officer",
            "2026-03-10T06:00:00Z",
            ComplaintCommand::Respond {
                response: text("已处理"),
            },
        ))
        .inspect_result()
        .expect("responded");
    assert!(matches!(
        &events[..],
        [ComplaintEvent::Responded { unit, within_deadline: true, .. }] if unit.as_str() == "market-regulation"
    ));
}

#[test]
fn a_complaint_is_responded_to_once_while_not_closed() {
    let respond = || ComplaintCommand::Respond {
        response: text("答复"),
    };
    framework()
        .given_no_previous_events()
        .when(cmd(respond()))
        .then_expect_error(invalid("not_received", "respond"));
    framework()
        .given(vec![received(), responded("2026-03-10T03:00:00Z", true)])
        .when(cmd(respond()))
        .then_expect_error(ComplaintError::AlreadyResponded);
    framework()
        .given(vec![received(), resolved(), closed()])
        .when(cmd(respond()))
        .then_expect_error(invalid("closed", "respond"));
}

// ---- response missed ----

#[test]
fn a_missed_response_is_recorded_once_the_deadline_has_passed() {
    framework()
        .given(vec![received()])
        .when(cmd_at(MEAL_DUE, ComplaintCommand::RecordResponseMissed))
        .then_expect_events(vec![missed()]);
}

#[test]
fn a_missed_response_is_refused_before_the_deadline_after_a_response_or_twice() {
    framework()
        .given_no_previous_events()
        .when(cmd(ComplaintCommand::RecordResponseMissed))
        .then_expect_error(invalid("not_received", "record_response_missed"));
    framework()
        .given(vec![received()])
        .when(cmd_at(
            "2026-03-11T01:59:59Z",
            ComplaintCommand::RecordResponseMissed,
        ))
        .then_expect_error(ComplaintError::ResponseNotYetDue {
            response_due: at(MEAL_DUE),
        });
    framework()
        .given(vec![received(), responded("2026-03-10T03:00:00Z", true)])
        .when(cmd_at(
            "2026-03-12T00:00:00Z",
            ComplaintCommand::RecordResponseMissed,
        ))
        .then_expect_error(ComplaintError::AlreadyResponded);
    framework()
        .given(vec![received(), missed()])
        .when(cmd_at(
            "2026-03-12T00:00:00Z",
            ComplaintCommand::RecordResponseMissed,
        ))
        .then_expect_error(ComplaintError::ResponseAlreadyMissed);
}
