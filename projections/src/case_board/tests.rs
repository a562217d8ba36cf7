//! The case board's fold, without a database: events in, rows out, hand-computed.

use rectiflow_domain::case::{CaseEvent, CaseStatus, ClueSource, Disposition, InvestigationTrack};
use rectiflow_domain::settings::Field;
use rectiflow_domain::testing::fixtures::{campaign, code, local, person, text, unit};
use rectiflow_domain::values::{CaseId, ClueId, ComplaintId, TaskForceId, Yuan};
use rectiflow_engine::LoggedEvent;

use super::{CaseBoard, CaseEntry, InvestigationState, RepairItemEntry, RepairState};
use crate::projector::RowProjection;

const ID: &str = "case-2026-001";

fn logged(position: u64) -> LoggedEvent {
    crate::testing::logged("case", ID, position)
}

fn clue(source: ClueSource) -> CaseEvent {
    CaseEvent::ClueRegistered {
        campaign: campaign(),
        case: CaseId::parse(ID).expect("a case"),
        clue: ClueId::parse("clue-2026-001").expect("a clue"),
        source,
        field: Field::MedicalInsurance,
        task_force: Some(TaskForceId::parse("yibao").expect("a task force")),
        summary: text("同一患者一日多次住院结算"),
        by: person("sec-li"),
        at: local(2026, 3, 5, 9, 0),
    }
}

fn data_alert() -> ClueSource {
    ClueSource::DataAlert {
        system: text("医保基金智能监管平台"),
        alert_ref: text("ALERT-2026-0088"),
    }
}

fn opened() -> CaseEvent {
    CaseEvent::CaseOpened {
        subject_unit: unit("county-hospital"),
        supervising_unit: unit("health-bureau"),
        by: person("sec-li"),
        at: local(2026, 3, 5, 10, 0),
    }
}

fn started(track: InvestigationTrack, hour: u32) -> CaseEvent {
    CaseEvent::InvestigationStarted {
        track,
        by: person("sec-li"),
        at: local(2026, 3, 5, hour, 0),
    }
}

fn concluded(track: InvestigationTrack, named: &[&str], amount: &str) -> CaseEvent {
    CaseEvent::InvestigationConcluded {
        track,
        findings: text("科室主任指使虚构住院"),
        persons_named: named.iter().map(|p| person(p)).collect(),
        amount_involved: Yuan::parse(amount).expect("an amount"),
        disposition: Disposition::PartyDiscipline,
        by: person("jw-he"),
        at: local(2026, 3, 20, 9, 0),
    }
}

fn spawned(item: &str) -> CaseEvent {
    CaseEvent::RepairItemSpawned {
        code: code(item),
        unit: unit("health-bureau"),
        title: text("完善住院结算审核制度"),
        by: person("sec-li"),
        at: local(2026, 3, 21, 9, 0),
    }
}

fn fold(events: Vec<CaseEvent>) -> Option<CaseEntry> {
    events
        .into_iter()
        .enumerate()
        .fold(None, |row, (i, event)| {
            CaseBoard::fold(row, ID, event, &logged(i as u64 + 1))
        })
}

fn row(events: Vec<CaseEvent>) -> CaseEntry {
    fold(events).expect("a row")
}

