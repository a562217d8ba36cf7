//! Given/when/then tests of the care home: stars, rectification and licence revocation.

use cqrs_es::test::TestFramework;

use super::*;
use crate::testing::fixtures::{
    assert_codes_distinct_and_namespaced, assert_round_trips, at, campaign, person, score, text,
};
use crate::testing::{default_services, without_campaigns};
use crate::values::{Deadline, PersonId, Stars};
use crate::{Command, Stamp};

fn framework() -> TestFramework<CareHome> {
    TestFramework::with(default_services())
}

const NOW: &str = "2026-03-10T02:00:00Z";
/// 24:00 of 2026-04-30 in Beijing.
const DUE: &str = "2026-04-30T16:00:00Z";

fn inspector() -> PersonId {
    person("inspector-1")
}

fn stars(n: u8) -> Stars {
    Stars::parse(n).expect("stars")
}

fn deadline(s: &str) -> Deadline {
    Deadline::parse(s).expect("deadline")
}

fn cmd_at(when: &str, body: CareHomeCommand) -> Command<CareHomeCommand> {
    Command::new(
        Stamp {
            at: at(when),
            actor: inspector(),
        },
        body,
    )
}

fn cmd(body: CareHomeCommand) -> Command<CareHomeCommand> {
    cmd_at(NOW, body)
}

fn inspect(v: f64) -> CareHomeCommand {
    CareHomeCommand::RecordInspection {
        campaign: campaign(),
        score: score(v),
        findings: text("消防通道畅通，膳食记录齐全"),
    }
}

fn inspected(v: f64, n: u8) -> CareHomeEvent {
    CareHomeEvent::Inspected {
        campaign: campaign(),
        score: score(v),
        stars: stars(n),
        findings: text("消防通道畅通，膳食记录齐全"),
        by: inspector(),
        at: at(NOW),
    }
}

fn order(d: &str) -> CareHomeCommand {
    CareHomeCommand::OrderRectification {
        campaign: campaign(),
        violations: text("克扣老人伙食费"),
        deadline: deadline(d),
    }
}

fn ordered() -> CareHomeEvent {
    CareHomeEvent::RectificationOrdered {
        campaign: campaign(),
        violations: text("克扣老人伙食费"),
        deadline: deadline("2026-04-30"),
        due_at: at(DUE),
        by: inspector(),
        at: at(NOW),
    }
}

fn result(outcome: RectificationOutcome) -> CareHomeCommand {
    CareHomeCommand::RecordRectificationResult {
        outcome,
        notes: text("复查"),
    }
}

fn revoked() -> Vec<CareHomeEvent> {
    vec![
        inspected(55.0, 1),
        ordered(),
        CareHomeEvent::RectificationFailed {
            notes: text("复查"),
            by: inspector(),
            at: at(DUE),
        },
        CareHomeEvent::LicenceRevoked {
            reason: text("克扣老人伙食费"),
            by: inspector(),
            at: at(DUE),
        },
    ]
}

fn invalid(state: &'static str, request: &'static str) -> CareHomeError {
    CareHomeError::InvalidTransition { state, request }
}

// ---- stars ----

#[test]
fn stars_follow_fixed_bands() {
    for (v, n) in [
        (100.0, 5),
        (90.0, 5),
        (89.99, 4),
        (80.0, 4),
        (79.5, 3),
        (70.0, 3),
        (69.0, 2),
        (60.0, 2),
        (59.99, 1),
        (0.0, 1),
    ] {
        assert_eq!(stars_for(score(v)), Some(stars(n)), "score {v}");
    }
}

// ---- inspection ----

#[test]
fn a_scored_inspection_rates_the_home() {
    framework()
        .given_no_previous_events()
        .when(cmd(inspect(85.0)))
        .then_expect_events(vec![inspected(85.0, 4)]);
    // A home under rectification may be re-inspected.
    framework()
        .given(vec![inspected(55.0, 1), ordered()])
        .when(cmd(inspect(92.0)))
        .then_expect_events(vec![inspected(92.0, 5)]);
}

