//! Every deadline and window ends at an instant: an act strictly before it is in time, an act
//! at or after it is late (DOMAIN.md). Each rule is checked at the exact instant and one
//! microsecond (the store's resolution) either side, so a `<` turned into `<=` — or the
//! reverse — fails here.

use chrono::{DateTime, Duration, Utc};

use super::fixtures::*;
use crate::item::*;
use crate::values::PersonId;

/// One microsecond: the finest instant the store keeps.
fn tick() -> Duration {
    Duration::microseconds(1)
}

/// The three instants around `t`: just before, exactly, just after.
fn around(t: DateTime<Utc>) -> [DateTime<Utc>; 3] {
    [t - tick(), t, t + tick()]
}

// The standard timeline's instants (see `fixtures`).
fn ack_due() -> DateTime<Utc> {
    local(2026, 3, 5, 0, 0)
}
fn warning_opens() -> DateTime<Utc> {
    local(2026, 3, 26, 0, 0)
}
fn deadline_passes() -> DateTime<Utc> {
    local(2026, 4, 1, 0, 0)
}

fn ack_overdue(by: PersonId, at: DateTime<Utc>) -> ItemEvent {
    ItemEvent::AcknowledgementOverdueRecorded {
        effective_at: ack_due(),
        calendar_unknown: false,
        by,
        at,
    }
}

#[test]
fn acknowledgement_overdue_is_due_from_the_exact_due_instant() {
    let [before, exactly, after] = around(ack_due());
    framework()
        .given(vec![registered(), assigned()])
        .when(cmd(
            before,
            scheduler(),
            ItemCommand::RecordAcknowledgementOverdue,
        ))
        .then_expect_error(ItemError::NotYetDue { due_at: ack_due() });
    for at in [exactly, after] {
        framework()
            .given(vec![registered(), assigned()])
            .when(cmd(
                at,
                scheduler(),
                ItemCommand::RecordAcknowledgementOverdue,
            ))
            .then_expect_events(vec![ack_overdue(scheduler(), at)]);
    }
}

#[test]
fn an_acknowledgement_at_the_exact_due_instant_is_late() {
    let [before, exactly, after] = around(ack_due());
    framework()
        .given(vec![registered(), assigned()])
        .when(cmd(before, zhang(), ItemCommand::Acknowledge))
        .then_expect_events(vec![ItemEvent::ItemAcknowledged {
            late: false,
            by: zhang(),
            at: before,
        }]);
    for at in [exactly, after] {
        framework()
            .given(vec![registered(), assigned()])
            .when(cmd(at, zhang(), ItemCommand::Acknowledge))
            .then_expect_events(vec![
                ack_overdue(zhang(), at),
                ItemEvent::ItemAcknowledged {
                    late: true,
                    by: zhang(),
                    at,
                },
            ]);
    }
}

#[test]
fn the_warning_window_opens_at_its_exact_instant() {
    let [before, exactly, after] = around(warning_opens());
    framework()
        .given(in_progress())
        .when(cmd(before, scheduler(), ItemCommand::RecordDeadlineWarning))
        .then_expect_error(ItemError::NotYetDue {
            due_at: warning_opens(),
        });
    for at in [exactly, after] {
        framework()
            .given(in_progress())
            .when(cmd(at, scheduler(), ItemCommand::RecordDeadlineWarning))
            .then_expect_events(vec![warning(at)]);
    }
    let item = fold(&in_progress());
    assert_eq!(item.colour(before), Colour::Green);
    assert_eq!(item.colour(exactly), Colour::Yellow);
    assert_eq!(item.colour(after), Colour::Yellow);
}

#[test]
fn the_warning_window_closes_at_the_exact_instant_the_deadline_passes() {
    let [before, exactly, after] = around(deadline_passes());
    framework()
        .given(in_progress())
        .when(cmd(before, scheduler(), ItemCommand::RecordDeadlineWarning))
        .then_expect_events(vec![warning(before)]);
    for at in [exactly, after] {
        framework()
            .given(in_progress())
            .when(cmd(at, scheduler(), ItemCommand::RecordDeadlineWarning))
            .then_expect_error(ItemError::OutsideWarningWindow {
                opens_at: warning_opens(),
                closes_at: deadline_passes(),
            });
    }
}

#[test]
fn overdue_is_due_from_the_exact_instant_the_deadline_passes() {
    let [before, exactly, after] = around(deadline_passes());
    framework()
        .given(in_progress())
        .when(cmd(before, scheduler(), ItemCommand::RecordOverdue))
        .then_expect_error(ItemError::NotYetDue {
            due_at: deadline_passes(),
        });
    for at in [exactly, after] {
        framework()
            .given(in_progress())
            .when(cmd(at, scheduler(), ItemCommand::RecordOverdue))
            .then_expect_events(vec![ItemEvent::ItemBecameOverdue {
                deadline: deadline(2026, 3, 31),
                effective_at: deadline_passes(),
                by: scheduler(),
                at,
            }]);
    }
    let item = fold(&in_progress());
    assert_eq!(item.colour(before), Colour::Yellow);
    assert_eq!(item.colour(exactly), Colour::Red);
    assert_eq!(item.colour(after), Colour::Red);
}

#[test]
fn an_assignment_is_refused_from_the_exact_instant_its_deadline_passes() {
    let [before, exactly, after] = around(deadline_passes());
    let assign = |at| {
        framework()
            .given(vec![registered()])
            .when(cmd(at, sec(), ItemCommand::Assign(assign_body())))
            .inspect_result()
    };
    assert!(assign(before).is_ok(), "in time one tick before");
    for at in [exactly, after] {
        assert_eq!(
            assign(at),
            Err(ItemError::DeadlinePassed {
                deadline: deadline(2026, 3, 31),
                passed_at: deadline_passes(),
            })
        );
    }
}

#[test]
fn a_milestone_may_fall_exactly_on_the_deadline_but_not_a_day_after() {
    let with_milestone = |day| {
        let mut body = assign_body();
        body.milestones.push(Milestone {
            date: day,
            description: text("完成整改"),
        });
        framework()
            .given(vec![registered()])
            .when(cmd(
                local(2026, 3, 2, 10, 0),
                sec(),
                ItemCommand::Assign(body),
            ))
            .inspect_result()
    };
    assert!(with_milestone(date(2026, 3, 30)).is_ok(), "the day before");
    let on_the_deadline = with_milestone(date(2026, 3, 31)).expect("on the deadline's date");
    assert!(matches!(
        on_the_deadline.as_slice(),
        [ItemEvent::ItemAssigned { milestones, .. }] if milestones.len() == 2
    ));
    assert_eq!(
        with_milestone(date(2026, 4, 1)),
        Err(ItemError::MilestoneAfterDeadline {
            milestone: date(2026, 4, 1),
            deadline: deadline(2026, 3, 31),
        })
    );
}
