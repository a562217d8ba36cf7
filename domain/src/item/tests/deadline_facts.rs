//! Deadline facts: overdue 签收, the warning window, overdue (逾期).

use super::fixtures::*;
use crate::item::*;
use crate::testing::services;

#[test]
fn acknowledgement_overdue_is_recorded_once_after_the_due_instant() {
    let at = local(2026, 3, 5, 0, 1);
    let fact = ItemEvent::AcknowledgementOverdueRecorded {
        effective_at: local(2026, 3, 5, 0, 0),
        calendar_unknown: false,
        by: scheduler(),
        at,
    };
    framework()
        .given(vec![registered(), assigned()])
        .when(cmd(
            at,
            scheduler(),
            ItemCommand::RecordAcknowledgementOverdue,
        ))
        .then_expect_events(vec![fact.clone()]);
    framework()
        .given(vec![registered(), assigned()])
        .when(cmd(
            local(2026, 3, 4, 23, 59),
            scheduler(),
            ItemCommand::RecordAcknowledgementOverdue,
        ))
        .then_expect_error(ItemError::NotYetDue {
            due_at: local(2026, 3, 5, 0, 0),
        });
    framework()
        .given(vec![registered(), assigned(), fact])
        .when(cmd(
            at,
            scheduler(),
            ItemCommand::RecordAcknowledgementOverdue,
        ))
        .then_expect_error(ItemError::AlreadyRecorded {
            request: ItemRequest::RecordAcknowledgementOverdue,
        });
    framework()
        .given(in_progress())
        .when(cmd(
            at,
            scheduler(),
            ItemCommand::RecordAcknowledgementOverdue,
        ))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::InProgress,
            request: ItemRequest::RecordAcknowledgementOverdue,
        });
}

#[test]
fn a_warning_is_recorded_once_inside_the_window() {
    let at = local(2026, 3, 26, 9, 0);
    framework()
        .given(in_progress())
        .when(cmd(at, scheduler(), ItemCommand::RecordDeadlineWarning))
        .then_expect_events(vec![warning(at)]);
    framework()
        .given(in_progress())
        .when(cmd(
            local(2026, 3, 25, 23, 59),
            scheduler(),
            ItemCommand::RecordDeadlineWarning,
        ))
        .then_expect_error(ItemError::NotYetDue {
            due_at: local(2026, 3, 26, 0, 0),
        });
    framework()
        .given(in_progress())
        .when(cmd(
            local(2026, 4, 1, 0, 0),
            scheduler(),
            ItemCommand::RecordDeadlineWarning,
        ))
        .then_expect_error(ItemError::OutsideWarningWindow {
            opens_at: local(2026, 3, 26, 0, 0),
            closes_at: local(2026, 4, 1, 0, 0),
        });
    let mut history = in_progress();
    history.push(warning(at));
    framework()
        .given(history.clone())
        .when(cmd(at, scheduler(), ItemCommand::RecordDeadlineWarning))
        .then_expect_error(ItemError::AlreadyRecorded {
            request: ItemRequest::RecordDeadlineWarning,
        });
    framework()
        .given(vec![registered()])
        .when(cmd(at, scheduler(), ItemCommand::RecordDeadlineWarning))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::Registered,
            request: ItemRequest::RecordDeadlineWarning,
        });
}

#[test]
fn the_warning_of_a_short_deadline_does_not_precede_its_assignment() {
    // Assigned Monday 2026-03-30 10:00 with deadline Tuesday 03-31: the window would open on
    // Thursday 03-26, before the deadline existed; it opens at the assignment instead.
    let assigned_at = local(2026, 3, 30, 10, 0);
    let event = assigned_with(services(directory()).0, assigned_at, deadline(2026, 3, 31));
    assert_eq!(instants(&event).2, assigned_at);
    let at = local(2026, 3, 30, 11, 0);
    framework()
        .given(vec![registered(), event])
        .when(cmd(at, scheduler(), ItemCommand::RecordDeadlineWarning))
        .then_expect_events(vec![ItemEvent::DeadlineWarningRecorded {
            deadline: deadline(2026, 3, 31),
            effective_at: assigned_at,
            deadline_passes_at: local(2026, 4, 1, 0, 0),
            calendar_unknown: false,
            by: scheduler(),
            at,
        }]);
    // An assignment stored before the fix (warning_at unclamped) is clamped when warned.
    let mut legacy = assigned();
    if let ItemEvent::ItemAssigned { at: legacy_at, .. } = &mut legacy {
        *legacy_at = assigned_at;
    }
    framework()
        .given(vec![registered(), legacy])
        .when(cmd(at, scheduler(), ItemCommand::RecordDeadlineWarning))
        .then_expect_events(vec![ItemEvent::DeadlineWarningRecorded {
            deadline: deadline(2026, 3, 31),
            effective_at: assigned_at,
            deadline_passes_at: local(2026, 4, 1, 0, 0),
            calendar_unknown: false,
            by: scheduler(),
            at,
        }]);
}

