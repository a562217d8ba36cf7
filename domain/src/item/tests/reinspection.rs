//! Re-inspection (回头看) and withdrawal (撤销).

use super::fixtures::*;
use crate::item::*;
use crate::permission::Party;

#[test]
fn a_passing_reinspection_is_recorded() {
    let at = local(2026, 6, 25, 10, 0);
    framework()
        .given(closed())
        .when(cmd(
            at,
            sec(),
            ItemCommand::RecordReinspection(ReinspectionOutcome::Passed { findings: None }),
        ))
        .then_expect_events(vec![ItemEvent::ReinspectionPassed {
            findings: None,
            by: sec(),
            at,
        }]);
}

fn relapse() -> ItemCommand {
    ItemCommand::RecordReinspection(ReinspectionOutcome::Relapsed {
        findings: text("回头看发现问题反弹"),
        new_deadline: deadline(2026, 7, 31),
    })
}

#[test]
fn a_relapse_reopens_with_a_new_deadline_and_the_unit_takes_it_on_again() {
    framework()
        .given(closed())
        .when(cmd(local(2026, 6, 25, 10, 0), sec(), relapse()))
        .then_expect_events(vec![reopened()]);
    let mut history = closed();
    history.push(reopened());
    let item = fold(&history);
    assert_eq!(item.state(), ItemState::Reopened);
    assert_eq!(item.relapses(), 1);
    assert_eq!(item.deadline_in_force(), Some(deadline(2026, 7, 31)));
    assert_eq!(item.original_deadline(), Some(deadline(2026, 3, 31)));
    framework()
        .given(history)
        .when(cmd(
            local(2026, 6, 26, 9, 0),
            zhang(),
            ItemCommand::Acknowledge,
        ))
        .then_expect_events(vec![ItemEvent::ItemAcknowledged {
            late: false,
            by: zhang(),
            at: local(2026, 6, 26, 9, 0),
        }]);
}

#[test]
fn reinspection_refusals() {
    let at = local(2026, 6, 25, 10, 0);
    framework()
        .given(closed())
        .when(cmd(at, zhang(), relapse()))
        .then_expect_error(ItemError::Forbidden {
            actor: zhang(),
            request: ItemRequest::RecordReinspection,
            needs: Party::secretariat(&yibao()),
        });
    framework()
        .given(in_progress())
        .when(cmd(at, sec(), relapse()))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::InProgress,
            request: ItemRequest::RecordReinspection,
        });
    framework()
        .given(closed())
        .when(cmd(local(2026, 8, 1, 0, 0), sec(), relapse()))
        .then_expect_error(ItemError::DeadlinePassed {
            deadline: deadline(2026, 7, 31),
            passed_at: local(2026, 8, 1, 0, 0),
        });
}

// ---- withdraw ---------------------------------------------------------------------------------

fn withdraw() -> ItemCommand {
    ItemCommand::Withdraw {
        ground: WithdrawalGround::Duplicate {
            of: Some(code("YB-2026-0002")),
        },
        reason: text("与 YB-2026-0002 重复"),
    }
}

#[test]
fn an_open_item_is_withdrawn() {
    let at = local(2026, 3, 10, 9, 0);
    for history in [vec![registered()], in_progress(), pending()] {
        framework()
            .given(history)
            .when(cmd(at, sec(), withdraw()))
            .then_expect_events(vec![ItemEvent::ItemWithdrawn {
                ground: WithdrawalGround::Duplicate {
                    of: Some(code("YB-2026-0002")),
                },
                reason: text("与 YB-2026-0002 重复"),
                by: sec(),
                at,
            }]);
    }
}

