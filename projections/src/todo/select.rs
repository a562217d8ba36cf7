//! Who gets which task: the rules of DOMAIN.md's role matrix and of the aggregates' admissions,
//! applied to the stored rows at an instant. Pure: rows, organisation and instant in, tasks out.

use chrono::{DateTime, Utc};
use rectiflow_domain::accountability::AccountabilityStatus;
use rectiflow_domain::admonishment::AdmonishmentStatus;
use rectiflow_domain::alert::AlertStatus;
use rectiflow_domain::complaint::ComplaintStatus;
use rectiflow_domain::item::ItemState;
use rectiflow_domain::organisation::{Organisation, Role};
use rectiflow_domain::values::{PersonId, TaskForceId, UnitId};

use super::{AlertTriage, Rows, ToDo, ToDoKind};
use crate::accountability_register::AccountabilityEntry;
use crate::admonishment_register::AdmonishmentEntry;
use crate::alert_board::AlertEntry;
use crate::complaint_board::ComplaintEntry;
use crate::item_register::ItemEntry;

/// `person`'s tasks at `now`, sorted by due instant (tasks without one last), then kind and
/// stream. Every rule is one of the helpers below; the organisation is read as it stands
/// (membership, heads and roles now, as the aggregates check them).
///
/// "Overdue" is judged as each reader of the facts judges it: a window (签收, complaint
/// response, triage, a talk) is breached from its instant on (an act at or after it is late);
/// an item's deadline as the ledger does ([`ItemEntry::overdue_at`]: passed, and not waiting on
/// a sign-off request made before it passed). Tasks without a due instant are never overdue.
pub fn select(
    rows: &Rows,
    organisation: &Organisation,
    alert_triage: &AlertTriage,
    person: &PersonId,
    now: DateTime<Utc>,
) -> Vec<ToDo> {
    let who = Who {
        organisation,
        person,
    };
    let mut tasks: Vec<ToDo> = Vec::new();
    for item in &rows.items {
        tasks.extend(item_tasks(item, &who, now));
    }
    for complaint in &rows.complaints {
        tasks.extend(answer_complaint(complaint, &who, now));
    }
    for alert in &rows.alerts {
        tasks.extend(triage_alert(alert, &who, alert_triage, now));
    }
    for case in &rows.accountability {
        tasks.extend(decide_accountability(case, &who));
    }
    for admonishment in &rows.admonishments {
        tasks.extend(talk(admonishment, &who, now));
    }
    tasks.sort_by(|a, b| {
        (a.due_at.is_none(), a.due_at, a.kind, &a.stream).cmp(&(
            b.due_at.is_none(),
            b.due_at,
            b.kind,
            &b.stream,
        ))
    });
    tasks
}

/// The person asking, and the organisation their standing is read from.
struct Who<'a> {
    organisation: &'a Organisation,
    person: &'a PersonId,
}

impl Who<'_> {
    fn is_member(&self, unit: &str) -> bool {
        UnitId::parse(unit).is_ok_and(|unit| self.organisation.is_member(&unit, self.person))
    }

    fn is_head(&self, unit: &str) -> bool {
        UnitId::parse(unit).is_ok_and(|unit| self.organisation.is_head(&unit, self.person))
    }

    fn is(&self, person: &str) -> bool {
        self.person.as_str() == person
    }

    fn is_secretariat_of(&self, task_force: &TaskForceId) -> bool {
        self.organisation.has_role(
            self.person,
            &Role::Secretariat {
                task_force: task_force.clone(),
            },
        )
    }

    /// The secretariat of the item's task force deciding about the responsible unit: never
    /// its responsible person nor a member of its unit (segregation of duties,
    /// `Item::ensure_outside_unit`).
    fn decides_on(&self, item: &ItemEntry) -> bool {
        let Ok(task_force) = TaskForceId::parse(item.task_force.as_str()) else {
            return false;
        };
        let inside = item
            .responsible_person
            .as_deref()
            .is_some_and(|p| self.is(p))
            || item
                .responsible_unit
                .as_deref()
                .is_some_and(|u| self.is_member(u));
        self.is_secretariat_of(&task_force) && !inside
    }
}

fn task(kind: ToDoKind, stream: &str, title: &str, due_at: Option<DateTime<Utc>>) -> ToDo {
    ToDo {
        kind,
        stream: stream.to_owned(),
        title: title.to_owned(),
        due_at,
        overdue: false,
    }
}

/// A window ending at `due` is breached at `now` from that instant on.
fn window_breached(due: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now >= due
}

