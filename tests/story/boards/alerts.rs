//! The alert board (数据预警): the story's alert escalated to a clue in time, and one more
//! received here and left untriaged past its window — as computed by hand, overdue derived at
//! read time around the due instant.

use chrono::Duration;
use rectiflow_domain::alert::{alert_id, Alert, AlertCommand, AlertPush, AlertStatus};
use rectiflow_domain::values::{AlertRef, Yuan};
use rectiflow_projections::alert_board::{AlertBoard, AlertEntry};
use rectiflow_tests::{shanghai, unit, Store};

use super::{decode, last_positions, project, UNTRIAGED, UNTRIAGED_REFERENCE};
use crate::alerts::{ALERT, CASE, REFERENCE};
use crate::world::{campaign_id, text, World};

pub async fn the_alert_board_shows_each_triage_and_the_missed_one<S: Store>(w: &World<S>) {
    // Monday 13 July, 10:00: the platform pushes another alert; three working days, due by
    // 24:00 on Thursday the 16th. Nobody triages it.
    let reference = AlertRef::parse(UNTRIAGED_REFERENCE).expect("a valid AlertRef");
    w.at(shanghai(2026, 7, 13, 10, 0))
        .ok::<Alert, _>(
            "ybjk-platform",
            UNTRIAGED,
            AlertCommand::Receive(AlertPush {
                alert: alert_id(&reference),
                reference,
                campaign: campaign_id(),
                subject: unit("county-hospital"),
                summary: text("药品进销存数据异常，疑似串换药品"),
                amount_involved: Yuan::parse("12800.00").expect("an amount in yuan"),
                raised_at: shanghai(2026, 7, 13, 8, 45),
            }),
        )
        .await;
    let due = shanghai(2026, 7, 17, 0, 0);
    let rows = decode::<AlertBoard>(&project::<AlertBoard, S>(w).await);
    let untriaged = rows
        .iter()
        .find(|r| r.alert == UNTRIAGED)
        .expect("a row for the untriaged alert");
    // Overdue from the due instant on, before the schedule records anything.
    assert!(!untriaged.triage_overdue_at(due - Duration::seconds(1)));
    assert!(untriaged.triage_overdue_at(due) && untriaged.triage_breached_at(due));

    // Friday 17 July, 09:00: the schedule records the missed triage.
    let now = shanghai(2026, 7, 17, 9, 0);
    w.at(now)
        .ok::<Alert, _>(
            "schedule:alert-triage",
            UNTRIAGED,
            AlertCommand::RecordTriageMissed,
        )
        .await;
    let mut rows = decode::<AlertBoard>(&project::<AlertBoard, S>(w).await);
    rows.sort_by(|a, b| a.alert.cmp(&b.alert));
    let last = last_positions(w.store(), "alert").await;
    let position = |id: &str| *last.get(id).expect("the alert's events");

    // The story's alert: received Monday 11 May at 10:00, due by 24:00 on Thursday the 14th,
    // escalated to a clue on Tuesday the 12th at 14:00 — in time.
    let escalated = AlertEntry {
        alert: ALERT.into(),
        reference: REFERENCE.into(),
        campaign: "qunfu-2026".into(),
        subject: "county-hospital".into(),
        summary: "同一参保人30天内重复住院5次，疑似挂床住院".into(),
        amount_involved: Yuan::parse("38650.50").expect("an amount in yuan"),
        raised_at: shanghai(2026, 5, 11, 9, 30),
        received_at: shanghai(2026, 5, 11, 10, 0),
        triage_working_days: 3,
        triage_due_at: shanghai(2026, 5, 15, 0, 0),
        calendar_unknown: false,
        state: AlertStatus::Triaged,
        triage: Some("escalated_to_clue".into()),
        dismissal_reasons: vec![],
        merged_into: None,
        escalated_clue: Some("clue-2026-002".into()),
        escalated_case: Some(CASE.into()),
        escalated_item: None,
        triaged_at: Some(shanghai(2026, 5, 12, 14, 0)),
        triaged_late: Some(false),
        triage_missed: false,
        position: position(ALERT),
    };
    let missed = AlertEntry {
        alert: UNTRIAGED.into(),
        reference: UNTRIAGED_REFERENCE.into(),
        summary: "药品进销存数据异常，疑似串换药品".into(),
        amount_involved: Yuan::parse("12800.00").expect("an amount in yuan"),
        raised_at: shanghai(2026, 7, 13, 8, 45),
        received_at: shanghai(2026, 7, 13, 10, 0),
        triage_due_at: due,
        state: AlertStatus::Open,
        triage: None,
        escalated_clue: None,
        escalated_case: None,
        triaged_at: None,
        triaged_late: None,
        triage_missed: true,
        position: position(UNTRIAGED),
        ..escalated.clone()
    };
    assert_eq!(rows, vec![escalated, missed]);
    assert_eq!(
        rows.iter()
            .map(|r| (r.triage_overdue_at(now), r.triage_breached_at(now)))
            .collect::<Vec<_>>(),
        vec![(false, false), (true, true)]
    );
}
