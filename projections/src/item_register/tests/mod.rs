//! The register's fold, without a database: events in, rows out — the register's own facts
//! here, the ledger's further facts in `ledger_row`, the read-time values in `read_time`.

mod exports;
mod ledger_row;
mod query;
mod read_time;

use chrono::{DateTime, Utc};
use rectiflow_domain::item::{Episode, FaultCause, FaultDecision, ItemEvent, ItemState};
use rectiflow_domain::testing::fixtures::{campaign, date, local, person, text};
use rectiflow_domain::values::{Deadline, TaskForceId, Yuan};
use rectiflow_engine::LoggedEvent;

use super::{ItemEntry, ItemRegister};
use crate::projector::RowProjection;
use crate::testing::{
    item_assigned as assigned, item_extended as extended, item_registered as registered,
};

fn logged(position: u64) -> LoggedEvent {
    crate::testing::logged("item", "YB-2026-0001", position)
}

fn overdue(deadline: Deadline) -> ItemEvent {
    ItemEvent::ItemBecameOverdue {
        deadline,
        effective_at: local(2026, 4, 1, 0, 0),
        by: person("system:scheduler"),
        at: local(2026, 4, 1, 0, 5),
    }
}

fn acknowledged(at: DateTime<Utc>, late: bool) -> ItemEvent {
    ItemEvent::ItemAcknowledged {
        late,
        by: person("dr-wang"),
        at,
    }
}

fn acknowledgement_overdue() -> ItemEvent {
    ItemEvent::AcknowledgementOverdueRecorded {
        effective_at: local(2026, 3, 5, 0, 0),
        calendar_unknown: false,
        by: person("system:scheduler"),
        at: local(2026, 3, 5, 0, 1),
    }
}

fn sign_off_requested(at: DateTime<Utc>) -> ItemEvent {
    ItemEvent::SignOffRequested {
        problem: text("挂床住院"),
        measures: text("核查病历"),
        result: text("已追回"),
        indicators: None,
        evidence: Vec::new(),
        by: person("dr-wang"),
        at,
    }
}

fn sent_back(send_backs: u32, at: DateTime<Utc>) -> ItemEvent {
    ItemEvent::SignOffRejected {
        reasons: vec![text("佐证不足")],
        send_backs,
        by: person("sec-1"),
        at,
    }
}

fn ruled(episode: Episode, decision: FaultDecision, at: DateTime<Utc>) -> ItemEvent {
    ItemEvent::FaultToleranceRuled {
        episode,
        cause: FaultCause::ForceMajeure,
        decision,
        reason: text("暴雨"),
        by: person("sec-1"),
        at,
    }
}

fn yuan(amount: &str) -> Yuan {
    Yuan::parse(amount).expect("an amount")
}

/// Folds `events` from no row, as the projector does for a new stream.
fn fold(events: Vec<ItemEvent>) -> Option<ItemEntry> {
    events
        .into_iter()
        .enumerate()
        .fold(None, |row, (i, event)| {
            ItemRegister::fold(row, "YB-2026-0001", event, &logged(i as u64 + 1))
        })
}

#[test]
fn a_registered_and_assigned_item_shows_its_unit_and_deadline() {
    let deadline = Deadline::new(date(2026, 3, 31));
    let entry = fold(vec![registered(), assigned(deadline)]).expect("a row");
    assert_eq!(entry.code, "YB-2026-0001");
    assert_eq!(entry.campaign, "qunfu-2026");
    assert_eq!(entry.task_force, "yb");
    assert_eq!(entry.state, ItemState::Assigned);
    assert_eq!(entry.responsible_unit.as_deref(), Some("county-hospital"));
    assert_eq!(entry.deadline, Some(deadline));
    assert_eq!(entry.deadline_passes_at, Some(local(2026, 4, 1, 0, 0)));
    assert!(!entry.overdue);
    assert_eq!(entry.position, 2);
}

#[test]
fn an_item_is_overdue_only_for_the_deadline_in_force() {
    let first = Deadline::new(date(2026, 3, 31));
    let second = Deadline::new(date(2026, 4, 30));
    let extended = extended(first, second);
    let entry = fold(vec![registered(), assigned(first), extended.clone()]).expect("a row");
    assert_eq!((entry.deadline, entry.extensions), (Some(second), 1));
    // A fact about the earlier deadline, recorded late, leaves the item on time now.
    let entry = fold(vec![
        registered(),
        assigned(first),
        extended,
        overdue(first),
    ])
    .expect("row");
    assert!(!entry.overdue);
    let entry = fold(vec![registered(), assigned(first), overdue(first)]).expect("a row");
    assert!(entry.overdue);
}

#[test]
fn events_of_an_item_never_registered_make_no_row() {
    assert_eq!(fold(vec![assigned(Deadline::new(date(2026, 3, 31)))]), None);
}

#[test]
fn a_row_survives_its_trip_through_the_table_as_json() {
    let entry = fold(vec![
        registered(),
        assigned(Deadline::new(date(2026, 3, 31))),
    ])
    .expect("row");
    let json = serde_json::to_value(&entry).expect("serialises");
    let fields = json.as_object().expect("an object").clone();
    ItemRegister::TABLE
        .upsert(&fields)
        .expect("every field fits its column");
    let back: ItemEntry = serde_json::from_value(json).expect("reads back");
    assert_eq!(back, entry);
}

#[test]
fn a_carried_over_item_keeps_its_row_in_the_later_campaign() {
    let deadline = Deadline::new(date(2026, 3, 31));
    let carried = ItemEvent::ItemCarriedOver {
        from: campaign(),
        to: "qunfu-2027".parse().expect("valid campaign"),
        task_force: TaskForceId::parse("yb-2027").expect("valid task force"),
        reason: text("年度收官，转入下一年度"),
        by: person("sec-1"),
        at: local(2026, 3, 20, 9, 0),
    };
    let entry = fold(vec![registered(), assigned(deadline), carried]).expect("a row");
    assert_eq!(entry.code, "YB-2026-0001");
    assert_eq!(
        (entry.campaign.as_str(), entry.task_force.as_str()),
        ("qunfu-2027", "yb-2027")
    );
    assert_eq!(entry.deadline, Some(deadline));
    assert_eq!(entry.state, ItemState::Assigned);
}
