//! Events and errors on the wire: JSON round trip, event names, error codes.

use super::fixtures::*;
use crate::case::*;
use crate::testing::fixtures::{assert_codes_distinct_and_namespaced, assert_round_trips};
use crate::values::ClueId;

#[test]
fn events_round_trip_through_json_and_are_named_by_variant() {
    let mut events = closed_case();
    events.extend([
        CaseEvent::ClueDismissed {
            reasons: text("初核不实"),
            by: secretary(),
            at: at(NOW),
        },
        CaseEvent::JointTeamRecorded {
            units: vec![unit("a"), unit("b")],
            by: secretary(),
            at: at(NOW),
        },
        repair_withdrawn("YB-2026-0102"),
        no_repair_needed(),
        CaseEvent::CaseReopened {
            code: code("YB-2026-0101"),
            by: secretary(),
            at: at(NOW),
        },
    ]);
    for event in events {
        assert_round_trips(&event);
    }
}

#[test]
fn error_codes_are_stable_and_namespaced() {
    let errors = [
        CaseError::UnknownCampaign {
            campaign: campaign(),
        },
        CaseError::NoTaskForce {
            campaign: campaign(),
            field: crate::settings::Field::Other("食品安全".into()),
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
        CaseError::RepairItemNotClosed {
            code: code("YB-2026-0001"),
        },
        CaseError::RepairItemAlreadyWithdrawn {
            code: code("YB-2026-0001"),
        },
        CaseError::RepairItemWithdrawn {
            code: code("YB-2026-0001"),
        },
        CaseError::RepairItemsStand { items: vec![] },
        CaseError::NoRepairNeededOnRecord,
        CaseError::ClueDismissed {
            clue: ClueId::parse("clue-1").expect("id"),
        },
        CaseError::ClueAlreadyOpened {
            clue: ClueId::parse("clue-1").expect("id"),
        },
        CaseError::JointTeamTooSmall { units: 1 },
        CaseError::NotReadyToClose {
            open_investigations: vec![],
            open_repair_items: vec![],
            system_repair_missing: true,
        },
    ];
    assert_codes_distinct_and_namespaced(&errors, "case.");
    assert_eq!(
        invalid("open", "close_case").to_string(),
        "案件处于“已立案”状态，不能结案"
    );
}

#[test]
fn refusals_read_in_chinese() {
    for status in CaseStatus::ALL {
        assert!(!status.label().is_ascii(), "{}", status.as_str());
    }
    assert_eq!(
        CaseError::NoTaskForce {
            campaign: campaign(),
            field: crate::settings::Field::SchoolMeals,
        }
        .to_string(),
        format!(
            "整治行动 {} 未设校园餐专班，线索无人办理，请先设立专班",
            campaign()
        )
    );
    assert_eq!(
        CaseError::InvestigationNotStarted {
            track: InvestigationTrack::Supervisory,
        }
        .to_string(),
        "监管责任调查尚未启动"
    );
    assert_eq!(
        CaseError::NotReadyToClose {
            open_investigations: vec![InvestigationTrack::Direct, InvestigationTrack::Supervisory],
            open_repair_items: vec![code("YB-2026-0001"), code("YB-2026-0002")],
            system_repair_missing: true,
        }
        .to_string(),
        "案件尚不具备结案条件：直接责任调查、监管责任调查尚未办结；\
         制度修复事项 YB-2026-0001、YB-2026-0002 尚未销号或撤销；\
         尚未完成制度修复（既无已销号的制度修复事项，也未登记无需制度修复）"
    );
    assert_eq!(
        CaseError::CorrectionExceedsTotals {
            totals: crate::values::OutcomeTotals {
                funds_recovered: yuan("100.00"),
                people_affected: 3,
                subsidies_returned: yuan("0.00"),
            },
            correction: crate::values::OutcomeIndicators::new(yuan("120.50"), 0, yuan("0.00"))
                .expect("valid"),
        }
        .to_string(),
        "更正扣减数超过现有累计数：拟扣减追回资金 120.50 元、惠及群众 0 人、退还补贴 0.00 元，\
         现累计追回资金 100.00 元、惠及群众 3 人、退还补贴 0.00 元"
    );
}

/// A party without a task force, an integrator and discipline inspection read by their names.
#[test]
fn parties_read_in_chinese() {
    use crate::organisation::IntegratorKind;
    use crate::permission::Party;
    let needs = Party::NoTaskForce {
        field: crate::settings::Field::MedicalInsurance,
    }
    .or(Party::Integrator {
        kind: IntegratorKind::MedicalInsurancePlatform,
    })
    .or(Party::DisciplineInspection)
    .or(Party::Admin);
    assert_eq!(
        needs.to_string(),
        "医保基金专班（本整治行动未设该专班）或医保智能监控平台或纪检监察机关或系统管理员"
    );
}
