//! Events and errors on the wire: JSON round trip, event names, error codes.

use super::fixtures::*;
use crate::case::*;
use crate::testing::fixtures::{assert_codes_distinct_and_namespaced, assert_round_trips};
use crate::values::ClueId;

#[test]
fn events_round_trip_through_json_and_are_named_by_variant() {
    let mut events = closed_case();
    events.extend([
        CaseEvent::ClueDismissed {
            reasons: text("初核不实"),
            by: secretary(),
            at: at(NOW),
        },
        CaseEvent::JointTeamRecorded {
            units: vec![unit("a"), unit("b")],
            by: secretary(),
            at: at(NOW),
        },
        repair_withdrawn("YB-2026-0102"),
        no_repair_needed(),
        CaseEvent::CaseReopened {
            code: code("YB-2026-0101"),
            by: secretary(),
            at: at(NOW),
        },
    ]);
    for event in events {
        assert_round_trips(&event);
    }
}

#[test]
fn error_codes_are_stable_and_namespaced() {
    let errors = [
        CaseError::UnknownCampaign {
            campaign: campaign(),
        },
        CaseError::NoTaskForce {
            campaign: campaign(),
            field: crate::settings::Field::Other("食品安全".into()),
        },
        invalid("open", "close_case"),
        CaseError::InvestigationNotStarted {
            track: InvestigationTrack::Direct,
        },
        CaseError::InvestigationAlreadyStarted {
            track: InvestigationTrack::Direct,
        },
        CaseError::InvestigationAlreadyConcluded {
            track: InvestigationTrack::Direct,
        },
        CaseError::DuplicateRepairItem {
            code: code("YB-2026-0001"),
        },
        CaseError::UnknownRepairItem {
            code: code("YB-2026-0001"),
        },
        CaseError::RepairItemAlreadyClosed {
            code: code("YB-2026-0001"),
        },
        CaseError::RepairItemNotClosed {
            code: code("YB-2026-0001"),
        },
        CaseError::RepairItemAlreadyWithdrawn {
            code: code("YB-2026-0001"),
        },
        CaseError::RepairItemWithdrawn {
            code: code("YB-2026-0001"),
        },
        CaseError::RepairItemsStand { items: vec![] },
        CaseError::NoRepairNeededOnRecord,
        CaseError::ClueDismissed {
            clue: ClueId::parse("clue-1").expect("id"),
        },
        CaseError::ClueAlreadyOpened {
            clue: ClueId::parse("clue-1").expect("id"),
        },
        CaseError::JointTeamTooSmall { units: 1 },
        CaseError::NotReadyToClose {
            open_investigations: vec![],
            open_repair_items: vec![],
            system_repair_missing: true,
        },
    ];
    assert_codes_distinct_and_namespaced(&errors, "case.");
    assert_eq!(
        invalid("open", "close_case").to_string(),
        "cannot close_case a case that is open"
    );
}
