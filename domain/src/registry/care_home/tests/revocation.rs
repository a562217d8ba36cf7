//! 取消运营资格: an explicit decision, only after a failed rectification, and final.

use super::fixtures::*;

#[test]
fn the_licence_is_revoked_by_decision_after_a_failure() {
    let revoke = CareHomeCommand::RevokeLicence {
        reason: text("整改不到位，屡查屡犯"),
    };
    framework()
        .given(failed())
        .when(cmd_at(AFTER, revoke.clone()))
        .then_expect_events(vec![CareHomeEvent::LicenceRevoked {
            reason: text("整改不到位，屡查屡犯"),
            failures: 1,
            by: inspector(),
            at: at(AFTER),
        }]);
    // Without a failed rectification there is nothing to escalate from.
    for history in [vec![], vec![ordered()]] {
        framework()
            .given(history)
            .when(cmd_at(AFTER, revoke.clone()))
            .then_expect_error(CareHomeError::NoFailedRectification);
    }
}

#[test]
fn a_revoked_home_stays_revoked() {
    let home = crate::testing::fixtures::replay::<CareHome>(revoked());
    assert_eq!(home.status, CareHomeStatus::Revoked);
    assert_eq!(home.revoked_at, Some(at(AFTER)));
    for (body, request) in [
        (
            CareHomeCommand::RevokeLicence {
                reason: text("再次"),
            },
            "revoke_licence",
        ),
        (order("2026-06-30"), "order_rectification"),
    ] {
        framework()
            .given(revoked())
            .when(cmd_at(AFTER, body))
            .then_expect_error(invalid("revoked", request));
    }
}
