//! The missed triage window (TriageMissed): a fact recorded by the schedule once, from the due
//! instant on, while the alert is untriaged.

use super::fixtures::*;
use crate::alert::*;
use crate::event::Attributed;

fn record(when: &str) -> crate::Command<AlertCommand> {
    cmd_at(when, schedule(), AlertCommand::RecordTriageMissed)
}

#[test]
fn the_schedule_records_the_missed_triage_effective_at_the_due_instant() {
    let noticed = "2026-03-14T01:00:00Z";
    framework()
        .given(vec![received()])
        .when(record(noticed))
        .then_expect_events(vec![missed(noticed, schedule())]);
    let event = missed(noticed, schedule());
    assert_eq!(event.effective_at(), at(DUE));
    assert_eq!(event.at(), at(noticed));
    assert!(fold(vec![received(), event]).triage_missed);
}

#[test]
fn the_miss_is_refused_before_the_due_instant() {
    framework()
        .given(vec![received()])
        .when(record("2026-03-13T15:59:59Z"))
        .then_expect_error(AlertError::TriageNotYetDue {
            triage_due: at(DUE),
        });
}

#[test]
fn the_miss_is_recorded_once_and_never_after_triage() {
    framework()
        .given(vec![received(), missed(DUE, schedule())])
        .when(record("2026-03-16T00:00:00Z"))
        .then_expect_error(AlertError::TriageAlreadyMissed);
    framework()
        .given(vec![received(), triaged(RECEIVED, to_item(), false)])
        .when(record(DUE))
        .then_expect_error(AlertError::AlreadyTriaged);
    framework()
        .given_no_previous_events()
        .when(record(DUE))
        .then_expect_error(invalid("not_received", "record_triage_missed"));
}