#[test]
fn a_clue_shows_its_origin_and_nothing_started() {
    let entry = row(vec![clue(data_alert())]);
    assert_eq!(entry.case, ID);
    assert_eq!(entry.clue, "clue-2026-001");
    assert_eq!(entry.field, "medical_insurance");
    assert_eq!(entry.task_force.as_deref(), Some("yibao"));
    assert_eq!(entry.clue_source, "data_alert");
    assert_eq!(entry.clue_source_ref.as_deref(), Some("ALERT-2026-0088"));
    assert_eq!(
        entry.clue_source_system.as_deref(),
        Some("医保基金智能监管平台")
    );
    assert_eq!(entry.stage, CaseStatus::ClueRegistered);
    assert_eq!(entry.registered_at, local(2026, 3, 5, 9, 0));
    assert_eq!(
        (entry.direct_state, entry.supervisory_state),
        (
            InvestigationState::NotStarted,
            InvestigationState::NotStarted
        )
    );
    assert!(entry.repair_items.is_empty() && !entry.joint_team);

    let from_complaint = row(vec![clue(ClueSource::Complaint {
        complaint: ComplaintId::parse("cmp-2026-0009").expect("a complaint"),
    })]);
    assert_eq!(
        (
            from_complaint.clue_source.as_str(),
            from_complaint.clue_source_ref.as_deref(),
            from_complaint.clue_source_system.as_deref()
        ),
        ("complaint", Some("cmp-2026-0009"), None)
    );
    let dismissed = row(vec![
        clue(ClueSource::Audit),
        CaseEvent::ClueDismissed {
            reasons: text("查无实据"),
            by: person("sec-li"),
            at: local(2026, 3, 6, 9, 0),
        },
    ]);
    assert_eq!(dismissed.clue_source, "audit");
    assert_eq!(dismissed.stage, CaseStatus::ClueDismissed);
    assert_eq!(dismissed.dismissed_at, Some(local(2026, 3, 6, 9, 0)));
}

#[test]
fn both_investigations_show_their_counts_amounts_and_dispositions() {
    let entry = row(vec![
        clue(data_alert()),
        opened(),
        CaseEvent::JointTeamRecorded {
            units: vec![unit("public-security"), unit("health-bureau")],
            by: person("sec-li"),
            at: local(2026, 3, 5, 11, 0),
        },
        started(InvestigationTrack::Direct, 12),
        started(InvestigationTrack::Supervisory, 13),
        concluded(
            InvestigationTrack::Direct,
            &["hosp-zhang", "hosp-li"],
            "386500.50",
        ),
    ]);
    assert_eq!(entry.stage, CaseStatus::Open);
    assert_eq!(entry.opened_at, Some(local(2026, 3, 5, 10, 0)));
    assert_eq!(entry.subject_unit.as_deref(), Some("county-hospital"));
    assert_eq!(entry.supervising_unit.as_deref(), Some("health-bureau"));
    assert!(entry.joint_team);
    assert_eq!(
        entry.joint_team_units,
        vec!["public-security".to_owned(), "health-bureau".to_owned()]
    );
    assert_eq!(entry.direct_state, InvestigationState::Concluded);
    assert_eq!(entry.direct_started_at, Some(local(2026, 3, 5, 12, 0)));
    assert_eq!(entry.direct_concluded_at, Some(local(2026, 3, 20, 9, 0)));
    assert_eq!(entry.direct_persons_named, 2);
    assert_eq!(
        entry.direct_amount_involved.map(|a| a.to_string()),
        Some("386500.50".to_owned())
    );
    assert_eq!(entry.direct_disposition, Some(Disposition::PartyDiscipline));
    assert_eq!(entry.supervisory_state, InvestigationState::Started);
    assert_eq!(entry.supervisory_started_at, Some(local(2026, 3, 5, 13, 0)));
    assert_eq!(
        (
            entry.supervisory_persons_named,
            entry.supervisory_amount_involved,
            entry.supervisory_disposition
        ),
        (0, None, None)
    );
    // The amount travels as its exact decimal string.
    let json = serde_json::to_value(&entry).expect("serialises");
    assert_eq!(json["direct_amount_involved"], "386500.50");
}

