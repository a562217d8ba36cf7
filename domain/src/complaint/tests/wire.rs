//! Events and errors on the wire: JSON round trip, event names, public views, error codes.

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

/// What leaves the system: a receipt without the complainant (even sealed), the complaint's own
/// words or its photos; the facts needed to follow it (channel, field, units, due instant)
/// stay. Who and when read the same as on every event.
#[test]
fn the_public_view_leaves_out_the_complainant_and_their_words() {
    use crate::event::{Attributed, PublicView};
    let event = received_named();
    let public = event.public_view().expect("a public view");
    let fields = &public["Received"];
    for sealed in ["complainant", "content", "attachments"] {
        assert!(fields.get(sealed).is_none(), "{sealed} left: {public}");
    }
    assert_eq!(fields["receiving_unit"], "county-education-bureau");
    assert_eq!(fields["field"], "school_meals");
    assert_eq!(event.by(), &officer());
    assert_eq!(event.at(), at(RECEIVED));
    let text = public.to_string();
    assert!(
        !text.contains("分量不足") && !text.contains("key:cmp-1"),
        "{text}"
    );
    // A missed response noticed later takes effect when its window closed.
    let noticed = ComplaintEvent::ResponseMissed {
        response_due: at(MEAL_DUE),
        calendar_unknown: false,
        by: officer(),
        at: at(MEAL_DUE) + chrono::Duration::hours(3),
    };
    assert_eq!(noticed.effective_at(), at(MEAL_DUE));
    assert_eq!(noticed.at(), at(MEAL_DUE) + chrono::Duration::hours(3));
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
        ComplaintError::IdentityAlreadyErased,
        vault_down(),
    ];
    assert_codes_distinct_and_namespaced(&errors, "complaint.");
}
