//! 容错纠错 — a ruling names the one episode it rules on (a failed deadline or a relapse) and
//! never carries over to a later one; subjective wrongdoing is never excused.

use super::fixtures::*;
use crate::item::*;

const FIRST_DEADLINE: Episode = Episode::Deadline { number: 1 };

fn ruled(episode: Episode, cause: FaultCause, decision: FaultDecision) -> ItemEvent {
    ItemEvent::FaultToleranceRuled {
        episode,
        cause,
        decision,
        reason: text("暴雨导致道路中断，无法按期完成现场核查"),
        by: sec(),
        at: local(2026, 4, 3, 9, 0),
    }
}

#[test]
fn an_overdue_deadline_is_ruled_on_as_its_own_episode() {
    let at = local(2026, 4, 3, 9, 0);
    framework()
        .given(overdue_in_progress())
        .when(cmd(
            at,
            sec(),
            ruling(FIRST_DEADLINE, FaultDecision::Exempt),
        ))
        .then_expect_events(vec![ruled(
            FIRST_DEADLINE,
            FaultCause::ForceMajeure,
            FaultDecision::Exempt,
        )]);
    let mut history = overdue_in_progress();
    history.push(ruled(
        FIRST_DEADLINE,
        FaultCause::ForceMajeure,
        FaultDecision::Exempt,
    ));
    let item = fold(&history);
    assert!(item.is_exempt() && !item.is_mitigated());
    assert_eq!(
        item.ruling_on(FIRST_DEADLINE).map(|r| r.ruled_by.clone()),
        Some(sec())
    );
}

/// The first deadline's exemption stands for that deadline only: after a relapse reopens the
/// item with a second deadline that passes too, the item counts against its unit again until
/// that episode is ruled on by itself.
#[test]
fn a_ruling_never_carries_over_to_a_later_episode() {
    let mut history = overdue_in_progress();
    history.push(ruled(
        FIRST_DEADLINE,
        FaultCause::ForceMajeure,
        FaultDecision::Exempt,
    ));
    history.push(sign_off_requested(local(2026, 4, 10, 9, 0)));
    history.push(closed_event(local(2026, 4, 12, 10, 0), false, true));
    history.push(reopened());
    history.push(ItemEvent::ItemBecameOverdue {
        deadline: deadline(2026, 7, 31),
        effective_at: local(2026, 8, 1, 0, 0),
        by: scheduler(),
        at: local(2026, 8, 1, 0, 5),
    });
    let item = fold(&history);
    assert!(item.is_overdue());
    assert!(
        !item.is_exempt() && !item.is_mitigated(),
        "the first deadline's exemption does not cover the second"
    );
    let second = Episode::Deadline { number: 2 };
    assert_eq!(item.current_deadline_episode(), Some(second));
    let at = local(2026, 8, 3, 9, 0);
    framework()
        .given(history.clone())
        .when(cmd(at, sec(), ruling(second, FaultDecision::Mitigate)))
        .then_expect_events(vec![ItemEvent::FaultToleranceRuled {
            episode: second,
            cause: FaultCause::ForceMajeure,
            decision: FaultDecision::Mitigate,
            reason: text("暴雨导致道路中断，无法按期完成现场核查"),
            by: sec(),
            at,
        }]);
    // The relapse itself is an episode of its own, too.
    framework()
        .given(history)
        .when(cmd(
            at,
            sec(),
            ruling(Episode::Relapse { number: 1 }, FaultDecision::None),
        ))
        .then_expect_events(vec![ItemEvent::FaultToleranceRuled {
            episode: Episode::Relapse { number: 1 },
            cause: FaultCause::ForceMajeure,
            decision: FaultDecision::None,
            reason: text("暴雨导致道路中断，无法按期完成现场核查"),
            by: sec(),
            at,
        }]);
}

/// 逾期销号: a late closure fails the deadline even when no overdue fact was recorded.
#[test]
fn a_deadline_closed_late_is_an_episode() {
    let mut history = in_progress();
    history.push(sign_off_requested(local(2026, 4, 2, 9, 0)));
    history.push(closed_event(local(2026, 4, 3, 10, 0), false, true));
    let at = local(2026, 4, 6, 9, 0);
    framework()
        .given(history)
        .when(cmd(
            at,
            sec(),
            ruling(FIRST_DEADLINE, FaultDecision::Exempt),
        ))
        .then_expect_events(vec![ItemEvent::FaultToleranceRuled {
            episode: FIRST_DEADLINE,
            cause: FaultCause::ForceMajeure,
            decision: FaultDecision::Exempt,
            reason: text("暴雨导致道路中断，无法按期完成现场核查"),
            by: sec(),
            at,
        }]);
}

