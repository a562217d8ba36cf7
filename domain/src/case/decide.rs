//! Every decision of the case aggregate: the events a command yields, or why it is refused.

use chrono::{DateTime, Utc};

use crate::services::DomainServices;
use crate::values::{ClueId, ItemCode, PersonId};
use crate::Command;

use super::aggregate::{Case, CaseStatus, Investigation};
use super::commands::CaseCommand;
use super::errors::CaseError;
use super::events::CaseEvent;

/// `items` without repeats, in the order first given.
fn distinct<T: PartialEq>(items: Vec<T>) -> Vec<T> {
    let mut kept = Vec::with_capacity(items.len());
    for item in items {
        if !kept.contains(&item) {
            kept.push(item);
        }
    }
    kept
}

impl Case {
    pub(super) fn refuse(&self, request: &'static str) -> CaseError {
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

    /// The clue's id; a registered stream always has one.
    fn clue_id(&self, request: &'static str) -> Result<ClueId, CaseError> {
        match &self.clue {
            Some(clue) => Ok(clue.clue.clone()),
            None => Err(self.refuse(request)),
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
        let (by, at) = (stamp.actor, stamp.at);
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
                // The secretariat of the field's task force runs the clue: without one nobody
                // could, so the clue waits until the campaign has it (it is not lost: its
                // source — complaint, alert, inspection — still holds it).
                let Some(task_force) = services.settings.task_force(&campaign, &field) else {
                    return Err(CaseError::NoTaskForce { campaign, field });
                };
                CaseEvent::ClueRegistered {
                    campaign,
                    case,
                    clue,
                    source,
                    field,
                    task_force: Some(task_force),
                    summary,
                    by,
                    at,
                }
            }
            CaseCommand::DismissClue { reasons } => {
                match self.status {
                    CaseStatus::ClueRegistered => {}
                    CaseStatus::ClueDismissed => {
                        return Err(CaseError::ClueDismissed {
                            clue: self.clue_id(request)?,
                        })
                    }
                    CaseStatus::Open | CaseStatus::Closed | CaseStatus::Published => {
                        return Err(CaseError::ClueAlreadyOpened {
                            clue: self.clue_id(request)?,
                        })
                    }
                    CaseStatus::None => return Err(self.refuse(request)),
                }
                CaseEvent::ClueDismissed { reasons, by, at }
            }
            CaseCommand::OpenCase {
                subject_unit,
                supervising_unit,
            } => {
                if self.status == CaseStatus::ClueDismissed {
                    return Err(CaseError::ClueDismissed {
                        clue: self.clue_id(request)?,
                    });
                }
                self.require(CaseStatus::ClueRegistered, request)?;
                CaseEvent::CaseOpened {
                    subject_unit,
                    supervising_unit,
                    by,
                    at,
                }
            }
            CaseCommand::RecordJointTeam { units } => {
                self.require(CaseStatus::Open, request)?;
                let units = distinct(units);
                if units.len() < 2 {
                    return Err(CaseError::JointTeamTooSmall { units: units.len() });
                }
                CaseEvent::JointTeamRecorded { units, by, at }
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
                CaseEvent::InvestigationStarted { track, by, at }
            }
            CaseCommand::ConcludeInvestigation {
                track,
                findings,
                persons_named,
                amount_involved,
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
                    persons_named: distinct(persons_named),
                    amount_involved,
                    disposition,
                    by,
                    at,
                }
            }
            CaseCommand::SpawnRepairItem { code, title } => {
                self.require(CaseStatus::Open, request)?;
                if self.no_repair_needed.is_some() {
                    return Err(CaseError::NoRepairNeededOnRecord);
                }
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
                    by,
                    at,
                }
            }
            CaseCommand::RecordRepairItemClosed { code } => {
                self.require(CaseStatus::Open, request)?;
                match self.repair_item(&code) {
                    None => return Err(CaseError::UnknownRepairItem { code }),
                    Some(item) if item.withdrawn => {
                        return Err(CaseError::RepairItemWithdrawn { code })
                    }
                    Some(item) if item.closed => {
                        return Err(CaseError::RepairItemAlreadyClosed { code })
                    }
                    Some(_) => {}
                }
                CaseEvent::RepairItemClosed { code, by, at }
            }
            CaseCommand::RecordRepairItemReopened { code } => {
                return self.reopen_repair_item(code, request, (by, at));
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
                    by,
                    at,
                }
            }
            CaseCommand::RecordNoRepairNeeded { reasons } => {
                self.require(CaseStatus::Open, request)?;
                if self.no_repair_needed.is_some() {
                    return Err(CaseError::NoRepairNeededOnRecord);
                }
                let items = self.standing_repair_items();
                if !items.is_empty() {
                    return Err(CaseError::RepairItemsStand { items });
                }
                CaseEvent::NoRepairNeededRecorded { reasons, by, at }
            }
            CaseCommand::CloseCase => {
                self.require(CaseStatus::Open, request)?;
                let open_investigations = self.open_investigations();
                let open_repair_items = self.open_repair_items();
                let system_repair_missing = !self.system_repair_done();
                if !open_investigations.is_empty()
                    || !open_repair_items.is_empty()
                    || system_repair_missing
                {
                    return Err(CaseError::NotReadyToClose {
                        open_investigations,
                        open_repair_items,
                        system_repair_missing,
                    });
                }
                CaseEvent::CaseClosed { by, at }
            }
            CaseCommand::RecordOutcome {
                indicators,
                evidence,
            } => self.record_outcome(indicators, evidence, request, (by, at))?,
            CaseCommand::CorrectOutcome { deduct, reason } => {
                self.correct_outcome(deduct, reason, request, (by, at))?
            }
            CaseCommand::PublishTypicalCase { title, summary } => {
                self.require(CaseStatus::Closed, request)?;
                CaseEvent::TypicalCasePublished {
                    title,
                    summary,
                    by,
                    at,
                }
            }
        };
        Ok(vec![event])
    }

    /// A repair item recorded closed relapsed (回头看). On an open case it holds the case open
    /// again; on a closed (or published) case it also reopens the case.
    fn reopen_repair_item(
        &self,
        code: ItemCode,
        request: &'static str,
        (by, at): (PersonId, DateTime<Utc>),
    ) -> Result<Vec<CaseEvent>, CaseError> {
        let reopens_case = self.status.is_closed();
        if self.status != CaseStatus::Open && !reopens_case {
            return Err(self.refuse(request));
        }
        match self.repair_item(&code) {
            None => return Err(CaseError::UnknownRepairItem { code }),
            Some(item) if !item.closed => return Err(CaseError::RepairItemNotClosed { code }),
            Some(_) => {}
        }
        let mut events = vec![CaseEvent::RepairItemReopened {
            code: code.clone(),
            by: by.clone(),
            at,
        }];
        if reopens_case {
            events.push(CaseEvent::CaseReopened { code, by, at });
        }
        Ok(events)
    }
}
