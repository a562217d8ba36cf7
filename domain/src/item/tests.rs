//! Given/when/then tests of the item aggregate: every command, its happy path and each refusal,
//! the derived colour, and the deadline arithmetic across weekends and holidays.

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use cqrs_es::test::TestFramework;
use cqrs_es::{Aggregate, DomainEvent};

use super::*;
use crate::calendar::FixedCalendar;
use crate::directory::StaticDirectory;
use crate::services::{DomainServices, SettingsSource};
use crate::settings::CampaignSettings;
use crate::testing::{services, MemoryVault, StaticSettings};
use crate::values::{
    CampaignId, Deadline, EvidenceRef, ItemCode, MediaType, Percent, PersonId, Sha256Hex,
    TaskForceId, Text, UnitId, Uri,
};
use crate::{Command, Stamp};

const TZ: Tz = chrono_tz::Asia::Shanghai;

// ---- fixtures ---------------------------------------------------------------------------------

fn local(y: i32, m: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    TZ.with_ymd_and_hms(y, m, d, h, mi, 0)
        .single()
        .expect("a valid local time")
        .with_timezone(&Utc)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

fn text(s: &str) -> Text {
    Text::parse(s).expect("valid text")
}

fn person(s: &str) -> PersonId {
    PersonId::parse(s).expect("valid person")
}

fn unit(s: &str) -> UnitId {
    UnitId::parse(s).expect("valid unit")
}

fn campaign() -> CampaignId {
    CampaignId::parse("qunfu-2026").expect("valid")
}

/// The secretariat officer (专班办公室): outside the responsible unit.
fn sec() -> PersonId {
    person("sec-wang")
}

/// The responsible person (责任人).
fn zhang() -> PersonId {
    person("zhang-san")
}

/// A colleague of the responsible person in the responsible unit.
fn li() -> PersonId {
    person("li-si")
}

fn scheduler() -> PersonId {
    person("system:scheduler")
}

fn responsible_unit() -> UnitId {
    unit("yibao-ju")
}

fn supervising_unit() -> UnitId {
    unit("jiwei")
}

fn directory() -> StaticDirectory {
    StaticDirectory::default()
        .with_member(responsible_unit(), zhang())
        .with_member(responsible_unit(), li())
}

fn services_with(calendar: FixedCalendar, settings: CampaignSettings) -> DomainServices {
    DomainServices {
        calendar: Arc::new(calendar),
        directory: Arc::new(directory()),
        vault: Arc::new(MemoryVault::default()),
        settings: Arc::new(StaticSettings(settings)),
    }
}

fn framework() -> TestFramework<Item> {
    TestFramework::with(services(directory()).0)
}

fn framework_with(settings: CampaignSettings) -> TestFramework<Item> {
    TestFramework::with(services_with(FixedCalendar::weekdays(), settings))
}

/// A settings source that knows no campaign.
struct NoCampaigns;

impl SettingsSource for NoCampaigns {
    fn settings(&self, _campaign: &CampaignId) -> Option<CampaignSettings> {
        None
    }
}

fn framework_without_campaigns() -> TestFramework<Item> {
    let mut services = services(directory()).0;
    services.settings = Arc::new(NoCampaigns);
    TestFramework::with(services)
}

fn cmd(at: DateTime<Utc>, actor: PersonId, body: ItemCommand) -> Command<ItemCommand> {
    Command::new(Stamp { at, actor }, body)
}

fn evidence() -> EvidenceRef {
    EvidenceRef {
        name: text("整改照片.jpg"),
        media_type: MediaType::parse("image/jpeg").expect("valid"),
        size: 2048,
        sha256: Sha256Hex::parse("ab".repeat(32)).expect("valid"),
        uri: Uri::parse("https://files.example/yb/1.jpg").expect("valid"),
    }
}

fn deadline(y: i32, m: u32, d: u32) -> Deadline {
    Deadline::new(date(y, m, d))
}

// The standard timeline: registered Monday 2026-03-02 09:00, assigned 10:00, deadline Tuesday
// 2026-03-31 (passes 2026-04-01 00:00 local).

fn register_body() -> RegisterItem {
    RegisterItem {
        campaign: campaign(),
        task_force: TaskForceId::parse("yibao").expect("valid"),
        code: ItemCode::parse("YB-2026-0001").expect("valid"),
        title: text("定点医院虚假住院骗保"),
        description: text("医保监测平台预警：某定点医院挂床住院"),
        category: text("欺诈骗保"),
        source: ItemSource::DataAlert,
        source_ref: Some(text("alert-20260301-17")),
        severity: Severity::High,
        supervising_unit: None,
    }
}

fn registered() -> ItemEvent {
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
        supervising_unit: None,
        time_zone: TZ,
        yellow_after_send_backs: 2,
        by: sec(),
        at: local(2026, 3, 2, 9, 0),
    }
}

fn assign_body() -> AssignItem {
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

fn assigned() -> ItemEvent {
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
        by: sec(),
        at: local(2026, 3, 2, 10, 0),
    }
}

fn acknowledged() -> ItemEvent {
    ItemEvent::ItemAcknowledged {
        late: false,
        by: zhang(),
        at: local(2026, 3, 3, 9, 0),
    }
}

fn sign_off_body() -> SignOffRequest {
    SignOffRequest {
        problem: Some(text("挂床住院 12 人次")),
        measures: Some(text("追回资金，约谈院长，完善入院核查制度")),
        result: Some(text("追回 36 万元，建立每日床头核查")),
        evidence: vec![evidence()],
    }
}

fn sign_off_requested(at: DateTime<Utc>) -> ItemEvent {
    let b = sign_off_body();
    ItemEvent::SignOffRequested {
        problem: b.problem.expect("set"),
        measures: b.measures.expect("set"),
        result: b.result.expect("set"),
        evidence: b.evidence,
        by: zhang(),
        at,
    }
}

fn extension_requested() -> ItemEvent {
    ItemEvent::ExtensionRequested {
        reason: text("涉案人员外出，需延期核查"),
        current_deadline: deadline(2026, 3, 31),
        requested_deadline: deadline(2026, 4, 15),
        by: zhang(),
        at: local(2026, 3, 20, 9, 0),
    }
}

fn extension_approved() -> ItemEvent {
    ItemEvent::ExtensionApproved {
        previous_deadline: deadline(2026, 3, 31),
        new_deadline: deadline(2026, 4, 15),
        deadline_passes_at: local(2026, 4, 16, 0, 0),
        // Three working days before Wednesday 04-15: Tue 14, Mon 13, Fri 10.
        warning_at: local(2026, 4, 10, 0, 0),
        extensions_approved: 1,
        note: None,
        by: sec(),
        at: local(2026, 3, 21, 9, 0),
    }
}

fn overdue() -> ItemEvent {
    ItemEvent::ItemBecameOverdue {
        deadline: deadline(2026, 3, 31),
        effective_at: local(2026, 4, 1, 0, 0),
        by: scheduler(),
        at: local(2026, 4, 1, 0, 5),
    }
}

fn in_progress() -> Vec<ItemEvent> {
    vec![registered(), assigned(), acknowledged()]
}

fn pending() -> Vec<ItemEvent> {
    let mut events = in_progress();
    events.push(sign_off_requested(local(2026, 3, 20, 9, 0)));
    events
}

fn closed_event(at: DateTime<Utc>, on_time: bool, after_original: bool) -> ItemEvent {
    ItemEvent::ItemClosed {
        deadline_in_force: deadline(2026, 3, 31),
        original_deadline: deadline(2026, 3, 31),
        on_time,
        after_original_deadline: after_original,
        sign_off_requested_at: local(2026, 3, 20, 9, 0),
        reinspection_due_at: at + Duration::days(90),
        note: None,
        by: sec(),
        at,
    }
}

fn closed() -> Vec<ItemEvent> {
    let mut events = pending();
    events.push(closed_event(local(2026, 3, 25, 10, 0), true, false));
    events
}

fn fold(events: &[ItemEvent]) -> Item {
    let mut item = Item::default();
    for event in events {
        item.apply(event.clone());
    }
    item
}

