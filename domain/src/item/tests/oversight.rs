//! Instructions (批示) and urging (催办).

use super::fixtures::*;
use crate::item::*;

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
