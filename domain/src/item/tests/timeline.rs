//! The standard timeline of the item tests: registered Monday 2026-03-02 09:00, assigned 10:00,
//! deadline Tuesday 2026-03-31 (passes 2026-04-01 00:00 local) — its commands, its events and
//! the histories built from them.

use chrono::{DateTime, Duration, Utc};
use cqrs_es::test::TestFramework;

use super::fixtures::*;
use crate::item::*;
use crate::services::DomainServices;
use crate::values::{Deadline, Percent};

pub(super) fn register_body() -> RegisterItem {
    RegisterItem {
        campaign: campaign(),
        task_force: yibao(),
        code: code("YB-2026-0001"),
        title: text("定点医院虚假住院骗保"),
        description: text("医保监测平台预警：某定点医院挂床住院"),
        category: text("欺诈骗保"),
        source: ItemSource::DataAlert,
        source_ref: Some(text("alert-20260301-17")),
        severity: Severity::High,
    }
}

pub(super) fn registered() -> ItemEvent {
    let b = register_body();
    ItemEvent::ItemRegistered {
        campaign: b.campaign,
        task_force: b.task_force,
        code: b.code,
        title: b.title,
        description: b.description,
        category: b.category,
        source: b.source,
        source_ref: b.source_ref,
        severity: b.severity,
        time_zone: TZ,
        yellow_after_send_backs: 2,
        by: sec(),
        at: local(2026, 3, 2, 9, 0),
    }
}

pub(super) fn assign_body() -> AssignItem {
    AssignItem {
        responsible_unit: responsible_unit(),
        responsible_person: zhang(),
        supervising_unit: supervising_unit(),
        deadline: deadline(2026, 3, 31),
        measures: text("全面核查住院病历，追回违规资金"),
        milestones: vec![Milestone {
            date: date(2026, 3, 15),
            description: text("完成病历核查"),
        }],
    }
}

pub(super) fn assigned() -> ItemEvent {
    let b = assign_body();
    ItemEvent::ItemAssigned {
        responsible_unit: b.responsible_unit,
        responsible_person: b.responsible_person,
        supervising_unit: b.supervising_unit,
        deadline: b.deadline,
        measures: b.measures,
        milestones: b.milestones,
        // Monday + 2 working days = Wednesday 03-04, due 24:00 local.
        acknowledgement_due_at: local(2026, 3, 5, 0, 0),
        deadline_passes_at: local(2026, 4, 1, 0, 0),
        // Three working days before Tuesday 03-31: Mon 30, Fri 27, Thu 26.
        warning_at: local(2026, 3, 26, 0, 0),
        calendar_unknown: false,
        settings: default_deadline_settings(),
        by: sec(),
        at: local(2026, 3, 2, 10, 0),
    }
}

/// The deadline settings of the default campaign: 签收 in 2 working days, warning 3 working
/// days before the deadline.
pub(super) fn default_deadline_settings() -> DeadlineSettings {
    DeadlineSettings {
        acknowledgement_working_days: 2,
        warning_working_days: 3,
    }
}

pub(super) fn acknowledged() -> ItemEvent {
    ItemEvent::ItemAcknowledged {
        late: false,
        by: zhang(),
        at: local(2026, 3, 3, 9, 0),
    }
}

pub(super) fn sign_off_body() -> SignOffRequest {
    SignOffRequest {
        problem: Some(text("挂床住院 12 人次")),
        measures: Some(text("追回资金，约谈院长，完善入院核查制度")),
        result: Some(text("追回 36 万元，建立每日床头核查")),
        indicators: None,
        evidence: vec![evidence()],
    }
}

pub(super) fn sign_off_requested(at: DateTime<Utc>) -> ItemEvent {
    let b = sign_off_body();
    ItemEvent::SignOffRequested {
        problem: b.problem.expect("set"),
        measures: b.measures.expect("set"),
        result: b.result.expect("set"),
        indicators: b.indicators,
        evidence: b.evidence,
        by: zhang(),
        at,
    }
}

pub(super) fn extension_requested() -> ItemEvent {
    ItemEvent::ExtensionRequested {
        reason: text("涉案人员外出，需延期核查"),
        current_deadline: deadline(2026, 3, 31),
        requested_deadline: deadline(2026, 4, 15),
        max_extensions: 2,
        by: zhang(),
        at: local(2026, 3, 20, 9, 0),
    }
}

pub(super) fn extension_approved() -> ItemEvent {
    ItemEvent::ExtensionApproved {
        previous_deadline: deadline(2026, 3, 31),
        new_deadline: deadline(2026, 4, 15),
        deadline_passes_at: local(2026, 4, 16, 0, 0),
        // Three working days before Wednesday 04-15: Tue 14, Mon 13, Fri 10.
        warning_at: local(2026, 4, 10, 0, 0),
        calendar_unknown: false,
        extensions_approved: 1,
        settings: ExtensionSettings {
            max_extensions: 2,
            warning_working_days: 3,
        },
        note: None,
        by: sec(),
        at: local(2026, 3, 21, 9, 0),
    }
}

pub(super) fn overdue() -> ItemEvent {
    ItemEvent::ItemBecameOverdue {
        deadline: deadline(2026, 3, 31),
        effective_at: local(2026, 4, 1, 0, 0),
        by: scheduler(),
        at: local(2026, 4, 1, 0, 5),
    }
}

