//! Given/when/then tests of the case aggregate: every command, its happy path and refusals.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use cqrs_es::test::TestFramework;

use super::*;
use crate::directory::StaticDirectory;
use crate::services::{DomainServices, SettingsSource};
use crate::settings::{CampaignSettings, Field};
use crate::values::{CampaignId, CaseId, ClueId, ComplaintId, ItemCode, PersonId, Text, UnitId};
use crate::{Command, Stamp};

struct NoCampaigns;
impl SettingsSource for NoCampaigns {
    fn settings(&self, _campaign: &CampaignId) -> Option<CampaignSettings> {
        None
    }
}

fn services() -> DomainServices {
    crate::testing::services(StaticDirectory::default()).0
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("test instant")
}

const NOW: &str = "2026-03-10T02:00:00Z";

fn secretary() -> PersonId {
    PersonId::parse("sec-1").expect("id")
}

fn text(s: &str) -> Text {
    Text::parse(s).expect("text")
}

fn code(s: &str) -> ItemCode {
    ItemCode::parse(s).expect("code")
}

fn unit(s: &str) -> UnitId {
    UnitId::parse(s).expect("unit")
}

fn campaign() -> CampaignId {
    CampaignId::parse("qunfu-2026").expect("campaign")
}

fn cmd(body: CaseCommand) -> Command<CaseCommand> {
    Command::new(
        Stamp {
            at: at(NOW),
            actor: secretary(),
        },
        body,
    )
}

fn framework() -> TestFramework<Case> {
    TestFramework::with(services())
}

fn alert_source() -> ClueSource {
    ClueSource::DataAlert {
        system: text("医保智能监控平台"),
        alert_ref: text("YBJK-2026-000123"),
    }
}

fn register() -> CaseCommand {
    CaseCommand::RegisterClue {
        campaign: campaign(),
        case: CaseId::parse("case-1").expect("id"),
        clue: ClueId::parse("clue-1").expect("id"),
        source: alert_source(),
        field: Field::MedicalInsurance,
        summary: text("某卫生院虚假住院套取医保基金"),
    }
}

fn clue_registered() -> CaseEvent {
    CaseEvent::ClueRegistered {
        campaign: campaign(),
        case: CaseId::parse("case-1").expect("id"),
        clue: ClueId::parse("clue-1").expect("id"),
        source: alert_source(),
        field: Field::MedicalInsurance,
        summary: text("某卫生院虚假住院套取医保基金"),
        registered_by: secretary(),
        registered_at: at("2026-03-01T02:00:00Z"),
    }
}

fn opened() -> CaseEvent {
    CaseEvent::CaseOpened {
        subject_unit: unit("xx-health-center"),
        supervising_unit: unit("county-healthcare-security-bureau"),
        opened_by: secretary(),
        opened_at: at("2026-03-02T02:00:00Z"),
    }
}

fn started(track: InvestigationTrack) -> CaseEvent {
    CaseEvent::InvestigationStarted {
        track,
        started_by: secretary(),
        started_at: at("2026-03-03T02:00:00Z"),
    }
}

fn concluded(track: InvestigationTrack) -> CaseEvent {
    CaseEvent::InvestigationConcluded {
        track,
        findings: text("查实"),
        disposition: Disposition::PartyDiscipline,
        concluded_by: secretary(),
        concluded_at: at("2026-03-05T02:00:00Z"),
    }
}

fn spawned(c: &str) -> CaseEvent {
    CaseEvent::RepairItemSpawned {
        code: code(c),
        unit: unit("county-healthcare-security-bureau"),
        title: text("建立住院病历抽查制度"),
        spawned_at: at("2026-03-04T02:00:00Z"),
    }
}

fn repair_closed(c: &str) -> CaseEvent {
    CaseEvent::RepairItemClosed {
        code: code(c),
        recorded_at: at("2026-03-06T02:00:00Z"),
    }
}

fn closed() -> CaseEvent {
    CaseEvent::CaseClosed {
        closed_by: secretary(),
        closed_at: at("2026-03-07T02:00:00Z"),
    }
}

