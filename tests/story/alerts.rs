//! A data alert (数据预警): the medical-insurance monitoring platform pushes an alert on the
//! county hospital, a re-push is refused as a duplicate, and the yibao secretariat triages it
//! in time by escalating it to a clue, which is registered on a case stream naming the alert.

use rectiflow_domain::alert::{
    alert_id, Alert, AlertCommand, AlertEvent, AlertPush, AlertStatus, Triage,
};
use rectiflow_domain::case::{Case, CaseCommand, CaseEvent, CaseStatus, ClueSource};
use rectiflow_domain::settings::Field;
use rectiflow_domain::values::{AlertRef, CaseId, ClueId, Yuan};
use rectiflow_tests::{shanghai, unit, Store};

use crate::world::{campaign_id, text, World};

pub const REFERENCE: &str = "YBJK-2026-000123";
pub const ALERT: &str = "alert~YBJK-2026-000123";
pub const CASE: &str = "case-2026-002";
const CLUE: &str = "clue-2026-002";
const PLATFORM: &str = "ybjk-platform";
const SYSTEM: &str = "医保智能监控平台";

fn push() -> AlertCommand {
    let reference = AlertRef::parse(REFERENCE).expect("a valid AlertRef");
    AlertCommand::Receive(AlertPush {
        alert: alert_id(&reference),
        reference,
        campaign: campaign_id(),
        subject: unit("county-hospital"),
        summary: text("同一参保人30天内重复住院5次，疑似挂床住院"),
        amount_involved: Yuan::parse("38650.50").expect("an amount in yuan"),
        raised_at: shanghai(2026, 5, 11, 9, 30),
    })
}

pub async fn a_data_alert_is_escalated_to_a_clue<S: Store>(w: &World<S>) {
    // Monday 11 May, 10:00: received; three working days to triage, by 24:00 on Thursday.
    let received = w
        .at(shanghai(2026, 5, 11, 10, 0))
        .ok::<Alert, _>(PLATFORM, ALERT, push())
        .await;
    match &received.events[0].event {
        AlertEvent::Received {
            alert,
            triage_working_days,
            triage_due,
            by,
            ..
        } => {
            assert_eq!(alert.as_str(), ALERT);
            assert_eq!(*triage_working_days, 3);
            assert_eq!(*triage_due, shanghai(2026, 5, 15, 0, 0));
            assert_eq!(by.as_str(), PLATFORM);
        }
        other => panic!("expected Received, got {other:?}"),
    }
    // The platform pushes it again: already here, once.
    let duplicate = w
        .at(shanghai(2026, 5, 11, 10, 5))
        .refused::<Alert, _>(PLATFORM, ALERT, push())
        .await;
    assert_eq!(duplicate.code(), "alert.duplicate", "{duplicate:?}");

    // Triage is the yibao secretariat's, not the hospital's.
    let escalate = AlertCommand::Triage(Triage::EscalatedToClue {
        clue: ClueId::parse(CLUE).expect("a valid ClueId"),
        case: CaseId::parse(CASE).expect("a valid CaseId"),
    });
    let forbidden = w
        .at(shanghai(2026, 5, 12, 14, 0))
        .refused::<Alert, _>("dr-wang", ALERT, escalate.clone())
        .await;
    assert_eq!(forbidden.code(), "alert.forbidden", "{forbidden:?}");
    let triaged = w.ok::<Alert, _>("sec-zhao", ALERT, escalate).await;
    assert_eq!(triaged.events.len(), 1, "in time: no missed triage");
    assert!(matches!(
        &triaged.events[0].event,
        AlertEvent::Triaged { triage: Triage::EscalatedToClue { clue, case }, late: false, .. }
            if clue.as_str() == CLUE && case.as_str() == CASE
    ));
    let (alert, _) = w.exec.load::<Alert>(ALERT).await.expect("load the alert");
    assert_eq!(alert.status, AlertStatus::Triaged);

    // The clue the triage named is registered on the case stream it named, its source the
    // platform's alert.
    let registered = w
        .at(shanghai(2026, 5, 12, 14, 30))
        .ok::<Case, _>(
            "sec-zhao",
            CASE,
            CaseCommand::RegisterClue {
                campaign: campaign_id(),
                case: CaseId::parse(CASE).expect("a valid CaseId"),
                clue: ClueId::parse(CLUE).expect("a valid ClueId"),
                source: ClueSource::DataAlert {
                    system: text(SYSTEM),
                    alert_ref: text(REFERENCE),
                },
                field: Field::MedicalInsurance,
                summary: text("医保智能监控预警：同一参保人30天内重复住院5次"),
            },
        )
        .await;
    assert!(matches!(
        &registered.events[0].event,
        CaseEvent::ClueRegistered { .. }
    ));
    let (case, _) = w.exec.load::<Case>(CASE).await.expect("load the case");
    assert_eq!(case.status, CaseStatus::ClueRegistered);
    let clue = case.clue.expect("the clue");
    assert_eq!(clue.clue.as_str(), CLUE);
    assert_eq!(
        clue.source,
        ClueSource::DataAlert {
            system: text(SYSTEM),
            alert_ref: text(REFERENCE),
        }
    );
}
