//! The to-do lists' selection, without a database: rows and an organisation in, each
//! person's tasks out, hand-computed at Sunday 10 May 2026, 09:00 (Asia/Shanghai).

use chrono::{DateTime, Duration, Utc};
use rectiflow_domain::accountability::AccountabilityStatus;
use rectiflow_domain::admonishment::AdmonishmentStatus;
use rectiflow_domain::alert::AlertStatus;
use rectiflow_domain::complaint::{Channel, ComplaintStatus};
use rectiflow_domain::directory::StaticDirectory;
use rectiflow_domain::item::{Episode, FaultCause, FaultDecision, ItemState, Severity};
use rectiflow_domain::organisation::Role;
use rectiflow_domain::settings::ResponseWindow;
use rectiflow_domain::testing::fixtures::{local, person, unit};
use rectiflow_domain::values::{TaskForceId, Yuan};

use super::{select, AlertTriage, Rows, ToDo, ToDoKind};
use crate::accountability_register::{AccountabilityEntry, Proposer};
use crate::admonishment_register::{AdmonishmentEntry, BasisKind};
use crate::alert_board::AlertEntry;
use crate::complaint_board::ComplaintEntry;
use crate::item_register::{EpisodeRuling, ItemEntry};

const HOSPITAL: &str = "county-hospital";

fn now() -> DateTime<Utc> {
    local(2026, 5, 10, 9, 0)
}

fn yibao() -> TaskForceId {
    TaskForceId::parse("yibao").expect("a task force")
}

/// The hospital (head hosp-liu; dr-wang, nurse-qi, and sec-wu — who also sits on the yibao
/// secretariat), the task-force office (sec-li and sec-zhao, yibao secretariat), civil affairs
/// (head ca-head; ca-zhou) and discipline inspection (jw-he).
fn organisation() -> StaticDirectory {
    StaticDirectory::default()
        .with_head(unit(HOSPITAL), person("hosp-liu"))
        .with_member(unit(HOSPITAL), person("dr-wang"))
        .with_member(unit(HOSPITAL), person("nurse-qi"))
        .with_member(unit(HOSPITAL), person("sec-wu"))
        .with_member(unit("task-force-office"), person("sec-li"))
        .with_member(unit("task-force-office"), person("sec-zhao"))
        .with_head(unit("civil-affairs"), person("ca-head"))
        .with_member(unit("civil-affairs"), person("ca-zhou"))
        .with_member(unit("discipline-commission"), person("jw-he"))
        .with_role(
            person("sec-li"),
            Role::Secretariat {
                task_force: yibao(),
            },
        )
        .with_role(
            person("sec-zhao"),
            Role::Secretariat {
                task_force: yibao(),
            },
        )
        .with_role(
            person("sec-wu"),
            Role::Secretariat {
                task_force: yibao(),
            },
        )
        .with_role(person("jw-he"), Role::DisciplineInspection)
}

fn triage() -> AlertTriage {
    AlertTriage::from([("qunfu-2026".to_owned(), yibao())])
}

/// A yibao item of the hospital, dr-wang responsible, in `state`, whose deadline in force
/// (its first) passes at `passes_at`; acknowledged on 4 May.
fn item(code: &str, state: ItemState, passes_at: DateTime<Utc>) -> ItemEntry {
    ItemEntry {
        code: code.into(),
        campaign: "qunfu-2026".into(),
        task_force: "yibao".into(),
        title: format!("{code} 的标题"),
        category: "欺诈骗保".into(),
        severity: Severity::High,
        state,
        registered_at: local(2026, 4, 1, 9, 0),
        yellow_after_send_backs: 2,
        responsible_unit: Some(HOSPITAL.into()),
        responsible_person: Some("dr-wang".into()),
        supervising_unit: Some("health-bureau".into()),
        original_deadline: None,
        deadline: None,
        deadline_number: 1,
        deadline_passes_at: Some(passes_at),
        warning_at: Some(passes_at - Duration::days(3)),
        acknowledgement_due_at: Some(local(2026, 4, 3, 0, 0)),
        acknowledged_at: Some(local(2026, 4, 2, 9, 0)),
        acknowledgement_late: false,
        overdue: false,
        last_progress_percent: None,
        last_progress_at: None,
        sign_off_requested_at: None,
        closed_at: None,
        closed_on_time: None,
        closed_after_original_deadline: None,
        reinspection_due_at: None,
        withdrawn_at: None,
        carried_over_from: None,
        extensions: 0,
        extension_requested_at: None,
        extension_requested_to: None,
        send_backs: 0,
        relapses: 0,
        rulings: vec![],
        funds_recovered: Yuan::ZERO,
        people_affected: 0,
        subsidies_returned: Yuan::ZERO,
        position: 1,
    }
}

