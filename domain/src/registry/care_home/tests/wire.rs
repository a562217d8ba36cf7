//! Events and errors on the wire.

use super::fixtures::*;
use crate::testing::fixtures::{assert_codes_distinct_and_namespaced, assert_round_trips};

#[test]
fn events_round_trip_and_error_codes_are_namespaced() {
    for event in revoked() {
        assert_round_trips(&event);
    }
    assert_codes_distinct_and_namespaced(
        &[
            CareHomeError::UnknownCampaign {
                campaign: campaign(),
            },
            invalid("revoked", "record_inspection"),
            CareHomeError::DeadlinePassed {
                deadline: deadline("2026-03-09"),
            },
            CareHomeError::RectificationStillRunning { due_at: at(DUE) },
            CareHomeError::Unratable,
            CareHomeError::NoFailedRectification,
            CareHomeError::NoViolation,
            CareHomeError::AlreadyBlacklisted {
                until: deadline("2027-05-05"),
            },
            CareHomeError::NotBlacklisted,
        ],
        "care_home.",
    );
}

/// A refusal reads in Chinese: the state and the request by the names users read.
#[test]
fn a_refused_transition_names_the_state_and_the_request_in_chinese() {
    assert_eq!(
        invalid("revoked", "order_rectification").to_string(),
        "养老机构处于“已取消运营资格”状态，不能责令限期整改"
    );
}
