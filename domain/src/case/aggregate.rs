//! The case aggregate: its state, and state folding in `apply`; decisions are in `decide`.

use chrono::{DateTime, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use crate::services::DomainServices;
use crate::settings::Field;
use crate::values::{
    CampaignId, CaseId, ClueId, ItemCode, OutcomeTotals, PersonId, TaskForceId, Text, UnitId, Yuan,
};
use crate::Command;

use super::commands::{CaseCommand, ClueSource, Disposition, InvestigationTrack};
use super::errors::CaseError;
use super::events::CaseEvent;

/// Where a case stands. Publication is a step after closure, so a case is published at most once.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Nothing registered yet (the stream does not exist).
    #[default]
    None,
    /// A clue is registered; no case opened on it yet.
    ClueRegistered,
    /// The clue was dismissed with reasons; no case is opened on it. Final.
    ClueDismissed,
    /// A case is open (立案): investigations and repairs run. A closed case is open again
    /// when one of its repair items relapses.
    Open,
    /// 结案 — both investigations concluded, system repair done, every repair item closed or
    /// withdrawn.
    Closed,
    /// Closed and published as a typical case (典型案例). A relapse reopens it too; closed
    /// again, it is published still (a publication never changes, nor is it made twice).
    Published,
}

impl CaseStatus {
    /// Every status, in the order a case goes through them.
    pub const ALL: [CaseStatus; 6] = [
        CaseStatus::None,
        CaseStatus::ClueRegistered,
        CaseStatus::ClueDismissed,
        CaseStatus::Open,
        CaseStatus::Closed,
        CaseStatus::Published,
    ];

    /// The name users read (中文).
    pub fn label(self) -> &'static str {
        match self {
            CaseStatus::None => "未登记",
            CaseStatus::ClueRegistered => "线索已登记",
            CaseStatus::ClueDismissed => "线索已了结",
            CaseStatus::Open => "已立案",
            CaseStatus::Closed => "已结案",
            CaseStatus::Published => "已发布典型案例",
        }
    }

    /// The name users read (中文) of the state named `name` by [`as_str`](Self::as_str);
    /// `name` itself if no state is so named.
    pub fn label_of(name: &'static str) -> &'static str {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == name)
            .map_or(name, Self::label)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::None => "not_registered",
            CaseStatus::ClueRegistered => "clue_registered",
            CaseStatus::ClueDismissed => "clue_dismissed",
            CaseStatus::Open => "open",
            CaseStatus::Closed => "closed",
            CaseStatus::Published => "published",
        }
    }

    /// Closed (结案), whether published or not.
    pub fn is_closed(self) -> bool {
        matches!(self, CaseStatus::Closed | CaseStatus::Published)
    }
}

/// The clue the case stream started with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Clue {
    pub campaign: CampaignId,
    pub case: CaseId,
    pub clue: ClueId,
    pub source: ClueSource,
    pub field: Field,
    /// The field's task force, as recorded at registration (`None` only for clues registered
    /// before it was recorded; absent from snapshots folded from those alone).
    #[serde(default)]
    pub task_force: Option<TaskForceId>,
    pub summary: Text,
    pub registered_at: DateTime<Utc>,
}

/// Why and when the clue was dismissed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Dismissal {
    pub reasons: Text,
    pub dismissed_at: DateTime<Utc>,
}

/// One of the two investigations of 一案双查.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Investigation {
    #[default]
    NotStarted,
    Started {
        started_at: DateTime<Utc>,
    },
    Concluded {
        findings: Text,
        persons_named: Vec<PersonId>,
        amount_involved: Yuan,
        disposition: Disposition,
        concluded_at: DateTime<Utc>,
    },
}

impl Investigation {
    pub fn is_concluded(&self) -> bool {
        matches!(self, Investigation::Concluded { .. })
    }
}

/// A system-repair item (制度修复) spawned by the case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RepairItem {
    pub code: ItemCode,
    pub unit: UnitId,
    pub title: Text,
    pub closed: bool,
    /// Taken off the issue list (撤销, e.g. as a duplicate): it no longer holds the case open.
    #[serde(default)]
    pub withdrawn: bool,
}

