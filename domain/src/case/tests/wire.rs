//! Events and errors on the wire: JSON round trip, event names, error codes.

use super::fixtures::*;
use crate::case::*;
use crate::testing::fixtures::{assert_codes_distinct_and_namespaced, assert_round_trips};

#[test]
fn events_round_trip_through_json_and_are_named_by_variant() {
    let events = closed_case();
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
        CaseError::NotReadyToClose {
            open_investigations: vec![],
            open_repair_items: vec![],
        },
    ];
    assert_codes_distinct_and_namespaced(&errors, "case.");
    assert_eq!(
        invalid("open", "close_case").to_string(),
        "cannot close_case a case that is open"
    );
}