#[test]
fn repair_items_are_listed_and_counted_through_closure_relapse_and_withdrawal() {
    let by = || person("policy:repair-items");
    let at = || local(2026, 5, 6, 9, 0);
    let entry = row(vec![
        clue(data_alert()),
        opened(),
        spawned("YB-2026-0003"),
        spawned("YB-2026-0007"),
        spawned("YB-2026-0008"),
        CaseEvent::RepairItemClosed {
            code: code("YB-2026-0003"),
            by: by(),
            at: at(),
        },
        CaseEvent::RepairItemWithdrawn {
            code: code("YB-2026-0007"),
            reason: text("重复"),
            by: by(),
            at: at(),
        },
        CaseEvent::RepairItemClosed {
            code: code("YB-2026-0008"),
            by: by(),
            at: at(),
        },
        CaseEvent::CaseClosed {
            by: person("sec-li"),
            at: local(2026, 5, 7, 9, 0),
        },
        CaseEvent::RepairItemReopened {
            code: code("YB-2026-0008"),
            by: by(),
            at: local(2026, 8, 7, 9, 0),
        },
        CaseEvent::CaseReopened {
            code: code("YB-2026-0008"),
            by: by(),
            at: local(2026, 8, 7, 9, 0),
        },
    ]);
    let item = |code: &str, state, reopened| RepairItemEntry {
        code: code.into(),
        unit: "health-bureau".into(),
        title: "完善住院结算审核制度".into(),
        state,
        reopened,
    };
    assert_eq!(
        entry.repair_items,
        vec![
            item("YB-2026-0003", RepairState::Closed, 0),
            item("YB-2026-0007", RepairState::Withdrawn, 0),
            item("YB-2026-0008", RepairState::Open, 1),
        ]
    );
    assert_eq!(
        (
            entry.repair_items_spawned,
            entry.repair_items_open,
            entry.repair_items_closed,
            entry.repair_items_withdrawn,
            entry.repair_items_reopened
        ),
        (3, 1, 1, 1, 1)
    );
    assert_eq!(entry.stage, CaseStatus::Open);
    assert_eq!((entry.closed_at, entry.reopenings), (None, 1));
    assert_eq!(entry.position, 11);
}

#[test]
fn a_closed_case_published_as_typical_stays_published_when_closed_again() {
    let closed = |day| CaseEvent::CaseClosed {
        by: person("sec-li"),
        at: local(2026, 5, day, 9, 0),
    };
    let events = vec![
        clue(ClueSource::Inspection),
        opened(),
        CaseEvent::NoRepairNeededRecorded {
            reasons: text("制度已完善"),
            by: person("sec-li"),
            at: local(2026, 5, 1, 9, 0),
        },
        closed(7),
        CaseEvent::TypicalCasePublished {
            title: text("某医院挂床住院骗保案"),
            summary: text("典型案例"),
            by: person("sec-li"),
            at: local(2026, 5, 8, 9, 0),
        },
    ];
    let entry = row(events.clone());
    assert!(entry.no_repair_needed);
    assert_eq!(entry.stage, CaseStatus::Published);
    assert_eq!(entry.closed_at, Some(local(2026, 5, 7, 9, 0)));
    assert_eq!(entry.published_at, Some(local(2026, 5, 8, 9, 0)));
    let mut again = events;
    again.push(CaseEvent::CaseReopened {
        code: code("YB-2026-0003"),
        by: person("policy:repair-items"),
        at: local(2026, 8, 1, 9, 0),
    });
    again.push(closed(20));
    let entry = row(again);
    assert_eq!(entry.stage, CaseStatus::Published);
    assert_eq!(entry.closed_at, Some(local(2026, 5, 20, 9, 0)));
}

#[test]
fn a_row_survives_its_trip_through_the_table_as_json() {
    let entry = row(vec![
        clue(data_alert()),
        opened(),
        concluded(InvestigationTrack::Direct, &["hosp-zhang"], "0.50"),
        spawned("YB-2026-0003"),
    ]);
    let json = serde_json::to_value(&entry).expect("serialises");
    let fields = json.as_object().expect("an object").clone();
    CaseBoard::TABLE
        .upsert(&fields)
        .expect("every field fits its column");
    let back: CaseEntry = serde_json::from_value(json).expect("reads back");
    assert_eq!(back, entry);
}

#[test]
fn events_of_a_case_never_registered_make_no_row() {
    assert_eq!(fold(vec![opened()]), None);
}
