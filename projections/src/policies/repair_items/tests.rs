//! The repair-items rule without a database: which facts it follows, and which command each
//! calls for given what the case already counts — a replayed cause, however old, finds its
//! effect there and calls for nothing.

use rectiflow_domain::case::{CaseCommand, CaseEvent};
use rectiflow_domain::item::{ItemEvent, WithdrawalGround};
use rectiflow_domain::testing::fixtures::{code, local, person, text, unit};
use rectiflow_engine::{LoggedEvent, RecordedEvent, StreamRef};

use super::rule::{cause, command, noted, relapses_before, Cause, Fate, Noted};
use super::NAME;
use crate::policies::acting::policy_actor;

const CASE: &str = "case-2026-001";
const CODE: &str = "YB-2026-0003";

fn logged(
    stream_type: &str,
    id: &str,
    version: u64,
    event_type: &str,
    payload: serde_json::Value,
) -> LoggedEvent {
    LoggedEvent {
        position: 7,
        hash: String::new(),
        event: RecordedEvent {
            stream: StreamRef::new(stream_type, id),
            stream_version: version,
            event_id: Default::default(),
            event_type: event_type.into(),
            schema_version: "1".into(),
            payload,
            metadata: serde_json::Value::Null,
            recorded_at: local(2026, 3, 5, 9, 0),
        },
    }
}

fn spawned(c: &str) -> CaseEvent {
    CaseEvent::RepairItemSpawned {
        code: code(c),
        unit: unit("health-bureau"),
        title: text("完善住院结算审核制度"),
        by: person("sec-li"),
        at: local(2026, 3, 20, 9, 0),
    }
}

fn withdrawn() -> ItemEvent {
    ItemEvent::ItemWithdrawn {
        ground: WithdrawalGround::Unfounded,
        reason: text("重复"),
        by: person("sec-li"),
        at: local(2026, 4, 1, 9, 0),
    }
}

fn json<T: serde::Serialize>(event: &T) -> serde_json::Value {
    serde_json::to_value(event).expect("an event serialises")
}

#[test]
fn a_spawned_repair_item_is_a_cause_naming_the_case_and_the_code() {
    let event = logged(
        "case",
        CASE,
        9,
        "rectiflow.case.repair_item_spawned",
        json(&spawned(CODE)),
    );
    assert_eq!(
        cause(&event).expect("decodes"),
        Some(Cause::Spawned {
            case: CASE.into(),
            code: code(CODE),
            unit: unit("health-bureau"),
            title: text("完善住院结算审核制度"),
            at: local(2026, 3, 20, 9, 0),
        })
    );
}

#[test]
fn an_items_withdrawal_is_a_fate_and_other_events_are_not_followed() {
    let event = logged(
        "item",
        CODE,
        4,
        "rectiflow.item.withdrawn",
        json(&withdrawn()),
    );
    assert_eq!(
        cause(&event).expect("decodes"),
        Some(Cause::Item {
            code: CODE.into(),
            fate: Fate::Withdrawn {
                reason: text("重复")
            },
        })
    );
    // Not followed: nothing decoded, even a payload that is no event.
    for (stream_type, event_type) in [
        ("item", "rectiflow.item.registered"),
        ("case", "rectiflow.case.closed"),
        ("complaint", "rectiflow.item.closed"),
    ] {
        let event = logged(stream_type, "x", 1, event_type, serde_json::Value::Null);
        assert_eq!(cause(&event).expect("not decoded"), None, "{event_type}");
    }
    // Followed but not the event its type says: an error, retried, never skipped silently.
    let corrupt = logged(
        "item",
        CODE,
        4,
        "rectiflow.item.closed",
        serde_json::Value::Null,
    );
    assert!(cause(&corrupt).is_err());
}

