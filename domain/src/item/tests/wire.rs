//! Events and errors on the wire: JSON round trip, event names, error codes.

use super::fixtures::*;
use crate::failure::DomainError;
use crate::item::*;
use crate::testing::fixtures::{assert_codes_distinct_and_namespaced, assert_round_trips};

#[test]
fn events_round_trip_through_json_and_name_their_type() {
    let mut all = closed();
    all.extend([
        reopened(),
        overdue(),
        extension_requested(),
        extension_approved(),
    ]);
    for event in all {
        assert_round_trips(&event);
    }
    let item = fold(&closed());
    let json = serde_json::to_string(&item).expect("snapshot serialises");
    let back: Item = serde_json::from_str(&json).expect("snapshot deserialises");
    assert_eq!(back, item);
}

#[test]
fn error_codes_are_stable_and_dotted() {
    let e = ItemError::InvalidTransition {
        state: ItemState::Closed,
        request: ItemRequest::Withdraw,
    };
    assert_eq!(e.code(), "item.invalid_transition");
    assert_eq!(
        e.to_string(),
        "withdraw is not allowed while the item is closed"
    );
    assert_eq!(
        ItemError::SegregationOfDuties {
            actor: zhang(),
            request: ItemRequest::VerifySignOff
        }
        .code(),
        "item.segregation_of_duties"
    );
    assert_eq!(
        ItemError::IncompleteSignOff { missing: vec![] }.code(),
        "item.incomplete_sign_off"
    );
    // Every item error is a refusal by the rules: none is a port's failure.
    assert_eq!(DomainError::unavailable(&e), None);
    assert_codes_distinct_and_namespaced(
        &[
            e,
            ItemError::ReasonsRequired,
            ItemError::RulingNotApplicable {
                episode: Episode::Deadline { number: 1 },
            },
            ItemError::EpisodeAlreadyRuled {
                episode: Episode::Relapse { number: 1 },
            },
            ItemError::NotExcusable,
            ItemError::SameAssignment {
                unit: unit("a"),
                person: person("b"),
            },
        ],
        "item.",
    );
}
