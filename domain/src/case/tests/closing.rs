//! Closing (结案) and publishing (典型案例).

use super::fixtures::*;
use crate::case::*;

#[test]
fn a_case_closes_when_both_investigations_and_all_repairs_are_done() {
    framework()
        .given(ready_to_close())
        .when(cmd(CaseCommand::CloseCase))
        .then_expect_events(vec![CaseEvent::CaseClosed {
            by: secretary(),
            at: at(NOW),
        }]);
}

#[test]
fn a_case_with_an_open_investigation_or_repair_item_does_not_close() {
    framework()
        .given(vec![
            clue_registered(),
            opened(),
            started(InvestigationTrack::Direct),
            concluded(InvestigationTrack::Direct),
            spawned("YB-2026-0101"),
            spawned("YB-2026-0102"),
            repair_closed("YB-2026-0101"),
        ])
        .when(cmd(CaseCommand::CloseCase))
        .then_expect_error(CaseError::NotReadyToClose {
            open_investigations: vec![InvestigationTrack::Supervisory],
            open_repair_items: vec![code("YB-2026-0102")],
            system_repair_missing: false,
        });
    // Both concluded but a repair item still open.
    let mut events = ready_to_close();
    events.push(spawned("YB-2026-0103"));
    framework()
        .given(events)
        .when(cmd(CaseCommand::CloseCase))
        .then_expect_error(CaseError::NotReadyToClose {
            open_investigations: vec![],
            open_repair_items: vec![code("YB-2026-0103")],
            system_repair_missing: false,
        });
}

#[test]
fn only_an_open_case_closes() {
    framework()
        .given(vec![clue_registered()])
        .when(cmd(CaseCommand::CloseCase))
        .then_expect_error(invalid("clue_registered", "close_case"));
    framework()
        .given(closed_case())
        .when(cmd(CaseCommand::CloseCase))
        .then_expect_error(invalid("closed", "close_case"));
}

// ---- publish (典型案例) ----

#[test]
fn a_closed_case_is_published_as_a_typical_case() {
    framework()
        .given(closed_case())
        .when(cmd(CaseCommand::PublishTypicalCase {
            title: text("某卫生院套取医保基金案"),
            summary: text("一案双查，追责问责"),
        }))
        .then_expect_events(vec![CaseEvent::TypicalCasePublished {
            title: text("某卫生院套取医保基金案"),
            summary: text("一案双查，追责问责"),
            by: secretary(),
            at: at(NOW),
        }]);
}

#[test]
fn only_a_closed_case_is_published_and_only_once() {
    let publish = || CaseCommand::PublishTypicalCase {
        title: text("t"),
        summary: text("s"),
    };
    framework()
        .given(ready_to_close())
        .when(cmd(publish()))
        .then_expect_error(invalid("open", "publish_typical_case"));
    let mut events = closed_case();
    events.push(CaseEvent::TypicalCasePublished {
        title: text("t"),
        summary: text("s"),
        by: secretary(),
        at: at(NOW),
    });
    framework()
        .given(events)
        .when(cmd(publish()))
        .then_expect_error(invalid("published", "publish_typical_case"));
}