#[test]
fn the_case_counts_each_repair_items_closures_reopenings_and_withdrawal() {
    let c = code(CODE);
    let at = local(2026, 5, 1, 9, 0);
    let events = vec![
        spawned(CODE),
        spawned("YB-2026-0009"),
        CaseEvent::RepairItemClosed {
            code: c.clone(),
            by: person("p"),
            at,
        },
        CaseEvent::RepairItemClosed {
            code: code("YB-2026-0009"),
            by: person("p"),
            at,
        },
        CaseEvent::RepairItemReopened {
            code: c.clone(),
            by: person("p"),
            at,
        },
        CaseEvent::CaseReopened {
            code: c.clone(),
            by: person("p"),
            at,
        },
        CaseEvent::RepairItemClosed {
            code: c.clone(),
            by: person("p"),
            at,
        },
    ];
    assert_eq!(
        noted(&events, &c),
        Noted {
            spawned: true,
            closed: 2,
            reopened: 1,
            withdrawn: false
        }
    );
    assert_eq!(noted(&events[..0], &c), Noted::default());
}

#[test]
fn a_closure_counts_the_relapses_before_it() {
    let reopened = |relapses| {
        (relapses, serde_json::from_value::<ItemEvent>(serde_json::json!({
        "ItemReopened": {
            "findings": "复发", "new_deadline": "2026-09-30",
            "acknowledgement_due_at": "2026-08-05T16:00:00Z",
            "deadline_passes_at": "2026-09-30T16:00:00Z", "warning_at": "2026-09-25T16:00:00Z",
            "calendar_unknown": false, "relapses": relapses,
            "settings": {"acknowledgement_working_days": 2, "warning_working_days": 3},
            "by": "sec-li", "at": "2026-08-03T01:00:00Z"
        }
    })).expect("a reopening"))
    };
    let events = vec![(1, withdrawn()), reopened(5), reopened(8)];
    assert_eq!(relapses_before(&events, 5), 0);
    assert_eq!(relapses_before(&events, 6), 1);
    assert_eq!(relapses_before(&events, 9), 2);
}

#[test]
fn each_fate_is_noted_once_however_often_its_cause_is_replayed() {
    let c = code(CODE);
    let spawned_only = Noted {
        spawned: true,
        ..Noted::default()
    };
    let closed_once = Noted {
        closed: 1,
        ..spawned_only
    };
    let reopened_once = Noted {
        reopened: 1,
        ..closed_once
    };
    let closed_twice = Noted {
        closed: 2,
        ..reopened_once
    };
    let closed = Fate::Closed { version: 6 };
    let relapse = Fate::Reopened { relapses: 1 };
    // The first closure, the first relapse, the second closure: each noted when not yet…
    assert_eq!(
        command(&c, &closed, 0, spawned_only),
        Some(CaseCommand::RecordRepairItemClosed { code: c.clone() })
    );
    assert_eq!(
        command(&c, &relapse, 0, closed_once),
        Some(CaseCommand::RecordRepairItemReopened { code: c.clone() })
    );
    assert_eq!(
        command(&c, &closed, 1, reopened_once),
        Some(CaseCommand::RecordRepairItemClosed { code: c.clone() })
    );
    // … and never again once the case counts it, even replayed from the start.
    for noted in [closed_once, reopened_once, closed_twice] {
        assert_eq!(command(&c, &closed, 0, noted), None, "{noted:?}");
    }
    for noted in [reopened_once, closed_twice] {
        assert_eq!(command(&c, &relapse, 0, noted), None, "{noted:?}");
    }
    assert_eq!(command(&c, &closed, 1, closed_twice), None);
    let withdrawal = Fate::Withdrawn {
        reason: text("重复"),
    };
    assert_eq!(
        command(&c, &withdrawal, 0, spawned_only),
        Some(CaseCommand::RecordRepairItemWithdrawn {
            code: c.clone(),
            reason: text("重复")
        })
    );
    assert_eq!(
        command(
            &c,
            &withdrawal,
            0,
            Noted {
                withdrawn: true,
                ..spawned_only
            }
        ),
        None
    );
}

#[test]
fn the_policy_acts_as_a_policy() {
    let actor = policy_actor(NAME);
    assert!(rectiflow_domain::organisation::SystemActor::is_policy(
        &actor
    ));
}
