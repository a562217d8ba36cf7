//! Why a case command was refused.

use crate::failure::DomainError;
use crate::values::{CampaignId, ItemCode};

use super::commands::InvestigationTrack;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CaseError {
    #[error("unknown campaign {campaign}")]
    UnknownCampaign { campaign: CampaignId },
    #[error("cannot {request} a case that is {state}")]
    InvalidTransition {
        state: &'static str,
        request: &'static str,
    },
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
    /// 一案双查 and 制度修复 must both be finished before the case closes.
    #[error("the case cannot close yet: open investigations {open_investigations:?}, open repair items {open_repair_items:?}")]
    NotReadyToClose {
        open_investigations: Vec<InvestigationTrack>,
        open_repair_items: Vec<ItemCode>,
    },
}

impl CaseError {
    /// A stable code the HTTP layer exposes to integrators.
    pub fn code(&self) -> &'static str {
        match self {
            CaseError::UnknownCampaign { .. } => "case.unknown_campaign",
            CaseError::InvalidTransition { .. } => "case.invalid_transition",
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
            CaseError::NotReadyToClose { .. } => "case.not_ready_to_close",
        }
    }
}

/// Every CaseError is a refusal by the rules, never a port's failure: the ports this aggregate
/// consults (settings, calendar, directory) answer from memory and cannot fail.
impl DomainError for CaseError {
    fn code(&self) -> &'static str {
        CaseError::code(self)
    }
}
