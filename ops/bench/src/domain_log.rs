//! A county's log at scale for the projection benchmarks: items of the issue list living
//! through registration, assignment, 签收 (some late), progress, warnings, sign-off requests,
//! send-backs, closures and overdue facts, spread over many units, and complaints received,
//! answered and closed — real [`ItemEvent`]s and [`ComplaintEvent`]s, so every projection decodes
//! and folds them as it would the county's own log.
//!
//! Deterministic: item `i`'s history depends on `i` only, so two runs (and the 10k and 100k
//! scales) hold the same kinds of items in the same proportions. Each item is committed in two
//! halves, all first halves before any second half, so a page of the log touches many items,
//! as the live log does, not one item's whole history.

use anyhow::Context;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use cqrs_es::DomainEvent;
use rectiflow_domain::complaint::{Channel, ComplaintEvent, Resolution};
use rectiflow_domain::identity::Sealed;
use rectiflow_domain::item::{DeadlineSettings, ItemEvent, ItemSource, Severity};
use rectiflow_domain::settings::{Field, ResponseWindow};
use rectiflow_domain::values::{
    CampaignId, ComplaintId, Deadline, ItemCode, Percent, PersonId, Rating, TaskForceId, Text,
    UnitId,
};
use rectiflow_engine::model::{Commit, NewEvent};
use rectiflow_engine::StreamRef;
use serde::Serialize;
use uuid::Uuid;

use crate::contenders::now_micros;

/// The county's time zone.
const TZ: Tz = chrono_tz::Asia::Shanghai;
/// The campaign every item and complaint belongs to.
pub const CAMPAIGN: &str = "qunfu-2026";
/// Events of one complaint: received, handler designated, responded, resolved, rated, closed.
const COMPLAINT_EVENTS: u64 = 6;
/// One complaint per this many items.
const ITEMS_PER_COMPLAINT: u64 = 20;
/// The task forces, with the code prefix of their items.
const TASK_FORCES: [(&str, &str); 4] = [
    ("yibao", "YB"),
    ("xiaoyuan", "XC"),
    ("yanglao", "YL"),
    ("guozi", "GZ"),
];

/// How big a log to write.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Scale {
    pub events: u64,
    pub items: u64,
    pub units: u64,
}

impl Scale {
    pub fn complaints(&self) -> u64 {
        self.items / ITEMS_PER_COMPLAINT
    }

    /// The events of item `i` (0-based): the items' share of the budget, spread evenly; never
    /// fewer than its lifecycle needs.
    fn item_length(&self, i: u64) -> u64 {
        let budget = self
            .events
            .saturating_sub(self.complaints() * COMPLAINT_EVENTS);
        let items = self.items.max(1);
        budget / items + u64::from(i < budget % items)
    }

    /// The unit responsible for item (or complaint) `i`.
    pub fn unit(&self, i: u64) -> String {
        format!("unit-{:04}", i % self.units.max(1))
    }
}

/// Writes the log of `scale` into `store` and waits until it is sequenced. Returns the number
/// of events written (the budget, unless items need more than their share).
pub async fn fill(store: &rectiflow_store::PgStore, scale: Scale) -> anyhow::Result<u64> {
    let events: u64 = (0..scale.items)
        .map(|i| plan(&scale, i).len() as u64)
        .sum::<u64>()
        + scale.complaints() * COMPLAINT_EVENTS;
    let (items, complaints) = (scale.items, scale.complaints());
    crate::catchup::commit_all(
        store,
        "domain fill",
        2 * items + complaints,
        events,
        move |n| {
            let names = Names::new()?;
            if n < items {
                item_commit(&names, &scale, n, true)
            } else if n < items + complaints {
                complaint_commit(&names, &scale, n - items)
            } else {
                item_commit(&names, &scale, n - items - complaints, false)
            }
        },
    )
    .await?;
    Ok(events)
}

/// The values every event repeats, parsed once per commit.
struct Names {
    campaign: CampaignId,
    secretariat: PersonId,
    scheduler: PersonId,
    supervisor: UnitId,
}

impl Names {
    fn new() -> anyhow::Result<Self> {
        Ok(Self {
            campaign: CampaignId::parse(CAMPAIGN)?,
            secretariat: PersonId::parse("sec-officer-1")?,
            scheduler: PersonId::parse("system:scheduler")?,
            supervisor: UnitId::parse("discipline-inspection")?,
        })
    }
}

