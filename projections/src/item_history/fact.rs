//! The facts of an item's history that publications count, each with its log position and the
//! instant it takes effect — a compact copy of the item's stream, enough to know how the item
//! stood at any cut-off, as of any log position (DOMAIN.md "Publications as facts": the events
//! at positions ≤ P whose `effective_at` is before the cut-off).

use chrono::{DateTime, Utc};
use rectiflow_domain::event::Attributed;
use rectiflow_domain::item::{Episode, FaultCause, FaultDecision, ItemEvent};
use serde::{Deserialize, Serialize};

/// One fact: where it is in the log, when it takes effect, and what it says. Read back by the
/// hand-written `Deserialize` in `wire` (the same JSON, without flatten's buffering).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    /// The event's log position (the drill-down names it).
    #[serde(rename = "p")]
    pub position: u64,
    /// The event's `effective_at`: the recorded instant, or for a deadline fact recorded late
    /// the instant the deadline or window passed.
    #[serde(rename = "t")]
    pub at: DateTime<Utc>,
    #[serde(flatten)]
    pub kind: FactKind,
}

/// What a fact says, reduced to what the figures read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "k", rename_all = "snake_case")]
pub enum FactKind {
    Registered {
        campaign: String,
        task_force: String,
        category: String,
    },
    /// The first assignment: the unit, the person and the first deadline (episode 1).
    Assigned {
        unit: String,
        person: String,
        passes_at: DateTime<Utc>,
    },
    /// 改派: another unit, the deadline in force kept.
    Reassigned {
        unit: String,
        person: String,
    },
    /// 签收.
    Acknowledged,
    /// 签收 came, or is still missing, past its window: effective when the window closed.
    AcknowledgementLate,
    Progress,
    /// 延期: the next deadline is in force.
    Extended {
        passes_at: DateTime<Utc>,
    },
    SignOffRequested,
    /// 退回补正.
    SentBack,
    /// 销号; `on_time` as the aggregate judged it (the accepted request came before the
    /// deadline then in force passed).
    Closed {
        on_time: bool,
    },
    /// 回头看 found a relapse: the next deadline is in force.
    Reopened {
        passes_at: DateTime<Utc>,
    },
    Withdrawn,
    /// 结转 into another campaign.
    CarriedOver {
        campaign: String,
        task_force: String,
    },
    /// 容错纠错 on one episode, counting from its instant.
    Ruled {
        episode: Episode,
        cause: FaultCause,
        decision: FaultDecision,
    },
}

impl Fact {
    /// The fact `event` at `position` states, if the figures read it.
    pub fn of(event: &ItemEvent, position: u64) -> Option<Self> {
        let kind = match event {
            ItemEvent::ItemRegistered {
                campaign,
                task_force,
                category,
                ..
            } => FactKind::Registered {
                campaign: campaign.as_str().to_owned(),
                task_force: task_force.as_str().to_owned(),
                category: category.as_str().to_owned(),
            },
            ItemEvent::ItemAssigned {
                responsible_unit,
                responsible_person,
                deadline_passes_at,
                ..
            } => FactKind::Assigned {
                unit: responsible_unit.as_str().to_owned(),
                person: responsible_person.as_str().to_owned(),
                passes_at: *deadline_passes_at,
            },
            ItemEvent::ItemReassigned {
                responsible_unit,
                responsible_person,
                ..
            } => FactKind::Reassigned {
                unit: responsible_unit.as_str().to_owned(),
                person: responsible_person.as_str().to_owned(),
            },
            ItemEvent::ItemAcknowledged { .. } => FactKind::Acknowledged,
            ItemEvent::AcknowledgementOverdueRecorded { .. } => FactKind::AcknowledgementLate,
            ItemEvent::ProgressReported { .. } => FactKind::Progress,
            ItemEvent::ExtensionApproved {
                deadline_passes_at, ..
            } => FactKind::Extended {
                passes_at: *deadline_passes_at,
            },
            ItemEvent::SignOffRequested { .. } => FactKind::SignOffRequested,
            ItemEvent::SignOffRejected { .. } => FactKind::SentBack,
            ItemEvent::ItemClosed { on_time, .. } => FactKind::Closed { on_time: *on_time },
            ItemEvent::ItemReopened {
                deadline_passes_at, ..
            } => FactKind::Reopened {
                passes_at: *deadline_passes_at,
            },
            ItemEvent::ItemWithdrawn { .. } => FactKind::Withdrawn,
            ItemEvent::ItemCarriedOver { to, task_force, .. } => FactKind::CarriedOver {
                campaign: to.as_str().to_owned(),
                task_force: task_force.as_str().to_owned(),
            },
            ItemEvent::FaultToleranceRuled {
                episode,
                cause,
                decision,
                ..
            } => FactKind::Ruled {
                episode: *episode,
                cause: *cause,
                decision: *decision,
            },
            // Derived at the cut-off instead (overdue, warnings), or not counted.
            ItemEvent::ExtensionRequested { .. }
            | ItemEvent::ExtensionDenied { .. }
            | ItemEvent::ReinspectionPassed { .. }
            | ItemEvent::ReinspectionDueRecorded { .. }
            | ItemEvent::DeadlineWarningRecorded { .. }
            | ItemEvent::ItemBecameOverdue { .. }
            | ItemEvent::InstructionRecorded { .. }
            | ItemEvent::ItemUrged { .. }
            | ItemEvent::OutcomeRecorded { .. }
            | ItemEvent::OutcomeCorrected { .. } => return None,
        };
        Some(Self {
            position,
            at: event.effective_at(),
            kind,
        })
    }
}