#[test]
fn an_inspection_needs_a_known_campaign_and_a_licensed_home() {
    let services = without_campaigns(default_services());
    TestFramework::<CareHome>::with(services)
        .given_no_previous_events()
        .when(cmd(inspect(85.0)))
        .then_expect_error(CareHomeError::UnknownCampaign {
            campaign: campaign(),
        });
    framework()
        .given(revoked())
        .when(cmd(inspect(95.0)))
        .then_expect_error(invalid("revoked", "record_inspection"));
}

// ---- rectification order ----

#[test]
fn a_violating_home_is_ordered_to_rectify_by_local_midnight() {
    framework()
        .given(vec![inspected(55.0, 1)])
        .when(cmd(order("2026-04-30")))
        .then_expect_events(vec![ordered()]);
    // Today is still a valid deadline: due at 24:00 tonight.
    let result = framework()
        .given_no_previous_events()
        .when(cmd(order("2026-03-10")))
        .inspect_result();
    assert!(matches!(
        result.as_deref(),
        Ok([CareHomeEvent::RectificationOrdered { due_at, .. }]) if *due_at == at("2026-03-10T16:00:00Z")
    ));
}

#[test]
fn a_rectification_order_is_refused_when_its_deadline_passed_or_one_is_running() {
    framework()
        .given(vec![inspected(55.0, 1)])
        .when(cmd(order("2026-03-09")))
        .then_expect_error(CareHomeError::DeadlinePassed {
            deadline: deadline("2026-03-09"),
        });
    framework()
        .given(vec![inspected(55.0, 1), ordered()])
        .when(cmd(order("2026-05-31")))
        .then_expect_error(invalid("under_rectification", "order_rectification"));
    framework()
        .given(revoked())
        .when(cmd(order("2026-05-31")))
        .then_expect_error(invalid("revoked", "order_rectification"));
    let services = without_campaigns(default_services());
    TestFramework::<CareHome>::with(services)
        .given(vec![inspected(55.0, 1)])
        .when(cmd(order("2026-04-30")))
        .then_expect_error(CareHomeError::UnknownCampaign {
            campaign: campaign(),
        });
}

// ---- rectification result ----

#[test]
fn a_passed_rectification_is_on_time_before_the_deadline_and_late_after_it() {
    for (when, on_time) in [("2026-04-30T15:59:59Z", true), (DUE, false)] {
        framework()
            .given(vec![inspected(55.0, 1), ordered()])
            .when(cmd_at(when, result(RectificationOutcome::Passed)))
            .then_expect_events(vec![CareHomeEvent::RectificationPassed {
                notes: text("复查"),
                on_time,
                by: inspector(),
                at: at(when),
            }]);
    }
}

#[test]
fn a_failed_rectification_revokes_the_licence() {
    framework()
        .given(vec![inspected(55.0, 1), ordered()])
        .when(cmd_at(DUE, result(RectificationOutcome::Failed)))
        .then_expect_events(revoked().split_off(2));
}

#[test]
fn a_failure_waits_for_the_deadline_and_a_result_needs_an_order() {
    framework()
        .given(vec![inspected(55.0, 1), ordered()])
        .when(cmd_at(
            "2026-04-30T15:59:59Z",
            result(RectificationOutcome::Failed),
        ))
        .then_expect_error(CareHomeError::RectificationStillRunning { due_at: at(DUE) });
    framework()
        .given(vec![inspected(55.0, 1)])
        .when(cmd(result(RectificationOutcome::Passed)))
        .then_expect_error(invalid("operating", "record_rectification_result"));
    framework()
        .given(revoked())
        .when(cmd(result(RectificationOutcome::Passed)))
        .then_expect_error(invalid("revoked", "record_rectification_result"));
}

// ---- wire format ----

#[test]
fn events_round_trip_and_error_codes_are_namespaced() {
    for event in revoked() {
        assert_round_trips(&event);
    }
    let errors = [
        CareHomeError::UnknownCampaign {
            campaign: campaign(),
        },
        invalid("revoked", "record_inspection"),
        CareHomeError::DeadlinePassed {
            deadline: deadline("2026-01-01"),
        },
        CareHomeError::RectificationStillRunning { due_at: at(DUE) },
        CareHomeError::UnratableScore { score: 1.0 },
    ];
    assert_codes_distinct_and_namespaced(&errors, "care_home.");
}