/// What happens to an item, decided by its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Registered,
    Assigned,
    AcknowledgementOverdue,
    Acknowledged { late: bool },
    Progress(u64),
    Warning,
    Overdue,
    SignOff(i64),
    SentBack,
    Closed { on_time: bool },
}

/// Item `i`'s history: half closed on time, one in ten closed late after a send-back, two in
/// ten overdue, one pending sign-off, one in progress; one in seven acknowledged late;
/// progress reports fill up its share of events.
fn plan(scale: &Scale, i: u64) -> Vec<Step> {
    let mut steps = vec![Step::Registered, Step::Assigned];
    if i.is_multiple_of(7) {
        steps.extend([
            Step::AcknowledgementOverdue,
            Step::Acknowledged { late: true },
        ]);
    } else {
        steps.push(Step::Acknowledged { late: false });
    }
    let tail: &[Step] = match i % 10 {
        0..=4 => &[Step::SignOff(-5), Step::Closed { on_time: true }],
        5 => &[
            Step::SignOff(-8),
            Step::SentBack,
            Step::Overdue,
            Step::SignOff(2),
            Step::Closed { on_time: false },
        ],
        6 | 7 => &[Step::Warning, Step::Overdue],
        8 => &[Step::SignOff(-2)],
        _ => &[Step::Warning],
    };
    let progress = scale
        .item_length(i)
        .saturating_sub((steps.len() + tail.len()) as u64);
    steps.extend((0..progress).map(Step::Progress));
    steps.extend_from_slice(tail);
    steps
}

/// Item `i`'s first half (registration, assignment, 签收, early progress) or the rest.
fn item_commit(names: &Names, scale: &Scale, i: u64, first: bool) -> anyhow::Result<Commit> {
    let steps = plan(scale, i);
    let half = steps.len() / 2;
    let (range, expected_version) = if first {
        (0..half, 0)
    } else {
        (half..steps.len(), half as u64)
    };
    let item = Item::new(names, scale, i)?;
    let events = steps[range]
        .iter()
        .map(|step| item.event(names, *step))
        .map(|event| new_event(&event?, &item.person))
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Commit {
        stream: StreamRef::new("item", item.code.as_str()),
        expected_version,
        events,
        snapshot: None,
        idempotency: None,
    })
}

/// One item's names and instants.
struct Item {
    code: ItemCode,
    task_force: TaskForceId,
    unit: UnitId,
    person: PersonId,
    registered_at: DateTime<Utc>,
    deadline: Deadline,
    passes_at: DateTime<Utc>,
    number: u64,
}

impl Item {
    fn new(_names: &Names, scale: &Scale, i: u64) -> anyhow::Result<Self> {
        let (task_force, prefix) = TASK_FORCES[(i % TASK_FORCES.len() as u64) as usize];
        let unit = scale.unit(i);
        // Registered over the first half of 2026, at office hours.
        let day = i64::try_from(i % 170).unwrap_or(0);
        let start = local(NaiveDate::from_ymd_opt(2026, 1, 5).context("a date")?)?;
        let registered_at = start + Duration::days(day) + Duration::hours(9 + (i % 8) as i64);
        let deadline_date = registered_at.with_timezone(&TZ).date_naive() + Duration::days(30);
        Ok(Self {
            code: ItemCode::parse(format!("{prefix}-2026-{:06}", i + 1))?,
            task_force: TaskForceId::parse(task_force)?,
            person: PersonId::parse(format!("head-{unit}"))?,
            unit: UnitId::parse(unit)?,
            registered_at,
            deadline: Deadline::new(deadline_date),
            passes_at: local(deadline_date + Duration::days(1))?,
            number: i,
        })
    }