// ---- register ---------------------------------------------------------------------------------

#[test]
fn registers_an_item_with_the_campaign_time_zone() {
    framework()
        .given_no_previous_events()
        .when(cmd(
            local(2026, 3, 2, 9, 0),
            sec(),
            ItemCommand::Register(register_body()),
        ))
        .then_expect_events(vec![registered()]);
}

#[test]
fn refuses_a_second_registration() {
    framework()
        .given(vec![registered()])
        .when(cmd(
            local(2026, 3, 2, 9, 0),
            sec(),
            ItemCommand::Register(register_body()),
        ))
        .then_expect_error(ItemError::AlreadyRegistered);
}

#[test]
fn refuses_registration_in_an_unknown_campaign() {
    framework_without_campaigns()
        .given_no_previous_events()
        .when(cmd(
            local(2026, 3, 2, 9, 0),
            sec(),
            ItemCommand::Register(register_body()),
        ))
        .then_expect_error(ItemError::UnknownCampaign(campaign()));
}

// ---- assign -----------------------------------------------------------------------------------

#[test]
fn assigns_and_stores_the_due_instants() {
    framework()
        .given(vec![registered()])
        .when(cmd(
            local(2026, 3, 2, 10, 0),
            sec(),
            ItemCommand::Assign(assign_body()),
        ))
        .then_expect_events(vec![assigned()]);
}

#[test]
fn assignment_is_refused_outside_registered() {
    framework()
        .given_no_previous_events()
        .when(cmd(
            local(2026, 3, 2, 10, 0),
            sec(),
            ItemCommand::Assign(assign_body()),
        ))
        .then_expect_error(ItemError::NotFound {
            request: ItemRequest::Assign,
        });
    framework()
        .given(in_progress())
        .when(cmd(
            local(2026, 3, 4, 10, 0),
            sec(),
            ItemCommand::Assign(assign_body()),
        ))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::InProgress,
            request: ItemRequest::Assign,
        });
}

#[test]
fn assignment_refuses_a_deadline_already_passed() {
    framework()
        .given(vec![registered()])
        .when(cmd(
            local(2026, 4, 1, 0, 0),
            sec(),
            ItemCommand::Assign(assign_body()),
        ))
        .then_expect_error(ItemError::DeadlinePassed {
            deadline: deadline(2026, 3, 31),
            passed_at: local(2026, 4, 1, 0, 0),
        });
}

#[test]
fn assignment_refuses_a_milestone_after_the_deadline() {
    let mut body = assign_body();
    body.milestones.push(Milestone {
        date: date(2026, 4, 2),
        description: text("回访"),
    });
    framework()
        .given(vec![registered()])
        .when(cmd(
            local(2026, 3, 2, 10, 0),
            sec(),
            ItemCommand::Assign(body),
        ))
        .then_expect_error(ItemError::MilestoneAfterDeadline {
            milestone: date(2026, 4, 2),
            deadline: deadline(2026, 3, 31),
        });
}

#[test]
fn assignment_refuses_a_responsible_person_outside_the_unit() {
    let body = AssignItem {
        responsible_person: sec(),
        ..assign_body()
    };
    framework()
        .given(vec![registered()])
        .when(cmd(
            local(2026, 3, 2, 10, 0),
            sec(),
            ItemCommand::Assign(body),
        ))
        .then_expect_error(ItemError::PersonNotInUnit {
            person: sec(),
            unit: responsible_unit(),
        });
}

#[test]
fn assignment_refuses_when_the_campaign_is_unknown() {
    framework_without_campaigns()
        .given(vec![registered()])
        .when(cmd(
            local(2026, 3, 2, 10, 0),
            sec(),
            ItemCommand::Assign(assign_body()),
        ))
        .then_expect_error(ItemError::UnknownCampaign(campaign()));
}

// ---- acknowledge ------------------------------------------------------------------------------

#[test]
fn the_unit_acknowledges() {
    framework()
        .given(vec![registered(), assigned()])
        .when(cmd(
            local(2026, 3, 3, 9, 0),
            zhang(),
            ItemCommand::Acknowledge,
        ))
        .then_expect_events(vec![acknowledged()]);
    // A colleague in the unit may sign for it too.
    framework()
        .given(vec![registered(), assigned()])
        .when(cmd(local(2026, 3, 3, 9, 0), li(), ItemCommand::Acknowledge))
        .then_expect_events(vec![ItemEvent::ItemAcknowledged {
            late: false,
            by: li(),
            at: local(2026, 3, 3, 9, 0),
        }]);
}

#[test]
fn acknowledging_after_the_due_instant_is_late() {
    // Changed by the late-签收 fix: a late 签收 before the scheduler ran records the overdue
    // 签收 fact first (effective at the due instant), so it is never lost.
    let at = local(2026, 3, 5, 0, 0);
    framework()
        .given(vec![registered(), assigned()])
        .when(cmd(at, zhang(), ItemCommand::Acknowledge))
        .then_expect_events(vec![
            ItemEvent::AcknowledgementOverdueRecorded {
                effective_at: local(2026, 3, 5, 0, 0),
                by: zhang(),
                at,
            },
            ItemEvent::ItemAcknowledged {
                late: true,
                by: zhang(),
                at,
            },
        ]);
}

#[test]
fn the_overdue_acknowledgement_is_recorded_once_whichever_comes_first() {
    let due = local(2026, 3, 5, 0, 0);
    let late = local(2026, 3, 6, 9, 0);
    let scheduler_fact = ItemEvent::AcknowledgementOverdueRecorded {
        effective_at: due,
        by: scheduler(),
        at: local(2026, 3, 5, 0, 1),
    };
    let late_ack = ItemEvent::ItemAcknowledged {
        late: true,
        by: zhang(),
        at: late,
    };
    // Scheduler first: the late 签收 does not record it again.
    let mut history = vec![registered(), assigned(), scheduler_fact.clone()];
    framework()
        .given(history.clone())
        .when(cmd(late, zhang(), ItemCommand::Acknowledge))
        .then_expect_events(vec![late_ack.clone()]);
    history.push(late_ack.clone());
    assert!(fold(&history).acknowledgement_overdue_recorded());

    // Unit first: the fact goes ahead of the 签收, and the scheduler has nothing left to do.
    let unit_fact = ItemEvent::AcknowledgementOverdueRecorded {
        effective_at: due,
        by: zhang(),
        at: late,
    };
    framework()
        .given(vec![registered(), assigned()])
        .when(cmd(late, zhang(), ItemCommand::Acknowledge))
        .then_expect_events(vec![unit_fact.clone(), late_ack.clone()]);
    let history = vec![registered(), assigned(), unit_fact, late_ack];
    assert!(fold(&history).acknowledgement_overdue_recorded());
    framework()
        .given(history)
        .when(cmd(
            local(2026, 3, 6, 9, 5),
            scheduler(),
            ItemCommand::RecordAcknowledgementOverdue,
        ))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::InProgress,
            request: ItemRequest::RecordAcknowledgementOverdue,
        });

    // On time: no fact.
    framework()
        .given(vec![registered(), assigned()])
        .when(cmd(
            local(2026, 3, 4, 23, 59),
            zhang(),
            ItemCommand::Acknowledge,
        ))
        .then_expect_events(vec![ItemEvent::ItemAcknowledged {
            late: false,
            by: zhang(),
            at: local(2026, 3, 4, 23, 59),
        }]);
}

#[test]
fn acknowledgement_must_come_from_the_unit_and_an_assigned_item() {
    framework()
        .given(vec![registered(), assigned()])
        .when(cmd(
            local(2026, 3, 3, 9, 0),
            sec(),
            ItemCommand::Acknowledge,
        ))
        .then_expect_error(ItemError::NotResponsible {
            actor: sec(),
            request: ItemRequest::Acknowledge,
        });
    framework()
        .given(vec![registered()])
        .when(cmd(
            local(2026, 3, 3, 9, 0),
            zhang(),
            ItemCommand::Acknowledge,
        ))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::Registered,
            request: ItemRequest::Acknowledge,
        });
    framework()
        .given(in_progress())
        .when(cmd(
            local(2026, 3, 3, 9, 0),
            zhang(),
            ItemCommand::Acknowledge,
        ))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::InProgress,
            request: ItemRequest::Acknowledge,
        });
}