#[test]
fn a_new_deadline_gets_its_own_warning() {
    let mut history = in_progress();
    history.extend([warning(local(2026, 3, 26, 9, 0))]);
    history.push(ItemEvent::ExtensionRequested {
        reason: text("需延期"),
        current_deadline: deadline(2026, 3, 31),
        requested_deadline: deadline(2026, 4, 15),
        max_extensions: 2,
        by: zhang(),
        at: local(2026, 3, 27, 9, 0),
    });
    history.push(extension_approved());
    let at = local(2026, 4, 10, 9, 0);
    framework()
        .given(history)
        .when(cmd(at, scheduler(), ItemCommand::RecordDeadlineWarning))
        .then_expect_events(vec![ItemEvent::DeadlineWarningRecorded {
            deadline: deadline(2026, 4, 15),
            effective_at: local(2026, 4, 10, 0, 0),
            deadline_passes_at: local(2026, 4, 16, 0, 0),
            calendar_unknown: false,
            by: scheduler(),
            at,
        }]);
}

#[test]
fn overdue_carries_the_instant_the_deadline_passed_even_when_recorded_later() {
    let late = local(2026, 4, 3, 8, 0);
    framework()
        .given(in_progress())
        .when(cmd(late, scheduler(), ItemCommand::RecordOverdue))
        .then_expect_events(vec![ItemEvent::ItemBecameOverdue {
            deadline: deadline(2026, 3, 31),
            effective_at: local(2026, 4, 1, 0, 0),
            by: scheduler(),
            at: late,
        }]);
}

#[test]
fn overdue_is_recorded_once_per_deadline_and_not_before_it_passes() {
    framework()
        .given(in_progress())
        .when(cmd(
            local(2026, 3, 31, 23, 59),
            scheduler(),
            ItemCommand::RecordOverdue,
        ))
        .then_expect_error(ItemError::NotYetDue {
            due_at: local(2026, 4, 1, 0, 0),
        });
    let history = overdue_in_progress();
    framework()
        .given(history.clone())
        .when(cmd(
            local(2026, 4, 2, 0, 5),
            scheduler(),
            ItemCommand::RecordOverdue,
        ))
        .then_expect_error(ItemError::AlreadyRecorded {
            request: ItemRequest::RecordOverdue,
        });
    // A sign-off request made before the deadline stops the clock: no overdue fact while it
    // waits (see `clock_stops`).
    framework()
        .given(pending())
        .when(cmd(
            local(2026, 4, 1, 0, 5),
            scheduler(),
            ItemCommand::RecordOverdue,
        ))
        .then_expect_error(ItemError::ClockStopped {
            requested_at: local(2026, 3, 20, 9, 0),
        });
}

#[test]
fn an_extended_deadline_can_become_overdue_in_its_turn() {
    let mut history = in_progress();
    history.extend([extension_requested(), extension_approved()]);
    let at = local(2026, 4, 16, 0, 0);
    framework()
        .given(history)
        .when(cmd(at, scheduler(), ItemCommand::RecordOverdue))
        .then_expect_events(vec![ItemEvent::ItemBecameOverdue {
            deadline: deadline(2026, 4, 15),
            effective_at: local(2026, 4, 16, 0, 0),
            by: scheduler(),
            at,
        }]);
}

#[test]
fn closed_withdrawn_and_unassigned_items_never_become_overdue() {
    let at = local(2026, 4, 2, 0, 0);
    framework()
        .given(closed())
        .when(cmd(at, scheduler(), ItemCommand::RecordOverdue))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::Closed,
            request: ItemRequest::RecordOverdue,
        });
    let mut withdrawn = in_progress();
    withdrawn.push(ItemEvent::ItemWithdrawn {
        ground: WithdrawalGround::Unfounded,
        reason: text("经核查不属实"),
        by: sec(),
        at: local(2026, 3, 10, 9, 0),
    });
    framework()
        .given(withdrawn)
        .when(cmd(at, scheduler(), ItemCommand::RecordOverdue))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::Withdrawn,
            request: ItemRequest::RecordOverdue,
        });
    framework()
        .given(vec![registered()])
        .when(cmd(at, scheduler(), ItemCommand::RecordOverdue))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::Registered,
            request: ItemRequest::RecordOverdue,
        });
    framework()
        .given_no_previous_events()
        .when(cmd(at, scheduler(), ItemCommand::RecordOverdue))
        .then_expect_error(ItemError::NotFound {
            request: ItemRequest::RecordOverdue,
        });
}
