//! 回头看 after 结案: a repair item that relapses after the case closed reopens the case, which
//! closes again only once that item is closed again.

use super::fixtures::*;
use crate::case::*;
use crate::testing::fixtures::replay;

fn relapse() -> CaseCommand {
    CaseCommand::RecordRepairItemReopened {
        code: code("YB-2026-0101"),
    }
}

fn relapsed() -> Vec<CaseEvent> {
    vec![
        CaseEvent::RepairItemReopened {
            code: code("YB-2026-0101"),
            by: secretary(),
            at: at(NOW),
        },
        CaseEvent::CaseReopened {
            code: code("YB-2026-0101"),
            by: secretary(),
            at: at(NOW),
        },
    ]
}

#[test]
fn a_repair_item_that_relapses_after_closure_reopens_the_case() {
    framework()
        .given(closed_case())
        .when(cmd(relapse()))
        .then_expect_events(relapsed());
    let mut history = closed_case();
    history.extend(relapsed());
    let case: Case = replay(history);
    assert_eq!(case.status, CaseStatus::Open);
    assert_eq!(case.closed_at, None);
    assert_eq!(case.open_repair_items(), vec![code("YB-2026-0101")]);
}

#[test]
fn a_reopened_case_closes_again_only_once_the_item_is_closed_again() {
    let mut history = closed_case();
    history.extend(relapsed());
    framework()
        .given(history.clone())
        .when(cmd(CaseCommand::CloseCase))
        .then_expect_error(CaseError::NotReadyToClose {
            open_investigations: vec![],
            open_repair_items: vec![code("YB-2026-0101")],
            system_repair_missing: true,
        });
    history.push(repair_closed("YB-2026-0101"));
    framework()
        .given(history)
        .when(cmd(CaseCommand::CloseCase))
        .then_expect_events(vec![CaseEvent::CaseClosed {
            by: secretary(),
            at: at(NOW),
        }]);
}

#[test]
fn a_published_case_reopens_too_and_is_never_published_twice() {
    let mut history = closed_case();
    history.push(CaseEvent::TypicalCasePublished {
        title: text("t"),
        summary: text("s"),
        by: secretary(),
        at: at("2026-03-08T02:00:00Z"),
    });
    framework()
        .given(history.clone())
        .when(cmd(relapse()))
        .then_expect_events(relapsed());
    history.extend(relapsed());
    let reopened: Case = replay(history.clone());
    assert_eq!(reopened.status, CaseStatus::Open);
    assert!(reopened.typical.is_some(), "the publication stands");
    history.push(repair_closed("YB-2026-0101"));
    history.push(closed());
    let closed_again: Case = replay(history.clone());
    assert_eq!(closed_again.status, CaseStatus::Published);
    framework()
        .given(history)
        .when(cmd(CaseCommand::PublishTypicalCase {
            title: text("t"),
            summary: text("s"),
        }))
        .then_expect_error(invalid("published", "publish_typical_case"));
}

#[test]
fn only_an_item_recorded_closed_relapses_after_closure() {
    let mut history = ready_to_close();
    history.push(spawned("YB-2026-0102"));
    history.push(repair_withdrawn("YB-2026-0102"));
    history.push(closed());
    framework()
        .given(history)
        .when(cmd(CaseCommand::RecordRepairItemReopened {
            code: code("YB-2026-0102"),
        }))
        .then_expect_error(CaseError::RepairItemNotClosed {
            code: code("YB-2026-0102"),
        });
    framework()
        .given(closed_case())
        .when(cmd(CaseCommand::RecordRepairItemReopened {
            code: code("YB-2026-0999"),
        }))
        .then_expect_error(CaseError::UnknownRepairItem {
            code: code("YB-2026-0999"),
        });
}