fn awaiting_acknowledgement(code: &str, state: ItemState, due: DateTime<Utc>) -> ItemEntry {
    ItemEntry {
        acknowledgement_due_at: Some(due),
        acknowledged_at: None,
        ..item(code, state, local(2026, 6, 1, 0, 0))
    }
}

fn complaint(id: &str, handler: Option<&str>, due: DateTime<Utc>) -> ComplaintEntry {
    ComplaintEntry {
        complaint: id.into(),
        campaign: "qunfu-2026".into(),
        field: "elderly_care".into(),
        task_force: Some("yanglao".into()),
        channel: Channel::Hotline,
        first_receiver: "civil-affairs".into(),
        responder: "civil-affairs".into(),
        handling_unit: "civil-affairs".into(),
        designated_handler: handler.map(Into::into),
        transfers: 0,
        state: ComplaintStatus::Open,
        summary: format!("{id} 摘要"),
        received_at: due - Duration::days(3),
        response_window: ResponseWindow::WorkingDays(3),
        response_due_at: due,
        calendar_unknown: false,
        responded_at: None,
        responded_by_unit: None,
        responded_in_time: None,
        response_missed: false,
        resolution: None,
        follow_up_clue: None,
        follow_up_case: None,
        follow_up_item: None,
        resolved_at: None,
        rating: None,
        closed_at: None,
        position: 1,
    }
}

fn alert(id: &str, state: AlertStatus, due: DateTime<Utc>) -> AlertEntry {
    AlertEntry {
        alert: id.into(),
        reference: id.into(),
        campaign: "qunfu-2026".into(),
        subject: HOSPITAL.into(),
        summary: format!("{id} 摘要"),
        amount_involved: Yuan::ZERO,
        raised_at: due - Duration::days(4),
        received_at: due - Duration::days(4),
        triage_working_days: 3,
        triage_due_at: due,
        calendar_unknown: false,
        state,
        triage: None,
        dismissal_reasons: vec![],
        merged_into: None,
        escalated_clue: None,
        escalated_case: None,
        escalated_item: None,
        triaged_at: None,
        triaged_late: None,
        triage_missed: false,
        position: 1,
    }
}

fn case(id: &str, state: AccountabilityStatus) -> AccountabilityEntry {
    AccountabilityEntry {
        case: id.into(),
        campaign: "qunfu-2026".into(),
        person: "dr-wang".into(),
        unit: HOSPITAL.into(),
        grounds: vec![],
        proposed_by: "sec-li".into(),
        proposer: Proposer::Secretariat,
        proposed_at: local(2026, 5, 6, 9, 10),
        referral_window_days: None,
        state,
        outcome: None,
        deducts: false,
        fault_tolerance_cause: None,
        fault_tolerance_decision: None,
        decided_by: None,
        decided_at: None,
        withdrawn_at: None,
        position: 1,
        version: 1,
    }
}

