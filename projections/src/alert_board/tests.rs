//! The alert board's fold, without a database: events in, rows out, hand-computed.

use chrono::{DateTime, Duration, Utc};
use rectiflow_domain::alert::{AlertEvent, AlertStatus, Triage};
use rectiflow_domain::testing::fixtures::{campaign, code, local, person, text, unit};
use rectiflow_domain::values::{AlertId, AlertRef, CaseId, ClueId, Yuan};
use rectiflow_engine::LoggedEvent;

use super::{AlertBoard, AlertEntry};
use crate::projector::RowProjection;

const REFERENCE: &str = "YBJK-2026-000123";
const ID: &str = "alert~YBJK-2026-000123";

fn logged(position: u64) -> LoggedEvent {
    crate::testing::logged("alert", ID, position)
}

/// Monday 11 May, 10:00; three working days: due at 24:00 on Thursday the 14th.
fn due() -> DateTime<Utc> {
    local(2026, 5, 15, 0, 0)
}

fn received() -> AlertEvent {
    let reference = AlertRef::parse(REFERENCE).expect("a reference");
    AlertEvent::Received {
        alert: AlertId::of_reference(&reference),
        reference,
        campaign: campaign(),
        subject: unit("county-hospital"),
        summary: text("同一参保人30天内重复住院5次"),
        amount_involved: Yuan::parse("38650.50").expect("an amount"),
        raised_at: local(2026, 5, 11, 9, 30),
        by: person("ybjk-platform"),
        at: local(2026, 5, 11, 10, 0),
        triage_working_days: 3,
        triage_due: due(),
        calendar_unknown: false,
    }
}

fn triaged(triage: Triage, at: DateTime<Utc>) -> AlertEvent {
    AlertEvent::Triaged {
        triage,
        late: at >= due(),
        triage_due: due(),
        by: person("sec-zhao"),
        at,
    }
}

fn missed() -> AlertEvent {
    AlertEvent::TriageMissed {
        triage_due: due(),
        calendar_unknown: false,
        by: person("schedule:triage"),
        at: due() + Duration::hours(9),
    }
}

fn fold(events: Vec<AlertEvent>) -> Option<AlertEntry> {
    events
        .into_iter()
        .enumerate()
        .fold(None, |row, (i, event)| {
            AlertBoard::fold(row, ID, event, &logged(i as u64 + 1))
        })
}

fn row(events: Vec<AlertEvent>) -> AlertEntry {
    fold(events).expect("a row")
}

#[test]
fn an_alert_escalated_to_a_clue_in_time() {
    let entry = row(vec![
        received(),
        triaged(
            Triage::EscalatedToClue {
                clue: ClueId::parse("clue-2026-002").expect("a clue"),
                case: CaseId::parse("case-2026-002").expect("a case"),
            },
            local(2026, 5, 12, 14, 0),
        ),
    ]);
    let expected = AlertEntry {
        alert: ID.into(),
        reference: REFERENCE.into(),
        campaign: "qunfu-2026".into(),
        subject: "county-hospital".into(),
        summary: "同一参保人30天内重复住院5次".into(),
        amount_involved: Yuan::parse("38650.50").expect("an amount"),
        raised_at: local(2026, 5, 11, 9, 30),
        received_at: local(2026, 5, 11, 10, 0),
        triage_working_days: 3,
        triage_due_at: local(2026, 5, 15, 0, 0),
        calendar_unknown: false,
        state: AlertStatus::Triaged,
        triage: Some("escalated_to_clue".into()),
        dismissal_reasons: vec![],
        merged_into: None,
        escalated_clue: Some("clue-2026-002".into()),
        escalated_case: Some("case-2026-002".into()),
        escalated_item: None,
        triaged_at: Some(local(2026, 5, 12, 14, 0)),
        triaged_late: Some(false),
        triage_missed: false,
        position: 2,
    };
    assert_eq!(entry, expected);
    assert!(!entry.triage_overdue_at(due() + Duration::days(30)));
    assert!(!entry.triage_breached_at(due() + Duration::days(30)));
}

#[test]
fn dismissed_merged_and_escalated_to_an_item_each_show_their_target() {
    let dismissed = row(vec![
        received(),
        triaged(
            Triage::Dismissed {
                reasons: vec![text("模型误报"), text("已核实为正常转院")],
            },
            local(2026, 5, 12, 9, 0),
        ),
    ]);
    assert_eq!(dismissed.triage.as_deref(), Some("dismissed"));
    assert_eq!(
        dismissed.dismissal_reasons,
        vec!["模型误报".to_owned(), "已核实为正常转院".to_owned()]
    );
    let merged = row(vec![
        received(),
        triaged(
            Triage::Merged {
                into: AlertId::parse("alert~YBJK-2026-000100").expect("an alert"),
            },
            local(2026, 5, 12, 9, 0),
        ),
    ]);
    assert_eq!(merged.triage.as_deref(), Some("merged"));
    assert_eq!(
        merged.merged_into.as_deref(),
        Some("alert~YBJK-2026-000100")
    );
    let item = row(vec![
        received(),
        triaged(
            Triage::EscalatedToItem {
                code: code("YB-2026-0009"),
            },
            local(2026, 5, 12, 9, 0),
        ),
    ]);
    assert_eq!(item.triage.as_deref(), Some("escalated_to_item"));
    assert_eq!(item.escalated_item.as_deref(), Some("YB-2026-0009"));
    assert_eq!((item.escalated_clue, item.merged_into), (None, None));
}

#[test]
fn an_untriaged_alert_is_overdue_from_its_due_instant_on() {
    let second = Duration::seconds(1);
    let open = row(vec![received()]);
    assert!(!open.triage_overdue_at(due() - second));
    assert!(open.triage_overdue_at(due()));
    assert!(open.triage_breached_at(due() + second));
    // The recorded fact, then a late triage: no longer overdue, but the window was breached.
    let noticed = row(vec![received(), missed()]);
    assert!(noticed.triage_missed && noticed.triage_overdue_at(due()));
    let late = row(vec![
        received(),
        missed(),
        triaged(
            Triage::Dismissed {
                reasons: vec![text("模型误报")],
            },
            due() + Duration::days(1),
        ),
    ]);
    assert_eq!(
        (late.triage_missed, late.triaged_late, late.state),
        (true, Some(true), AlertStatus::Triaged)
    );
    assert!(!late.triage_overdue_at(due() + Duration::days(2)));
    assert!(late.triage_breached_at(due() + Duration::days(2)));
}

#[test]
fn a_row_survives_its_trip_through_the_table_as_json() {
    let entry = row(vec![
        received(),
        triaged(
            Triage::Dismissed {
                reasons: vec![text("模型误报")],
            },
            local(2026, 5, 12, 9, 0),
        ),
    ]);
    let json = serde_json::to_value(&entry).expect("serialises");
    assert_eq!(json["amount_involved"], "38650.50");
    let fields = json.as_object().expect("an object").clone();
    AlertBoard::TABLE
        .upsert(&fields)
        .expect("every field fits its column");
    let back: AlertEntry = serde_json::from_value(json).expect("reads back");
    assert_eq!(back, entry);
}

#[test]
fn events_of_an_alert_never_received_make_no_row() {
    assert_eq!(fold(vec![missed()]), None);
}