/// The secretariat's record that the case needs no system repair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NoRepairNeeded {
    pub reasons: Text,
    pub recorded_at: DateTime<Utc>,
}

/// The publication of a closed case as a typical case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TypicalCase {
    pub title: Text,
    pub summary: Text,
    pub published_at: DateTime<Utc>,
}

/// A case stream: the clue, the case opened on it, both investigations and its repair items.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Case {
    pub status: CaseStatus,
    pub clue: Option<Clue>,
    pub dismissal: Option<Dismissal>,
    pub subject_unit: Option<UnitId>,
    pub supervising_unit: Option<UnitId>,
    /// The joint case team (专案组), as last recorded; empty when none was.
    pub joint_team: Vec<UnitId>,
    pub direct: Investigation,
    pub supervisory: Investigation,
    /// In the order they were spawned.
    pub repair_items: Vec<RepairItem>,
    pub no_repair_needed: Option<NoRepairNeeded>,
    /// The last closure; `None` while the case is not closed (also after a relapse reopened it).
    pub closed_at: Option<DateTime<Utc>>,
    pub typical: Option<TypicalCase>,
    /// 成效指标: every outcome record added, every correction deducted.
    #[serde(default)]
    pub outcome: OutcomeTotals,
}

impl Case {
    pub fn investigation(&self, track: InvestigationTrack) -> &Investigation {
        match track {
            InvestigationTrack::Direct => &self.direct,
            InvestigationTrack::Supervisory => &self.supervisory,
        }
    }

    fn investigation_mut(&mut self, track: InvestigationTrack) -> &mut Investigation {
        match track {
            InvestigationTrack::Direct => &mut self.direct,
            InvestigationTrack::Supervisory => &mut self.supervisory,
        }
    }

    pub(super) fn repair_item(&self, code: &ItemCode) -> Option<&RepairItem> {
        self.repair_items.iter().find(|item| &item.code == code)
    }

    fn repair_item_mut(&mut self, code: &ItemCode) -> Option<&mut RepairItem> {
        self.repair_items.iter_mut().find(|item| &item.code == code)
    }

    /// The investigations not yet concluded.
    pub fn open_investigations(&self) -> Vec<InvestigationTrack> {
        InvestigationTrack::ALL
            .into_iter()
            .filter(|track| !self.investigation(*track).is_concluded())
            .collect()
    }

    /// The repair items not yet recorded closed (nor withdrawn).
    pub fn open_repair_items(&self) -> Vec<ItemCode> {
        self.repair_items
            .iter()
            .filter(|item| !item.closed && !item.withdrawn)
            .map(|item| item.code.clone())
            .collect()
    }

    /// The repair items that stand — spawned and not withdrawn, open or closed.
    pub fn standing_repair_items(&self) -> Vec<ItemCode> {
        self.repair_items
            .iter()
            .filter(|item| !item.withdrawn)
            .map(|item| item.code.clone())
            .collect()
    }

    /// System repair (制度修复) is done: a repair item was closed, or the secretariat recorded
    /// that none is needed. A case whose only repair items were withdrawn repaired nothing.
    pub fn system_repair_done(&self) -> bool {
        self.no_repair_needed.is_some()
            || self
                .repair_items
                .iter()
                .any(|item| item.closed && !item.withdrawn)
    }
}

/// The fold below, as snapshots of it record it (see [`crate::FoldVersion`]). 2: the joint
/// team, the dismissal, "no repair needed", findings' persons and amount, and reopening.
impl crate::FoldVersion for Case {
    const FOLD_VERSION: u32 = 2;
}