/// An open case with both investigations concluded and repair item `YB-2026-0101` closed.
fn ready_to_close() -> Vec<CaseEvent> {
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

fn invalid(state: &'static str, request: &'static str) -> CaseError {
    CaseError::InvalidTransition { state, request }
}

// ---- register clue ----

#[test]
fn a_clue_from_a_data_alert_is_registered_with_the_alerting_systems_reference() {
    let mut expected = clue_registered();
    if let CaseEvent::ClueRegistered { registered_at, .. } = &mut expected {
        *registered_at = at(NOW);
    }
    framework()
        .given_no_previous_events()
        .when(cmd(register()))
        .then_expect_events(vec![expected]);
}

#[test]
fn a_clue_from_a_complaint_names_the_complaint() {
    let body = CaseCommand::RegisterClue {
        campaign: campaign(),
        case: CaseId::parse("case-2").expect("id"),
        clue: ClueId::parse("clue-2").expect("id"),
        source: ClueSource::Complaint {
            complaint: ComplaintId::parse("cmp-9").expect("id"),
        },
        field: Field::SchoolMeals,
        summary: text("食堂食材以次充好"),
    };
    let events = framework()
        .given_no_previous_events()
        .when(cmd(body))
        .inspect_result()
        .expect("registered");
    assert!(matches!(
        &events[..],
        [CaseEvent::ClueRegistered { source: ClueSource::Complaint { complaint }, .. }]
            if complaint.as_str() == "cmp-9"
    ));
}

#[test]
fn a_clue_for_an_unknown_campaign_is_refused() {
    let services = DomainServices {
        settings: Arc::new(NoCampaigns),
        ..services()
    };
    TestFramework::<Case>::with(services)
        .given_no_previous_events()
        .when(cmd(register()))
        .then_expect_error(CaseError::UnknownCampaign {
            campaign: campaign(),
        });
}

#[test]
fn a_clue_cannot_be_registered_twice_in_one_stream() {
    framework()
        .given(vec![clue_registered()])
        .when(cmd(register()))
        .then_expect_error(invalid("clue_registered", "register_clue"));
}

// ---- open case ----

#[test]
fn a_case_is_opened_on_a_registered_clue() {
    framework()
        .given(vec![clue_registered()])
        .when(cmd(CaseCommand::OpenCase {
            subject_unit: unit("xx-health-center"),
            supervising_unit: unit("county-healthcare-security-bureau"),
        }))
        .then_expect_events(vec![CaseEvent::CaseOpened {
            subject_unit: unit("xx-health-center"),
            supervising_unit: unit("county-healthcare-security-bureau"),
            opened_by: secretary(),
            opened_at: at(NOW),
        }]);
}

#[test]
fn a_case_needs_a_clue_and_opens_once() {
    let open = || CaseCommand::OpenCase {
        subject_unit: unit("a"),
        supervising_unit: unit("b"),
    };
    framework()
        .given_no_previous_events()
        .when(cmd(open()))
        .then_expect_error(invalid("not_registered", "open_case"));
    framework()
        .given(vec![clue_registered(), opened()])
        .when(cmd(open()))
        .then_expect_error(invalid("open", "open_case"));
}

// ---- investigations (一案双查) ----

#[test]
fn each_investigation_is_started_on_an_open_case() {
    for track in InvestigationTrack::ALL {
        framework()
            .given(vec![clue_registered(), opened()])
            .when(cmd(CaseCommand::StartInvestigation { track }))
            .then_expect_events(vec![CaseEvent::InvestigationStarted {
                track,
                started_by: secretary(),
                started_at: at(NOW),
            }]);
    }
}

#[test]
fn an_investigation_needs_an_open_case_and_starts_once() {
    let start = CaseCommand::StartInvestigation {
        track: InvestigationTrack::Direct,
    };
    framework()
        .given(vec![clue_registered()])
        .when(cmd(start.clone()))
        .then_expect_error(invalid("clue_registered", "start_investigation"));
    framework()
        .given(vec![
            clue_registered(),
            opened(),
            started(InvestigationTrack::Direct),
        ])
        .when(cmd(start.clone()))
        .then_expect_error(CaseError::InvestigationAlreadyStarted {
            track: InvestigationTrack::Direct,
        });
    framework()
        .given(vec![
            clue_registered(),
            opened(),
            started(InvestigationTrack::Direct),
            concluded(InvestigationTrack::Direct),
        ])
        .when(cmd(start))
        .then_expect_error(CaseError::InvestigationAlreadyConcluded {
            track: InvestigationTrack::Direct,
        });
}

#[test]
fn an_investigation_concludes_with_findings_and_a_disposition() {
    framework()
        .given(vec![
            clue_registered(),
            opened(),
            started(InvestigationTrack::Supervisory),
        ])
        .when(cmd(CaseCommand::ConcludeInvestigation {
            track: InvestigationTrack::Supervisory,
            findings: text("医保局日常监管缺位"),
            disposition: Disposition::OrganisationalHandling,
        }))
        .then_expect_events(vec![CaseEvent::InvestigationConcluded {
            track: InvestigationTrack::Supervisory,
            findings: text("医保局日常监管缺位"),
            disposition: Disposition::OrganisationalHandling,
            concluded_by: secretary(),
            concluded_at: at(NOW),
        }]);
}

#[test]
fn an_investigation_concludes_only_once_after_starting() {
    let conclude = || CaseCommand::ConcludeInvestigation {
        track: InvestigationTrack::Direct,
        findings: text("查实"),
        disposition: Disposition::JudicialTransfer,
    };
    framework()
        .given(vec![clue_registered()])
        .when(cmd(conclude()))
        .then_expect_error(invalid("clue_registered", "conclude_investigation"));
    framework()
        .given(vec![clue_registered(), opened()])
        .when(cmd(conclude()))
        .then_expect_error(CaseError::InvestigationNotStarted {
            track: InvestigationTrack::Direct,
        });
    framework()
        .given(vec![
            clue_registered(),
            opened(),
            started(InvestigationTrack::Direct),
            concluded(InvestigationTrack::Direct),
        ])
        .when(cmd(conclude()))
        .then_expect_error(CaseError::InvestigationAlreadyConcluded {
            track: InvestigationTrack::Direct,
        });
}

// ---- system repair (制度修复) ----

#[test]
fn a_repair_item_is_spawned_for_the_supervising_department() {
    framework()
        .given(vec![clue_registered(), opened()])
        .when(cmd(CaseCommand::SpawnRepairItem {
            code: code("YB-2026-0101"),
            title: text("建立住院病历抽查制度"),
        }))
        .then_expect_events(vec![CaseEvent::RepairItemSpawned {
            code: code("YB-2026-0101"),
            unit: unit("county-healthcare-security-bureau"),
            title: text("建立住院病历抽查制度"),
            spawned_at: at(NOW),
        }]);
}

#[test]
fn a_repair_item_needs_an_open_case_and_a_fresh_code() {
    let spawn = || CaseCommand::SpawnRepairItem {
        code: code("YB-2026-0101"),
        title: text("制度"),
    };
    framework()
        .given(vec![clue_registered()])
        .when(cmd(spawn()))
        .then_expect_error(invalid("clue_registered", "spawn_repair_item"));
    framework()
        .given(vec![clue_registered(), opened(), spawned("YB-2026-0101")])
        .when(cmd(spawn()))
        .then_expect_error(CaseError::DuplicateRepairItem {
            code: code("YB-2026-0101"),
        });
    let mut closed_case = ready_to_close();
    closed_case.push(closed());
    framework()
        .given(closed_case)
        .when(cmd(CaseCommand::SpawnRepairItem {
            code: code("YB-2026-0102"),
            title: text("制度"),
        }))
        .then_expect_error(invalid("closed", "spawn_repair_item"));
}

#[test]
fn a_repair_items_closure_is_recorded() {
    framework()
        .given(vec![clue_registered(), opened(), spawned("YB-2026-0101")])
        .when(cmd(CaseCommand::RecordRepairItemClosed {
            code: code("YB-2026-0101"),
        }))
        .then_expect_events(vec![CaseEvent::RepairItemClosed {
            code: code("YB-2026-0101"),
            recorded_at: at(NOW),
        }]);
}

#[test]
fn only_a_spawned_open_repair_item_can_be_recorded_closed() {
    let record = |c: &str| CaseCommand::RecordRepairItemClosed { code: code(c) };
    framework()
        .given(vec![clue_registered()])
        .when(cmd(record("YB-2026-0101")))
        .then_expect_error(invalid("clue_registered", "record_repair_item_closed"));
    framework()
        .given(vec![clue_registered(), opened(), spawned("YB-2026-0101")])
        .when(cmd(record("YB-2026-0999")))
        .then_expect_error(CaseError::UnknownRepairItem {
            code: code("YB-2026-0999"),
        });
    framework()
        .given(vec![
            clue_registered(),
            opened(),
            spawned("YB-2026-0101"),
            repair_closed("YB-2026-0101"),
        ])
        .when(cmd(record("YB-2026-0101")))
        .then_expect_error(CaseError::RepairItemAlreadyClosed {
            code: code("YB-2026-0101"),
        });
}

// ---- close (结案) ----

#[test]
fn a_case_closes_when_both_investigations_and_all_repairs_are_done() {
    framework()
        .given(ready_to_close())
        .when(cmd(CaseCommand::CloseCase))
        .then_expect_events(vec![CaseEvent::CaseClosed {
            closed_by: secretary(),
            closed_at: at(NOW),
        }]);
}

#[test]
fn a_case_without_repair_items_closes_once_both_investigations_are_concluded() {
    framework()
        .given(vec![
            clue_registered(),
            opened(),
            started(InvestigationTrack::Direct),
            started(InvestigationTrack::Supervisory),
            concluded(InvestigationTrack::Direct),
            concluded(InvestigationTrack::Supervisory),
        ])
        .when(cmd(CaseCommand::CloseCase))
        .then_expect_events(vec![CaseEvent::CaseClosed {
            closed_by: secretary(),
            closed_at: at(NOW),
        }]);
}

#[test]
fn a_case_with_an_open_investigation_or_repair_item_does_not_close() {
    framework()
        .given(vec![
            clue_registered(),
            opened(),
            started(InvestigationTrack::Direct),
            concluded(InvestigationTrack::Direct),
            spawned("YB-2026-0101"),
            spawned("YB-2026-0102"),
            repair_closed("YB-2026-0101"),
        ])
        .when(cmd(CaseCommand::CloseCase))
        .then_expect_error(CaseError::NotReadyToClose {
            open_investigations: vec![InvestigationTrack::Supervisory],
            open_repair_items: vec![code("YB-2026-0102")],
        });
    // Both concluded but a repair item still open.
    let mut events = ready_to_close();
    events.push(spawned("YB-2026-0103"));
    framework()
        .given(events)
        .when(cmd(CaseCommand::CloseCase))
        .then_expect_error(CaseError::NotReadyToClose {
            open_investigations: vec![],
            open_repair_items: vec![code("YB-2026-0103")],
        });
}

#[test]
fn only_an_open_case_closes() {
    framework()
        .given(vec![clue_registered()])
        .when(cmd(CaseCommand::CloseCase))
        .then_expect_error(invalid("clue_registered", "close_case"));
    let mut events = ready_to_close();
    events.push(closed());
    framework()
        .given(events)
        .when(cmd(CaseCommand::CloseCase))
        .then_expect_error(invalid("closed", "close_case"));
}

// ---- publish (典型案例) ----

#[test]
fn a_closed_case_is_published_as_a_typical_case() {
    let mut events = ready_to_close();
    events.push(closed());
    framework()
        .given(events)
        .when(cmd(CaseCommand::PublishTypicalCase {
            title: text("某卫生院套取医保基金案"),
            summary: text("一案双查，追责问责"),
        }))
        .then_expect_events(vec![CaseEvent::TypicalCasePublished {
            title: text("某卫生院套取医保基金案"),
            summary: text("一案双查，追责问责"),
            published_by: secretary(),
            published_at: at(NOW),
        }]);
}

#[test]
fn only_a_closed_case_is_published_and_only_once() {
    let publish = || CaseCommand::PublishTypicalCase {
        title: text("t"),
        summary: text("s"),
    };
    framework()
        .given(ready_to_close())
        .when(cmd(publish()))
        .then_expect_error(invalid("open", "publish_typical_case"));
    let mut events = ready_to_close();
    events.push(closed());
    events.push(CaseEvent::TypicalCasePublished {
        title: text("t"),
        summary: text("s"),
        published_by: secretary(),
        published_at: at(NOW),
    });
    framework()
        .given(events)
        .when(cmd(publish()))
        .then_expect_error(invalid("published", "publish_typical_case"));
}

// ---- wire format ----

#[test]
fn events_round_trip_through_json_and_are_named_by_variant() {
    use cqrs_es::DomainEvent;
    let mut events = ready_to_close();
    events.push(closed());
    for event in events {
        let json = serde_json::to_string(&event).expect("serialise");
        let back: CaseEvent = serde_json::from_str(&json).expect("deserialise");
        assert_eq!(back, event);
        assert!(json.contains(&event.event_type()), "{json}");
        assert_eq!(event.event_version(), "1.0");
    }
}

#[test]
fn error_codes_are_stable_and_namespaced() {
    let errors = [
        CaseError::UnknownCampaign {
            campaign: campaign(),
        },
        invalid("open", "close_case"),
        CaseError::InvestigationNotStarted {
            track: InvestigationTrack::Direct,
        },
        CaseError::InvestigationAlreadyStarted {
            track: InvestigationTrack::Direct,
        },
        CaseError::InvestigationAlreadyConcluded {
            track: InvestigationTrack::Direct,
        },
        CaseError::DuplicateRepairItem {
            code: code("YB-2026-0001"),
        },
        CaseError::UnknownRepairItem {
            code: code("YB-2026-0001"),
        },
        CaseError::RepairItemAlreadyClosed {
            code: code("YB-2026-0001"),
        },
        CaseError::NotReadyToClose {
            open_investigations: vec![],
            open_repair_items: vec![],
        },
    ];
    let codes: std::collections::BTreeSet<_> = errors.iter().map(CaseError::code).collect();
    assert_eq!(codes.len(), errors.len());
    assert!(codes.iter().all(|c| c.starts_with("case.")));
    assert_eq!(
        invalid("open", "close_case").to_string(),
        "cannot close_case a case that is open"
    );
}

// ---- repair items that relapse or are withdrawn ----

fn investigated_with_repair(c: &str) -> Vec<CaseEvent> {
    vec![
        clue_registered(),
        opened(),
        started(InvestigationTrack::Direct),
        started(InvestigationTrack::Supervisory),
        concluded(InvestigationTrack::Direct),
        concluded(InvestigationTrack::Supervisory),
        spawned(c),
    ]
}

#[test]
fn a_repair_item_that_relapses_holds_the_case_open_again() {
    let mut given = investigated_with_repair("YB-2026-0101");
    given.push(repair_closed("YB-2026-0101"));
    let reopened = framework()
        .given(given.clone())
        .when(cmd(CaseCommand::RecordRepairItemReopened {
            code: code("YB-2026-0101"),
        }))
        .inspect_result();
    let events = reopened.unwrap_or_default();
    assert!(matches!(
        events.as_slice(),
        [CaseEvent::RepairItemReopened { .. }]
    ));
    given.extend(events);
    framework()
        .given(given)
        .when(cmd(CaseCommand::CloseCase))
        .then_expect_error(CaseError::NotReadyToClose {
            open_investigations: vec![],
            open_repair_items: vec![code("YB-2026-0101")],
        });
    // Only an item recorded closed can be reported reopened.
    framework()
        .given(investigated_with_repair("YB-2026-0101"))
        .when(cmd(CaseCommand::RecordRepairItemReopened {
            code: code("YB-2026-0101"),
        }))
        .then_expect_error(CaseError::RepairItemNotClosed {
            code: code("YB-2026-0101"),
        });
}

#[test]
fn a_withdrawn_repair_item_no_longer_holds_the_case_open() {
    let mut given = investigated_with_repair("YB-2026-0102");
    given.push(CaseEvent::RepairItemWithdrawn {
        code: code("YB-2026-0102"),
        reason: text("与 YB-2026-0101 重复"),
        recorded_at: at("2026-03-06T02:00:00Z"),
    });
    let result = framework()
        .given(given.clone())
        .when(cmd(CaseCommand::CloseCase))
        .inspect_result();
    assert!(
        matches!(result.as_deref(), Ok([CaseEvent::CaseClosed { .. }])),
        "{result:?}"
    );
    framework()
        .given(given)
        .when(cmd(CaseCommand::RecordRepairItemWithdrawn {
            code: code("YB-2026-0102"),
            reason: text("again"),
        }))
        .then_expect_error(CaseError::RepairItemAlreadyWithdrawn {
            code: code("YB-2026-0102"),
        });
}