    fn event(&self, names: &Names, step: Step) -> anyhow::Result<ItemEvent> {
        let at = self.registered_at;
        let ack_due = at + Duration::days(2);
        let text = |s: &str| Text::parse(s).context("a text");
        Ok(match step {
            Step::Registered => ItemEvent::ItemRegistered {
                campaign: names.campaign.clone(),
                task_force: self.task_force.clone(),
                code: self.code.clone(),
                title: text(&format!("问题 {} 整改", self.number + 1))?,
                description: text("定点医疗机构挂床住院、虚记费用，套取医保基金")?,
                category: text(
                    ["欺诈骗保", "违规收费", "食品安全", "资产流失"][(self.number % 4) as usize],
                )?,
                source: ItemSource::Inspection,
                source_ref: None,
                severity: [Severity::Low, Severity::Medium, Severity::High]
                    [(self.number % 3) as usize],
                time_zone: TZ,
                yellow_after_send_backs: 2,
                by: names.secretariat.clone(),
                at,
            },
            Step::Assigned => ItemEvent::ItemAssigned {
                responsible_unit: self.unit.clone(),
                responsible_person: self.person.clone(),
                supervising_unit: names.supervisor.clone(),
                deadline: self.deadline,
                measures: text("逐项核查病历与收费清单，追回违规资金，完善内控制度")?,
                milestones: Vec::new(),
                acknowledgement_due_at: ack_due,
                deadline_passes_at: self.passes_at,
                warning_at: self.passes_at - Duration::days(3),
                calendar_unknown: false,
                settings: DeadlineSettings {
                    acknowledgement_working_days: 2,
                    warning_working_days: 3,
                },
                by: names.secretariat.clone(),
                at: at + Duration::hours(1),
            },
            Step::AcknowledgementOverdue => ItemEvent::AcknowledgementOverdueRecorded {
                effective_at: ack_due,
                calendar_unknown: false,
                by: names.scheduler.clone(),
                at: ack_due + Duration::minutes(1),
            },
            Step::Acknowledged { late } => ItemEvent::ItemAcknowledged {
                late,
                by: self.person.clone(),
                at: if late {
                    ack_due + Duration::hours(10)
                } else {
                    at + Duration::hours(5)
                },
            },
            Step::Progress(k) => ItemEvent::ProgressReported {
                text: text("已完成阶段性核查，正在追回资金")?,
                percent: Percent::parse(u8::try_from((10 + k * 10).min(90)).unwrap_or(90))?,
                evidence: Vec::new(),
                by: self.person.clone(),
                at: at + Duration::days(3) + Duration::hours(i64::try_from(k * 40).unwrap_or(0)),
            },
            Step::Warning => ItemEvent::DeadlineWarningRecorded {
                deadline: self.deadline,
                effective_at: self.passes_at - Duration::days(3),
                deadline_passes_at: self.passes_at,
                calendar_unknown: false,
                by: names.scheduler.clone(),
                at: self.passes_at - Duration::days(3) + Duration::minutes(1),
            },
            Step::Overdue => ItemEvent::ItemBecameOverdue {
                deadline: self.deadline,
                effective_at: self.passes_at,
                by: names.scheduler.clone(),
                at: self.passes_at + Duration::minutes(1),
            },
            Step::SignOff(days) => ItemEvent::SignOffRequested {
                problem: text("挂床住院")?,
                measures: text("核查病历，追回资金")?,
                result: text("已追回违规资金并完成内控整改")?,
                indicators: None,
                evidence: Vec::new(),
                by: self.person.clone(),
                at: self.passes_at + Duration::days(days),
            },
            Step::SentBack => ItemEvent::SignOffRejected {
                reasons: vec![text("佐证材料不足")?],
                send_backs: 1,
                by: names.secretariat.clone(),
                at: self.passes_at - Duration::days(6),
            },
            Step::Closed { on_time } => {
                let (requested, closed) = if on_time { (-5, -3) } else { (2, 4) };
                ItemEvent::ItemClosed {
                    deadline_in_force: self.deadline,
                    original_deadline: self.deadline,
                    on_time,
                    after_original_deadline: !on_time,
                    sign_off_requested_at: self.passes_at + Duration::days(requested),
                    reinspection_due_at: self.passes_at + Duration::days(closed + 90),
                    reinspection_days: 90,
                    note: None,
                    outcome: None,
                    by: names.secretariat.clone(),
                    at: self.passes_at + Duration::days(closed),
                }
            }
        })
    }
}

