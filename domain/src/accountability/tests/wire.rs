//! Events and errors on the wire: JSON round trip, who and when, scope, error codes.

use super::fixtures::*;
use crate::accountability::*;
use crate::event::{Attributed, Scoped};
use crate::testing::fixtures::{assert_codes_distinct_and_namespaced, assert_round_trips};

#[test]
fn events_round_trip_through_json_and_read_who_and_when() {
    for event in [
        proposed(),
        decided(Outcome::OrganisationalHandling),
        withdrawn(),
    ] {
        assert_round_trips(&event);
    }
    assert_eq!(proposed().by(), &policy());
    assert_eq!(proposed().at(), at(PROPOSED));
    let json = serde_json::to_value(proposed()).expect("json");
    assert_eq!(
        json["Proposed"]["grounds"][0]["kind"],
        "repeated_admonishment"
    );
}

#[test]
fn the_scope_is_the_campaign_and_the_unit_charged() {
    let scope = fold(vec![proposed()]).scope();
    assert_eq!(scope.campaign, Some(campaign()));
    assert_eq!(scope.units, vec![unit("county-hospital")]);
    assert_eq!(
        Accountability::default().scope(),
        crate::event::Scope::default()
    );
}

#[test]
fn error_codes_are_stable_and_namespaced() {
    let errors = [
        AccountabilityError::UnknownCampaign {
            campaign: campaign(),
        },
        invalid("decided", "withdraw"),
        AccountabilityError::NoGrounds,
        AccountabilityError::RepeatedGroundTwice,
        AccountabilityError::NoItemsForRole,
        AccountabilityError::SameAdmonishment {
            admonishment: admonishment("a"),
        },
        AccountabilityError::OutsideReferralWindow {
            earlier: at(EARLIER_CUT_OFF),
            later: at(LATER_CUT_OFF),
            window_days: 182,
        },
        AccountabilityError::WrongCaseId {
            named: case_id(),
            expected: case_id(),
        },
        AccountabilityError::NoReasons,
        AccountabilityError::AlreadyDecided,
        AccountabilityError::NotExcusable,
        AccountabilityError::ExemptionContradictsOutcome {
            outcome: Outcome::PublicCriticism,
        },
    ];
    assert_codes_distinct_and_namespaced(&errors, "accountability.");
}

#[test]
fn refusals_read_in_chinese() {
    for status in AccountabilityStatus::ALL {
        assert!(!status.label().is_ascii(), "{}", status.as_str());
    }
    assert_eq!(
        invalid("decided", "withdraw").to_string(),
        "问责案件处于“已作出决定”状态，不能撤回问责建议"
    );
    assert_eq!(
        AccountabilityError::ExemptionContradictsOutcome {
            outcome: Outcome::PublicCriticism,
        }
        .to_string(),
        "已认定容错免责的，问责方式只能为不予问责，不能为“通报批评”"
    );
    assert_eq!(
        AccountabilityError::OutsideReferralWindow {
            earlier: at(EARLIER_CUT_OFF),
            later: at(LATER_CUT_OFF),
            window_days: 182,
        }
        .to_string(),
        "两次约谈提醒的时点为 2026-02-28 16:00:00 UTC、2026-06-30 16:00:00 UTC：\
         后一次须晚于前一次，且相隔不超过 182 天"
    );
}
