//! Why a case command was refused.

use crate::failure::DomainError;
use crate::settings::Field;
use crate::values::{CampaignId, ClueId, ItemCode, OutcomeIndicators, OutcomeTotals};

use super::commands::InvestigationTrack;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CaseError {
    #[error("unknown campaign {campaign}")]
    UnknownCampaign { campaign: CampaignId },
    /// The campaign has no task force for the clue's field: no secretariat could run the
    /// clue, so it is not registered (set the task force up first).
    #[error("campaign {campaign} has no task force for {field:?}: nobody could run the clue")]
    NoTaskForce { campaign: CampaignId, field: Field },
    #[error("cannot {request} a case that is {state}")]
    InvalidTransition {
        state: &'static str,
        request: &'static str,
    },
    /// A dismissed clue is never opened as a case, nor dismissed again.
    #[error("clue {clue} was dismissed")]
    ClueDismissed { clue: ClueId },
    /// A clue opened as a case is no longer dismissed: the case runs its course.
    #[error("clue {clue} was already opened as a case")]
    ClueAlreadyOpened { clue: ClueId },
    /// A joint case team (专案组) is of at least two distinct departments.
    #[error("a joint case team needs at least two distinct units, got {units}")]
    JointTeamTooSmall { units: usize },
    #[error("the {} investigation has not been started", track.as_str())]
    InvestigationNotStarted { track: InvestigationTrack },
    #[error("the {} investigation has already been started", track.as_str())]
    InvestigationAlreadyStarted { track: InvestigationTrack },
    #[error("the {} investigation has already been concluded", track.as_str())]
    InvestigationAlreadyConcluded { track: InvestigationTrack },
    #[error("repair item {code} was already spawned by this case")]
    DuplicateRepairItem { code: ItemCode },
    #[error("repair item {code} was not spawned by this case")]
    UnknownRepairItem { code: ItemCode },
    #[error("repair item {code} is already recorded closed")]
    RepairItemAlreadyClosed { code: ItemCode },
    #[error("repair item {code} is not recorded closed")]
    RepairItemNotClosed { code: ItemCode },
    #[error("repair item {code} is already withdrawn")]
    RepairItemAlreadyWithdrawn { code: ItemCode },
    /// A withdrawn repair item left the issue list: it is never recorded closed.
    #[error("repair item {code} was withdrawn and cannot be recorded closed")]
    RepairItemWithdrawn { code: ItemCode },
    /// "No repair needed" cannot stand beside repair items that were spawned and not
    /// withdrawn (open or closed).
    #[error("repair items {items:?} stand: no repair needed cannot be recorded")]
    RepairItemsStand { items: Vec<ItemCode> },
    /// The case has "no repair needed" on record: no repair item is spawned, and the record is
    /// not made twice.
    #[error("the case has no repair needed on record")]
    NoRepairNeededOnRecord,
    /// 一案双查 and 制度修复 must both be finished before the case closes: both investigations
    /// concluded, no repair item open, and system repair done (`system_repair_missing` when
    /// no repair item was closed and no "no repair needed" is on record).
    /// Every outcome record is a fact with its own evidence (佐证).
    #[error("an outcome record needs at least one evidence reference")]
    EvidenceRequired,
    #[error("the outcome totals would exceed what they can hold")]
    OutcomeOverflow,
    /// A correction takes back what was recorded, never more.
    #[error("the correction {correction:?} exceeds the totals {totals:?}")]
    CorrectionExceedsTotals {
        totals: OutcomeTotals,
        correction: OutcomeIndicators,
    },
    #[error("the case cannot close yet: open investigations {open_investigations:?}, open repair items {open_repair_items:?}, system repair missing: {system_repair_missing}")]
    NotReadyToClose {
        open_investigations: Vec<InvestigationTrack>,
        open_repair_items: Vec<ItemCode>,
        system_repair_missing: bool,
    },
    #[error(transparent)]
    Forbidden(crate::permission::Forbidden),
    /// The directory (or another port) did not answer: not a refusal.
    #[error("{0}")]
    Unavailable(crate::failure::PortUnavailable),
}

impl CaseError {
    /// A stable code the HTTP layer exposes to integrators.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Forbidden(_) => "case.forbidden",
            Self::Unavailable(_) => "case.unavailable",
            CaseError::UnknownCampaign { .. } => "case.unknown_campaign",
            CaseError::NoTaskForce { .. } => "case.no_task_force",
            CaseError::InvalidTransition { .. } => "case.invalid_transition",
            CaseError::ClueDismissed { .. } => "case.clue_dismissed",
            CaseError::ClueAlreadyOpened { .. } => "case.clue_already_opened",
            CaseError::JointTeamTooSmall { .. } => "case.joint_team_too_small",
            CaseError::InvestigationNotStarted { .. } => "case.investigation_not_started",
            CaseError::InvestigationAlreadyStarted { .. } => "case.investigation_already_started",
            CaseError::InvestigationAlreadyConcluded { .. } => {
                "case.investigation_already_concluded"
            }
            CaseError::DuplicateRepairItem { .. } => "case.duplicate_repair_item",
            CaseError::UnknownRepairItem { .. } => "case.unknown_repair_item",
            CaseError::RepairItemAlreadyClosed { .. } => "case.repair_item_already_closed",
            CaseError::RepairItemNotClosed { .. } => "case.repair_item_not_closed",
            CaseError::RepairItemAlreadyWithdrawn { .. } => "case.repair_item_already_withdrawn",
            CaseError::RepairItemWithdrawn { .. } => "case.repair_item_withdrawn",
            CaseError::RepairItemsStand { .. } => "case.repair_items_stand",
            CaseError::NoRepairNeededOnRecord => "case.no_repair_needed_on_record",
            CaseError::NotReadyToClose { .. } => "case.not_ready_to_close",
            CaseError::EvidenceRequired => "case.evidence_required",
            CaseError::OutcomeOverflow => "case.outcome_overflow",
            CaseError::CorrectionExceedsTotals { .. } => "case.correction_exceeds_totals",
        }
    }
}

/// Every CaseError is a refusal by the rules, never a port's failure: the ports this aggregate
/// consults (settings, calendar, directory) answer from memory and cannot fail.
impl DomainError for CaseError {
    fn unavailable(&self) -> Option<&crate::failure::PortUnavailable> {
        match self {
            Self::Unavailable(unavailable) => Some(unavailable),
            _ => None,
        }
    }

    fn code(&self) -> &'static str {
        CaseError::code(self)
    }
}

impl From<crate::permission::Refused> for CaseError {
    fn from(refused: crate::permission::Refused) -> Self {
        match refused {
            crate::permission::Refused::Forbidden(forbidden) => Self::Forbidden(forbidden),
            crate::permission::Refused::Unavailable(unavailable) => Self::Unavailable(unavailable),
        }
    }
}
