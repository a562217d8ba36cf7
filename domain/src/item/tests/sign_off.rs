//! Sign-off (销号): request, verification, send-back (退回补正).

use chrono::Duration;

use super::fixtures::*;
use crate::item::*;
use crate::permission::Party;

#[test]
fn the_unit_requests_sign_off_with_the_four_elements() {
    let at = local(2026, 3, 20, 9, 0);
    framework()
        .given(in_progress())
        .when(cmd(
            at,
            zhang(),
            ItemCommand::RequestSignOff(sign_off_body()),
        ))
        .then_expect_events(vec![sign_off_requested(at)]);
}

#[test]
fn a_sign_off_request_names_every_missing_element() {
    let at = local(2026, 3, 20, 9, 0);
    framework()
        .given(in_progress())
        .when(cmd(
            at,
            zhang(),
            ItemCommand::RequestSignOff(SignOffRequest::default()),
        ))
        .then_expect_error(ItemError::IncompleteSignOff {
            missing: vec![
                SignOffElement::Problem,
                SignOffElement::Measures,
                SignOffElement::Result,
                SignOffElement::Evidence,
            ],
        });
    let without_evidence = SignOffRequest {
        evidence: vec![],
        ..sign_off_body()
    };
    framework()
        .given(in_progress())
        .when(cmd(
            at,
            zhang(),
            ItemCommand::RequestSignOff(without_evidence),
        ))
        .then_expect_error(ItemError::IncompleteSignOff {
            missing: vec![SignOffElement::Evidence],
        });
}

#[test]
fn sign_off_requests_come_from_the_unit_while_in_progress() {
    let at = local(2026, 3, 20, 9, 0);
    framework()
        .given(in_progress())
        .when(cmd(at, sec(), ItemCommand::RequestSignOff(sign_off_body())))
        .then_expect_error(ItemError::Forbidden {
            actor: sec(),
            request: ItemRequest::RequestSignOff,
            needs: Party::SignatoryOf {
                unit: responsible_unit(),
                person: zhang(),
            },
        });
    framework()
        .given(vec![registered(), assigned()])
        .when(cmd(
            at,
            zhang(),
            ItemCommand::RequestSignOff(sign_off_body()),
        ))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::Assigned,
            request: ItemRequest::RequestSignOff,
        });
}

#[test]
fn verification_closes_on_time_before_the_deadline() {
    let at = local(2026, 3, 25, 10, 0);
    framework()
        .given(pending())
        .when(cmd(at, sec(), ItemCommand::VerifySignOff { note: None }))
        .then_expect_events(vec![closed_event(at, true, false)]);
    let item = fold(&closed());
    assert_eq!(item.state(), ItemState::Closed);
    assert_eq!(
        item.closure().map(|c| c.reinspection_due_at),
        Some(at + Duration::days(90))
    );
}

#[test]
fn a_request_made_as_the_deadline_passes_closes_late() {
    // The deadline passes at 2026-04-01 00:00 local; a request at that very instant is late,
    // and its verification records the overdue fact the scheduler had not recorded yet first.
    let at = local(2026, 4, 1, 9, 0);
    framework()
        .given(pending_late())
        .when(cmd(at, sec(), ItemCommand::VerifySignOff { note: None }))
        .then_expect_events(vec![
            ItemEvent::ItemBecameOverdue {
                deadline: deadline(2026, 3, 31),
                effective_at: deadline_passes(),
                by: sec(),
                at,
            },
            closed_late_event(at),
        ]);
    // A request one minute before midnight is on time, verified the minute after it.
    let mut history = in_progress();
    history.push(sign_off_requested(local(2026, 3, 31, 23, 59)));
    let at = local(2026, 4, 1, 0, 1);
    let expected = closed_on_request(at, true, false, local(2026, 3, 31, 23, 59));
    framework()
        .given(history)
        .when(cmd(at, sec(), ItemCommand::VerifySignOff { note: None }))
        .then_expect_events(vec![expected]);
}

#[test]
fn after_an_extension_on_time_refers_to_the_deadline_in_force_and_the_original_is_noted() {
    let mut history = in_progress();
    history.extend([
        extension_requested(),
        extension_approved(),
        sign_off_requested(local(2026, 4, 8, 9, 0)),
    ]);
    let at = local(2026, 4, 10, 10, 0);
    framework()
        .given(history)
        .when(cmd(at, sec(), ItemCommand::VerifySignOff { note: None }))
        .then_expect_events(vec![ItemEvent::ItemClosed {
            deadline_in_force: deadline(2026, 4, 15),
            original_deadline: deadline(2026, 3, 31),
            on_time: true,
            after_original_deadline: true,
            sign_off_requested_at: local(2026, 4, 8, 9, 0),
            reinspection_due_at: at + Duration::days(90),
            reinspection_days: 90,
            note: None,
            outcome: None,
            by: sec(),
            at,
        }]);
}

