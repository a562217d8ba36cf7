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
        ComplaintEvent::Revealed {
            key_ref: "key:cmp-1".into(),
            purpose: text("回访"),
            by: officer(),
            at: at(MEAL_DUE),
        },
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
        ComplaintError::NothingSealed,
        vault_down(),
    ];
    assert_codes_distinct_and_namespaced(&errors, "complaint.");
}

/// A reveal shows outside who read and when, never the key reference nor the reader's
/// free-text purpose (it may well name what was read for).
#[test]
fn the_public_view_of_a_reveal_names_the_reader_not_the_key_or_the_purpose() {
    use crate::event::PublicView;
    let event = ComplaintEvent::Revealed {
        key_ref: "key:cmp-1".into(),
        purpose: text("回访王小明"),
        by: person("sec-xiaoyuan"),
        at: at(MEAL_DUE),
    };
    let public = event.public_view().expect("a public view");
    let fields = &public["Revealed"];
    assert!(fields.get("key_ref").is_none(), "{public}");
    assert!(fields.get("purpose").is_none(), "{public}");
    assert_eq!(fields["by"], "sec-xiaoyuan");
    assert!(!public.to_string().contains("王小明"), "{public}");
}

/// A refusal reads in Chinese: the state and the request by the names users read, never the
/// machine names the code and the events use.
#[test]
fn a_refused_transition_names_the_state_and_the_request_in_chinese() {
    assert_eq!(
        invalid("closed", "respond").to_string(),
        "投诉处于“已办结”状态，不能答复"
    );
    assert_eq!(
        invalid("not_received", "designate_handler").to_string(),
        "投诉处于“未受理”状态，不能指定承办人"
    );
}
