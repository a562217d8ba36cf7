//! What the folds' tests share: a log entry around an event, as a fold sees it.

use chrono::{TimeZone, Utc};
use rectiflow_domain::item::{
    DeadlineSettings, ExtensionSettings, ItemEvent, ItemSource, Severity,
};
use rectiflow_domain::testing::fixtures::{campaign, code, local, person, text, unit, TZ};
use rectiflow_domain::values::{Deadline, TaskForceId};
use rectiflow_engine::{LoggedEvent, RecordedEvent, StreamRef};

/// The `position`-th event of the stream `stream_type`/`stream_id`: only its place in the log
/// and its stream matter to a fold (events carry their own instants).
pub fn logged(stream_type: &str, stream_id: &str, position: u64) -> LoggedEvent {
    LoggedEvent {
        position,
        hash: String::new(),
        event: RecordedEvent {
            stream: StreamRef::new(stream_type, stream_id),
            stream_version: position,
            event_id: Default::default(),
            event_type: String::new(),
            schema_version: "1".into(),
            payload: serde_json::Value::Null,
            metadata: serde_json::Value::Null,
            recorded_at: Utc.timestamp_opt(0, 0).single().unwrap_or_default(),
        },
    }
}

/// The story's first item registered (Monday 2026-03-02 09:00, Beijing time).
pub fn item_registered() -> ItemEvent {
    ItemEvent::ItemRegistered {
        campaign: campaign(),
        task_force: TaskForceId::parse("yb").expect("valid task force"),
        code: code("YB-2026-0001"),
        title: text("定点医院虚假住院骗保"),
        description: text("挂床住院"),
        category: text("欺诈骗保"),
        source: ItemSource::Inspection,
        source_ref: None,
        severity: Severity::High,
        time_zone: TZ,
        yellow_after_send_backs: 2,
        by: person("sec-1"),
        at: local(2026, 3, 2, 9, 0),
    }
}

/// Assigned 03-02 10:00 with `deadline`: 签收 by 03-05 00:00, warning from 03-26, 逾期 at 04-01
/// 00:00 (the instants of a 03-31 deadline).
pub fn item_assigned(deadline: Deadline) -> ItemEvent {
    ItemEvent::ItemAssigned {
        responsible_unit: unit("county-hospital"),
        responsible_person: person("dr-wang"),
        supervising_unit: unit("health-bureau"),
        deadline,
        measures: text("核查病历"),
        milestones: Vec::new(),
        acknowledgement_due_at: local(2026, 3, 5, 0, 0),
        deadline_passes_at: local(2026, 4, 1, 0, 0),
        warning_at: local(2026, 3, 26, 0, 0),
        calendar_unknown: false,
        settings: DeadlineSettings {
            acknowledgement_working_days: 2,
            warning_working_days: 3,
        },
        by: person("sec-1"),
        at: local(2026, 3, 2, 10, 0),
    }
}

/// Extended on 03-20 from `from` to `to`: 逾期 at 05-01 00:00, warning from 04-27.
pub fn item_extended(from: Deadline, to: Deadline) -> ItemEvent {
    ItemEvent::ExtensionApproved {
        previous_deadline: from,
        new_deadline: to,
        deadline_passes_at: local(2026, 5, 1, 0, 0),
        warning_at: local(2026, 4, 27, 0, 0),
        calendar_unknown: false,
        extensions_approved: 1,
        settings: ExtensionSettings {
            max_extensions: 2,
            warning_working_days: 3,
        },
        note: None,
        by: person("hb-chen"),
        at: local(2026, 3, 20, 9, 0),
    }
}