fn admonishment(id: &str, state: AdmonishmentStatus) -> AdmonishmentEntry {
    AdmonishmentEntry {
        admonishment: id.into(),
        campaign: "qunfu-2026".into(),
        unit: HOSPITAL.into(),
        basis: BasisKind::Manual,
        publication: None,
        publication_kind: None,
        publication_scope: None,
        cut_off: None,
        rules: vec![],
        window_instant: Some(local(2026, 5, 6, 9, 0)),
        items: vec![],
        reasons: vec![],
        triggered_by: "sec-li".into(),
        triggered_at: local(2026, 5, 6, 9, 0),
        state,
        scheduled_for: Some(local(2026, 5, 12, 15, 0)),
        place: Some("会议室".into()),
        conducted_by: vec!["sec-li".into(), "sec-zhao".into()],
        scheduled_at: Some(local(2026, 5, 7, 9, 0)),
        held_at: None,
        attendees: vec![],
        minutes: None,
        follow_up: None,
        followed_up_at: None,
        withdrawn_at: None,
        withdrawn_by: None,
        withdrawal_reasons: vec![],
        correction: None,
        position: 1,
    }
}

fn rows() -> Rows {
    let exempted = EpisodeRuling {
        episode: Episode::Deadline { number: 1 },
        cause: FaultCause::ForceMajeure,
        decision: FaultDecision::Exempt,
        at: local(2026, 4, 25, 9, 0),
    };
    Rows {
        items: vec![
            // Assigned; 签收 was due by 24:00 on 7 May: late.
            awaiting_acknowledgement("YB-2026-0011", ItemState::Assigned, local(2026, 5, 8, 0, 0)),
            // In progress, its deadline passed at 24:00 on 8 May, not ruled on.
            item(
                "YB-2026-0012",
                ItemState::InProgress,
                local(2026, 5, 9, 0, 0),
            ),
            // Sign-off asked on 5 May, before the deadline passed on the 8th: the clock stopped.
            ItemEntry {
                sign_off_requested_at: Some(local(2026, 5, 5, 9, 0)),
                ..item(
                    "YB-2026-0013",
                    ItemState::PendingSignOff,
                    local(2026, 5, 8, 0, 0),
                )
            },
            // In progress, overdue since 21 April and exempted: no ruling left to make.
            ItemEntry {
                overdue: true,
                rulings: vec![exempted],
                ..item(
                    "YB-2026-0014",
                    ItemState::InProgress,
                    local(2026, 4, 21, 0, 0),
                )
            },
            // Closed: nothing to do, though its deadline has passed.
            item("YB-2026-0015", ItemState::Closed, local(2026, 5, 1, 0, 0)),
            // Reopened by 回头看: a new 签收 due by 24:00 on 11 May.
            awaiting_acknowledgement(
                "YB-2026-0016",
                ItemState::Reopened,
                local(2026, 5, 12, 0, 0),
            ),
        ],
        complaints: vec![
            // No handler named: the head of civil affairs answers (or names one).
            complaint("cmp-2026-0011", None, local(2026, 5, 11, 0, 0)),
            // ca-zhou named: they alone answer; overdue since the 9th.
            complaint("cmp-2026-0012", Some("ca-zhou"), local(2026, 5, 9, 0, 0)),
            // Answered: nothing left.
            ComplaintEntry {
                responded_at: Some(local(2026, 5, 4, 9, 0)),
                responded_in_time: Some(true),
                ..complaint("cmp-2026-0013", None, local(2026, 5, 6, 0, 0))
            },
        ],
        alerts: vec![
            alert("alert~A1", AlertStatus::Open, local(2026, 5, 12, 0, 0)),
            alert("alert~A2", AlertStatus::Triaged, local(2026, 5, 7, 0, 0)),
        ],
        accountability: vec![
            case("accountability~K1", AccountabilityStatus::Proposed),
            case("accountability~K2", AccountabilityStatus::Decided),
        ],
        admonishments: vec![
            admonishment("adm-M1", AdmonishmentStatus::Scheduled),
            admonishment("adm-M2", AdmonishmentStatus::Held),
            AdmonishmentEntry {
                scheduled_for: None,
                place: None,
                conducted_by: vec![],
                scheduled_at: None,
                ..admonishment("adm-M3", AdmonishmentStatus::Triggered)
            },
        ],
    }
}

