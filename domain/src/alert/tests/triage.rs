//! Triage: once, in one of four ways, late at or after the due instant.

use super::fixtures::*;
use crate::alert::*;
use crate::values::{AlertId, AlertRef, CaseId, ClueId};

fn triage(when: &str, how: Triage) -> crate::Command<AlertCommand> {
    cmd_at(when, sec(), AlertCommand::Triage(how))
}

#[test]
fn an_alert_is_dismissed_merged_or_escalated_in_time() {
    let other = AlertId::of_reference(&AlertRef::parse("YBJK-2026-000099").expect("ref"));
    for how in [
        Triage::Dismissed {
            reasons: vec![text("系病情需要的正常复诊住院")],
        },
        Triage::Merged { into: other },
        Triage::EscalatedToClue {
            clue: ClueId::parse("clue-2026-0004").expect("id"),
            case: CaseId::parse("case-2026-0004").expect("id"),
        },
        to_item(),
    ] {
        framework()
            .given(vec![received()])
            .when(triage("2026-03-12T02:00:00Z", how.clone()))
            .then_expect_events(vec![triaged("2026-03-12T02:00:00Z", how, false)]);
    }
    let alert = fold(vec![received(), triaged(RECEIVED, to_item(), false)]);
    assert_eq!(alert.status, AlertStatus::Triaged);
}

#[test]
fn an_alert_is_triaged_once_and_only_after_receipt() {
    framework()
        .given(vec![received(), triaged(RECEIVED, to_item(), false)])
        .when(triage("2026-03-12T02:00:00Z", to_item()))
        .then_expect_error(AlertError::AlreadyTriaged);
    framework()
        .given_no_previous_events()
        .when(triage("2026-03-12T02:00:00Z", to_item()))
        .then_expect_error(invalid("not_received", "triage"));
}

#[test]
fn a_dismissal_gives_reasons_and_an_alert_is_never_merged_into_itself() {
    framework()
        .given(vec![received()])
        .when(triage(
            "2026-03-12T02:00:00Z",
            Triage::Dismissed { reasons: vec![] },
        ))
        .then_expect_error(AlertError::NoReasons);
    framework()
        .given(vec![received()])
        .when(triage(
            "2026-03-12T02:00:00Z",
            Triage::Merged { into: this_alert() },
        ))
        .then_expect_error(AlertError::MergeIntoItself);
}

/// At the due instant the window has passed: the triage is late, and the missed window is
/// recorded first (once) if the schedule has not recorded it yet.
#[test]
fn a_triage_at_or_after_the_due_instant_is_late_and_records_the_miss_once() {
    framework()
        .given(vec![received()])
        .when(triage(DUE, to_item()))
        .then_expect_events(vec![missed(DUE, sec()), triaged(DUE, to_item(), true)]);
    framework()
        .given(vec![received(), missed(DUE, schedule())])
        .when(triage("2026-03-16T02:00:00Z", to_item()))
        .then_expect_events(vec![triaged("2026-03-16T02:00:00Z", to_item(), true)]);
    // One second before the due instant is in time.
    framework()
        .given(vec![received()])
        .when(triage("2026-03-13T15:59:59Z", to_item()))
        .then_expect_events(vec![triaged("2026-03-13T15:59:59Z", to_item(), false)]);
}
