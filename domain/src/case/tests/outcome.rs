//! 成效指标 of a case: records add with evidence once the case is opened, corrections deduct
//! with a reason and never below zero.

use super::fixtures::*;
use crate::case::*;
use crate::testing::fixtures::evidence_ref;
use crate::values::{EvidenceRef, OutcomeIndicators, OutcomeTotals, Yuan};

fn evidence() -> EvidenceRef {
    evidence_ref(
        "追缴凭证.pdf",
        "application/pdf",
        "https://files.example/case-1/1.pdf",
    )
}

fn recovered(funds: &str, people: u32) -> OutcomeIndicators {
    OutcomeIndicators::new(yuan(funds), people, Yuan::ZERO).expect("valid")
}

fn totals(funds: &str, people: u32) -> OutcomeTotals {
    OutcomeTotals {
        funds_recovered: yuan(funds),
        people_affected: people,
        subsidies_returned: Yuan::ZERO,
    }
}

fn record(indicators: OutcomeIndicators) -> CaseCommand {
    CaseCommand::RecordOutcome {
        indicators,
        evidence: vec![evidence()],
    }
}

fn recorded(indicators: OutcomeIndicators, after: OutcomeTotals) -> CaseEvent {
    CaseEvent::OutcomeRecorded {
        indicators,
        evidence: vec![evidence()],
        totals: after,
        by: secretary(),
        at: at(NOW),
    }
}

#[test]
fn records_add_to_the_case_totals() {
    let mut history = vec![clue_registered(), opened()];
    history.push(recorded(recovered("386500", 40), totals("386500", 40)));
    framework()
        .given(history.clone())
        .when(cmd(record(recovered("0.50", 2))))
        .then_expect_events(vec![recorded(
            recovered("0.50", 2),
            totals("386500.50", 42),
        )]);
    history.push(recorded(recovered("0.50", 2), totals("386500.50", 42)));
    let case: Case = crate::testing::fixtures::replay(history);
    assert_eq!(case.outcome, totals("386500.50", 42));
}

#[test]
fn a_closed_case_still_records_but_a_clue_does_not() {
    framework()
        .given(closed_case())
        .when(cmd(record(recovered("100", 0))))
        .then_expect_events(vec![recorded(recovered("100", 0), totals("100", 0))]);
    framework()
        .given(vec![clue_registered()])
        .when(cmd(record(recovered("100", 0))))
        .then_expect_error(invalid("clue_registered", "record_outcome"));
    framework()
        .given(vec![clue_registered()])
        .when(cmd(CaseCommand::CorrectOutcome {
            deduct: recovered("100", 0),
            reason: text("误录"),
        }))
        .then_expect_error(invalid("clue_registered", "correct_outcome"));
}

#[test]
fn a_record_needs_evidence() {
    framework()
        .given(vec![clue_registered(), opened()])
        .when(cmd(CaseCommand::RecordOutcome {
            indicators: recovered("100", 0),
            evidence: vec![],
        }))
        .then_expect_error(CaseError::EvidenceRequired);
}

#[test]
fn a_correction_deducts_never_below_zero() {
    let history = vec![
        clue_registered(),
        opened(),
        recorded(recovered("386500", 40), totals("386500", 40)),
    ];
    framework()
        .given(history.clone())
        .when(cmd(CaseCommand::CorrectOutcome {
            deduct: recovered("0", 4),
            reason: text("重复统计 4 人"),
        }))
        .then_expect_events(vec![CaseEvent::OutcomeCorrected {
            deducted: recovered("0", 4),
            reason: text("重复统计 4 人"),
            totals: totals("386500", 36),
            by: secretary(),
            at: at(NOW),
        }]);
    framework()
        .given(history)
        .when(cmd(CaseCommand::CorrectOutcome {
            deduct: recovered("386500.01", 0),
            reason: text("更正"),
        }))
        .then_expect_error(CaseError::CorrectionExceedsTotals {
            totals: totals("386500", 40),
            correction: recovered("386500.01", 0),
        });
}

#[test]
fn totals_that_would_overflow_are_refused() {
    let most = OutcomeIndicators::new(Yuan::from_fen(u64::MAX), 0, Yuan::ZERO).expect("valid");
    framework()
        .given(vec![
            clue_registered(),
            opened(),
            recorded(most, most.into()),
        ])
        .when(cmd(record(recovered("0.01", 0))))
        .then_expect_error(CaseError::OutcomeOverflow);
}
