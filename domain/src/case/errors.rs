//! Why a case command was refused.

use crate::failure::DomainError;
use crate::settings::Field;
use crate::values::{CampaignId, ClueId, ItemCode, OutcomeIndicators, OutcomeTotals};

use super::aggregate::CaseStatus;
use super::commands::{CaseCommand, InvestigationTrack};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CaseError {
    #[error("整治行动 {campaign} 不存在")]
    UnknownCampaign { campaign: CampaignId },
    /// The campaign has no task force for the clue's field: no secretariat could run the
    /// clue, so it is not registered (set the task force up first).
    #[error(
        "整治行动 {campaign} 未设{}专班，线索无人办理，请先设立专班",
        field.label()
    )]
    NoTaskForce { campaign: CampaignId, field: Field },
    #[error(
        "案件处于“{}”状态，不能{}",
        CaseStatus::label_of(state),
        CaseCommand::label_of(request)
    )]
    InvalidTransition {
        state: &'static str,
        request: &'static str,
    },
    /// A dismissed clue is never opened as a case, nor dismissed again.
    #[error("线索 {clue} 已予了结，不能立案或再次了结")]
    ClueDismissed { clue: ClueId },
    /// A clue opened as a case is no longer dismissed: the case runs its course.
    #[error("线索 {clue} 已立案，不能再予了结")]
    ClueAlreadyOpened { clue: ClueId },
    /// A joint case team (专案组) is of at least two distinct departments.
    #[error("专案组须由至少两个不同单位组成，现为 {units} 个")]
    JointTeamTooSmall { units: usize },
    #[error("{}尚未启动", track.label())]
    InvestigationNotStarted { track: InvestigationTrack },
    #[error("{}已启动", track.label())]
    InvestigationAlreadyStarted { track: InvestigationTrack },
    #[error("{}已办结", track.label())]
    InvestigationAlreadyConcluded { track: InvestigationTrack },
    #[error("本案已生成制度修复事项 {code}")]
    DuplicateRepairItem { code: ItemCode },
    #[error("制度修复事项 {code} 不是本案生成的")]
    UnknownRepairItem { code: ItemCode },
    #[error("制度修复事项 {code} 已登记销号")]
    RepairItemAlreadyClosed { code: ItemCode },
    #[error("制度修复事项 {code} 尚未登记销号")]
    RepairItemNotClosed { code: ItemCode },
    #[error("制度修复事项 {code} 已撤销")]
    RepairItemAlreadyWithdrawn { code: ItemCode },
    /// A withdrawn repair item left the issue list: it is never recorded closed.
    #[error("制度修复事项 {code} 已撤销，不能登记销号")]
    RepairItemWithdrawn { code: ItemCode },
    /// "No repair needed" cannot stand beside repair items that were spawned and not
    /// withdrawn (open or closed).
    #[error("本案尚有未撤销的制度修复事项 {}，不能登记无需制度修复", codes(items))]
    RepairItemsStand { items: Vec<ItemCode> },
    /// The case has "no repair needed" on record: no repair item is spawned, and the record is
    /// not made twice.
    #[error("本案已登记无需制度修复")]
    NoRepairNeededOnRecord,
    /// Every outcome record is a fact with its own evidence (佐证).
    #[error("登记成效指标须附至少一项佐证材料")]
    EvidenceRequired,
    #[error("成效指标累计数超出可记录的范围")]
    OutcomeOverflow,
    /// A correction takes back what was recorded, never more.
    #[error(
        "更正扣减数超过现有累计数：拟扣减{}，现累计{}",
        correction.describe(),
        totals.describe()
    )]
    CorrectionExceedsTotals {
        totals: OutcomeTotals,
        correction: OutcomeIndicators,
    },
    /// 一案双查 and 制度修复 must both be finished before the case closes: both investigations
    /// concluded, no repair item open, and system repair done (`system_repair_missing` when
    /// no repair item was closed and no "no repair needed" is on record).
    #[error(
        "案件尚不具备结案条件：{}",
        not_ready(open_investigations, open_repair_items, *system_repair_missing)
    )]
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

/// Item codes listed as users read them: `YB-2026-0001、YB-2026-0002`.
fn codes(items: &[ItemCode]) -> String {
    items
        .iter()
        .map(ItemCode::to_string)
        .collect::<Vec<_>>()
        .join("、")
}

/// What still keeps a case from closing (结案), clause by clause.
fn not_ready(
    open_investigations: &[InvestigationTrack],
    open_repair_items: &[ItemCode],
    system_repair_missing: bool,
) -> String {
    let mut missing = Vec::new();
    if !open_investigations.is_empty() {
        let tracks: Vec<_> = open_investigations
            .iter()
            .map(|track| track.label())
            .collect();
        missing.push(format!("{}尚未办结", tracks.join("、")));
    }
    if !open_repair_items.is_empty() {
        missing.push(format!(
            "制度修复事项 {} 尚未销号或撤销",
            codes(open_repair_items)
        ));
    }
    if system_repair_missing {
        missing
            .push("尚未完成制度修复（既无已销号的制度修复事项，也未登记无需制度修复）".to_owned());
    }
    missing.join("；")
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