/// Complaint `j`: received, a handler designated, answered within its window, found
/// unsubstantiated, rated and closed.
fn complaint_commit(names: &Names, scale: &Scale, j: u64) -> anyhow::Result<Commit> {
    let id = ComplaintId::parse(format!("cp-{:06}", j + 1))?;
    let unit = UnitId::parse(scale.unit(j * 7))?;
    let handler = PersonId::parse(format!("handler-{unit}"))?;
    let day = i64::try_from(j % 170).unwrap_or(0);
    let at = local(NaiveDate::from_ymd_opt(2026, 1, 6).context("a date")?)?
        + Duration::days(day)
        + Duration::hours(10);
    let text = |s: &str| Text::parse(s).context("a text");
    let events = [
        ComplaintEvent::Received {
            complaint: id.clone(),
            campaign: names.campaign.clone(),
            channel: Channel::Hotline,
            field: Field::MedicalInsurance,
            task_force: Some(TaskForceId::parse(TASK_FORCES[0].0)?),
            summary: text("反映某定点医院挂床住院")?,
            receiving_unit: unit.clone(),
            responder: unit.clone(),
            anonymous: j.is_multiple_of(3),
            sealed: Sealed {
                key_ref: format!("key-{j}"),
                ciphertext: "00".repeat(64),
            },
            by: names.secretariat.clone(),
            at,
            response_window: ResponseWindow::WorkingDays(5),
            response_due: at + Duration::days(7),
            calendar_unknown: false,
        },
        ComplaintEvent::HandlerDesignated {
            unit: unit.clone(),
            person: handler.clone(),
            by: names.secretariat.clone(),
            at: at + Duration::hours(2),
        },
        ComplaintEvent::Responded {
            unit: unit.clone(),
            response: text("已受理并开展核查")?,
            by: handler.clone(),
            at: at + Duration::days(2),
            within_deadline: true,
        },
        ComplaintEvent::Resolved {
            resolution: Resolution::Unsubstantiated {
                reason: text("经核查，未发现挂床住院情况")?,
            },
            by: handler.clone(),
            at: at + Duration::days(10),
        },
        ComplaintEvent::FeedbackRecorded {
            rating: Rating::parse(u8::try_from(j % 5 + 1).unwrap_or(5))?,
            by: names.secretariat.clone(),
            at: at + Duration::days(12),
        },
        ComplaintEvent::Closed {
            by: names.secretariat.clone(),
            at: at + Duration::days(13),
        },
    ];
    let events = events
        .iter()
        .map(|event| new_event(event, &handler))
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Commit {
        stream: StreamRef::new("complaint", id.as_str()),
        expected_version: 0,
        events,
        snapshot: None,
        idempotency: None,
    })
}

/// The event as the executor would record it: its qualified type, schema version and the
/// serde form the projections decode.
pub(crate) fn new_event<E: DomainEvent>(event: &E, actor: &PersonId) -> anyhow::Result<NewEvent> {
    Ok(NewEvent {
        event_id: Uuid::now_v7(),
        event_type: event.event_type(),
        schema_version: event.event_version(),
        payload: serde_json::to_value(event).context("serialising an event")?,
        metadata: serde_json::json!({ "actor": actor.as_str() }),
        recorded_at: now_micros(),
    })
}

/// The start of `date` in the county's time zone.
fn local(date: NaiveDate) -> anyhow::Result<DateTime<Utc>> {
    let midnight = date.and_hms_opt(0, 0, 0).context("midnight")?;
    TZ.from_local_datetime(&midnight)
        .single()
        .map(|at| at.with_timezone(&Utc))
        .context("a local midnight")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_is_spent_exactly_and_every_event_is_valid() {
        let scale = Scale {
            events: 1_000,
            items: 100,
            units: 10,
        };
        let names = Names::new().expect("names");
        let mut total = 0;
        for i in 0..scale.items {
            for first in [true, false] {
                total += item_commit(&names, &scale, i, first)
                    .expect("an item commit")
                    .events
                    .len() as u64;
            }
        }
        for j in 0..scale.complaints() {
            total += complaint_commit(&names, &scale, j)
                .expect("a complaint")
                .events
                .len() as u64;
        }
        assert_eq!(total, scale.events);
        let first = item_commit(&names, &scale, 5, true).expect("commit");
        let decoded: ItemEvent =
            serde_json::from_value(first.events[0].payload.clone()).expect("an item event");
        assert!(matches!(decoded, ItemEvent::ItemRegistered { .. }));
    }
}
