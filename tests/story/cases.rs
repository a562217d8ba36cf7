//! A case: a clue from a data alert, both investigations, and a system-repair item that must
//! close before the case can.

use rectiflow_domain::case::{
    Case, CaseCommand, CaseError, CaseStatus, ClueSource, Disposition, InvestigationTrack,
};
use rectiflow_domain::item::{Item, ItemCommand, ItemSource};
use rectiflow_domain::settings::Field;
use rectiflow_domain::values::{CaseId, ClueId, ItemCode, PersonId, Yuan};
use rectiflow_tests::{shanghai, unit};

use crate::world::{assign, campaign_id, register, sign_off, text, World};
use rectiflow_tests::Store;

pub async fn a_case_closes_only_once_its_repair_item_has_closed<S: Store>(w: &World<S>) {
    let case = "case-2026-001";
    w.at(shanghai(2026, 3, 5, 9, 0))
        .ok::<Case, _>(
            "sec-li",
            case,
            CaseCommand::RegisterClue {
                campaign: campaign_id(),
                case: CaseId::parse(case).expect("a valid CaseId"),
                clue: ClueId::parse("clue-2026-001").expect("a valid ClueId"),
                source: ClueSource::DataAlert {
                    system: text("医保基金智能监管平台"),
                    alert_ref: text("ALERT-2026-0088"),
                },
                field: Field::MedicalInsurance,
                summary: text("异常诊疗行为预警：同一患者一日多次住院结算"),
            },
        )
        .await;
    w.ok::<Case, _>(
        "sec-li",
        case,
        CaseCommand::OpenCase {
            subject_unit: unit("county-hospital"),
            supervising_unit: unit("health-bureau"),
        },
    )
    .await;
    for track in InvestigationTrack::ALL {
        w.ok::<Case, _>("sec-li", case, CaseCommand::StartInvestigation { track })
            .await;
    }
    w.ok::<Case, _>(
        "jw-he",
        case,
        CaseCommand::ConcludeInvestigation {
            track: InvestigationTrack::Direct,
            findings: text("科室主任指使虚构住院"),
            persons_named: vec![PersonId::parse("hosp-zhang").expect("a valid PersonId")],
            amount_involved: Yuan::parse("386500.50").expect("an amount in yuan"),
            disposition: Disposition::PartyDiscipline,
        },
    )
    .await;
    w.ok::<Case, _>(
        "jw-he",
        case,
        CaseCommand::ConcludeInvestigation {
            track: InvestigationTrack::Supervisory,
            findings: text("医保局审核流于形式"),
            persons_named: vec![],
            amount_involved: Yuan::ZERO,
            disposition: Disposition::OrganisationalHandling,
        },
    )
    .await;
    let repair = "YB-2026-0003";
    w.ok::<Case, _>(
        "sec-li",
        case,
        CaseCommand::SpawnRepairItem {
            code: ItemCode::parse(repair).expect("a valid ItemCode"),
            title: text("完善住院结算审核制度"),
        },
    )
    .await;
    let not_ready: CaseError = w
        .refused::<Case, _>("sec-li", case, CaseCommand::CloseCase)
        .await;
    assert_eq!(not_ready.code(), "case.not_ready_to_close");
    w.ok::<Item, _>(
        "sec-li",
        repair,
        register(repair, "完善住院结算审核制度", ItemSource::Case),
    )
    .await;
    w.ok::<Item, _>(
        "sec-li",
        repair,
        assign("health-bureau", "hb-chen", "2026-05-31"),
    )
    .await;
    w.ok::<Item, _>("hb-chen", repair, ItemCommand::Acknowledge)
        .await;
    w.at(shanghai(2026, 5, 6, 9, 0))
        .ok::<Item, _>("hb-chen", repair, sign_off("new-rules"))
        .await;
    w.ok::<Item, _>(
        "sec-zhao",
        repair,
        ItemCommand::VerifySignOff { note: None },
    )
    .await;
    w.ok::<Case, _>(
        "policy:repair-items",
        case,
        CaseCommand::RecordRepairItemClosed {
            code: ItemCode::parse(repair).expect("a valid ItemCode"),
        },
    )
    .await;
    w.ok::<Case, _>("sec-li", case, CaseCommand::CloseCase)
        .await;
    assert_eq!(
        w.exec
            .load::<Case>(case)
            .await
            .expect("load the case")
            .0
            .status,
        CaseStatus::Closed
    );
}