// ---- progress ---------------------------------------------------------------------------------

fn progress_body() -> ItemCommand {
    ItemCommand::ReportProgress {
        text: text("已核查病历 80 份"),
        percent: Percent::parse(40).expect("valid"),
        evidence: vec![evidence()],
    }
}

#[test]
fn the_unit_reports_progress() {
    let at = local(2026, 3, 10, 9, 0);
    framework()
        .given(in_progress())
        .when(cmd(at, li(), progress_body()))
        .then_expect_events(vec![ItemEvent::ProgressReported {
            text: text("已核查病历 80 份"),
            percent: Percent::parse(40).expect("valid"),
            evidence: vec![evidence()],
            by: li(),
            at,
        }]);
}

#[test]
fn progress_is_refused_to_outsiders_and_before_acknowledgement() {
    framework()
        .given(in_progress())
        .when(cmd(local(2026, 3, 10, 9, 0), sec(), progress_body()))
        .then_expect_error(ItemError::NotResponsible {
            actor: sec(),
            request: ItemRequest::ReportProgress,
        });
    framework()
        .given(vec![registered(), assigned()])
        .when(cmd(local(2026, 3, 10, 9, 0), zhang(), progress_body()))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::Assigned,
            request: ItemRequest::ReportProgress,
        });
}

// ---- extensions -------------------------------------------------------------------------------

fn request_extension(to: Deadline) -> ItemCommand {
    ItemCommand::RequestExtension {
        reason: text("涉案人员外出，需延期核查"),
        new_deadline: to,
    }
}

#[test]
fn the_unit_requests_an_extension_before_the_deadline() {
    framework()
        .given(in_progress())
        .when(cmd(
            local(2026, 3, 20, 9, 0),
            zhang(),
            request_extension(deadline(2026, 4, 15)),
        ))
        .then_expect_events(vec![extension_requested()]);
}

#[test]
fn an_extension_request_after_the_deadline_is_refused() {
    framework()
        .given(in_progress())
        .when(cmd(
            local(2026, 4, 1, 0, 0),
            zhang(),
            request_extension(deadline(2026, 4, 15)),
        ))
        .then_expect_error(ItemError::DeadlinePassed {
            deadline: deadline(2026, 3, 31),
            passed_at: local(2026, 4, 1, 0, 0),
        });
}

#[test]
fn an_extension_needs_a_later_date() {
    for to in [deadline(2026, 3, 31), deadline(2026, 3, 30)] {
        framework()
            .given(in_progress())
            .when(cmd(
                local(2026, 3, 20, 9, 0),
                zhang(),
                request_extension(to),
            ))
            .then_expect_error(ItemError::ExtensionNotLater {
                requested: to,
                in_force: deadline(2026, 3, 31),
            });
    }
}

#[test]
fn an_extension_request_is_refused_at_the_limit() {
    let settings = CampaignSettings {
        max_extensions: 1,
        ..CampaignSettings::default()
    };
    let mut history = in_progress();
    history.extend([extension_requested(), extension_approved()]);
    framework_with(settings)
        .given(history)
        .when(cmd(
            local(2026, 4, 1, 9, 0),
            zhang(),
            request_extension(deadline(2026, 4, 30)),
        ))
        .then_expect_error(ItemError::ExtensionLimitReached { limit: 1 });
}

#[test]
fn one_extension_request_at_a_time_from_the_unit_while_in_progress() {
    let mut history = in_progress();
    history.push(extension_requested());
    framework()
        .given(history)
        .when(cmd(
            local(2026, 3, 20, 10, 0),
            zhang(),
            request_extension(deadline(2026, 4, 20)),
        ))
        .then_expect_error(ItemError::ExtensionPending);
    framework()
        .given(in_progress())
        .when(cmd(
            local(2026, 3, 20, 9, 0),
            sec(),
            request_extension(deadline(2026, 4, 15)),
        ))
        .then_expect_error(ItemError::NotResponsible {
            actor: sec(),
            request: ItemRequest::RequestExtension,
        });
    framework()
        .given(pending())
        .when(cmd(
            local(2026, 3, 21, 9, 0),
            zhang(),
            request_extension(deadline(2026, 4, 15)),
        ))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::PendingSignOff,
            request: ItemRequest::RequestExtension,
        });
}

#[test]
fn approval_sets_a_new_deadline_in_force_and_keeps_the_original() {
    let mut history = in_progress();
    history.push(extension_requested());
    framework()
        .given(history.clone())
        .when(cmd(
            local(2026, 3, 21, 9, 0),
            sec(),
            ItemCommand::ApproveExtension { note: None },
        ))
        .then_expect_events(vec![extension_approved()]);
    history.push(extension_approved());
    let item = fold(&history);
    assert_eq!(item.deadline_in_force(), Some(deadline(2026, 4, 15)));
    assert_eq!(item.original_deadline(), Some(deadline(2026, 3, 31)));
    assert_eq!(item.deadlines().len(), 2);
    assert_eq!(item.extensions_approved(), 1);
    assert!(item.pending_extension().is_none());
}

#[test]
fn approval_is_refused_without_a_request_to_the_unit_itself_and_at_the_limit() {
    framework()
        .given(in_progress())
        .when(cmd(
            local(2026, 3, 21, 9, 0),
            sec(),
            ItemCommand::ApproveExtension { note: None },
        ))
        .then_expect_error(ItemError::NoExtensionPending);
    let mut history = in_progress();
    history.push(extension_requested());
    framework()
        .given(history.clone())
        .when(cmd(
            local(2026, 3, 21, 9, 0),
            li(),
            ItemCommand::ApproveExtension { note: None },
        ))
        .then_expect_error(ItemError::SegregationOfDuties {
            actor: li(),
            request: ItemRequest::ApproveExtension,
        });
    // The limit was lowered after the request: the settings in force decide.
    framework_with(CampaignSettings {
        max_extensions: 0,
        ..CampaignSettings::default()
    })
    .given(history)
    .when(cmd(
        local(2026, 3, 21, 9, 0),
        sec(),
        ItemCommand::ApproveExtension { note: None },
    ))
    .then_expect_error(ItemError::ExtensionLimitReached { limit: 0 });
}

#[test]
fn approval_after_the_old_deadline_passed_records_its_overdue_fact_first() {
    let mut history = in_progress();
    history.push(extension_requested());
    let at = local(2026, 4, 2, 9, 0);
    let fact = ItemEvent::ItemBecameOverdue {
        deadline: deadline(2026, 3, 31),
        effective_at: local(2026, 4, 1, 0, 0),
        by: sec(),
        at,
    };
    let mut approved = extension_approved();
    if let ItemEvent::ExtensionApproved {
        at: approved_at, ..
    } = &mut approved
    {
        *approved_at = at;
    }
    framework()
        .given(history.clone())
        .when(cmd(at, sec(), ItemCommand::ApproveExtension { note: None }))
        .then_expect_events(vec![fact.clone(), approved.clone()]);
    let mut after = history.clone();
    after.extend([fact, approved.clone()]);
    let item = fold(&after);
    assert_eq!(item.overdue_count(), 1);
    assert_eq!(
        item.deadlines()
            .iter()
            .map(|d| d.overdue_recorded)
            .collect::<Vec<_>>(),
        vec![true, false]
    );
    assert!(!item.is_overdue());
    // The new deadline becomes overdue in its turn, once.
    let later = local(2026, 4, 16, 0, 0);
    framework()
        .given(after)
        .when(cmd(later, scheduler(), ItemCommand::RecordOverdue))
        .then_expect_events(vec![ItemEvent::ItemBecameOverdue {
            deadline: deadline(2026, 4, 15),
            effective_at: local(2026, 4, 16, 0, 0),
            by: scheduler(),
            at: later,
        }]);
    // Already recorded by the scheduler: the approval adds nothing.
    history.push(overdue());
    framework()
        .given(history)
        .when(cmd(at, sec(), ItemCommand::ApproveExtension { note: None }))
        .then_expect_events(vec![approved]);
}

