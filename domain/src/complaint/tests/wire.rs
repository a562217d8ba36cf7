//! Events and errors on the wire: JSON round trip, event names, error codes.

use super::fixtures::*;
use crate::complaint::*;
use crate::testing::fixtures::{assert_codes_distinct_and_namespaced, assert_round_trips};

#[test]
fn events_round_trip_through_json_and_are_named_by_variant() {
    for event in [
        received_named(),
        responded(RECEIVED, true),
        missed(),
        transferred("a", "b"),
        resolved(),
        closed(),
    ] {
        assert_round_trips(&event);
    }
}

#[test]
fn error_codes_are_stable_and_namespaced() {
    let errors = [
        ComplaintError::UnknownCampaign {
            campaign: campaign(),
        },
        invalid("open", "close"),
        ComplaintError::BlankIdentity,
        ComplaintError::AlreadyResponded,
        ComplaintError::ResponseNotYetDue {
            response_due: at(MEAL_DUE),
        },
        ComplaintError::ResponseAlreadyMissed,
        ComplaintError::AlreadyWithUnit { unit: unit("a") },
        ComplaintError::FeedbackAlreadyRecorded,
        ComplaintError::AnonymousComplaint,
        ComplaintError::IdentityAlreadyErased,
        vault_down(),
    ];
    assert_codes_distinct_and_namespaced(&errors, "complaint.");
}