#[test]
fn a_late_closure_before_the_scheduler_ran_records_overdue_once_and_can_be_exempted() {
    let at = local(2026, 4, 3, 10, 0);
    let fact = ItemEvent::ItemBecameOverdue {
        deadline: deadline(2026, 3, 31),
        effective_at: local(2026, 4, 1, 0, 0),
        by: sec(),
        at,
    };
    framework()
        .given(pending_late())
        .when(cmd(at, sec(), ItemCommand::VerifySignOff { note: None }))
        .then_expect_events(vec![fact.clone(), closed_late_event(at)]);
    let mut history = pending_late();
    history.extend([fact, closed_late_event(at)]);
    let item = fold(&history);
    assert_eq!(item.overdue_count(), 1);
    assert_eq!(
        item.deadlines().first().map(|d| d.overdue_recorded),
        Some(true)
    );
    // The scheduler comes later: nothing left to record (and never a second fact).
    framework()
        .given(history.clone())
        .when(cmd(
            local(2026, 4, 3, 10, 5),
            scheduler(),
            ItemCommand::RecordOverdue,
        ))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::Closed,
            request: ItemRequest::RecordOverdue,
        });
    // The late-closed item can be ruled on (容错纠错).
    let ruled_at = local(2026, 4, 10, 9, 0);
    framework()
        .given(history)
        .when(cmd(
            ruled_at,
            sec(),
            ruling(Episode::Deadline { number: 1 }, FaultDecision::Exempt),
        ))
        .then_expect_events(vec![ItemEvent::FaultToleranceRuled {
            episode: Episode::Deadline { number: 1 },
            cause: FaultCause::ForceMajeure,
            decision: FaultDecision::Exempt,
            reason: text("暴雨导致道路中断，无法按期完成现场核查"),
            by: sec(),
            at: ruled_at,
        }]);
    // Scheduler first: the closure adds no second fact.
    let mut history = in_progress();
    history.extend([overdue(), sign_off_requested(deadline_passes())]);
    framework()
        .given(history)
        .when(cmd(at, sec(), ItemCommand::VerifySignOff { note: None }))
        .then_expect_events(vec![closed_late_event(at)]);
}

#[test]
fn an_item_closed_late_without_an_overdue_fact_may_be_ruled_on_and_gets_the_fact_at_reinspection() {
    // A stream written before the catch-up: closed late, no ItemBecameOverdue.
    let closed_at = local(2026, 4, 3, 10, 0);
    let mut history = pending();
    history.push(closed_event(closed_at, false, true));
    let at = local(2026, 4, 10, 9, 0);
    framework()
        .given(history.clone())
        .when(cmd(
            at,
            sec(),
            ruling(Episode::Deadline { number: 1 }, FaultDecision::Mitigate),
        ))
        .then_expect_events(vec![ItemEvent::FaultToleranceRuled {
            episode: Episode::Deadline { number: 1 },
            cause: FaultCause::ForceMajeure,
            decision: FaultDecision::Mitigate,
            reason: text("暴雨导致道路中断，无法按期完成现场核查"),
            by: sec(),
            at,
        }]);
    let at = local(2026, 6, 25, 10, 0);
    framework()
        .given(history)
        .when(cmd(
            at,
            sec(),
            ItemCommand::RecordReinspection(ReinspectionOutcome::Passed { findings: None }),
        ))
        .then_expect_events(vec![
            ItemEvent::ItemBecameOverdue {
                deadline: deadline(2026, 3, 31),
                effective_at: local(2026, 4, 1, 0, 0),
                by: sec(),
                at,
            },
            ItemEvent::ReinspectionPassed {
                findings: None,
                by: sec(),
                at,
            },
        ]);
    // Closed on time: still not applicable, and re-inspection records nothing extra.
    framework()
        .given(closed())
        .when(cmd(
            at,
            sec(),
            ruling(Episode::Deadline { number: 1 }, FaultDecision::Exempt),
        ))
        .then_expect_error(ItemError::RulingNotApplicable {
            episode: Episode::Deadline { number: 1 },
        });
}

#[test]
fn the_verifier_is_neither_the_responsible_person_nor_a_unit_member() {
    let at = local(2026, 3, 25, 10, 0);
    for actor in [zhang(), li()] {
        framework()
            .given(pending())
            .when(cmd(
                at,
                actor.clone(),
                ItemCommand::VerifySignOff { note: None },
            ))
            .then_expect_error(refused_decision(actor, ItemRequest::VerifySignOff));
    }
    framework()
        .given(in_progress())
        .when(cmd(at, sec(), ItemCommand::VerifySignOff { note: None }))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::InProgress,
            request: ItemRequest::VerifySignOff,
        });
}

#[test]
fn a_rejection_sends_the_item_back_and_counts() {
    let at = local(2026, 3, 21, 9, 0);
    let reasons = vec![text("佐证材料不足"), text("资金追回凭证缺失")];
    framework()
        .given(pending())
        .when(cmd(
            at,
            sec(),
            ItemCommand::RejectSignOff {
                reasons: reasons.clone(),
            },
        ))
        .then_expect_events(vec![ItemEvent::SignOffRejected {
            reasons: reasons.clone(),
            send_backs: 1,
            by: sec(),
            at,
        }]);
    let mut history = pending();
    history.push(ItemEvent::SignOffRejected {
        reasons,
        send_backs: 1,
        by: sec(),
        at,
    });
    let item = fold(&history);
    assert_eq!(item.state(), ItemState::InProgress);
    assert_eq!(item.send_backs(), 1);
}

#[test]
fn a_rejection_needs_reasons_and_a_pending_request() {
    let at = local(2026, 3, 21, 9, 0);
    framework()
        .given(pending())
        .when(cmd(
            at,
            sec(),
            ItemCommand::RejectSignOff { reasons: vec![] },
        ))
        .then_expect_error(ItemError::ReasonsRequired);
    // Segregation of duties: the unit does not send back its own request.
    for actor in [zhang(), li()] {
        framework()
            .given(pending())
            .when(cmd(
                at,
                actor.clone(),
                ItemCommand::RejectSignOff {
                    reasons: vec![text("x")],
                },
            ))
            .then_expect_error(refused_decision(actor, ItemRequest::RejectSignOff));
    }
    framework()
        .given(in_progress())
        .when(cmd(
            at,
            sec(),
            ItemCommand::RejectSignOff {
                reasons: vec![text("x")],
            },
        ))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::InProgress,
            request: ItemRequest::RejectSignOff,
        });
}
