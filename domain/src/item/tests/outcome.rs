//! 成效指标 — outcome indicators: each record adds with its own evidence, a correction deducts
//! with a reason (never below zero), a verified sign-off adds what its request carried, and a
//! withdrawn item records none.

use super::fixtures::*;
use crate::item::*;
use crate::values::{OutcomeIndicators, OutcomeTotals, Yuan};

fn yuan(s: &str) -> Yuan {
    Yuan::parse(s).expect("an amount")
}

fn recovered(funds: &str, people: u32) -> OutcomeIndicators {
    OutcomeIndicators::new(yuan(funds), people, Yuan::ZERO).expect("valid")
}

fn totals(funds: &str, people: u32, subsidies: &str) -> OutcomeTotals {
    OutcomeTotals {
        funds_recovered: yuan(funds),
        people_affected: people,
        subsidies_returned: yuan(subsidies),
    }
}

fn record(indicators: OutcomeIndicators) -> ItemCommand {
    ItemCommand::RecordOutcome {
        indicators,
        evidence: vec![evidence()],
    }
}

fn recorded(indicators: OutcomeIndicators, after: OutcomeTotals) -> ItemEvent {
    ItemEvent::OutcomeRecorded {
        indicators,
        evidence: vec![evidence()],
        totals: after,
        by: sec(),
        at: local(2026, 3, 12, 9, 0),
    }
}

#[test]
fn each_record_adds_to_the_totals() {
    let at = local(2026, 3, 12, 9, 0);
    let mut history = in_progress();
    history.push(recorded(recovered("360000", 12), totals("360000", 12, "0")));
    let returned = OutcomeIndicators::new(Yuan::ZERO, 0, yuan("1500.50")).expect("valid");
    framework()
        .given(history.clone())
        .when(cmd(at, sec(), record(returned)))
        .then_expect_events(vec![recorded(returned, totals("360000", 12, "1500.50"))]);
    history.push(recorded(returned, totals("360000", 12, "1500.50")));
    assert_eq!(fold(&history).outcome(), totals("360000", 12, "1500.50"));
}

#[test]
fn a_record_needs_evidence() {
    framework()
        .given(in_progress())
        .when(cmd(
            local(2026, 3, 12, 9, 0),
            sec(),
            ItemCommand::RecordOutcome {
                indicators: recovered("100", 0),
                evidence: vec![],
            },
        ))
        .then_expect_error(ItemError::EvidenceRequired);
}

#[test]
fn recoveries_after_sign_off_still_count_but_not_on_a_withdrawn_item() {
    let at = local(2026, 5, 12, 9, 0);
    framework()
        .given(closed())
        .when(cmd(at, sec(), record(recovered("100", 0))))
        .then_expect_events(vec![ItemEvent::OutcomeRecorded {
            indicators: recovered("100", 0),
            evidence: vec![evidence()],
            totals: totals("100", 0, "0"),
            by: sec(),
            at,
        }]);
    let mut withdrawn = in_progress();
    withdrawn.push(recorded(recovered("100", 0), totals("100", 0, "0")));
    withdrawn.push(ItemEvent::ItemWithdrawn {
        ground: WithdrawalGround::Duplicate { of: None },
        reason: text("与 YB-2026-0002 重复"),
        by: sec(),
        at: local(2026, 3, 13, 9, 0),
    });
    for (body, request) in [
        (record(recovered("100", 0)), ItemRequest::RecordOutcome),
        (
            ItemCommand::CorrectOutcome {
                deduct: recovered("100", 0),
                reason: text("重复登记"),
            },
            ItemRequest::CorrectOutcome,
        ),
    ] {
        framework()
            .given(withdrawn.clone())
            .when(cmd(at, sec(), body))
            .then_expect_error(ItemError::InvalidTransition {
                state: ItemState::Withdrawn,
                request,
            });
    }
}

#[test]
fn a_correction_deducts_with_a_reason_never_below_zero() {
    let at = local(2026, 3, 13, 9, 0);
    let mut history = in_progress();
    history.push(recorded(
        recovered("3600000", 12),
        totals("3600000", 12, "0"),
    ));
    let typo = recovered("3240000", 0);
    framework()
        .given(history.clone())
        .when(cmd(
            at,
            sec(),
            ItemCommand::CorrectOutcome {
                deduct: typo,
                reason: text("误录一位数：实为 36 万元"),
            },
        ))
        .then_expect_events(vec![ItemEvent::OutcomeCorrected {
            deducted: typo,
            reason: text("误录一位数：实为 36 万元"),
            totals: totals("360000", 12, "0"),
            by: sec(),
            at,
        }]);
    let too_much = recovered("1", 13);
    framework()
        .given(history)
        .when(cmd(
            at,
            sec(),
            ItemCommand::CorrectOutcome {
                deduct: too_much,
                reason: text("更正"),
            },
        ))
        .then_expect_error(ItemError::CorrectionExceedsTotals {
            totals: totals("3600000", 12, "0"),
            correction: too_much,
        });
}

#[test]
fn totals_that_would_overflow_are_refused() {
    let mut history = in_progress();
    let most = OutcomeIndicators::new(Yuan::from_fen(u64::MAX), 0, Yuan::ZERO).expect("valid");
    history.push(recorded(most, most.into()));
    framework()
        .given(history)
        .when(cmd(
            local(2026, 3, 13, 9, 0),
            sec(),
            record(recovered("0.01", 0)),
        ))
        .then_expect_error(ItemError::OutcomeOverflow);
}

/// The 成效 of a sign-off request may carry figures: they count when the request is
/// verified, not when it is made, so a request sent back and made again counts once.
#[test]
fn a_verified_sign_off_adds_the_indicators_its_request_carried() {
    let with_figures = SignOffRequest {
        indicators: Some(recovered("360000", 12)),
        ..sign_off_body()
    };
    let requested_at = local(2026, 3, 20, 9, 0);
    let requested = ItemEvent::SignOffRequested {
        problem: text("挂床住院 12 人次"),
        measures: text("追回资金，约谈院长，完善入院核查制度"),
        result: text("追回 36 万元，建立每日床头核查"),
        indicators: Some(recovered("360000", 12)),
        evidence: vec![evidence()],
        by: zhang(),
        at: requested_at,
    };
    framework()
        .given(in_progress())
        .when(cmd(
            requested_at,
            zhang(),
            ItemCommand::RequestSignOff(with_figures),
        ))
        .then_expect_events(vec![requested.clone()]);
    let mut history = in_progress();
    history.push(requested.clone());
    assert_eq!(fold(&history).outcome(), OutcomeTotals::default());
    let at = local(2026, 3, 25, 10, 0);
    let mut closed = closed_event(at, true, false);
    if let ItemEvent::ItemClosed { outcome, .. } = &mut closed {
        *outcome = Some(recovered("360000", 12));
    }
    framework()
        .given(history.clone())
        .when(cmd(at, sec(), ItemCommand::VerifySignOff { note: None }))
        .then_expect_events(vec![closed.clone()]);
    // Sent back and made again: counted once, at the verification.
    let mut resubmitted = history.clone();
    resubmitted.push(ItemEvent::SignOffRejected {
        reasons: vec![text("佐证不足")],
        send_backs: 1,
        by: sec(),
        at: local(2026, 3, 21, 9, 0),
    });
    assert_eq!(fold(&resubmitted).sign_off_indicators(), None);
    resubmitted.push(requested);
    resubmitted.push(closed);
    assert_eq!(fold(&resubmitted).outcome(), totals("360000", 12, "0"));
}