#[test]
fn approval_refuses_a_requested_date_that_has_passed_meanwhile() {
    let mut history = in_progress();
    history.push(extension_requested());
    framework()
        .given(history)
        .when(cmd(
            local(2026, 4, 16, 0, 0),
            sec(),
            ItemCommand::ApproveExtension { note: None },
        ))
        .then_expect_error(ItemError::DeadlinePassed {
            deadline: deadline(2026, 4, 15),
            passed_at: local(2026, 4, 16, 0, 0),
        });
}

#[test]
fn the_secretariat_denies_an_extension() {
    let mut history = in_progress();
    history.push(extension_requested());
    let at = local(2026, 3, 21, 9, 0);
    framework()
        .given(history.clone())
        .when(cmd(
            at,
            sec(),
            ItemCommand::DenyExtension {
                reason: text("理由不充分"),
            },
        ))
        .then_expect_events(vec![ItemEvent::ExtensionDenied {
            requested_deadline: deadline(2026, 4, 15),
            reason: text("理由不充分"),
            by: sec(),
            at,
        }]);
    // Segregation of duties: the unit does not deny its own request.
    for actor in [zhang(), li()] {
        framework()
            .given(history.clone())
            .when(cmd(
                at,
                actor.clone(),
                ItemCommand::DenyExtension {
                    reason: text("理由不充分"),
                },
            ))
            .then_expect_error(ItemError::SegregationOfDuties {
                actor,
                request: ItemRequest::DenyExtension,
            });
    }
    framework()
        .given(in_progress())
        .when(cmd(
            at,
            sec(),
            ItemCommand::DenyExtension {
                reason: text("理由不充分"),
            },
        ))
        .then_expect_error(ItemError::NoExtensionPending);
    framework()
        .given(vec![registered()])
        .when(cmd(
            at,
            sec(),
            ItemCommand::DenyExtension {
                reason: text("理由不充分"),
            },
        ))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::Registered,
            request: ItemRequest::DenyExtension,
        });
}

// ---- sign-off ---------------------------------------------------------------------------------

#[test]
fn the_unit_requests_sign_off_with_the_four_elements() {
    let at = local(2026, 3, 20, 9, 0);
    framework()
        .given(in_progress())
        .when(cmd(
            at,
            zhang(),
            ItemCommand::RequestSignOff(sign_off_body()),
        ))
        .then_expect_events(vec![sign_off_requested(at)]);
}

#[test]
fn a_sign_off_request_names_every_missing_element() {
    let at = local(2026, 3, 20, 9, 0);
    framework()
        .given(in_progress())
        .when(cmd(
            at,
            zhang(),
            ItemCommand::RequestSignOff(SignOffRequest::default()),
        ))
        .then_expect_error(ItemError::IncompleteSignOff {
            missing: vec![
                SignOffElement::Problem,
                SignOffElement::Measures,
                SignOffElement::Result,
                SignOffElement::Evidence,
            ],
        });
    let without_evidence = SignOffRequest {
        evidence: vec![],
        ..sign_off_body()
    };
    framework()
        .given(in_progress())
        .when(cmd(
            at,
            zhang(),
            ItemCommand::RequestSignOff(without_evidence),
        ))
        .then_expect_error(ItemError::IncompleteSignOff {
            missing: vec![SignOffElement::Evidence],
        });
}

#[test]
fn sign_off_requests_come_from_the_unit_while_in_progress() {
    let at = local(2026, 3, 20, 9, 0);
    framework()
        .given(in_progress())
        .when(cmd(at, sec(), ItemCommand::RequestSignOff(sign_off_body())))
        .then_expect_error(ItemError::NotResponsible {
            actor: sec(),
            request: ItemRequest::RequestSignOff,
        });
    framework()
        .given(vec![registered(), assigned()])
        .when(cmd(
            at,
            zhang(),
            ItemCommand::RequestSignOff(sign_off_body()),
        ))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::Assigned,
            request: ItemRequest::RequestSignOff,
        });
}

#[test]
fn verification_closes_on_time_before_the_deadline() {
    let at = local(2026, 3, 25, 10, 0);
    framework()
        .given(pending())
        .when(cmd(at, sec(), ItemCommand::VerifySignOff { note: None }))
        .then_expect_events(vec![closed_event(at, true, false)]);
    let item = fold(&closed());
    assert_eq!(item.state(), ItemState::Closed);
    assert_eq!(
        item.closure().map(|c| c.reinspection_due_at),
        Some(at + Duration::days(90))
    );
}

#[test]
fn verification_after_the_deadline_closes_late() {
    // The deadline passes at 2026-04-01 00:00 local; verifying at that very instant is late.
    // Changed by the overdue catch-up fix: the overdue fact the scheduler had not recorded yet
    // is recorded first.
    let at = local(2026, 4, 1, 0, 0);
    framework()
        .given(pending())
        .when(cmd(at, sec(), ItemCommand::VerifySignOff { note: None }))
        .then_expect_events(vec![
            ItemEvent::ItemBecameOverdue {
                deadline: deadline(2026, 3, 31),
                effective_at: local(2026, 4, 1, 0, 0),
                by: sec(),
                at,
            },
            closed_event(at, false, true),
        ]);
    // One minute before midnight is still on time.
    let at = local(2026, 3, 31, 23, 59);
    framework()
        .given(pending())
        .when(cmd(at, sec(), ItemCommand::VerifySignOff { note: None }))
        .then_expect_events(vec![closed_event(at, true, false)]);
}

#[test]
fn after_an_extension_on_time_refers_to_the_deadline_in_force_and_the_original_is_noted() {
    let mut history = in_progress();
    history.extend([
        extension_requested(),
        extension_approved(),
        sign_off_requested(local(2026, 4, 8, 9, 0)),
    ]);
    let at = local(2026, 4, 10, 10, 0);
    framework()
        .given(history)
        .when(cmd(at, sec(), ItemCommand::VerifySignOff { note: None }))
        .then_expect_events(vec![ItemEvent::ItemClosed {
            deadline_in_force: deadline(2026, 4, 15),
            original_deadline: deadline(2026, 3, 31),
            on_time: true,
            after_original_deadline: true,
            sign_off_requested_at: local(2026, 4, 8, 9, 0),
            reinspection_due_at: at + Duration::days(90),
            note: None,
            by: sec(),
            at,
        }]);
}

#[test]
fn a_late_closure_before_the_scheduler_ran_records_overdue_once_and_can_be_exempted() {
    let at = local(2026, 4, 3, 10, 0);
    let fact = ItemEvent::ItemBecameOverdue {
        deadline: deadline(2026, 3, 31),
        effective_at: local(2026, 4, 1, 0, 0),
        by: sec(),
        at,
    };
    framework()
        .given(pending())
        .when(cmd(at, sec(), ItemCommand::VerifySignOff { note: None }))
        .then_expect_events(vec![fact.clone(), closed_event(at, false, true)]);
    let mut history = pending();
    history.extend([fact, closed_event(at, false, true)]);
    let item = fold(&history);
    assert_eq!(item.overdue_count(), 1);
    assert_eq!(
        item.deadlines().first().map(|d| d.overdue_recorded),
        Some(true)
    );
    // The scheduler comes later: nothing left to record (and never a second fact).
    framework()
        .given(history.clone())
        .when(cmd(
            local(2026, 4, 3, 10, 5),
            scheduler(),
            ItemCommand::RecordOverdue,
        ))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::Closed,
            request: ItemRequest::RecordOverdue,
        });
    // The late-closed item can be ruled on (容错纠错).
    let ruled_at = local(2026, 4, 10, 9, 0);
    framework()
        .given(history)
        .when(cmd(ruled_at, sec(), ruling(FaultDecision::Exempt)))
        .then_expect_events(vec![ItemEvent::FaultToleranceRuled {
            cause: FaultCause::ForceMajeure,
            decision: FaultDecision::Exempt,
            reason: text("暴雨导致道路中断，无法按期完成现场核查"),
            by: sec(),
            at: ruled_at,
        }]);
    // Scheduler first: the closure adds no second fact.
    let mut history = pending();
    history.push(overdue());
    framework()
        .given(history)
        .when(cmd(at, sec(), ItemCommand::VerifySignOff { note: None }))
        .then_expect_events(vec![closed_event(at, false, true)]);
}

