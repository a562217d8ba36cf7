//! 制度修复: a case never closes without system repair — a repair item closed, or the
//! secretariat's record, with reasons, that no repair is needed.

use super::fixtures::*;
use crate::case::*;

fn record_no_repair() -> CaseCommand {
    CaseCommand::RecordNoRepairNeeded {
        reasons: text("个人违纪，现行制度已覆盖"),
    }
}

fn not_ready(open_repair_items: Vec<&str>, system_repair_missing: bool) -> CaseError {
    CaseError::NotReadyToClose {
        open_investigations: vec![],
        open_repair_items: open_repair_items.into_iter().map(code).collect(),
        system_repair_missing,
    }
}

#[test]
fn a_case_without_a_repair_item_or_a_no_repair_record_does_not_close() {
    framework()
        .given(investigated())
        .when(cmd(CaseCommand::CloseCase))
        .then_expect_error(not_ready(vec![], true));
}

#[test]
fn a_case_whose_only_repair_item_was_withdrawn_repaired_nothing_and_does_not_close() {
    let mut given = investigated();
    given.push(spawned("YB-2026-0101"));
    given.push(repair_withdrawn("YB-2026-0101"));
    framework()
        .given(given)
        .when(cmd(CaseCommand::CloseCase))
        .then_expect_error(not_ready(vec![], true));
}

#[test]
fn the_secretariat_records_with_reasons_that_no_repair_is_needed() {
    framework()
        .given(investigated())
        .when(cmd(record_no_repair()))
        .then_expect_events(vec![CaseEvent::NoRepairNeededRecorded {
            reasons: text("个人违纪，现行制度已覆盖"),
            by: secretary(),
            at: at(NOW),
        }]);
}

#[test]
fn a_case_with_no_repair_needed_on_record_closes_once_both_investigations_are_concluded() {
    let mut given = investigated();
    given.push(no_repair_needed());
    framework()
        .given(given)
        .when(cmd(CaseCommand::CloseCase))
        .then_expect_events(vec![CaseEvent::CaseClosed {
            by: secretary(),
            at: at(NOW),
        }]);
    // The record does not stand in for an investigation.
    framework()
        .given(vec![clue_registered(), opened(), no_repair_needed()])
        .when(cmd(CaseCommand::CloseCase))
        .then_expect_error(CaseError::NotReadyToClose {
            open_investigations: InvestigationTrack::ALL.to_vec(),
            open_repair_items: vec![],
            system_repair_missing: false,
        });
}

#[test]
fn no_repair_needed_is_refused_while_a_repair_item_stands_open_or_closed() {
    let mut open_item = investigated();
    open_item.push(spawned("YB-2026-0101"));
    framework()
        .given(open_item.clone())
        .when(cmd(record_no_repair()))
        .then_expect_error(CaseError::RepairItemsStand {
            items: vec![code("YB-2026-0101")],
        });
    let mut closed_item = open_item;
    closed_item.push(repair_closed("YB-2026-0101"));
    framework()
        .given(closed_item)
        .when(cmd(record_no_repair()))
        .then_expect_error(CaseError::RepairItemsStand {
            items: vec![code("YB-2026-0101")],
        });
    // A withdrawn item does not stand: the record may then be made, and the case closes.
    let mut withdrawn = investigated();
    withdrawn.push(spawned("YB-2026-0101"));
    withdrawn.push(repair_withdrawn("YB-2026-0101"));
    framework()
        .given(withdrawn.clone())
        .when(cmd(record_no_repair()))
        .then_expect_events(vec![CaseEvent::NoRepairNeededRecorded {
            reasons: text("个人违纪，现行制度已覆盖"),
            by: secretary(),
            at: at(NOW),
        }]);
    withdrawn.push(no_repair_needed());
    let closed = framework()
        .given(withdrawn)
        .when(cmd(CaseCommand::CloseCase))
        .inspect_result();
    assert!(
        matches!(closed.as_deref(), Ok([CaseEvent::CaseClosed { .. }])),
        "{closed:?}"
    );
}

#[test]
fn no_repair_needed_is_recorded_once_and_then_no_repair_item_is_spawned() {
    let mut given = investigated();
    given.push(no_repair_needed());
    framework()
        .given(given.clone())
        .when(cmd(record_no_repair()))
        .then_expect_error(CaseError::NoRepairNeededOnRecord);
    framework()
        .given(given)
        .when(cmd(CaseCommand::SpawnRepairItem {
            code: code("YB-2026-0101"),
            title: text("制度"),
        }))
        .then_expect_error(CaseError::NoRepairNeededOnRecord);
    framework()
        .given(vec![clue_registered()])
        .when(cmd(record_no_repair()))
        .then_expect_error(invalid("clue_registered", "record_no_repair_needed"));
}
