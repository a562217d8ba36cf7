//! System repair (制度修复): repair items spawned, closed, relapsing or withdrawn.

use super::fixtures::*;
use crate::case::*;

#[test]
fn a_repair_item_is_spawned_for_the_supervising_department() {
    framework()
        .given(vec![clue_registered(), opened()])
        .when(cmd(CaseCommand::SpawnRepairItem {
            code: code("YB-2026-0101"),
            title: text("建立住院病历抽查制度"),
        }))
        .then_expect_events(vec![CaseEvent::RepairItemSpawned {
            code: code("YB-2026-0101"),
            unit: unit("county-healthcare-security-bureau"),
            title: text("建立住院病历抽查制度"),
            by: secretary(),
            at: at(NOW),
        }]);
}

#[test]
fn a_repair_item_needs_an_open_case_and_a_fresh_code() {
    let spawn = || CaseCommand::SpawnRepairItem {
        code: code("YB-2026-0101"),
        title: text("制度"),
    };
    framework()
        .given(vec![clue_registered()])
        .when(cmd(spawn()))
        .then_expect_error(invalid("clue_registered", "spawn_repair_item"));
    framework()
        .given(vec![clue_registered(), opened(), spawned("YB-2026-0101")])
        .when(cmd(spawn()))
        .then_expect_error(CaseError::DuplicateRepairItem {
            code: code("YB-2026-0101"),
        });
    framework()
        .given(closed_case())
        .when(cmd(CaseCommand::SpawnRepairItem {
            code: code("YB-2026-0102"),
            title: text("制度"),
        }))
        .then_expect_error(invalid("closed", "spawn_repair_item"));
}

#[test]
fn a_repair_items_closure_is_recorded() {
    framework()
        .given(vec![clue_registered(), opened(), spawned("YB-2026-0101")])
        .when(cmd(CaseCommand::RecordRepairItemClosed {
            code: code("YB-2026-0101"),
        }))
        .then_expect_events(vec![CaseEvent::RepairItemClosed {
            code: code("YB-2026-0101"),
            by: secretary(),
            at: at(NOW),
        }]);
}

#[test]
fn only_a_spawned_open_repair_item_can_be_recorded_closed() {
    let record = |c: &str| CaseCommand::RecordRepairItemClosed { code: code(c) };
    framework()
        .given(vec![clue_registered()])
        .when(cmd(record("YB-2026-0101")))
        .then_expect_error(invalid("clue_registered", "record_repair_item_closed"));
    framework()
        .given(vec![clue_registered(), opened(), spawned("YB-2026-0101")])
        .when(cmd(record("YB-2026-0999")))
        .then_expect_error(CaseError::UnknownRepairItem {
            code: code("YB-2026-0999"),
        });
    framework()
        .given(vec![
            clue_registered(),
            opened(),
            spawned("YB-2026-0101"),
            repair_closed("YB-2026-0101"),
        ])
        .when(cmd(record("YB-2026-0101")))
        .then_expect_error(CaseError::RepairItemAlreadyClosed {
            code: code("YB-2026-0101"),
        });
}

// ---- repair items that relapse or are withdrawn ----

fn investigated_with_repair(c: &str) -> Vec<CaseEvent> {
    vec![
        clue_registered(),
        opened(),
        started(InvestigationTrack::Direct),
        started(InvestigationTrack::Supervisory),
        concluded(InvestigationTrack::Direct),
        concluded(InvestigationTrack::Supervisory),
        spawned(c),
    ]
}

#[test]
fn a_repair_item_that_relapses_holds_the_case_open_again() {
    let mut given = investigated_with_repair("YB-2026-0101");
    given.push(repair_closed("YB-2026-0101"));
    let reopened = framework()
        .given(given.clone())
        .when(cmd(CaseCommand::RecordRepairItemReopened {
            code: code("YB-2026-0101"),
        }))
        .inspect_result();
    let events = reopened.unwrap_or_default();
    assert!(matches!(
        events.as_slice(),
        [CaseEvent::RepairItemReopened { .. }]
    ));
    given.extend(events);
    framework()
        .given(given)
        .when(cmd(CaseCommand::CloseCase))
        .then_expect_error(CaseError::NotReadyToClose {
            open_investigations: vec![],
            open_repair_items: vec![code("YB-2026-0101")],
            system_repair_missing: true,
        });
    // Only an item recorded closed can be reported reopened.
    framework()
        .given(investigated_with_repair("YB-2026-0101"))
        .when(cmd(CaseCommand::RecordRepairItemReopened {
            code: code("YB-2026-0101"),
        }))
        .then_expect_error(CaseError::RepairItemNotClosed {
            code: code("YB-2026-0101"),
        });
}

#[test]
fn a_withdrawn_repair_item_no_longer_holds_the_case_open() {
    let mut given = investigated_with_repair("YB-2026-0102");
    given.push(spawned("YB-2026-0101"));
    given.push(repair_closed("YB-2026-0101"));
    given.push(repair_withdrawn("YB-2026-0102"));
    let result = framework()
        .given(given.clone())
        .when(cmd(CaseCommand::CloseCase))
        .inspect_result();
    assert!(
        matches!(result.as_deref(), Ok([CaseEvent::CaseClosed { .. }])),
        "{result:?}"
    );
    framework()
        .given(given)
        .when(cmd(CaseCommand::RecordRepairItemWithdrawn {
            code: code("YB-2026-0102"),
            reason: text("again"),
        }))
        .then_expect_error(CaseError::RepairItemAlreadyWithdrawn {
            code: code("YB-2026-0102"),
        });
}

#[test]
fn a_withdrawn_repair_item_cannot_be_recorded_closed() {
    let mut given = investigated_with_repair("YB-2026-0102");
    given.push(repair_withdrawn("YB-2026-0102"));
    framework()
        .given(given)
        .when(cmd(CaseCommand::RecordRepairItemClosed {
            code: code("YB-2026-0102"),
        }))
        .then_expect_error(CaseError::RepairItemWithdrawn {
            code: code("YB-2026-0102"),
        });
    assert_eq!(
        CaseError::RepairItemWithdrawn {
            code: code("YB-2026-0102"),
        }
        .code(),
        "case.repair_item_withdrawn"
    );
}