pub(super) fn in_progress() -> Vec<ItemEvent> {
    vec![registered(), assigned(), acknowledged()]
}

/// In progress with an extension request pending.
pub(super) fn extension_pending() -> Vec<ItemEvent> {
    let mut events = in_progress();
    events.push(extension_requested());
    events
}

/// In progress, and overdue since the original deadline passed.
pub(super) fn overdue_in_progress() -> Vec<ItemEvent> {
    let mut events = in_progress();
    events.push(overdue());
    events
}

pub(super) fn pending() -> Vec<ItemEvent> {
    let mut events = in_progress();
    events.push(sign_off_requested(local(2026, 3, 20, 9, 0)));
    events
}

/// The deadline of 2026-03-31 passes at this instant (2026-04-01 00:00 local).
pub(super) fn deadline_passes() -> DateTime<Utc> {
    local(2026, 4, 1, 0, 0)
}

/// In progress, then a sign-off request exactly as the deadline passes: late, so it does not
/// stop the clock.
pub(super) fn pending_late() -> Vec<ItemEvent> {
    let mut events = in_progress();
    events.push(sign_off_requested(deadline_passes()));
    events
}

/// The closure of [`pending_late`]'s request at `at`: closed late (逾期销号).
pub(super) fn closed_late_event(at: DateTime<Utc>) -> ItemEvent {
    closed_on_request(at, false, true, deadline_passes())
}

/// The closure at `at` of [`pending`]'s request of 03-20.
pub(super) fn closed_event(at: DateTime<Utc>, on_time: bool, after_original: bool) -> ItemEvent {
    closed_on_request(at, on_time, after_original, local(2026, 3, 20, 9, 0))
}

/// The closure at `at` of a sign-off request made at `requested_at`.
pub(super) fn closed_on_request(
    at: DateTime<Utc>,
    on_time: bool,
    after_original: bool,
    requested_at: DateTime<Utc>,
) -> ItemEvent {
    ItemEvent::ItemClosed {
        deadline_in_force: deadline(2026, 3, 31),
        original_deadline: deadline(2026, 3, 31),
        on_time,
        after_original_deadline: after_original,
        sign_off_requested_at: requested_at,
        reinspection_due_at: at + Duration::days(90),
        reinspection_days: 90,
        note: None,
        outcome: None,
        by: sec(),
        at,
    }
}

pub(super) fn closed() -> Vec<ItemEvent> {
    let mut events = pending();
    events.push(closed_event(local(2026, 3, 25, 10, 0), true, false));
    events
}

pub(super) fn fold(events: &[ItemEvent]) -> Item {
    replay(events.iter().cloned())
}

pub(super) fn assigned_with(
    services: DomainServices,
    at: DateTime<Utc>,
    due: Deadline,
) -> ItemEvent {
    let body = AssignItem {
        deadline: due,
        milestones: vec![],
        ..assign_body()
    };
    let events = TestFramework::<Item>::with(services)
        .given(vec![registered()])
        .when(cmd(at, sec(), ItemCommand::Assign(body)))
        .inspect_result()
        .expect("assignment accepted");
    events.into_iter().next().expect("one event")
}

pub(super) fn instants(event: &ItemEvent) -> (DateTime<Utc>, DateTime<Utc>, DateTime<Utc>) {
    match event {
        ItemEvent::ItemAssigned {
            acknowledgement_due_at,
            deadline_passes_at,
            warning_at,
            ..
        } => (*acknowledgement_due_at, *deadline_passes_at, *warning_at),
        other => panic!("expected an assignment, got {other:?}"),
    }
}

pub(super) fn reopened() -> ItemEvent {
    ItemEvent::ItemReopened {
        findings: text("回头看发现问题反弹"),
        new_deadline: deadline(2026, 7, 31),
        // Thursday 06-25 + 2 working days = Monday 06-29.
        acknowledgement_due_at: local(2026, 6, 30, 0, 0),
        deadline_passes_at: local(2026, 8, 1, 0, 0),
        // Friday 07-31 - 3 working days = Tuesday 07-28.
        warning_at: local(2026, 7, 28, 0, 0),
        calendar_unknown: false,
        relapses: 1,
        settings: default_deadline_settings(),
        by: sec(),
        at: local(2026, 6, 25, 10, 0),
    }
}

pub(super) fn progress_body() -> ItemCommand {
    ItemCommand::ReportProgress {
        text: text("已核查病历 80 份"),
        percent: Percent::parse(40).expect("valid"),
        evidence: vec![evidence()],
    }
}

/// A 容错 ruling for force majeure on `episode`.
pub(super) fn ruling(episode: Episode, decision: FaultDecision) -> ItemCommand {
    ItemCommand::RuleFaultTolerance {
        episode,
        cause: FaultCause::ForceMajeure,
        decision,
        reason: text("暴雨导致道路中断，无法按期完成现场核查"),
    }
}

pub(super) fn warning(at: DateTime<Utc>) -> ItemEvent {
    ItemEvent::DeadlineWarningRecorded {
        deadline: deadline(2026, 3, 31),
        effective_at: local(2026, 3, 26, 0, 0),
        deadline_passes_at: local(2026, 4, 1, 0, 0),
        calendar_unknown: false,
        by: scheduler(),
        at,
    }
}
