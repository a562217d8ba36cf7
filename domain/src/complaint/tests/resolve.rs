//! Resolution, the complainant's feedback, closing.

use super::fixtures::*;
use crate::complaint::*;
use crate::values::{CaseId, ClueId, Rating};

#[test]
fn a_substantiated_complaint_names_the_clue_or_item_to_create() {
    for follow_up in [
        FollowUp::Clue {
            clue: ClueId::parse("clue-7").expect("id"),
            case: CaseId::parse("case-7").expect("id"),
        },
        FollowUp::Item {
            code: code("XYC-2026-0007"),
        },
    ] {
        let resolution = Resolution::Substantiated {
            finding: text("查实供餐企业克扣分量"),
            follow_up,
        };
        framework()
            .given(vec![received()])
            .when(cmd(ComplaintCommand::Resolve {
                resolution: resolution.clone(),
            }))
            .then_expect_events(vec![ComplaintEvent::Resolved {
                resolution,
                by: officer(),
                at: at("2026-03-10T06:00:00Z"),
            }]);
    }
}

#[test]
fn an_unsubstantiated_complaint_gives_its_reason() {
    framework()
        .given(vec![received()])
        .when(cmd_at(
            "2026-03-10T05:00:00Z",
            ComplaintCommand::Resolve {
                resolution: unsubstantiated(),
            },
        ))
        .then_expect_events(vec![resolved()]);
}

#[test]
fn a_complaint_is_resolved_once_and_only_after_receipt() {
    let resolve = || ComplaintCommand::Resolve {
        resolution: unsubstantiated(),
    };
    framework()
        .given_no_previous_events()
        .when(cmd(resolve()))
        .then_expect_error(invalid("not_received", "resolve"));
    framework()
        .given(vec![received(), resolved()])
        .when(cmd(resolve()))
        .then_expect_error(invalid("resolved", "resolve"));
}

// ---- feedback ----

#[test]
fn the_complainant_rates_the_outcome_once() {
    let rate = |r: u8| ComplaintCommand::RecordFeedback {
        rating: Rating::parse(r).expect("rating"),
    };
    framework()
        .given(vec![received(), resolved()])
        .when(cmd(rate(4)))
        .then_expect_events(vec![ComplaintEvent::FeedbackRecorded {
            rating: Rating::parse(4).expect("rating"),
            by: officer(),
            at: at("2026-03-10T06:00:00Z"),
        }]);
    // After closure too: a complainant may answer the callback late.
    framework()
        .given(vec![received(), resolved(), closed()])
        .when(cmd(rate(5)))
        .then_expect_events(vec![ComplaintEvent::FeedbackRecorded {
            rating: Rating::parse(5).expect("rating"),
            by: officer(),
            at: at("2026-03-10T06:00:00Z"),
        }]);
    framework()
        .given(vec![received()])
        .when(cmd(rate(3)))
        .then_expect_error(invalid("open", "record_feedback"));
    framework()
        .given(vec![
            received(),
            resolved(),
            ComplaintEvent::FeedbackRecorded {
                rating: Rating::parse(2).expect("rating"),
                by: officer(),
                at: at("2026-03-10T06:00:00Z"),
            },
        ])
        .when(cmd(rate(3)))
        .then_expect_error(ComplaintError::FeedbackAlreadyRecorded);
}

// ---- close ----

#[test]
fn a_resolved_complaint_closes() {
    framework()
        .given(vec![
            received(),
            responded("2026-03-10T04:00:00Z", true),
            resolved(),
        ])
        .when(cmd_at("2026-03-10T05:30:00Z", ComplaintCommand::Close))
        .then_expect_events(vec![closed()]);
}

#[test]
fn a_complaint_is_not_closed_before_the_complainant_was_answered() {
    framework()
        .given(vec![received(), resolved()])
        .when(cmd_at("2026-03-10T05:30:00Z", ComplaintCommand::Close))
        .then_expect_error(ComplaintError::NotResponded);
}

#[test]
fn only_a_resolved_complaint_closes() {
    framework()
        .given(vec![received()])
        .when(cmd(ComplaintCommand::Close))
        .then_expect_error(invalid("open", "close"));
    framework()
        .given(vec![received(), resolved(), closed()])
        .when(cmd(ComplaintCommand::Close))
        .then_expect_error(invalid("closed", "close"));
}
