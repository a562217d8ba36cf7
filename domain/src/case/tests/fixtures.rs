//! Fixtures shared by the case tests: a clue from a data alert, the case opened on it, its
//! investigations and repair items.

use cqrs_es::test::TestFramework;

use crate::case::*;
use crate::settings::Field;
pub(super) use crate::testing::fixtures::{at, campaign, code, person, text, unit};
pub(super) use crate::testing::{default_services, without_campaigns};
use crate::values::{CaseId, ClueId, PersonId, TaskForceId, Yuan};
use crate::{Command, Stamp};

pub(super) const NOW: &str = "2026-03-10T02:00:00Z";

/// The officer running the case: in the test directory they hold the secretariat's and
/// discipline inspection's roles (see [`crate::testing::officer_directory`]); the parties each
/// request needs are shown in `roles.rs`.
pub(super) fn secretary() -> PersonId {
    crate::testing::fixtures::officer()
}

pub(super) fn cmd(body: CaseCommand) -> Command<CaseCommand> {
    Command::new(
        Stamp {
            at: at(NOW),
            actor: secretary(),
        },
        body,
    )
}

pub(super) fn framework() -> TestFramework<Case> {
    TestFramework::with(default_services())
}

pub(super) fn alert_source() -> ClueSource {
    ClueSource::DataAlert {
        system: text("医保智能监控平台"),
        alert_ref: text("YBJK-2026-000123"),
    }
}

pub(super) fn register() -> CaseCommand {
    CaseCommand::RegisterClue {
        campaign: campaign(),
        case: CaseId::parse("case-1").expect("id"),
        clue: ClueId::parse("clue-1").expect("id"),
        source: alert_source(),
        field: Field::MedicalInsurance,
        summary: text("某卫生院虚假住院套取医保基金"),
    }
}

pub(super) fn clue_registered() -> CaseEvent {
    CaseEvent::ClueRegistered {
        campaign: campaign(),
        case: CaseId::parse("case-1").expect("id"),
        clue: ClueId::parse("clue-1").expect("id"),
        source: alert_source(),
        field: Field::MedicalInsurance,
        task_force: Some(yibao()),
        summary: text("某卫生院虚假住院套取医保基金"),
        by: secretary(),
        at: at("2026-03-01T02:00:00Z"),
    }
}

/// The medical-insurance task force (医保专班) of the test campaign.
pub(super) fn yibao() -> TaskForceId {
    TaskForceId::parse("yibao").expect("id")
}

pub(super) fn opened() -> CaseEvent {
    CaseEvent::CaseOpened {
        subject_unit: unit("xx-health-center"),
        supervising_unit: unit("county-healthcare-security-bureau"),
        by: secretary(),
        at: at("2026-03-02T02:00:00Z"),
    }
}

pub(super) fn started(track: InvestigationTrack) -> CaseEvent {
    CaseEvent::InvestigationStarted {
        track,
        by: secretary(),
        at: at("2026-03-03T02:00:00Z"),
    }
}

pub(super) fn yuan(s: &str) -> Yuan {
    Yuan::parse(s).expect("an amount")
}

pub(super) fn concluded(track: InvestigationTrack) -> CaseEvent {
    CaseEvent::InvestigationConcluded {
        track,
        findings: text("查实"),
        persons_named: vec![person("wang-director")],
        amount_involved: yuan("386500.00"),
        disposition: Disposition::PartyDiscipline,
        by: secretary(),
        at: at("2026-03-05T02:00:00Z"),
    }
}

pub(super) fn spawned(c: &str) -> CaseEvent {
    CaseEvent::RepairItemSpawned {
        code: code(c),
        unit: unit("county-healthcare-security-bureau"),
        title: text("建立住院病历抽查制度"),
        by: secretary(),
        at: at("2026-03-04T02:00:00Z"),
    }
}

pub(super) fn repair_closed(c: &str) -> CaseEvent {
    CaseEvent::RepairItemClosed {
        code: code(c),
        by: secretary(),
        at: at("2026-03-06T02:00:00Z"),
    }
}

pub(super) fn repair_withdrawn(c: &str) -> CaseEvent {
    CaseEvent::RepairItemWithdrawn {
        code: code(c),
        reason: text("与 YB-2026-0001 重复"),
        by: secretary(),
        at: at("2026-03-06T02:00:00Z"),
    }
}

pub(super) fn no_repair_needed() -> CaseEvent {
    CaseEvent::NoRepairNeededRecorded {
        reasons: text("个人违纪，现行制度已覆盖"),
        by: secretary(),
        at: at("2026-03-06T02:00:00Z"),
    }
}

pub(super) fn closed() -> CaseEvent {
    CaseEvent::CaseClosed {
        by: secretary(),
        at: at("2026-03-07T02:00:00Z"),
    }
}

/// An open case with both investigations concluded and repair item `YB-2026-0101` closed.
pub(super) fn ready_to_close() -> Vec<CaseEvent> {
    vec![
        clue_registered(),
        opened(),
        started(InvestigationTrack::Direct),
        started(InvestigationTrack::Supervisory),
        spawned("YB-2026-0101"),
        concluded(InvestigationTrack::Direct),
        concluded(InvestigationTrack::Supervisory),
        repair_closed("YB-2026-0101"),
    ]
}

/// An open case with both investigations concluded and no repair item.
pub(super) fn investigated() -> Vec<CaseEvent> {
    vec![
        clue_registered(),
        opened(),
        started(InvestigationTrack::Direct),
        started(InvestigationTrack::Supervisory),
        concluded(InvestigationTrack::Direct),
        concluded(InvestigationTrack::Supervisory),
    ]
}

/// Closed (结案) once both investigations and the repair item were done.
pub(super) fn closed_case() -> Vec<CaseEvent> {
    let mut events = ready_to_close();
    events.push(closed());
    events
}

/// A refused transition; its message names the state and the request in Chinese.
pub(super) fn invalid(state: &'static str, request: &'static str) -> CaseError {
    let error = CaseError::InvalidTransition { state, request };
    let message = error.to_string();
    assert!(
        !message.chars().any(|c| c.is_ascii_alphabetic()),
        "{state}/{request} has no Chinese name: {message}"
    );
    error
}
