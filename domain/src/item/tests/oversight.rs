//! Fault tolerance (容错纠错), instructions (批示), urging (催办).

use super::fixtures::*;
use crate::item::*;

#[test]
fn an_overdue_item_gets_a_fault_tolerance_ruling() {
    let mut history = overdue_in_progress();
    let at = local(2026, 4, 3, 9, 0);
    framework()
        .given(history.clone())
        .when(cmd(at, sec(), ruling(FaultDecision::Exempt)))
        .then_expect_events(vec![ItemEvent::FaultToleranceRuled {
            cause: FaultCause::ForceMajeure,
            decision: FaultDecision::Exempt,
            reason: text("暴雨导致道路中断，无法按期完成现场核查"),
            by: sec(),
            at,
        }]);
    history.push(ItemEvent::FaultToleranceRuled {
        cause: FaultCause::ForceMajeure,
        decision: FaultDecision::Exempt,
        reason: text("暴雨"),
        by: sec(),
        at,
    });
    let item = fold(&history);
    assert!(item.is_exempt());
    assert!(!item.is_mitigated());
    assert_eq!(item.ruling().map(|r| r.ruled_by.clone()), Some(sec()));
    // A later ruling supersedes.
    history.push(ItemEvent::FaultToleranceRuled {
        cause: FaultCause::ManagementError,
        decision: FaultDecision::Mitigate,
        reason: text("复核"),
        by: sec(),
        at,
    });
    let item = fold(&history);
    assert!(item.is_mitigated());
    assert!(!item.is_exempt());
}

#[test]
fn a_relapsed_item_may_be_ruled_on_too() {
    let mut history = closed();
    history.push(reopened());
    let at = local(2026, 6, 26, 9, 0);
    framework()
        .given(history)
        .when(cmd(at, sec(), ruling(FaultDecision::None)))
        .then_expect_events(vec![ItemEvent::FaultToleranceRuled {
            cause: FaultCause::ForceMajeure,
            decision: FaultDecision::None,
            reason: text("暴雨导致道路中断，无法按期完成现场核查"),
            by: sec(),
            at,
        }]);
}

#[test]
fn fault_tolerance_refusals() {
    let at = local(2026, 4, 3, 9, 0);
    framework()
        .given(in_progress())
        .when(cmd(at, sec(), ruling(FaultDecision::Exempt)))
        .then_expect_error(ItemError::RulingNotApplicable);
    framework()
        .given(overdue_in_progress())
        .when(cmd(at, li(), ruling(FaultDecision::Exempt)))
        .then_expect_error(ItemError::SegregationOfDuties {
            actor: li(),
            request: ItemRequest::RuleFaultTolerance,
        });
    framework()
        .given(vec![registered()])
        .when(cmd(at, sec(), ruling(FaultDecision::Exempt)))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::Registered,
            request: ItemRequest::RuleFaultTolerance,
        });
}

#[test]
fn a_leadership_instruction_is_recorded() {
    let at = local(2026, 3, 12, 9, 0);
    let command = ItemCommand::RecordInstruction {
        text: text("请医保局加大追缴力度，月底前见成效"),
        by: person("party-secretary"),
    };
    framework()
        .given(in_progress())
        .when(cmd(at, sec(), command.clone()))
        .then_expect_events(vec![ItemEvent::InstructionRecorded {
            text: text("请医保局加大追缴力度，月底前见成效"),
            instructed_by: person("party-secretary"),
            by: sec(),
            at,
        }]);
    framework()
        .given_no_previous_events()
        .when(cmd(at, sec(), command))
        .then_expect_error(ItemError::NotFound {
            request: ItemRequest::RecordInstruction,
        });
}

#[test]
fn a_unit_involved_in_the_item_is_urged() {
    let at = local(2026, 3, 27, 9, 0);
    for to in [responsible_unit(), supervising_unit()] {
        framework()
            .given(in_progress())
            .when(cmd(
                at,
                sec(),
                ItemCommand::Urge {
                    unit: to.clone(),
                    text: text("请加快进度"),
                },
            ))
            .then_expect_events(vec![ItemEvent::ItemUrged {
                unit: to,
                text: text("请加快进度"),
                by: sec(),
                at,
            }]);
    }
    framework()
        .given(in_progress())
        .when(cmd(
            at,
            sec(),
            ItemCommand::Urge {
                unit: unit("other"),
                text: text("请加快进度"),
            },
        ))
        .then_expect_error(ItemError::UnitNotInvolved(unit("other")));
    framework()
        .given(closed())
        .when(cmd(
            at,
            sec(),
            ItemCommand::Urge {
                unit: responsible_unit(),
                text: text("请加快进度"),
            },
        ))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::Closed,
            request: ItemRequest::Urge,
        });
}