fn todo(
    kind: ToDoKind,
    stream: &str,
    title: &str,
    due: Option<DateTime<Utc>>,
    overdue: bool,
) -> ToDo {
    ToDo {
        kind,
        stream: stream.into(),
        title: title.into(),
        due_at: due,
        overdue,
    }
}

fn item_todo(kind: ToDoKind, code: &str, due: Option<DateTime<Utc>>, overdue: bool) -> ToDo {
    todo(kind, code, &format!("{code} 的标题"), due, overdue)
}

fn list_at(who: &str, now: DateTime<Utc>) -> Vec<ToDo> {
    select(
        &rows(),
        organisation().as_organisation(),
        &triage(),
        &person(who),
        now,
    )
}

fn list(who: &str) -> Vec<ToDo> {
    list_at(who, now())
}

/// What every member of the hospital owes: the two 签收.
fn acknowledgements() -> [ToDo; 2] {
    [
        item_todo(
            ToDoKind::Acknowledge,
            "YB-2026-0011",
            Some(local(2026, 5, 8, 0, 0)),
            true,
        ),
        item_todo(
            ToDoKind::Acknowledge,
            "YB-2026-0016",
            Some(local(2026, 5, 12, 0, 0)),
            false,
        ),
    ]
}

fn talk(kind: ToDoKind) -> ToDo {
    todo(
        kind,
        "adm-M1",
        "约谈 county-hospital（会议室）",
        Some(local(2026, 5, 12, 15, 0)),
        false,
    )
}

#[test]
fn the_responsible_person_acknowledges_and_asks_for_sign_off_by_each_deadline() {
    let [late_ack, ack] = acknowledgements();
    assert_eq!(
        list("dr-wang"),
        vec![
            item_todo(
                ToDoKind::RequestSignOff,
                "YB-2026-0014",
                Some(local(2026, 4, 21, 0, 0)),
                true
            ),
            late_ack,
            item_todo(
                ToDoKind::RequestSignOff,
                "YB-2026-0012",
                Some(local(2026, 5, 9, 0, 0)),
                true
            ),
            ack,
        ]
    );
}

#[test]
fn the_unit_head_signs_for_the_unit_and_attends_the_talk() {
    let mut expected = list("dr-wang");
    expected.push(talk(ToDoKind::AttendTalk));
    assert_eq!(list("hosp-liu"), expected);
}

#[test]
fn a_unit_member_only_acknowledges() {
    assert_eq!(list("nurse-qi"), acknowledgements().to_vec());
}

#[test]
fn the_secretariat_verifies_triages_holds_the_talk_and_rules_on_the_unruled_episode() {
    let expected = vec![
        // The request came before the deadline passed: not overdue.
        item_todo(
            ToDoKind::VerifySignOff,
            "YB-2026-0013",
            Some(local(2026, 5, 8, 0, 0)),
            false,
        ),
        todo(
            ToDoKind::TriageAlert,
            "alert~A1",
            "alert~A1 摘要",
            Some(local(2026, 5, 12, 0, 0)),
            false,
        ),
        talk(ToDoKind::HoldTalk),
        // No due instant: last.
        item_todo(ToDoKind::RuleFaultTolerance, "YB-2026-0012", None, false),
    ];
    assert_eq!(list("sec-li"), expected);
    assert_eq!(list("sec-zhao"), expected);
}

#[test]
fn a_secretariat_member_of_the_responsible_unit_never_decides_on_its_items() {
    let [late_ack, ack] = acknowledgements();
    // 签收 as a member of the hospital; the alert as the yibao secretariat; no verification
    // nor ruling on the hospital's items (segregation of duties).
    assert_eq!(
        list("sec-wu"),
        vec![
            late_ack,
            ack,
            todo(
                ToDoKind::TriageAlert,
                "alert~A1",
                "alert~A1 摘要",
                Some(local(2026, 5, 12, 0, 0)),
                false,
            ),
        ]
    );
}