#[test]
fn an_item_closed_late_without_an_overdue_fact_may_be_ruled_on_and_gets_the_fact_at_reinspection() {
    // A stream written before the catch-up: closed late, no ItemBecameOverdue.
    let closed_at = local(2026, 4, 3, 10, 0);
    let mut history = pending();
    history.push(closed_event(closed_at, false, true));
    let at = local(2026, 4, 10, 9, 0);
    framework()
        .given(history.clone())
        .when(cmd(at, sec(), ruling(FaultDecision::Mitigate)))
        .then_expect_events(vec![ItemEvent::FaultToleranceRuled {
            cause: FaultCause::ForceMajeure,
            decision: FaultDecision::Mitigate,
            reason: text("暴雨导致道路中断，无法按期完成现场核查"),
            by: sec(),
            at,
        }]);
    let at = local(2026, 6, 25, 10, 0);
    framework()
        .given(history)
        .when(cmd(
            at,
            sec(),
            ItemCommand::RecordReinspection(ReinspectionOutcome::Passed { findings: None }),
        ))
        .then_expect_events(vec![
            ItemEvent::ItemBecameOverdue {
                deadline: deadline(2026, 3, 31),
                effective_at: local(2026, 4, 1, 0, 0),
                by: sec(),
                at,
            },
            ItemEvent::ReinspectionPassed {
                findings: None,
                by: sec(),
                at,
            },
        ]);
    // Closed on time: still not applicable, and re-inspection records nothing extra.
    framework()
        .given(closed())
        .when(cmd(at, sec(), ruling(FaultDecision::Exempt)))
        .then_expect_error(ItemError::RulingNotApplicable);
}

#[test]
fn the_verifier_is_neither_the_responsible_person_nor_a_unit_member() {
    let at = local(2026, 3, 25, 10, 0);
    for actor in [zhang(), li()] {
        framework()
            .given(pending())
            .when(cmd(
                at,
                actor.clone(),
                ItemCommand::VerifySignOff { note: None },
            ))
            .then_expect_error(ItemError::SegregationOfDuties {
                actor,
                request: ItemRequest::VerifySignOff,
            });
    }
    framework()
        .given(in_progress())
        .when(cmd(at, sec(), ItemCommand::VerifySignOff { note: None }))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::InProgress,
            request: ItemRequest::VerifySignOff,
        });
}

#[test]
fn a_rejection_sends_the_item_back_and_counts() {
    let at = local(2026, 3, 21, 9, 0);
    let reasons = vec![text("佐证材料不足"), text("资金追回凭证缺失")];
    framework()
        .given(pending())
        .when(cmd(
            at,
            sec(),
            ItemCommand::RejectSignOff {
                reasons: reasons.clone(),
            },
        ))
        .then_expect_events(vec![ItemEvent::SignOffRejected {
            reasons: reasons.clone(),
            send_backs: 1,
            by: sec(),
            at,
        }]);
    let mut history = pending();
    history.push(ItemEvent::SignOffRejected {
        reasons,
        send_backs: 1,
        by: sec(),
        at,
    });
    let item = fold(&history);
    assert_eq!(item.state(), ItemState::InProgress);
    assert_eq!(item.send_backs(), 1);
}

#[test]
fn a_rejection_needs_reasons_and_a_pending_request() {
    let at = local(2026, 3, 21, 9, 0);
    framework()
        .given(pending())
        .when(cmd(
            at,
            sec(),
            ItemCommand::RejectSignOff { reasons: vec![] },
        ))
        .then_expect_error(ItemError::ReasonsRequired);
    // Segregation of duties: the unit does not send back its own request.
    for actor in [zhang(), li()] {
        framework()
            .given(pending())
            .when(cmd(
                at,
                actor.clone(),
                ItemCommand::RejectSignOff {
                    reasons: vec![text("x")],
                },
            ))
            .then_expect_error(ItemError::SegregationOfDuties {
                actor,
                request: ItemRequest::RejectSignOff,
            });
    }
    framework()
        .given(in_progress())
        .when(cmd(
            at,
            sec(),
            ItemCommand::RejectSignOff {
                reasons: vec![text("x")],
            },
        ))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::InProgress,
            request: ItemRequest::RejectSignOff,
        });
}

// ---- re-inspection ----------------------------------------------------------------------------

#[test]
fn a_passing_reinspection_is_recorded() {
    let at = local(2026, 6, 25, 10, 0);
    framework()
        .given(closed())
        .when(cmd(
            at,
            sec(),
            ItemCommand::RecordReinspection(ReinspectionOutcome::Passed { findings: None }),
        ))
        .then_expect_events(vec![ItemEvent::ReinspectionPassed {
            findings: None,
            by: sec(),
            at,
        }]);
}

fn relapse() -> ItemCommand {
    ItemCommand::RecordReinspection(ReinspectionOutcome::Relapsed {
        findings: text("回头看发现问题反弹"),
        new_deadline: deadline(2026, 7, 31),
    })
}

fn reopened() -> ItemEvent {
    ItemEvent::ItemReopened {
        findings: text("回头看发现问题反弹"),
        new_deadline: deadline(2026, 7, 31),
        // Thursday 06-25 + 2 working days = Monday 06-29.
        acknowledgement_due_at: local(2026, 6, 30, 0, 0),
        deadline_passes_at: local(2026, 8, 1, 0, 0),
        // Friday 07-31 - 3 working days = Tuesday 07-28.
        warning_at: local(2026, 7, 28, 0, 0),
        relapses: 1,
        by: sec(),
        at: local(2026, 6, 25, 10, 0),
    }
}

#[test]
fn a_relapse_reopens_with_a_new_deadline_and_the_unit_takes_it_on_again() {
    framework()
        .given(closed())
        .when(cmd(local(2026, 6, 25, 10, 0), sec(), relapse()))
        .then_expect_events(vec![reopened()]);
    let mut history = closed();
    history.push(reopened());
    let item = fold(&history);
    assert_eq!(item.state(), ItemState::Reopened);
    assert_eq!(item.relapses(), 1);
    assert_eq!(item.deadline_in_force(), Some(deadline(2026, 7, 31)));
    assert_eq!(item.original_deadline(), Some(deadline(2026, 3, 31)));
    framework()
        .given(history)
        .when(cmd(
            local(2026, 6, 26, 9, 0),
            zhang(),
            ItemCommand::Acknowledge,
        ))
        .then_expect_events(vec![ItemEvent::ItemAcknowledged {
            late: false,
            by: zhang(),
            at: local(2026, 6, 26, 9, 0),
        }]);
}

#[test]
fn reinspection_refusals() {
    let at = local(2026, 6, 25, 10, 0);
    framework()
        .given(closed())
        .when(cmd(at, zhang(), relapse()))
        .then_expect_error(ItemError::SegregationOfDuties {
            actor: zhang(),
            request: ItemRequest::RecordReinspection,
        });
    framework()
        .given(in_progress())
        .when(cmd(at, sec(), relapse()))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::InProgress,
            request: ItemRequest::RecordReinspection,
        });
    framework()
        .given(closed())
        .when(cmd(local(2026, 8, 1, 0, 0), sec(), relapse()))
        .then_expect_error(ItemError::DeadlinePassed {
            deadline: deadline(2026, 7, 31),
            passed_at: local(2026, 8, 1, 0, 0),
        });
}

// ---- withdraw ---------------------------------------------------------------------------------

fn withdraw() -> ItemCommand {
    ItemCommand::Withdraw {
        ground: WithdrawalGround::Duplicate {
            of: Some(ItemCode::parse("YB-2026-0002").expect("valid")),
        },
        reason: text("与 YB-2026-0002 重复"),
    }
}

