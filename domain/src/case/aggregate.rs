//! The case aggregate: decisions in [`Case::decide`], state folding in `apply`.

use chrono::{DateTime, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use crate::services::DomainServices;
use crate::settings::Field;
use crate::values::{CampaignId, CaseId, ClueId, ItemCode, Text, UnitId};
use crate::Command;

use super::commands::{CaseCommand, ClueSource, Disposition, InvestigationTrack};
use super::errors::CaseError;
use super::events::CaseEvent;

/// Where a case stands. Publication is a step after closure, so a case is published at most once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Nothing registered yet (the stream does not exist).
    #[default]
    None,
    /// A clue is registered; no case opened on it yet.
    ClueRegistered,
    /// A case is open (立案): investigations and repairs run.
    Open,
    /// 结案 — both investigations concluded, every repair item closed.
    Closed,
    /// Closed and published as a typical case (典型案例).
    Published,
}

impl CaseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::None => "not_registered",
            CaseStatus::ClueRegistered => "clue_registered",
            CaseStatus::Open => "open",
            CaseStatus::Closed => "closed",
            CaseStatus::Published => "published",
        }
    }
}

/// The clue the case stream started with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Clue {
    pub campaign: CampaignId,
    pub case: CaseId,
    pub clue: ClueId,
    pub source: ClueSource,
    pub field: Field,
    pub summary: Text,
    pub registered_at: DateTime<Utc>,
}

/// One of the two investigations of 一案双查.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Investigation {
    #[default]
    NotStarted,
    Started {
        started_at: DateTime<Utc>,
    },
    Concluded {
        findings: Text,
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RepairItem {
    pub code: ItemCode,
    pub unit: UnitId,
    pub title: Text,
    pub closed: bool,
    /// Taken off the issue list (撤销, e.g. as a duplicate): it no longer holds the case open.
    #[serde(default)]
    pub withdrawn: bool,
}

/// The publication of a closed case as a typical case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypicalCase {
    pub title: Text,
    pub summary: Text,
    pub published_at: DateTime<Utc>,
}

