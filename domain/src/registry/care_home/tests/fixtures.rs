//! The care home's test world: an inspector, a home rated and ordered to rectify.

use cqrs_es::test::TestFramework;

pub(super) use super::super::*;
use crate::testing::default_services;
pub(super) use crate::testing::fixtures::{at, campaign, code, person, score, text};
use crate::values::{Deadline, PersonId, Stars};
use crate::{Command, Stamp};

pub(super) fn framework() -> TestFramework<CareHome> {
    TestFramework::with(default_services())
}

pub(super) const NOW: &str = "2026-03-10T02:00:00Z";
/// 24:00 of 2026-04-30 in Beijing.
pub(super) const DUE: &str = "2026-04-30T16:00:00Z";
pub(super) const AFTER: &str = "2026-05-06T02:00:00Z";

pub(super) fn inspector() -> PersonId {
    person("minzheng-officer")
}

pub(super) fn stars(n: u8) -> Stars {
    Stars::parse(n).expect("stars")
}

pub(super) fn deadline(s: &str) -> Deadline {
    Deadline::parse(s).expect("deadline")
}

pub(super) fn cmd_at(when: &str, body: CareHomeCommand) -> Command<CareHomeCommand> {
    Command::new(
        Stamp {
            at: at(when),
            actor: inspector(),
        },
        body,
    )
}

pub(super) fn cmd(body: CareHomeCommand) -> Command<CareHomeCommand> {
    cmd_at(NOW, body)
}

pub(super) fn scores(facilities: f64, services: f64, staff: f64) -> DimensionScores {
    DimensionScores {
        facilities: score(facilities),
        services: score(services),
        staff: score(staff),
    }
}

pub(super) fn inspect(s: DimensionScores) -> CareHomeCommand {
    CareHomeCommand::RecordInspection {
        campaign: campaign(),
        scores: s,
        findings: text("消防通道畅通，膳食记录齐全"),
    }
}

/// The event of [`inspect`] under the default settings (equal weights, bands 60/70/80/90).
pub(super) fn inspected(s: DimensionScores, total: f64, n: u8) -> CareHomeEvent {
    CareHomeEvent::Inspected {
        campaign: campaign(),
        scores: s,
        rating: crate::settings::CareHomeRating::default(),
        total: score(total),
        stars: stars(n),
        findings: text("消防通道畅通，膳食记录齐全"),
        by: inspector(),
        at: at(NOW),
    }
}

pub(super) fn order(d: &str) -> CareHomeCommand {
    CareHomeCommand::OrderRectification {
        campaign: campaign(),
        violations: text("克扣老人伙食费"),
        deadline: deadline(d),
        item: code("YL-2026-0007"),
    }
}

pub(super) fn ordered() -> CareHomeEvent {
    CareHomeEvent::RectificationOrdered {
        campaign: campaign(),
        violations: text("克扣老人伙食费"),
        deadline: deadline("2026-04-30"),
        due_at: at(DUE),
        item: code("YL-2026-0007"),
        by: inspector(),
        at: at(NOW),
    }
}

pub(super) fn result(outcome: RectificationOutcome) -> CareHomeCommand {
    CareHomeCommand::RecordRectificationResult {
        outcome,
        notes: text("复查"),
    }
}

pub(super) fn failed() -> Vec<CareHomeEvent> {
    vec![
        inspected(scores(50.0, 55.0, 60.0), 55.0, 1),
        ordered(),
        CareHomeEvent::RectificationFailed {
            notes: text("复查"),
            failures: 1,
            by: inspector(),
            at: at(AFTER),
        },
    ]
}

pub(super) fn revoked() -> Vec<CareHomeEvent> {
    let mut events = failed();
    events.push(CareHomeEvent::LicenceRevoked {
        reason: text("整改不到位，屡查屡犯"),
        failures: 1,
        by: inspector(),
        at: at(AFTER),
    });
    events
}

pub(super) fn invalid(state: &'static str, request: &'static str) -> CareHomeError {
    CareHomeError::InvalidTransition { state, request }
}