#[test]
fn an_open_item_is_withdrawn() {
    let at = local(2026, 3, 10, 9, 0);
    for history in [vec![registered()], in_progress(), pending()] {
        framework()
            .given(history)
            .when(cmd(at, sec(), withdraw()))
            .then_expect_events(vec![ItemEvent::ItemWithdrawn {
                ground: WithdrawalGround::Duplicate {
                    of: Some(ItemCode::parse("YB-2026-0002").expect("valid")),
                },
                reason: text("与 YB-2026-0002 重复"),
                by: sec(),
                at,
            }]);
    }
}

#[test]
fn withdrawal_after_the_deadline_passed_records_the_overdue_fact_first() {
    let at = local(2026, 4, 2, 9, 0);
    let withdrawn = ItemEvent::ItemWithdrawn {
        ground: WithdrawalGround::Duplicate {
            of: Some(ItemCode::parse("YB-2026-0002").expect("valid")),
        },
        reason: text("与 YB-2026-0002 重复"),
        by: sec(),
        at,
    };
    framework()
        .given(in_progress())
        .when(cmd(at, sec(), withdraw()))
        .then_expect_events(vec![
            ItemEvent::ItemBecameOverdue {
                deadline: deadline(2026, 3, 31),
                effective_at: local(2026, 4, 1, 0, 0),
                by: sec(),
                at,
            },
            withdrawn.clone(),
        ]);
    let mut history = in_progress();
    history.push(overdue());
    framework()
        .given(history)
        .when(cmd(at, sec(), withdraw()))
        .then_expect_events(vec![withdrawn.clone()]);
    // Never assigned: no deadline, no fact.
    framework()
        .given(vec![registered()])
        .when(cmd(at, sec(), withdraw()))
        .then_expect_events(vec![withdrawn]);
}

#[test]
fn withdrawal_refusals() {
    let at = local(2026, 3, 10, 9, 0);
    framework()
        .given(closed())
        .when(cmd(at, sec(), withdraw()))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::Closed,
            request: ItemRequest::Withdraw,
        });
    framework()
        .given(in_progress())
        .when(cmd(at, zhang(), withdraw()))
        .then_expect_error(ItemError::SegregationOfDuties {
            actor: zhang(),
            request: ItemRequest::Withdraw,
        });
    let mut history = in_progress();
    history.push(ItemEvent::ItemWithdrawn {
        ground: WithdrawalGround::Unfounded,
        reason: text("经核查不属实"),
        by: sec(),
        at,
    });
    framework()
        .given(history)
        .when(cmd(at, zhang(), progress_body()))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::Withdrawn,
            request: ItemRequest::ReportProgress,
        });
}

// ---- deadline facts ---------------------------------------------------------------------------

#[test]
fn acknowledgement_overdue_is_recorded_once_after_the_due_instant() {
    let at = local(2026, 3, 5, 0, 1);
    let fact = ItemEvent::AcknowledgementOverdueRecorded {
        effective_at: local(2026, 3, 5, 0, 0),
        by: scheduler(),
        at,
    };
    framework()
        .given(vec![registered(), assigned()])
        .when(cmd(
            at,
            scheduler(),
            ItemCommand::RecordAcknowledgementOverdue,
        ))
        .then_expect_events(vec![fact.clone()]);
    framework()
        .given(vec![registered(), assigned()])
        .when(cmd(
            local(2026, 3, 4, 23, 59),
            scheduler(),
            ItemCommand::RecordAcknowledgementOverdue,
        ))
        .then_expect_error(ItemError::NotYetDue {
            due_at: local(2026, 3, 5, 0, 0),
        });
    framework()
        .given(vec![registered(), assigned(), fact])
        .when(cmd(
            at,
            scheduler(),
            ItemCommand::RecordAcknowledgementOverdue,
        ))
        .then_expect_error(ItemError::AlreadyRecorded {
            request: ItemRequest::RecordAcknowledgementOverdue,
        });
    framework()
        .given(in_progress())
        .when(cmd(
            at,
            scheduler(),
            ItemCommand::RecordAcknowledgementOverdue,
        ))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::InProgress,
            request: ItemRequest::RecordAcknowledgementOverdue,
        });
}

fn warning(at: DateTime<Utc>) -> ItemEvent {
    ItemEvent::DeadlineWarningRecorded {
        deadline: deadline(2026, 3, 31),
        effective_at: local(2026, 3, 26, 0, 0),
        deadline_passes_at: local(2026, 4, 1, 0, 0),
        by: scheduler(),
        at,
    }
}

#[test]
fn a_warning_is_recorded_once_inside_the_window() {
    let at = local(2026, 3, 26, 9, 0);
    framework()
        .given(in_progress())
        .when(cmd(at, scheduler(), ItemCommand::RecordDeadlineWarning))
        .then_expect_events(vec![warning(at)]);
    framework()
        .given(in_progress())
        .when(cmd(
            local(2026, 3, 25, 23, 59),
            scheduler(),
            ItemCommand::RecordDeadlineWarning,
        ))
        .then_expect_error(ItemError::NotYetDue {
            due_at: local(2026, 3, 26, 0, 0),
        });
    framework()
        .given(in_progress())
        .when(cmd(
            local(2026, 4, 1, 0, 0),
            scheduler(),
            ItemCommand::RecordDeadlineWarning,
        ))
        .then_expect_error(ItemError::OutsideWarningWindow {
            opens_at: local(2026, 3, 26, 0, 0),
            closes_at: local(2026, 4, 1, 0, 0),
        });
    let mut history = in_progress();
    history.push(warning(at));
    framework()
        .given(history.clone())
        .when(cmd(at, scheduler(), ItemCommand::RecordDeadlineWarning))
        .then_expect_error(ItemError::AlreadyRecorded {
            request: ItemRequest::RecordDeadlineWarning,
        });
    framework()
        .given(vec![registered()])
        .when(cmd(at, scheduler(), ItemCommand::RecordDeadlineWarning))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::Registered,
            request: ItemRequest::RecordDeadlineWarning,
        });
}

#[test]
fn the_warning_of_a_short_deadline_does_not_precede_its_assignment() {
    // Assigned Monday 2026-03-30 10:00 with deadline Tuesday 03-31: the window would open on
    // Thursday 03-26, before the deadline existed; it opens at the assignment instead.
    let assigned_at = local(2026, 3, 30, 10, 0);
    let event = assigned_with(services(directory()).0, assigned_at, deadline(2026, 3, 31));
    assert_eq!(instants(&event).2, assigned_at);
    let at = local(2026, 3, 30, 11, 0);
    framework()
        .given(vec![registered(), event])
        .when(cmd(at, scheduler(), ItemCommand::RecordDeadlineWarning))
        .then_expect_events(vec![ItemEvent::DeadlineWarningRecorded {
            deadline: deadline(2026, 3, 31),
            effective_at: assigned_at,
            deadline_passes_at: local(2026, 4, 1, 0, 0),
            by: scheduler(),
            at,
        }]);
    // An assignment stored before the fix (warning_at unclamped) is clamped when warned.
    let mut legacy = assigned();
    if let ItemEvent::ItemAssigned { at: legacy_at, .. } = &mut legacy {
        *legacy_at = assigned_at;
    }
    framework()
        .given(vec![registered(), legacy])
        .when(cmd(at, scheduler(), ItemCommand::RecordDeadlineWarning))
        .then_expect_events(vec![ItemEvent::DeadlineWarningRecorded {
            deadline: deadline(2026, 3, 31),
            effective_at: assigned_at,
            deadline_passes_at: local(2026, 4, 1, 0, 0),
            by: scheduler(),
            at,
        }]);
}

#[test]
fn a_new_deadline_gets_its_own_warning() {
    let mut history = in_progress();
    history.extend([warning(local(2026, 3, 26, 9, 0))]);
    history.push(ItemEvent::ExtensionRequested {
        reason: text("需延期"),
        current_deadline: deadline(2026, 3, 31),
        requested_deadline: deadline(2026, 4, 15),
        by: zhang(),
        at: local(2026, 3, 27, 9, 0),
    });
    history.push(extension_approved());
    let at = local(2026, 4, 10, 9, 0);
    framework()
        .given(history)
        .when(cmd(at, scheduler(), ItemCommand::RecordDeadlineWarning))
        .then_expect_events(vec![ItemEvent::DeadlineWarningRecorded {
            deadline: deadline(2026, 4, 15),
            effective_at: local(2026, 4, 10, 0, 0),
            deadline_passes_at: local(2026, 4, 16, 0, 0),
            by: scheduler(),
            at,
        }]);
}

