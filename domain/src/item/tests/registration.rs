//! Registration, assignment (交办) and acknowledgement (签收).

use super::fixtures::*;
use crate::item::*;
use crate::permission::Party;

#[test]
fn registers_an_item_with_the_campaign_time_zone() {
    framework()
        .given_no_previous_events()
        .when(cmd(
            local(2026, 3, 2, 9, 0),
            sec(),
            ItemCommand::Register(register_body()),
        ))
        .then_expect_events(vec![registered()]);
}

#[test]
fn refuses_a_second_registration() {
    framework()
        .given(vec![registered()])
        .when(cmd(
            local(2026, 3, 2, 9, 0),
            sec(),
            ItemCommand::Register(register_body()),
        ))
        .then_expect_error(ItemError::AlreadyRegistered);
}

#[test]
fn refuses_registration_in_an_unknown_campaign() {
    framework_without_campaigns()
        .given_no_previous_events()
        .when(cmd(
            local(2026, 3, 2, 9, 0),
            sec(),
            ItemCommand::Register(register_body()),
        ))
        .then_expect_error(ItemError::UnknownCampaign(campaign()));
}

// ---- assign -----------------------------------------------------------------------------------

#[test]
fn assigns_and_stores_the_due_instants() {
    framework()
        .given(vec![registered()])
        .when(cmd(
            local(2026, 3, 2, 10, 0),
            sec(),
            ItemCommand::Assign(assign_body()),
        ))
        .then_expect_events(vec![assigned()]);
}

#[test]
fn assignment_is_refused_outside_registered() {
    framework()
        .given_no_previous_events()
        .when(cmd(
            local(2026, 3, 2, 10, 0),
            sec(),
            ItemCommand::Assign(assign_body()),
        ))
        .then_expect_error(ItemError::NotFound {
            request: ItemRequest::Assign,
        });
    framework()
        .given(in_progress())
        .when(cmd(
            local(2026, 3, 4, 10, 0),
            sec(),
            ItemCommand::Assign(assign_body()),
        ))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::InProgress,
            request: ItemRequest::Assign,
        });
}

#[test]
fn assignment_refuses_a_deadline_already_passed() {
    framework()
        .given(vec![registered()])
        .when(cmd(
            local(2026, 4, 1, 0, 0),
            sec(),
            ItemCommand::Assign(assign_body()),
        ))
        .then_expect_error(ItemError::DeadlinePassed {
            deadline: deadline(2026, 3, 31),
            passed_at: local(2026, 4, 1, 0, 0),
        });
}

#[test]
fn assignment_refuses_a_milestone_after_the_deadline() {
    let mut body = assign_body();
    body.milestones.push(Milestone {
        date: date(2026, 4, 2),
        description: text("回访"),
    });
    framework()
        .given(vec![registered()])
        .when(cmd(
            local(2026, 3, 2, 10, 0),
            sec(),
            ItemCommand::Assign(body),
        ))
        .then_expect_error(ItemError::MilestoneAfterDeadline {
            milestone: date(2026, 4, 2),
            deadline: deadline(2026, 3, 31),
        });
}

#[test]
fn assignment_refuses_a_responsible_person_outside_the_unit() {
    // wu belongs to the other unit, not to the one the item is assigned to.
    let body = AssignItem {
        responsible_person: wu(),
        ..assign_body()
    };
    framework()
        .given(vec![registered()])
        .when(cmd(
            local(2026, 3, 2, 10, 0),
            sec(),
            ItemCommand::Assign(body),
        ))
        .then_expect_error(ItemError::PersonNotInUnit {
            person: wu(),
            unit: responsible_unit(),
        });
}

#[test]
fn a_secretariat_officer_never_hands_an_item_to_themselves_or_their_own_unit() {
    // li-si holds the secretariat role but belongs to the bureau: assigning it there is
    // deciding about their own unit.
    framework()
        .given(vec![registered()])
        .when(cmd(
            local(2026, 3, 2, 10, 0),
            li(),
            ItemCommand::Assign(assign_body()),
        ))
        .then_expect_error(ItemError::SegregationOfDuties {
            actor: li(),
            request: ItemRequest::Assign,
        });
}

#[test]
fn assignment_refuses_when_the_campaign_is_unknown() {
    framework_without_campaigns()
        .given(vec![registered()])
        .when(cmd(
            local(2026, 3, 2, 10, 0),
            sec(),
            ItemCommand::Assign(assign_body()),
        ))
        .then_expect_error(ItemError::UnknownCampaign(campaign()));
}

// ---- acknowledge ------------------------------------------------------------------------------

