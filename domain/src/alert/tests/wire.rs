//! Events and errors on the wire: JSON round trip, money as a string, public view, scope,
//! error codes.

use super::fixtures::*;
use crate::alert::*;
use crate::event::{PublicView, Scoped};
use crate::settings::Field;
use crate::testing::fixtures::{assert_codes_distinct_and_namespaced, assert_round_trips};

#[test]
fn events_round_trip_and_money_travels_as_a_decimal_string() {
    for event in [
        received(),
        triaged(RECEIVED, to_item(), false),
        missed(DUE, schedule()),
    ] {
        assert_round_trips(&event);
    }
    let public = received().public_view().expect("a public view");
    assert_eq!(public["Received"]["amount_involved"], "38650.50");
    assert_eq!(public["Received"]["reference"], "YBJK-2026-000123");
    let triaged = serde_json::to_value(triaged(RECEIVED, to_item(), false)).expect("json");
    assert_eq!(
        triaged["Triaged"]["triage"]["decision"],
        "escalated_to_item"
    );
}

#[test]
fn the_scope_is_the_campaign_medical_insurance_and_the_institution() {
    let scope = fold(vec![received()]).scope();
    assert_eq!(scope.campaign, Some(campaign()));
    assert_eq!(scope.field, Some(Field::MedicalInsurance));
    assert_eq!(scope.units, vec![unit("county-hospital")]);
    assert_eq!(Alert::default().scope(), crate::event::Scope::default());
}

#[test]
fn error_codes_are_stable_and_namespaced() {
    let errors = [
        AlertError::UnknownCampaign {
            campaign: campaign(),
        },
        AlertError::Duplicate {
            reference: reference(),
        },
        AlertError::WrongAlertId {
            reference: reference(),
            named: this_alert(),
            expected: this_alert(),
        },
        invalid("triaged", "triage"),
        AlertError::AlreadyTriaged,
        AlertError::NoReasons,
        AlertError::MergeIntoItself,
        AlertError::TriageNotYetDue {
            triage_due: at(DUE),
        },
        AlertError::TriageAlreadyMissed,
    ];
    assert_codes_distinct_and_namespaced(&errors, "alert.");
}

/// A refusal reads in Chinese: the state and the request by the names users read.
#[test]
fn a_refused_transition_names_the_state_and_the_request_in_chinese() {
    assert_eq!(
        invalid("triaged", "triage").to_string(),
        "预警处于“已研判处置”状态，不能研判处置"
    );
}
