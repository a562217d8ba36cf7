//! 改派 — reassignment keeps the deadline in force, cancels a pending sign-off request and
//! opens a new 签收 window for the new unit.

use super::fixtures::*;
use crate::item::*;

fn reassign() -> ItemCommand {
    ItemCommand::Reassign {
        responsible_unit: other_unit(),
        responsible_person: wu(),
        reason: text("涉及卫健部门职责，改由卫健局牵头整改"),
    }
}

/// Reassigned on Tuesday 03-10: the new unit must acknowledge by 24:00 of Thursday 03-12
/// (two working days), and the deadline of 03-31 stays.
fn reassigned(at: chrono::DateTime<chrono::Utc>, sign_off_cancelled: bool) -> ItemEvent {
    ItemEvent::ItemReassigned {
        from_unit: responsible_unit(),
        from_person: zhang(),
        responsible_unit: other_unit(),
        responsible_person: wu(),
        reason: text("涉及卫健部门职责，改由卫健局牵头整改"),
        acknowledgement_due_at: local(2026, 3, 13, 0, 0),
        acknowledgement_working_days: 2,
        calendar_unknown: false,
        sign_off_cancelled,
        by: sec(),
        at,
    }
}

#[test]
fn a_running_item_goes_to_another_unit_with_a_new_acknowledgement_window() {
    let at = local(2026, 3, 10, 9, 0);
    framework()
        .given(in_progress())
        .when(cmd(at, sec(), reassign()))
        .then_expect_events(vec![reassigned(at, false)]);
    let mut history = in_progress();
    history.push(reassigned(at, false));
    let item = fold(&history);
    assert_eq!(item.state(), ItemState::Assigned);
    let assignment = item.assignment().expect("assigned");
    assert_eq!(
        (&assignment.responsible_unit, &assignment.responsible_person),
        (&other_unit(), &wu())
    );
    assert_eq!(assignment.acknowledgement_due_at, local(2026, 3, 13, 0, 0));
    // The deadline in force is the same one: changing hands buys no time.
    assert_eq!(item.deadlines().len(), 1);
    assert_eq!(
        item.deadlines().last().map(|d| d.passes_at),
        Some(local(2026, 4, 1, 0, 0))
    );
    // The new unit acknowledges; the old one no longer can.
    let later = local(2026, 3, 11, 9, 0);
    framework()
        .given(history.clone())
        .when(cmd(later, wu(), ItemCommand::Acknowledge))
        .then_expect_events(vec![ItemEvent::ItemAcknowledged {
            late: false,
            by: wu(),
            at: later,
        }]);
}

#[test]
fn a_pending_sign_off_request_is_cancelled() {
    let at = local(2026, 3, 21, 9, 0);
    framework()
        .given(pending())
        .when(cmd(at, sec(), reassign()))
        .then_expect_events(vec![{
            let mut event = reassigned(at, true);
            if let ItemEvent::ItemReassigned {
                acknowledgement_due_at,
                ..
            } = &mut event
            {
                // Saturday 03-21 + 2 working days = Tuesday 03-24, due 24:00.
                *acknowledgement_due_at = local(2026, 3, 25, 0, 0);
            }
            event
        }]);
    let mut history = pending();
    history.push(reassigned(at, true));
    let item = fold(&history);
    assert_eq!(
        item.clock_stopped_at(),
        None,
        "no request is pending any more"
    );
    assert_eq!(item.state(), ItemState::Assigned);
}

#[test]
fn reassignment_refusals() {
    let at = local(2026, 3, 10, 9, 0);
    framework()
        .given(in_progress())
        .when(cmd(
            at,
            sec(),
            ItemCommand::Reassign {
                responsible_unit: responsible_unit(),
                responsible_person: zhang(),
                reason: text("重复"),
            },
        ))
        .then_expect_error(ItemError::SameAssignment {
            unit: responsible_unit(),
            person: zhang(),
        });
    framework()
        .given(in_progress())
        .when(cmd(
            at,
            sec(),
            ItemCommand::Reassign {
                responsible_unit: other_unit(),
                responsible_person: zhang(),
                reason: text("改派"),
            },
        ))
        .then_expect_error(ItemError::PersonNotInUnit {
            person: zhang(),
            unit: other_unit(),
        });
    // The unit that has the item cannot give it away itself.
    framework()
        .given(in_progress())
        .when(cmd(at, li(), reassign()))
        .then_expect_error(ItemError::SegregationOfDuties {
            actor: li(),
            request: ItemRequest::Reassign,
        });
    for (history, state) in [
        (vec![registered()], ItemState::Registered),
        (closed(), ItemState::Closed),
    ] {
        framework()
            .given(history)
            .when(cmd(at, sec(), reassign()))
            .then_expect_error(ItemError::InvalidTransition {
                state,
                request: ItemRequest::Reassign,
            });
    }
}

/// Reassigned after the 签收 window passed unacknowledged (24:00 of 03-04), before the schedule
/// recorded it: the late 签收 is recorded first, against the unit that missed it, and the new
/// unit gets its own window.
#[test]
fn a_missed_acknowledgement_is_recorded_before_the_item_changes_hands() {
    let at = local(2026, 3, 10, 9, 0);
    let missed = ItemEvent::AcknowledgementOverdueRecorded {
        effective_at: local(2026, 3, 5, 0, 0),
        calendar_unknown: false,
        by: sec(),
        at,
    };
    framework()
        .given(vec![registered(), assigned()])
        .when(cmd(at, sec(), reassign()))
        .then_expect_events(vec![missed.clone(), reassigned(at, false)]);
    // Recorded already: not twice.
    framework()
        .given(vec![registered(), assigned(), missed])
        .when(cmd(at, sec(), reassign()))
        .then_expect_events(vec![reassigned(at, false)]);
}