#[test]
fn an_episode_is_ruled_on_once() {
    let mut history = overdue_in_progress();
    history.push(ruled(
        FIRST_DEADLINE,
        FaultCause::ForceMajeure,
        FaultDecision::Exempt,
    ));
    framework()
        .given(history)
        .when(cmd(
            local(2026, 4, 4, 9, 0),
            sec(),
            ruling(FIRST_DEADLINE, FaultDecision::Mitigate),
        ))
        .then_expect_error(ItemError::EpisodeAlreadyRuled {
            episode: FIRST_DEADLINE,
        });
}

#[test]
fn subjective_wrongdoing_is_never_exempted_or_mitigated() {
    let at = local(2026, 4, 3, 9, 0);
    let rule = |decision| ItemCommand::RuleFaultTolerance {
        episode: FIRST_DEADLINE,
        cause: FaultCause::SubjectiveWrongdoing,
        decision,
        reason: text("收受供应商财物，故意拖延整改"),
    };
    for decision in [FaultDecision::Exempt, FaultDecision::Mitigate] {
        framework()
            .given(overdue_in_progress())
            .when(cmd(at, sec(), rule(decision)))
            .then_expect_error(ItemError::NotExcusable);
    }
    // Ruling that it counts in full is what such a case gets.
    framework()
        .given(overdue_in_progress())
        .when(cmd(at, sec(), rule(FaultDecision::None)))
        .then_expect_events(vec![ItemEvent::FaultToleranceRuled {
            episode: FIRST_DEADLINE,
            cause: FaultCause::SubjectiveWrongdoing,
            decision: FaultDecision::None,
            reason: text("收受供应商财物，故意拖延整改"),
            by: sec(),
            at,
        }]);
}

/// 改革创新经验不足 — the seed's own ground for reducing a cadre's liability.
#[test]
fn inexperience_in_reform_may_be_mitigated() {
    let at = local(2026, 4, 3, 9, 0);
    framework()
        .given(overdue_in_progress())
        .when(cmd(
            at,
            sec(),
            ItemCommand::RuleFaultTolerance {
                episode: FIRST_DEADLINE,
                cause: FaultCause::InexperienceInReform,
                decision: FaultDecision::Mitigate,
                reason: text("首次试行集中采购新模式，流程不熟"),
            },
        ))
        .then_expect_events(vec![ItemEvent::FaultToleranceRuled {
            episode: FIRST_DEADLINE,
            cause: FaultCause::InexperienceInReform,
            decision: FaultDecision::Mitigate,
            reason: text("首次试行集中采购新模式，流程不熟"),
            by: sec(),
            at,
        }]);
}

#[test]
fn only_a_failed_episode_can_be_ruled_on() {
    let at = local(2026, 4, 3, 9, 0);
    for (history, episode) in [
        // The deadline has not passed.
        (in_progress(), FIRST_DEADLINE),
        // There is no second deadline.
        (overdue_in_progress(), Episode::Deadline { number: 2 }),
        (overdue_in_progress(), Episode::Deadline { number: 0 }),
        // No relapse happened.
        (overdue_in_progress(), Episode::Relapse { number: 1 }),
        // Closed on time: the deadline was met.
        (closed(), FIRST_DEADLINE),
    ] {
        framework()
            .given(history)
            .when(cmd(at, sec(), ruling(episode, FaultDecision::Exempt)))
            .then_expect_error(ItemError::RulingNotApplicable { episode });
    }
    framework()
        .given(overdue_in_progress())
        .when(cmd(at, li(), ruling(FIRST_DEADLINE, FaultDecision::Exempt)))
        .then_expect_error(ItemError::SegregationOfDuties {
            actor: li(),
            request: ItemRequest::RuleFaultTolerance,
        });
    framework()
        .given(vec![registered()])
        .when(cmd(
            at,
            sec(),
            ruling(FIRST_DEADLINE, FaultDecision::Exempt),
        ))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::Registered,
            request: ItemRequest::RuleFaultTolerance,
        });
}