#[test]
fn overdue_carries_the_instant_the_deadline_passed_even_when_recorded_later() {
    let late = local(2026, 4, 3, 8, 0);
    framework()
        .given(in_progress())
        .when(cmd(late, scheduler(), ItemCommand::RecordOverdue))
        .then_expect_events(vec![ItemEvent::ItemBecameOverdue {
            deadline: deadline(2026, 3, 31),
            effective_at: local(2026, 4, 1, 0, 0),
            by: scheduler(),
            at: late,
        }]);
}

#[test]
fn overdue_is_recorded_once_per_deadline_and_not_before_it_passes() {
    framework()
        .given(in_progress())
        .when(cmd(
            local(2026, 3, 31, 23, 59),
            scheduler(),
            ItemCommand::RecordOverdue,
        ))
        .then_expect_error(ItemError::NotYetDue {
            due_at: local(2026, 4, 1, 0, 0),
        });
    let mut history = in_progress();
    history.push(overdue());
    framework()
        .given(history.clone())
        .when(cmd(
            local(2026, 4, 2, 0, 5),
            scheduler(),
            ItemCommand::RecordOverdue,
        ))
        .then_expect_error(ItemError::AlreadyRecorded {
            request: ItemRequest::RecordOverdue,
        });
    // A pending sign-off does not stop the clock.
    framework()
        .given(pending())
        .when(cmd(
            local(2026, 4, 1, 0, 5),
            scheduler(),
            ItemCommand::RecordOverdue,
        ))
        .then_expect_events(vec![overdue()]);
}

#[test]
fn an_extended_deadline_can_become_overdue_in_its_turn() {
    let mut history = in_progress();
    history.extend([extension_requested(), extension_approved()]);
    let at = local(2026, 4, 16, 0, 0);
    framework()
        .given(history)
        .when(cmd(at, scheduler(), ItemCommand::RecordOverdue))
        .then_expect_events(vec![ItemEvent::ItemBecameOverdue {
            deadline: deadline(2026, 4, 15),
            effective_at: local(2026, 4, 16, 0, 0),
            by: scheduler(),
            at,
        }]);
}

#[test]
fn closed_withdrawn_and_unassigned_items_never_become_overdue() {
    let at = local(2026, 4, 2, 0, 0);
    framework()
        .given(closed())
        .when(cmd(at, scheduler(), ItemCommand::RecordOverdue))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::Closed,
            request: ItemRequest::RecordOverdue,
        });
    let mut withdrawn = in_progress();
    withdrawn.push(ItemEvent::ItemWithdrawn {
        ground: WithdrawalGround::Unfounded,
        reason: text("经核查不属实"),
        by: sec(),
        at: local(2026, 3, 10, 9, 0),
    });
    framework()
        .given(withdrawn)
        .when(cmd(at, scheduler(), ItemCommand::RecordOverdue))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::Withdrawn,
            request: ItemRequest::RecordOverdue,
        });
    framework()
        .given(vec![registered()])
        .when(cmd(at, scheduler(), ItemCommand::RecordOverdue))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::Registered,
            request: ItemRequest::RecordOverdue,
        });
    framework()
        .given_no_previous_events()
        .when(cmd(at, scheduler(), ItemCommand::RecordOverdue))
        .then_expect_error(ItemError::NotFound {
            request: ItemRequest::RecordOverdue,
        });
}

// ---- fault tolerance, instruction, urging ------------------------------------------------------

fn ruling(decision: FaultDecision) -> ItemCommand {
    ItemCommand::RuleFaultTolerance {
        cause: FaultCause::ForceMajeure,
        decision,
        reason: text("暴雨导致道路中断，无法按期完成现场核查"),
    }
}

#[test]
fn an_overdue_item_gets_a_fault_tolerance_ruling() {
    let mut history = in_progress();
    history.push(overdue());
    let at = local(2026, 4, 3, 9, 0);
    framework()
        .given(history.clone())
        .when(cmd(at, sec(), ruling(FaultDecision::Exempt)))
        .then_expect_events(vec![ItemEvent::FaultToleranceRuled {
            cause: FaultCause::ForceMajeure,
            decision: FaultDecision::Exempt,
            reason: text("暴雨导致道路中断，无法按期完成现场核查"),
            by: sec(),
            at,
        }]);
    history.push(ItemEvent::FaultToleranceRuled {
        cause: FaultCause::ForceMajeure,
        decision: FaultDecision::Exempt,
        reason: text("暴雨"),
        by: sec(),
        at,
    });
    let item = fold(&history);
    assert!(item.is_exempt());
    assert!(!item.is_mitigated());
    assert_eq!(item.ruling().map(|r| r.ruled_by.clone()), Some(sec()));
    // A later ruling supersedes.
    history.push(ItemEvent::FaultToleranceRuled {
        cause: FaultCause::ManagementError,
        decision: FaultDecision::Mitigate,
        reason: text("复核"),
        by: sec(),
        at,
    });
    let item = fold(&history);
    assert!(item.is_mitigated());
    assert!(!item.is_exempt());
}

#[test]
fn a_relapsed_item_may_be_ruled_on_too() {
    let mut history = closed();
    history.push(reopened());
    let at = local(2026, 6, 26, 9, 0);
    framework()
        .given(history)
        .when(cmd(at, sec(), ruling(FaultDecision::None)))
        .then_expect_events(vec![ItemEvent::FaultToleranceRuled {
            cause: FaultCause::ForceMajeure,
            decision: FaultDecision::None,
            reason: text("暴雨导致道路中断，无法按期完成现场核查"),
            by: sec(),
            at,
        }]);
}

#[test]
fn fault_tolerance_refusals() {
    let at = local(2026, 4, 3, 9, 0);
    framework()
        .given(in_progress())
        .when(cmd(at, sec(), ruling(FaultDecision::Exempt)))
        .then_expect_error(ItemError::RulingNotApplicable);
    let mut history = in_progress();
    history.push(overdue());
    framework()
        .given(history)
        .when(cmd(at, li(), ruling(FaultDecision::Exempt)))
        .then_expect_error(ItemError::SegregationOfDuties {
            actor: li(),
            request: ItemRequest::RuleFaultTolerance,
        });
    framework()
        .given(vec![registered()])
        .when(cmd(at, sec(), ruling(FaultDecision::Exempt)))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::Registered,
            request: ItemRequest::RuleFaultTolerance,
        });
}

#[test]
fn a_leadership_instruction_is_recorded() {
    let at = local(2026, 3, 12, 9, 0);
    let command = ItemCommand::RecordInstruction {
        text: text("请医保局加大追缴力度，月底前见成效"),
        by: person("party-secretary"),
    };
    framework()
        .given(in_progress())
        .when(cmd(at, sec(), command.clone()))
        .then_expect_events(vec![ItemEvent::InstructionRecorded {
            text: text("请医保局加大追缴力度，月底前见成效"),
            instructed_by: person("party-secretary"),
            by: sec(),
            at,
        }]);
    framework()
        .given_no_previous_events()
        .when(cmd(at, sec(), command))
        .then_expect_error(ItemError::NotFound {
            request: ItemRequest::RecordInstruction,
        });
}