/// A case stream: the clue, the case opened on it, both investigations and its repair items.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub status: CaseStatus,
    pub clue: Option<Clue>,
    pub subject_unit: Option<UnitId>,
    pub supervising_unit: Option<UnitId>,
    pub direct: Investigation,
    pub supervisory: Investigation,
    /// In the order they were spawned.
    pub repair_items: Vec<RepairItem>,
    pub closed_at: Option<DateTime<Utc>>,
    pub typical: Option<TypicalCase>,
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

    fn repair_item(&self, code: &ItemCode) -> Option<&RepairItem> {
        self.repair_items.iter().find(|item| &item.code == code)
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

    fn refuse(&self, request: &'static str) -> CaseError {
        CaseError::InvalidTransition {
            state: self.status.as_str(),
            request,
        }
    }

    fn require(&self, status: CaseStatus, request: &'static str) -> Result<(), CaseError> {
        if self.status == status {
            Ok(())
        } else {
            Err(self.refuse(request))
        }
    }

    /// Every decision of the aggregate: the events a command yields, or why it is refused.
    /// Pure apart from reading the campaign settings; nothing is recorded on refusal.
    pub fn decide(
        &self,
        command: Command<CaseCommand>,
        services: &DomainServices,
    ) -> Result<Vec<CaseEvent>, CaseError> {
        let Command { stamp, body } = command;
        let request = body.name();
        let event = match body {
            CaseCommand::RegisterClue {
                campaign,
                case,
                clue,
                source,
                field,
                summary,
            } => {
                self.require(CaseStatus::None, request)?;
                if services.settings.settings(&campaign).is_none() {
                    return Err(CaseError::UnknownCampaign { campaign });
                }
                CaseEvent::ClueRegistered {
                    campaign,
                    case,
                    clue,
                    source,
                    field,
                    summary,
                    by: stamp.actor,
                    at: stamp.at,
                }
            }
            CaseCommand::OpenCase {
                subject_unit,
                supervising_unit,
            } => {
                self.require(CaseStatus::ClueRegistered, request)?;
                CaseEvent::CaseOpened {
                    subject_unit,
                    supervising_unit,
                    by: stamp.actor,
                    at: stamp.at,
                }
            }
            CaseCommand::StartInvestigation { track } => {
                self.require(CaseStatus::Open, request)?;
                match self.investigation(track) {
                    Investigation::NotStarted => {}
                    Investigation::Started { .. } => {
                        return Err(CaseError::InvestigationAlreadyStarted { track })
                    }
                    Investigation::Concluded { .. } => {
                        return Err(CaseError::InvestigationAlreadyConcluded { track })
                    }
                }
                CaseEvent::InvestigationStarted {
                    track,
                    by: stamp.actor,
                    at: stamp.at,
                }
            }
            CaseCommand::ConcludeInvestigation {
                track,
                findings,
                disposition,
            } => {
                self.require(CaseStatus::Open, request)?;
                match self.investigation(track) {
                    Investigation::Started { .. } => {}
                    Investigation::NotStarted => {
                        return Err(CaseError::InvestigationNotStarted { track })
                    }
                    Investigation::Concluded { .. } => {
                        return Err(CaseError::InvestigationAlreadyConcluded { track })
                    }
                }
                CaseEvent::InvestigationConcluded {
                    track,
                    findings,
                    disposition,
                    by: stamp.actor,
                    at: stamp.at,
                }
            }
            CaseCommand::SpawnRepairItem { code, title } => {
                self.require(CaseStatus::Open, request)?;
                if self.repair_item(&code).is_some() {
                    return Err(CaseError::DuplicateRepairItem { code });
                }
                // Open implies CaseOpened was applied; the fallback keeps this total.
                let Some(unit) = self.supervising_unit.clone() else {
                    return Err(self.refuse(request));
                };
                CaseEvent::RepairItemSpawned {
                    code,
                    unit,
                    title,
                    by: stamp.actor.clone(),
                    at: stamp.at,
                }
            }
            CaseCommand::RecordRepairItemClosed { code } => {
                self.require(CaseStatus::Open, request)?;
                match self.repair_item(&code) {
                    None => return Err(CaseError::UnknownRepairItem { code }),
                    Some(item) if item.closed => {
                        return Err(CaseError::RepairItemAlreadyClosed { code })
                    }
                    Some(_) => {}
                }
                CaseEvent::RepairItemClosed {
                    code,
                    by: stamp.actor.clone(),
                    at: stamp.at,
                }
            }
            CaseCommand::RecordRepairItemReopened { code } => {
                self.require(CaseStatus::Open, request)?;
                match self.repair_item(&code) {
                    None => return Err(CaseError::UnknownRepairItem { code }),
                    Some(item) if !item.closed => {
                        return Err(CaseError::RepairItemNotClosed { code })
                    }
                    Some(_) => {}
                }
                CaseEvent::RepairItemReopened {
                    code,
                    by: stamp.actor.clone(),
                    at: stamp.at,
                }
            }
            CaseCommand::RecordRepairItemWithdrawn { code, reason } => {
                self.require(CaseStatus::Open, request)?;
                match self.repair_item(&code) {
                    None => return Err(CaseError::UnknownRepairItem { code }),
                    Some(item) if item.closed => {
                        return Err(CaseError::RepairItemAlreadyClosed { code })
                    }
                    Some(item) if item.withdrawn => {
                        return Err(CaseError::RepairItemAlreadyWithdrawn { code })
                    }
                    Some(_) => {}
                }
                CaseEvent::RepairItemWithdrawn {
                    code,
                    reason,
                    by: stamp.actor.clone(),
                    at: stamp.at,
                }
            }
            CaseCommand::CloseCase => {
                self.require(CaseStatus::Open, request)?;
                let open_investigations = self.open_investigations();
                let open_repair_items = self.open_repair_items();
                if !open_investigations.is_empty() || !open_repair_items.is_empty() {
                    return Err(CaseError::NotReadyToClose {
                        open_investigations,
                        open_repair_items,
                    });
                }
                CaseEvent::CaseClosed {
                    by: stamp.actor,
                    at: stamp.at,
                }
            }
            CaseCommand::PublishTypicalCase { title, summary } => {
                self.require(CaseStatus::Closed, request)?;
                CaseEvent::TypicalCasePublished {
                    title,
                    summary,
                    by: stamp.actor,
                    at: stamp.at,
                }
            }
        };
        Ok(vec![event])
    }
}

/// The fold below, as snapshots of it record it (see [`crate::FoldVersion`]).
impl crate::FoldVersion for Case {
    const FOLD_VERSION: u32 = 1;
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
        for event in self.decide(command, services)? {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            CaseEvent::ClueRegistered {
                campaign,
                case,
                clue,
                source,
                field,
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
                    summary,
                    registered_at,
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
                disposition,
                at: concluded_at,
                ..
            } => {
                *self.investigation_mut(track) = Investigation::Concluded {
                    findings,
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
                if let Some(item) = self.repair_items.iter_mut().find(|item| item.code == code) {
                    item.closed = true;
                }
            }
            CaseEvent::RepairItemReopened { code, .. } => {
                if let Some(item) = self.repair_items.iter_mut().find(|item| item.code == code) {
                    item.closed = false;
                }
            }
            CaseEvent::RepairItemWithdrawn { code, .. } => {
                if let Some(item) = self.repair_items.iter_mut().find(|item| item.code == code) {
                    item.withdrawn = true;
                }
            }
            CaseEvent::CaseClosed { at: closed_at, .. } => {
                self.status = CaseStatus::Closed;
                self.closed_at = Some(closed_at);
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
        }
    }
}

impl crate::event::Scoped for Case {
    /// The case's campaign and field (from its clue), the unit investigated, the supervising
    /// department, and the units of its repair items.
    fn scope(&self) -> crate::event::Scope {
        let Some(clue) = &self.clue else {
            return crate::event::Scope::default();
        };
        let scope = crate::event::Scope::campaign(&clue.campaign)
            .with_field(Some(&clue.field))
            .with_unit(self.subject_unit.as_ref())
            .with_unit(self.supervising_unit.as_ref());
        self.repair_items
            .iter()
            .fold(scope, |scope, item| scope.with_unit(Some(&item.unit)))
    }
}
