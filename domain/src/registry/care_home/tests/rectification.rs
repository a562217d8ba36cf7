//! 限期整改: an order names the item that tracks the violation; a pass is on time before the
//! due instant; a failure waits for it and is a fact, not a revocation.

use super::fixtures::*;

#[test]
fn a_violating_home_is_ordered_to_rectify_by_local_midnight_with_its_item() {
    framework()
        .given(vec![inspected(scores(50.0, 55.0, 60.0), 55.0, 1)])
        .when(cmd(order("2026-04-30")))
        .then_expect_events(vec![ordered()]);
}

#[test]
fn an_order_is_refused_when_its_deadline_passed_or_one_is_running() {
    framework()
        .given_no_previous_events()
        .when(cmd(order("2026-03-09")))
        .then_expect_error(CareHomeError::DeadlinePassed {
            deadline: deadline("2026-03-09"),
        });
    framework()
        .given(vec![ordered()])
        .when(cmd(order("2026-05-30")))
        .then_expect_error(invalid("under_rectification", "order_rectification"));
}

#[test]
fn a_pass_is_on_time_before_the_due_instant_and_late_after_it() {
    for (when, on_time) in [(NOW, true), (AFTER, false)] {
        framework()
            .given(vec![ordered()])
            .when(cmd_at(when, result(RectificationOutcome::Passed)))
            .then_expect_events(vec![CareHomeEvent::RectificationPassed {
                notes: text("复查"),
                on_time,
                by: inspector(),
                at: at(when),
            }]);
    }
}

/// Failure escalates up to revocation but is not one: the home still operates, and may be
/// ordered to rectify again.
#[test]
fn a_failure_is_a_fact_and_the_home_operates_on() {
    framework()
        .given(vec![ordered()])
        .when(cmd_at(AFTER, result(RectificationOutcome::Failed)))
        .then_expect_events(vec![CareHomeEvent::RectificationFailed {
            notes: text("复查"),
            failures: 1,
            by: inspector(),
            at: at(AFTER),
        }]);
    let home = crate::testing::fixtures::replay::<CareHome>(failed());
    assert_eq!(home.status, CareHomeStatus::Operating);
    assert_eq!(home.revoked_at, None);
    framework()
        .given(failed())
        .when(cmd_at(AFTER, order("2026-06-30")))
        .then_expect_events(vec![CareHomeEvent::RectificationOrdered {
            campaign: campaign(),
            violations: text("克扣老人伙食费"),
            deadline: deadline("2026-06-30"),
            due_at: at("2026-06-30T16:00:00Z"),
            item: code("YL-2026-0007"),
            by: inspector(),
            at: at(AFTER),
        }]);
}

#[test]
fn a_failure_waits_for_the_deadline_and_a_result_needs_an_order() {
    framework()
        .given(vec![ordered()])
        .when(cmd(result(RectificationOutcome::Failed)))
        .then_expect_error(CareHomeError::RectificationStillRunning { due_at: at(DUE) });
    framework()
        .given_no_previous_events()
        .when(cmd(result(RectificationOutcome::Passed)))
        .then_expect_error(invalid("unknown", "record_rectification_result"));
}
