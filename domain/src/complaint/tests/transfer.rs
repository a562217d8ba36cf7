//! Transfer (首接负责制): the handling moves, the accountability stays.

use super::fixtures::*;
use crate::complaint::*;

#[test]
fn a_transfer_moves_the_handling_but_not_the_accountability() {
    framework()
        .given(vec![received()])
        .when(cmd_at(
            "2026-03-10T03:00:00Z",
            ComplaintCommand::Transfer {
                to: unit("market-regulation"),
                reason: text("属市场监管职责"),
            },
        ))
        .then_expect_events(vec![transferred(
            "county-education-bureau",
            "market-regulation",
        )]);
    let complaint = fold(vec![
        received(),
        transferred("county-education-bureau", "market-regulation"),
        transferred("market-regulation", "township-a"),
    ]);
    assert_eq!(complaint.handling_unit, Some(unit("township-a")));
    assert_eq!(
        complaint.accountable_unit(),
        Some(&unit("county-education-bureau"))
    );
    assert_eq!(complaint.transfers, 2);
}

#[test]
fn a_transfer_needs_an_open_complaint_and_another_unit() {
    let transfer = |to: &str| ComplaintCommand::Transfer {
        to: unit(to),
        reason: text("转办"),
    };
    framework()
        .given_no_previous_events()
        .when(cmd(transfer("x")))
        .then_expect_error(invalid("not_received", "transfer"));
    framework()
        .given(vec![received()])
        .when(cmd(transfer("county-education-bureau")))
        .then_expect_error(ComplaintError::AlreadyWithUnit {
            unit: unit("county-education-bureau"),
        });
    framework()
        .given(vec![received(), resolved()])
        .when(cmd(transfer("x")))
        .then_expect_error(invalid("resolved", "transfer"));
}