/// The tasks an item sets, by its state:
/// - `assigned` or `reopened` (a 签收 is owed): **acknowledge**, for every member of the
///   responsible unit (`Party::MemberOf`, as the item admits 签收); due at the 签收 window's end,
///   overdue once the window has ended or the late 签收 was recorded.
/// - `in_progress`: **request sign-off**, for the responsible person while a member of the
///   responsible unit, or the unit's head (`Party::SignatoryOf`); due when the deadline in
///   force passes, overdue as the ledger has it.
/// - `pending_sign_off`: **verify sign-off** (销号审核), for the secretariat of the item's task
///   force outside the responsible unit; due when the deadline in force passes, overdue as the
///   ledger has it — never when the request came in time (the clock stopped).
/// - any open item with an extension request (延期申请) pending: **decide the extension**, for
///   the same secretariat as verification; due when the deadline in force passes, overdue
///   from then on.
/// - any of these, overdue at `now` (as the ledger has it) with no ruling on the episode of
///   the deadline in force recorded by `now`: **rule 容错** on it, for the same secretariat; no
///   due instant. A ruling on an earlier deadline does not carry over (DOMAIN.md).
///
/// Registered, closed and withdrawn items set no task.
fn item_tasks(item: &ItemEntry, who: &Who<'_>, now: DateTime<Utc>) -> Vec<ToDo> {
    let mut tasks = Vec::new();
    let Some(unit) = item.responsible_unit.as_deref() else {
        return tasks;
    };
    match item.state {
        ItemState::Assigned | ItemState::Reopened if who.is_member(unit) => {
            let mut t = task(
                ToDoKind::Acknowledge,
                &item.code,
                &item.title,
                item.acknowledgement_due_at,
            );
            t.overdue = item.acknowledgement_late
                || item
                    .acknowledgement_due_at
                    .is_some_and(|due| window_breached(due, now));
            tasks.push(t);
        }
        ItemState::InProgress => {
            let responsible = item
                .responsible_person
                .as_deref()
                .is_some_and(|p| who.is(p) && who.is_member(unit));
            if responsible || who.is_head(unit) {
                let mut t = task(
                    ToDoKind::RequestSignOff,
                    &item.code,
                    &item.title,
                    item.deadline_passes_at,
                );
                t.overdue = item.overdue_at(now);
                tasks.push(t);
            }
        }
        ItemState::PendingSignOff if who.decides_on(item) => {
            let mut t = task(
                ToDoKind::VerifySignOff,
                &item.code,
                &item.title,
                item.deadline_passes_at,
            );
            t.overdue = item.overdue_at(now);
            tasks.push(t);
        }
        _ => {}
    }
    if item.extension_requested_at.is_some() && who.decides_on(item) {
        let mut t = task(
            ToDoKind::DecideExtension,
            &item.code,
            &item.title,
            item.deadline_passes_at,
        );
        t.overdue = item
            .deadline_passes_at
            .is_some_and(|passes_at| window_breached(passes_at, now));
        tasks.push(t);
    }
    let unruled = item.overdue_at(now) && item.deadline_ruling_at(now).is_none();
    if unruled && who.decides_on(item) {
        tasks.push(task(
            ToDoKind::RuleFaultTolerance,
            &item.code,
            &item.title,
            None,
        ));
    }
    tasks
}

/// **Answer a complaint** (答复) still open and unanswered: its designated handler (承办人)
/// alone once one is named (`Party::Person`); while none is, the head of the handling unit,
/// who answers or names the handler. Due at the response instant the receipt recorded,
/// overdue from it on (`ComplaintEntry::response_overdue_at`).
fn answer_complaint(complaint: &ComplaintEntry, who: &Who<'_>, now: DateTime<Utc>) -> Option<ToDo> {
    if complaint.state != ComplaintStatus::Open || complaint.responded_at.is_some() {
        return None;
    }
    let answers = match complaint.designated_handler.as_deref() {
        Some(handler) => who.is(handler),
        None => who.is_head(&complaint.handling_unit),
    };
    answers.then(|| {
        let mut t = task(
            ToDoKind::AnswerComplaint,
            &complaint.complaint,
            &complaint.summary,
            Some(complaint.response_due_at),
        );
        t.overdue = complaint.response_overdue_at(now);
        t
    })
}

/// **Triage a data alert** (研判) still open: the secretariat of the campaign's
/// medical-insurance task force (as the alert admits a triage). Due at the triage instant the
/// receipt recorded, overdue from it on (`AlertEntry::triage_overdue_at`).
fn triage_alert(
    alert: &AlertEntry,
    who: &Who<'_>,
    alert_triage: &AlertTriage,
    now: DateTime<Utc>,
) -> Option<ToDo> {
    if alert.state != AlertStatus::Open {
        return None;
    }
    let task_force = alert_triage.get(&alert.campaign)?;
    who.is_secretariat_of(task_force).then(|| {
        let mut t = task(
            ToDoKind::TriageAlert,
            &alert.alert,
            &alert.summary,
            Some(alert.triage_due_at),
        );
        t.overdue = alert.triage_overdue_at(now);
        t
    })
}

/// **Decide accountability** (问责) of a proposed case: discipline inspection (纪检监察), which
/// alone decides. DOMAIN.md sets no deadline for the decision: no due instant.
fn decide_accountability(case: &AccountabilityEntry, who: &Who<'_>) -> Option<ToDo> {
    let decides = case.state == AccountabilityStatus::Proposed
        && who
            .organisation
            .has_role(who.person, &Role::DisciplineInspection);
    decides.then(|| {
        task(
            ToDoKind::DecideAccountability,
            &case.case,
            &format!("问责 {}（{}）", case.person, case.unit),
            None,
        )
    })
}

/// A scheduled admonishment talk (约谈), not yet recorded as held: **hold** it, for each person
/// named to conduct it; **attend** it, for the admonished unit's head (一把手, whom the talk is
/// held with: the aggregate refuses a talk recorded without them). Due at the talk's instant,
/// overdue from it on while not recorded as held.
fn talk(admonishment: &AdmonishmentEntry, who: &Who<'_>, now: DateTime<Utc>) -> Vec<ToDo> {
    let mut tasks = Vec::new();
    let (AdmonishmentStatus::Scheduled, Some(when)) =
        (admonishment.state, admonishment.scheduled_for)
    else {
        return tasks;
    };
    let title = format!(
        "约谈 {}（{}）",
        admonishment.unit,
        admonishment.place.as_deref().unwrap_or_default()
    );
    let mut push = |kind| {
        let mut t = task(kind, &admonishment.admonishment, &title, Some(when));
        t.overdue = window_breached(when, now);
        tasks.push(t);
    };
    if admonishment.conducted_by.iter().any(|p| who.is(p)) {
        push(ToDoKind::HoldTalk);
    }
    if who.is_head(&admonishment.unit) {
        push(ToDoKind::AttendTalk);
    }
    tasks
}