impl Aggregate for Case {
    const TYPE: &'static str = "case";
    type Command = Command<CaseCommand>;
    type Event = CaseEvent;
    type Error = CaseError;
    type Services = DomainServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        crate::handling::handle(self, command, services, sink, Self::decide).await
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            CaseEvent::ClueRegistered {
                campaign,
                case,
                clue,
                source,
                field,
                task_force,
                summary,
                at: registered_at,
                ..
            } => {
                self.status = CaseStatus::ClueRegistered;
                self.clue = Some(Clue {
                    campaign,
                    case,
                    clue,
                    source,
                    field,
                    task_force,
                    summary,
                    registered_at,
                });
            }
            CaseEvent::ClueDismissed { reasons, at, .. } => {
                self.status = CaseStatus::ClueDismissed;
                self.dismissal = Some(Dismissal {
                    reasons,
                    dismissed_at: at,
                });
            }
            CaseEvent::CaseOpened {
                subject_unit,
                supervising_unit,
                ..
            } => {
                self.status = CaseStatus::Open;
                self.subject_unit = Some(subject_unit);
                self.supervising_unit = Some(supervising_unit);
            }
            CaseEvent::JointTeamRecorded { units, .. } => self.joint_team = units,
            CaseEvent::InvestigationStarted {
                track,
                at: started_at,
                ..
            } => {
                *self.investigation_mut(track) = Investigation::Started { started_at };
            }
            CaseEvent::InvestigationConcluded {
                track,
                findings,
                persons_named,
                amount_involved,
                disposition,
                at: concluded_at,
                ..
            } => {
                *self.investigation_mut(track) = Investigation::Concluded {
                    findings,
                    persons_named,
                    amount_involved,
                    disposition,
                    concluded_at,
                };
            }
            CaseEvent::RepairItemSpawned {
                code, unit, title, ..
            } => self.repair_items.push(RepairItem {
                code,
                unit,
                title,
                closed: false,
                withdrawn: false,
            }),
            CaseEvent::RepairItemClosed { code, .. } => {
                if let Some(item) = self.repair_item_mut(&code) {
                    item.closed = true;
                }
            }
            CaseEvent::RepairItemReopened { code, .. } => {
                if let Some(item) = self.repair_item_mut(&code) {
                    item.closed = false;
                }
            }
            CaseEvent::RepairItemWithdrawn { code, .. } => {
                if let Some(item) = self.repair_item_mut(&code) {
                    item.withdrawn = true;
                }
            }
            CaseEvent::NoRepairNeededRecorded { reasons, at, .. } => {
                self.no_repair_needed = Some(NoRepairNeeded {
                    reasons,
                    recorded_at: at,
                });
            }
            CaseEvent::CaseClosed { at: closed_at, .. } => {
                self.status = if self.typical.is_some() {
                    CaseStatus::Published
                } else {
                    CaseStatus::Closed
                };
                self.closed_at = Some(closed_at);
            }
            CaseEvent::CaseReopened { .. } => {
                self.status = CaseStatus::Open;
                self.closed_at = None;
            }
            CaseEvent::TypicalCasePublished {
                title,
                summary,
                at: published_at,
                ..
            } => {
                self.status = CaseStatus::Published;
                self.typical = Some(TypicalCase {
                    title,
                    summary,
                    published_at,
                });
            }
            CaseEvent::OutcomeRecorded { totals, .. }
            | CaseEvent::OutcomeCorrected { totals, .. } => self.outcome = totals,
        }
    }
}

impl crate::event::Scoped for Case {
    /// The case's campaign, task force and field (from its clue), the unit investigated, the
    /// supervising department, the joint team's units and the units of its repair items.
    fn scope(&self) -> crate::event::Scope {
        let Some(clue) = &self.clue else {
            return crate::event::Scope::default();
        };
        let scope = crate::event::Scope::campaign(&clue.campaign)
            .with_task_force(clue.task_force.as_ref())
            .with_field(Some(&clue.field))
            .with_unit(self.subject_unit.as_ref())
            .with_unit(self.supervising_unit.as_ref());
        let scope = self
            .joint_team
            .iter()
            .fold(scope, |scope, unit| scope.with_unit(Some(unit)));
        self.repair_items
            .iter()
            .fold(scope, |scope, item| scope.with_unit(Some(&item.unit)))
    }
}
