//! Error codes and events as integrators see them.

use super::fixtures::*;
use crate::campaign::*;
use crate::testing::fixtures::{assert_codes_distinct_and_namespaced, assert_round_trips};

#[test]
fn error_codes_are_stable_and_dotted() {
    assert_eq!(CampaignError::NotFound.code(), "campaign.not_found");
    assert_eq!(
        CampaignError::UnknownUnit(unit("x")).code(),
        "campaign.unknown_unit"
    );
    assert!(CampaignError::SettingsUnchanged
        .code()
        .starts_with("campaign."));
    assert_codes_distinct_and_namespaced(
        &[
            CampaignError::NotFound,
            CampaignError::UnknownUnit(unit("x")),
            CampaignError::SettingsUnchanged,
        ],
        "campaign.",
    );
}

#[test]
fn events_round_trip_through_json_and_name_their_type() {
    use cqrs_es::DomainEvent;
    let event = created();
    assert_eq!(event.event_type(), "rectiflow.campaign.created");
    assert_round_trips(&event);
}
