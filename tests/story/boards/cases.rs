//! The case board (案件查办): the story's two case streams — the case closed once its repair
//! item closed, and the clue the data alert was escalated to — as computed by hand.

use rectiflow_domain::case::{CaseStatus, Disposition};
use rectiflow_domain::values::Yuan;
use rectiflow_projections::case_board::{
    CaseBoard, CaseEntry, InvestigationState, RepairItemEntry, RepairState,
};
use rectiflow_tests::{shanghai, Store};

use super::{decode, last_positions, last_versions, project};
use crate::world::World;

fn yuan(amount: &str) -> Yuan {
    Yuan::parse(amount).expect("an amount in yuan")
}

pub async fn the_case_board_shows_both_investigations_and_the_repair_item<S: Store>(w: &World<S>) {
    let stored = project::<CaseBoard, S>(w).await;
    let mut rows = decode::<CaseBoard>(&stored);
    rows.sort_by(|a, b| a.case.cmp(&b.case));
    let last = last_positions(w.store(), "case").await;
    let position = |id: &str| *last.get(id).expect("the case's events");
    let versions = last_versions(w.store(), "case").await;
    let version = |id: &str| *versions.get(id).expect("the case's events");
    // Everything in `cases` happened at 09:00 on 5 March, until the repair item closed on
    // 6 May.
    let march_5 = shanghai(2026, 3, 5, 9, 0);
    let first = CaseEntry {
        case: "case-2026-001".into(),
        campaign: "qunfu-2026".into(),
        clue: "clue-2026-001".into(),
        field: "medical_insurance".into(),
        task_force: Some("yibao".into()),
        clue_source: "data_alert".into(),
        clue_source_ref: Some("ALERT-2026-0088".into()),
        clue_source_system: Some("医保基金智能监管平台".into()),
        summary: "异常诊疗行为预警：同一患者一日多次住院结算".into(),
        stage: CaseStatus::Closed,
        registered_at: march_5,
        dismissed_at: None,
        opened_at: Some(march_5),
        subject_unit: Some("county-hospital".into()),
        supervising_unit: Some("health-bureau".into()),
        joint_team: false,
        joint_team_units: vec![],
        // 一案双查: the wrongdoer (one person named, 386,500.50 yuan) and the supervising
        // department (nobody named, no amount).
        direct_state: InvestigationState::Concluded,
        direct_started_at: Some(march_5),
        direct_concluded_at: Some(march_5),
        direct_persons_named: 1,
        direct_amount_involved: Some(yuan("386500.50")),
        direct_disposition: Some(Disposition::PartyDiscipline),
        supervisory_state: InvestigationState::Concluded,
        supervisory_started_at: Some(march_5),
        supervisory_concluded_at: Some(march_5),
        supervisory_persons_named: 0,
        supervisory_amount_involved: Some(Yuan::ZERO),
        supervisory_disposition: Some(Disposition::OrganisationalHandling),
        // 制度修复: one repair item for the supervising department, closed.
        repair_items: vec![RepairItemEntry {
            code: "YB-2026-0003".into(),
            unit: "health-bureau".into(),
            title: "完善住院结算审核制度".into(),
            state: RepairState::Closed,
            reopened: 0,
        }],
        repair_items_spawned: 1,
        repair_items_open: 0,
        repair_items_closed: 1,
        repair_items_withdrawn: 0,
        repair_items_reopened: 0,
        no_repair_needed: false,
        closed_at: Some(shanghai(2026, 5, 6, 9, 0)),
        reopenings: 0,
        published_at: None,
        position: position("case-2026-001"),
        version: version("case-2026-001"),
    };
    // The clue the alert was escalated to, registered on 12 May at 14:30: nothing opened yet.
    let second = CaseEntry {
        case: "case-2026-002".into(),
        clue: "clue-2026-002".into(),
        clue_source_ref: Some("YBJK-2026-000123".into()),
        clue_source_system: Some("医保智能监控平台".into()),
        summary: "医保智能监控预警：同一参保人30天内重复住院5次".into(),
        stage: CaseStatus::ClueRegistered,
        registered_at: shanghai(2026, 5, 12, 14, 30),
        opened_at: None,
        subject_unit: None,
        supervising_unit: None,
        direct_state: InvestigationState::NotStarted,
        direct_started_at: None,
        direct_concluded_at: None,
        direct_persons_named: 0,
        direct_amount_involved: None,
        direct_disposition: None,
        supervisory_state: InvestigationState::NotStarted,
        supervisory_started_at: None,
        supervisory_concluded_at: None,
        supervisory_persons_named: 0,
        supervisory_amount_involved: None,
        supervisory_disposition: None,
        repair_items: vec![],
        repair_items_spawned: 0,
        repair_items_closed: 0,
        closed_at: None,
        position: position("case-2026-002"),
        version: version("case-2026-002"),
        ..first.clone()
    };
    assert_eq!(rows, vec![first, second]);
    // Amounts are stored as exact decimal strings, on both backends.
    let closed = stored
        .iter()
        .find(|row| row["case"] == "case-2026-001")
        .expect("the closed case's row");
    assert_eq!(closed["direct_amount_involved"], "386500.50");
    assert_eq!(closed["supervisory_amount_involved"], "0.00");
}