#[test]
fn the_unit_acknowledges() {
    framework()
        .given(vec![registered(), assigned()])
        .when(cmd(
            local(2026, 3, 3, 9, 0),
            zhang(),
            ItemCommand::Acknowledge,
        ))
        .then_expect_events(vec![acknowledged()]);
    // A colleague in the unit may sign for it too.
    framework()
        .given(vec![registered(), assigned()])
        .when(cmd(local(2026, 3, 3, 9, 0), li(), ItemCommand::Acknowledge))
        .then_expect_events(vec![ItemEvent::ItemAcknowledged {
            late: false,
            by: li(),
            at: local(2026, 3, 3, 9, 0),
        }]);
}

#[test]
fn acknowledging_after_the_due_instant_is_late() {
    // Changed by the late-签收 fix: a late 签收 before the scheduler ran records the overdue
    // 签收 fact first (effective at the due instant), so it is never lost.
    let at = local(2026, 3, 5, 0, 0);
    framework()
        .given(vec![registered(), assigned()])
        .when(cmd(at, zhang(), ItemCommand::Acknowledge))
        .then_expect_events(vec![
            ItemEvent::AcknowledgementOverdueRecorded {
                effective_at: local(2026, 3, 5, 0, 0),
                calendar_unknown: false,
                by: zhang(),
                at,
            },
            ItemEvent::ItemAcknowledged {
                late: true,
                by: zhang(),
                at,
            },
        ]);
}

#[test]
fn the_overdue_acknowledgement_is_recorded_once_whichever_comes_first() {
    let due = local(2026, 3, 5, 0, 0);
    let late = local(2026, 3, 6, 9, 0);
    let scheduler_fact = ItemEvent::AcknowledgementOverdueRecorded {
        effective_at: due,
        calendar_unknown: false,
        by: scheduler(),
        at: local(2026, 3, 5, 0, 1),
    };
    let late_ack = ItemEvent::ItemAcknowledged {
        late: true,
        by: zhang(),
        at: late,
    };
    // Scheduler first: the late 签收 does not record it again.
    let mut history = vec![registered(), assigned(), scheduler_fact.clone()];
    framework()
        .given(history.clone())
        .when(cmd(late, zhang(), ItemCommand::Acknowledge))
        .then_expect_events(vec![late_ack.clone()]);
    history.push(late_ack.clone());
    assert!(fold(&history).acknowledgement_overdue_recorded());

    // Unit first: the fact goes ahead of the 签收, and the scheduler has nothing left to do.
    let unit_fact = ItemEvent::AcknowledgementOverdueRecorded {
        effective_at: due,
        calendar_unknown: false,
        by: zhang(),
        at: late,
    };
    framework()
        .given(vec![registered(), assigned()])
        .when(cmd(late, zhang(), ItemCommand::Acknowledge))
        .then_expect_events(vec![unit_fact.clone(), late_ack.clone()]);
    let history = vec![registered(), assigned(), unit_fact, late_ack];
    assert!(fold(&history).acknowledgement_overdue_recorded());
    framework()
        .given(history)
        .when(cmd(
            local(2026, 3, 6, 9, 5),
            scheduler(),
            ItemCommand::RecordAcknowledgementOverdue,
        ))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::InProgress,
            request: ItemRequest::RecordAcknowledgementOverdue,
        });

    // On time: no fact.
    framework()
        .given(vec![registered(), assigned()])
        .when(cmd(
            local(2026, 3, 4, 23, 59),
            zhang(),
            ItemCommand::Acknowledge,
        ))
        .then_expect_events(vec![ItemEvent::ItemAcknowledged {
            late: false,
            by: zhang(),
            at: local(2026, 3, 4, 23, 59),
        }]);
}

#[test]
fn acknowledgement_must_come_from_the_unit_and_an_assigned_item() {
    framework()
        .given(vec![registered(), assigned()])
        .when(cmd(
            local(2026, 3, 3, 9, 0),
            sec(),
            ItemCommand::Acknowledge,
        ))
        .then_expect_error(ItemError::Forbidden {
            actor: sec(),
            request: ItemRequest::Acknowledge,
            needs: Party::MemberOf {
                unit: responsible_unit(),
            },
        });
    framework()
        .given(vec![registered()])
        .when(cmd(
            local(2026, 3, 3, 9, 0),
            zhang(),
            ItemCommand::Acknowledge,
        ))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::Registered,
            request: ItemRequest::Acknowledge,
        });
    framework()
        .given(in_progress())
        .when(cmd(
            local(2026, 3, 3, 9, 0),
            zhang(),
            ItemCommand::Acknowledge,
        ))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::InProgress,
            request: ItemRequest::Acknowledge,
        });
}
