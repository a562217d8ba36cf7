//! The clock stops at a sign-off request made before the deadline (DOMAIN.md, items): on time
//! and overdue are judged at verification by the request, not by how long verification took.

use super::fixtures::*;
use crate::item::*;

/// Requested on 03-20, deadline 03-31, verified on 04-03: on time, and no overdue fact.
#[test]
fn an_in_time_request_verified_after_the_deadline_closes_on_time() {
    let at = local(2026, 4, 3, 10, 0);
    framework()
        .given(pending())
        .when(cmd(at, sec(), ItemCommand::VerifySignOff { note: None }))
        .then_expect_events(vec![closed_event(at, true, false)]);
}

#[test]
fn no_overdue_fact_or_red_while_an_in_time_request_waits_past_the_deadline() {
    let after = local(2026, 4, 2, 0, 5);
    framework()
        .given(pending())
        .when(cmd(after, scheduler(), ItemCommand::RecordOverdue))
        .then_expect_error(ItemError::ClockStopped {
            requested_at: local(2026, 3, 20, 9, 0),
        });
    let item = fold(&pending());
    assert_eq!(item.clock_stopped_at(), Some(local(2026, 3, 20, 9, 0)));
    assert_ne!(item.colour(after), Colour::Red);
    // The colour is the one of the instant the clock stopped (before the warning window).
    assert_eq!(item.colour(after), item.colour(local(2026, 3, 20, 9, 0)));
    // A request made as the deadline passed stops nothing: overdue is recorded, and it is red.
    framework()
        .given(pending_late())
        .when(cmd(after, scheduler(), ItemCommand::RecordOverdue))
        .then_expect_events(vec![ItemEvent::ItemBecameOverdue {
            deadline: deadline(2026, 3, 31),
            effective_at: deadline_passes(),
            by: scheduler(),
            at: after,
        }]);
    let late = fold(&pending_late());
    assert_eq!(late.clock_stopped_at(), None);
    assert_eq!(late.colour(after), Colour::Red);
}

/// 退回补正 after the deadline: the request the item waited on no longer counts, so the
/// overdue fact is recorded at the send-back, effective when the deadline passed.
#[test]
fn a_send_back_after_the_deadline_records_the_overdue_fact_then() {
    let at = local(2026, 4, 3, 10, 0);
    let reasons = vec![text("佐证材料缺少追回资金的银行回单")];
    framework()
        .given(pending())
        .when(cmd(
            at,
            sec(),
            ItemCommand::RejectSignOff {
                reasons: reasons.clone(),
            },
        ))
        .then_expect_events(vec![
            ItemEvent::ItemBecameOverdue {
                deadline: deadline(2026, 3, 31),
                effective_at: deadline_passes(),
                by: sec(),
                at,
            },
            ItemEvent::SignOffRejected {
                reasons: reasons.clone(),
                send_backs: 1,
                by: sec(),
                at,
            },
        ]);
    // Sent back before the deadline: nothing is overdue.
    let at = local(2026, 3, 25, 10, 0);
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
            reasons,
            send_backs: 1,
            by: sec(),
            at,
        }]);
}