#[test]
fn withdrawal_after_the_deadline_passed_records_the_overdue_fact_first() {
    let at = local(2026, 4, 2, 9, 0);
    let withdrawn = ItemEvent::ItemWithdrawn {
        ground: WithdrawalGround::Duplicate {
            of: Some(code("YB-2026-0002")),
        },
        reason: text("与 YB-2026-0002 重复"),
        by: sec(),
        at,
    };
    framework()
        .given(in_progress())
        .when(cmd(at, sec(), withdraw()))
        .then_expect_events(vec![
            ItemEvent::ItemBecameOverdue {
                deadline: deadline(2026, 3, 31),
                effective_at: local(2026, 4, 1, 0, 0),
                by: sec(),
                at,
            },
            withdrawn.clone(),
        ]);
    framework()
        .given(overdue_in_progress())
        .when(cmd(at, sec(), withdraw()))
        .then_expect_events(vec![withdrawn.clone()]);
    // Never assigned: no deadline, no fact.
    framework()
        .given(vec![registered()])
        .when(cmd(at, sec(), withdraw()))
        .then_expect_events(vec![withdrawn]);
}

#[test]
fn withdrawal_refusals() {
    let at = local(2026, 3, 10, 9, 0);
    framework()
        .given(closed())
        .when(cmd(at, sec(), withdraw()))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::Closed,
            request: ItemRequest::Withdraw,
        });
    framework()
        .given(in_progress())
        .when(cmd(at, zhang(), withdraw()))
        .then_expect_error(ItemError::Forbidden {
            actor: zhang(),
            request: ItemRequest::Withdraw,
            needs: Party::secretariat(&yibao()),
        });
    let mut history = in_progress();
    history.push(ItemEvent::ItemWithdrawn {
        ground: WithdrawalGround::Unfounded,
        reason: text("经核查不属实"),
        by: sec(),
        at,
    });
    framework()
        .given(history)
        .when(cmd(at, zhang(), progress_body()))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::Withdrawn,
            request: ItemRequest::ReportProgress,
        });
}

/// 回头看 owed: the closure of 03-25 10:00 schedules it 90 days on, 06-23 10:00.
#[test]
fn a_reinspection_falls_due_once_at_the_instant_the_closure_set() {
    let due = local(2026, 3, 25, 10, 0) + chrono::Duration::days(90);
    let request = ItemRequest::RecordReinspectionDue;
    framework()
        .given(closed())
        .when(cmd(
            due - chrono::Duration::seconds(1),
            scheduler(),
            ItemCommand::RecordReinspectionDue,
        ))
        .then_expect_error(ItemError::NotYetDue { due_at: due });
    // Recorded late (the scheduler was down), effective when it fell due.
    let late = due + chrono::Duration::days(2);
    let recorded = ItemEvent::ReinspectionDueRecorded {
        effective_at: due,
        by: scheduler(),
        at: late,
    };
    framework()
        .given(closed())
        .when(cmd(late, scheduler(), ItemCommand::RecordReinspectionDue))
        .then_expect_events(vec![recorded.clone()]);
    let mut owed = closed();
    owed.push(recorded);
    framework()
        .given(owed.clone())
        .when(cmd(late, scheduler(), ItemCommand::RecordReinspectionDue))
        .then_expect_error(ItemError::AlreadyRecorded { request });
    // The re-inspection itself is still the secretariat's, with the fact recorded or not.
    framework()
        .given(owed)
        .when(cmd(
            late,
            sec(),
            ItemCommand::RecordReinspection(ReinspectionOutcome::Passed { findings: None }),
        ))
        .then_expect_events(vec![ItemEvent::ReinspectionPassed {
            findings: None,
            by: sec(),
            at: late,
        }]);
    // Re-inspected before it fell due: nothing is owed any more.
    let mut reinspected = closed();
    reinspected.push(ItemEvent::ReinspectionPassed {
        findings: None,
        by: sec(),
        at: local(2026, 6, 1, 10, 0),
    });
    framework()
        .given(reinspected)
        .when(cmd(late, scheduler(), ItemCommand::RecordReinspectionDue))
        .then_expect_error(ItemError::AlreadyRecorded { request });
    // Only a closed item owes one; only a schedule records it.
    framework()
        .given(in_progress())
        .when(cmd(late, scheduler(), ItemCommand::RecordReinspectionDue))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::InProgress,
            request,
        });
    framework()
        .given(closed())
        .when(cmd(late, sec(), ItemCommand::RecordReinspectionDue))
        .then_expect_error(ItemError::Forbidden {
            actor: sec(),
            request,
            needs: Party::Schedule,
        });
}
