//! Events and errors on the wire: JSON round trip, event names, error codes.

use super::fixtures::*;
use crate::case::*;

#[test]
fn events_round_trip_through_json_and_are_named_by_variant() {
    use cqrs_es::DomainEvent;
    let mut events = ready_to_close();
    events.push(closed());
    for event in events {
        let json = serde_json::to_string(&event).expect("serialise");
        let back: CaseEvent = serde_json::from_str(&json).expect("deserialise");
        assert_eq!(back, event);
        assert!(json.contains(&event.event_type()), "{json}");
        assert_eq!(event.event_version(), "1.0");
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
    let codes: std::collections::BTreeSet<_> = errors.iter().map(CaseError::code).collect();
    assert_eq!(codes.len(), errors.len());
    assert!(codes.iter().all(|c| c.starts_with("case.")));
    assert_eq!(
        invalid("open", "close_case").to_string(),
        "cannot close_case a case that is open"
    );
}