#[test]
fn a_complaint_is_answered_by_its_handler_or_else_by_the_handling_units_head() {
    assert_eq!(
        list("ca-head"),
        vec![todo(
            ToDoKind::AnswerComplaint,
            "cmp-2026-0011",
            "cmp-2026-0011 摘要",
            Some(local(2026, 5, 11, 0, 0)),
            false,
        )]
    );
    assert_eq!(
        list("ca-zhou"),
        vec![todo(
            ToDoKind::AnswerComplaint,
            "cmp-2026-0012",
            "cmp-2026-0012 摘要",
            Some(local(2026, 5, 9, 0, 0)),
            true,
        )]
    );
}

#[test]
fn discipline_inspection_decides_the_open_case() {
    assert_eq!(
        list("jw-he"),
        vec![todo(
            ToDoKind::DecideAccountability,
            "accountability~K1",
            "问责 dr-wang（county-hospital）",
            None,
            false,
        )]
    );
}

#[test]
fn a_window_is_overdue_from_its_instant_on() {
    let due = local(2026, 5, 12, 0, 0);
    let overdue = |who: &str, at, kind| {
        list_at(who, at)
            .into_iter()
            .find(|t| t.kind == kind && t.due_at == Some(due))
            .expect("the task")
            .overdue
    };
    let before = due - Duration::seconds(1);
    assert!(!overdue("nurse-qi", before, ToDoKind::Acknowledge));
    assert!(overdue("nurse-qi", due, ToDoKind::Acknowledge));
    assert!(!overdue("sec-li", before, ToDoKind::TriageAlert));
    assert!(overdue("sec-li", due, ToDoKind::TriageAlert));
}

#[test]
fn a_ruling_counts_from_its_instant_and_a_person_who_moved_signs_no_more() {
    // Before the exemption of 25 April was recorded, its episode awaited a ruling.
    let before = local(2026, 4, 24, 9, 0);
    assert!(list_at("sec-li", before)
        .iter()
        .any(|t| t.kind == ToDoKind::RuleFaultTolerance && t.stream == "YB-2026-0014"));
    // Nobody outside the roles sees anything.
    assert_eq!(list("visitor"), vec![]);
    // dr-wang moved out of the hospital: the head still signs, dr-wang no longer.
    let moved = StaticDirectory::default()
        .with_head(unit(HOSPITAL), person("hosp-liu"))
        .with_member(unit("health-bureau"), person("dr-wang"));
    let tasks = select(
        &rows(),
        moved.as_organisation(),
        &triage(),
        &person("dr-wang"),
        now(),
    );
    assert_eq!(tasks, vec![]);
}

#[test]
fn a_pending_extension_request_waits_on_the_secretariat_outside_the_unit() {
    let asked = ItemEntry {
        extension_requested_at: Some(local(2026, 5, 6, 9, 0)),
        extension_requested_to: Some(
            rectiflow_domain::values::Deadline::parse("2026-06-30").expect("a date"),
        ),
        ..item(
            "YB-2026-0021",
            ItemState::InProgress,
            local(2026, 5, 16, 0, 0),
        )
    };
    let rows = Rows {
        items: vec![asked],
        ..rows()
    };
    let decide = |who: &str| {
        select(
            &rows,
            organisation().as_organisation(),
            &triage(),
            &person(who),
            now(),
        )
        .into_iter()
        .filter(|t| t.kind == ToDoKind::DecideExtension)
        .collect::<Vec<_>>()
    };
    assert_eq!(
        decide("sec-li"),
        vec![item_todo(
            ToDoKind::DecideExtension,
            "YB-2026-0021",
            Some(local(2026, 5, 16, 0, 0)),
            false,
        )]
    );
    assert!(decide("sec-wu").is_empty(), "a member of the hospital");
    assert!(decide("dr-wang").is_empty(), "the unit does not decide");
}