#[test]
fn a_unit_involved_in_the_item_is_urged() {
    let at = local(2026, 3, 27, 9, 0);
    for to in [responsible_unit(), supervising_unit()] {
        framework()
            .given(in_progress())
            .when(cmd(
                at,
                sec(),
                ItemCommand::Urge {
                    unit: to.clone(),
                    text: text("请加快进度"),
                },
            ))
            .then_expect_events(vec![ItemEvent::ItemUrged {
                unit: to,
                text: text("请加快进度"),
                by: sec(),
                at,
            }]);
    }
    framework()
        .given(in_progress())
        .when(cmd(
            at,
            sec(),
            ItemCommand::Urge {
                unit: unit("other"),
                text: text("请加快进度"),
            },
        ))
        .then_expect_error(ItemError::UnitNotInvolved(unit("other")));
    framework()
        .given(closed())
        .when(cmd(
            at,
            sec(),
            ItemCommand::Urge {
                unit: responsible_unit(),
                text: text("请加快进度"),
            },
        ))
        .then_expect_error(ItemError::InvalidTransition {
            state: ItemState::Closed,
            request: ItemRequest::Urge,
        });
}

// ---- colour -----------------------------------------------------------------------------------

#[test]
fn colour_is_derived_from_state_deadline_and_send_backs() {
    let item = fold(&in_progress());
    assert_eq!(item.colour(local(2026, 3, 10, 9, 0)), Colour::Green);
    assert_eq!(item.colour(local(2026, 3, 26, 0, 0)), Colour::Yellow);
    assert_eq!(item.colour(local(2026, 3, 31, 23, 59)), Colour::Yellow);
    // Past the deadline the colour does not wait for the scheduler.
    assert_eq!(item.colour(local(2026, 4, 1, 0, 0)), Colour::Red);

    let mut history = in_progress();
    history.push(overdue());
    assert_eq!(fold(&history).colour(local(2026, 4, 1, 0, 5)), Colour::Red);
    // An approved extension puts a new deadline in force: no longer red.
    history.push(ItemEvent::ExtensionRequested {
        reason: text("需延期"),
        current_deadline: deadline(2026, 3, 31),
        requested_deadline: deadline(2026, 4, 15),
        by: zhang(),
        at: local(2026, 3, 30, 9, 0),
    });
    history.push(ItemEvent::ExtensionApproved {
        previous_deadline: deadline(2026, 3, 31),
        new_deadline: deadline(2026, 4, 15),
        deadline_passes_at: local(2026, 4, 16, 0, 0),
        warning_at: local(2026, 4, 10, 0, 0),
        extensions_approved: 1,
        note: None,
        by: sec(),
        at: local(2026, 4, 1, 9, 0),
    });
    let item = fold(&history);
    assert!(!item.is_overdue());
    assert_eq!(item.overdue_count(), 1);
    assert_eq!(item.colour(local(2026, 4, 2, 9, 0)), Colour::Green);

    // Two send-backs make it yellow outside the window.
    let mut history = pending();
    for n in 1..=2 {
        history.push(ItemEvent::SignOffRejected {
            reasons: vec![text("补充材料")],
            send_backs: n,
            by: sec(),
            at: local(2026, 3, 10, 9, 0),
        });
        if n == 1 {
            assert_eq!(
                fold(&history).colour(local(2026, 3, 10, 9, 0)),
                Colour::Green
            );
            history.push(sign_off_requested(local(2026, 3, 11, 9, 0)));
        }
    }
    let item = fold(&history);
    assert_eq!(item.colour(local(2026, 3, 12, 9, 0)), Colour::Yellow);
    assert_eq!(item.colour_with(local(2026, 3, 12, 9, 0), 3), Colour::Green);

    // Closed items are green whatever the clock says.
    assert_eq!(
        fold(&closed()).colour(local(2026, 4, 2, 9, 0)),
        Colour::Green
    );
    assert_eq!(
        fold(&[registered()]).colour(local(2026, 4, 2, 9, 0)),
        Colour::Green
    );
}

// ---- deadline arithmetic across weekends and holidays ------------------------------------------

fn assigned_with(services: DomainServices, at: DateTime<Utc>, due: Deadline) -> ItemEvent {
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

fn instants(event: &ItemEvent) -> (DateTime<Utc>, DateTime<Utc>, DateTime<Utc>) {
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

#[test]
fn acknowledgement_window_skips_the_weekend() {
    // Assigned Friday 2026-03-06 16:00 local: two working days are Monday 9 and Tuesday 10.
    let event = assigned_with(
        services(directory()).0,
        local(2026, 3, 6, 16, 0),
        deadline(2026, 3, 31),
    );
    assert_eq!(instants(&event).0, local(2026, 3, 11, 0, 0));
}

#[test]
fn deadline_arithmetic_across_national_day_with_a_make_up_day() {
    // 2026-10-01..07 National Day holiday (Thu–Wed); Sunday 10-11 a make-up working day.
    let calendar = FixedCalendar::weekdays()
        .with_holidays((1..=7).map(|d| date(2026, 10, d)))
        .with_make_up_days([date(2026, 10, 11)]);
    let holiday_services = services_with(calendar, CampaignSettings::default());
    let assigned_at = local(2026, 9, 29, 10, 0);
    let due = deadline(2026, 10, 12);

    let (ack, passes, warn) = instants(&assigned_with(holiday_services, assigned_at, due));
    // Tuesday 09-29 + 2 working days: Wednesday 30, (holidays), Thursday 10-08.
    assert_eq!(ack, local(2026, 10, 9, 0, 0));
    // Due by 24:00 local of Monday 10-12 = 16:00 UTC the same day.
    assert_eq!(passes, local(2026, 10, 13, 0, 0));
    assert_eq!(passes.to_rfc3339(), "2026-10-12T16:00:00+00:00");
    // Three working days before Monday 10-12: Sunday 11 (make-up), Friday 9, Thursday 8.
    assert_eq!(warn, local(2026, 10, 8, 0, 0));

    // The same assignment on a plain weekday calendar gives different instants, which is why
    // they are computed once and stored in the event.
    let (ack, passes, warn) = instants(&assigned_with(services(directory()).0, assigned_at, due));
    assert_eq!(ack, local(2026, 10, 2, 0, 0));
    assert_eq!(passes, local(2026, 10, 13, 0, 0));
    assert_eq!(warn, local(2026, 10, 7, 0, 0));
}

#[test]
fn a_later_calendar_change_does_not_rewrite_stored_instants() {
    // The history says the warning opened at 03-26; a calendar declaring 03-27 a holiday now
    // does not move it: the state comes from the events, not from recomputation.
    let calendar = FixedCalendar::weekdays().with_holidays([date(2026, 3, 27)]);
    let events = TestFramework::<Item>::with(services_with(calendar, CampaignSettings::default()))
        .given(in_progress())
        .when(cmd(
            local(2026, 3, 26, 9, 0),
            scheduler(),
            ItemCommand::RecordDeadlineWarning,
        ))
        .inspect_result()
        .expect("warning accepted");
    assert_eq!(events, vec![warning(local(2026, 3, 26, 9, 0))]);
}

// ---- events and errors ------------------------------------------------------------------------

#[test]
fn events_round_trip_through_json_and_name_their_type() {
    let mut all = closed();
    all.extend([
        reopened(),
        overdue(),
        extension_requested(),
        extension_approved(),
    ]);
    for event in all {
        let json = serde_json::to_string(&event).expect("serialises");
        let back: ItemEvent = serde_json::from_str(&json).expect("deserialises");
        assert_eq!(back, event);
        assert!(json.starts_with(&format!("{{\"{}\"", event.event_type())));
        assert_eq!(event.event_version(), "1.0");
    }
    let item = fold(&closed());
    let json = serde_json::to_string(&item).expect("snapshot serialises");
    let back: Item = serde_json::from_str(&json).expect("snapshot deserialises");
    assert_eq!(back, item);
}

#[test]
fn error_codes_are_stable_and_dotted() {
    let e = ItemError::InvalidTransition {
        state: ItemState::Closed,
        request: ItemRequest::Withdraw,
    };
    assert_eq!(e.code(), "item.invalid_transition");
    assert_eq!(
        e.to_string(),
        "withdraw is not allowed while the item is closed"
    );
    assert_eq!(
        ItemError::SegregationOfDuties {
            actor: zhang(),
            request: ItemRequest::VerifySignOff
        }
        .code(),
        "item.segregation_of_duties"
    );
    assert_eq!(
        ItemError::IncompleteSignOff { missing: vec![] }.code(),
        "item.incomplete_sign_off"
    );
}
