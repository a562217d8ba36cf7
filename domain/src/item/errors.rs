//! Why an item command was refused. Each error has a stable dotted [code](ItemError::code).
//! A refused command emits nothing.

use chrono::{DateTime, Utc};

use super::commands::{Episode, ItemRequest, SignOffElement};
use super::state::ItemState;
use crate::failure::{DomainError, PortUnavailable};
use crate::permission::Party;
use crate::values::{CampaignId, Deadline, OutcomeIndicators, OutcomeTotals, PersonId, UnitId};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ItemError {
    #[error("问题清单中没有该问题，不能{}", request.label())]
    NotFound { request: ItemRequest },
    #[error("该问题已登记，不得重复登记")]
    AlreadyRegistered,
    #[error("问题处于“{}”状态，不能{}", state.label(), request.label())]
    InvalidTransition {
        state: ItemState,
        request: ItemRequest,
    },
    #[error("整治行动 {0} 不存在")]
    UnknownCampaign(CampaignId),
    #[error("整改时限 {} 已于 {passed_at} 届满", deadline.date())]
    DeadlinePassed {
        deadline: Deadline,
        passed_at: DateTime<Utc>,
    },
    #[error("节点日期 {milestone} 晚于整改时限 {}", deadline.date())]
    MilestoneAfterDeadline {
        milestone: chrono::NaiveDate,
        deadline: Deadline,
    },
    #[error("{person} 不是单位 {unit} 的工作人员")]
    PersonNotInUnit { person: PersonId, unit: UnitId },
    #[error("{actor} 既不是责任人，也不是责任单位工作人员，不能{}", request.label())]
    NotResponsible {
        actor: PersonId,
        request: ItemRequest,
    },
    #[error("{actor} 是该问题的责任人或责任单位工作人员，按职责分离要求不得{}", request.label())]
    SegregationOfDuties {
        actor: PersonId,
        request: ItemRequest,
    },
    #[error("整治行动 {campaign} 已于 {closed_at} 结束，不再登记新问题")]
    CampaignClosed {
        campaign: CampaignId,
        closed_at: DateTime<Utc>,
    },
    #[error("专班 {0} 不存在")]
    UnknownTaskForce(crate::values::TaskForceId),
    #[error("问题编号 {code} 与所属专班和整治行动不符（应为 {expected}）")]
    CodeMismatch {
        code: crate::values::ItemCode,
        expected: String,
    },
    #[error("问题类别“{category}”不在专班 {task_force} 的问题类别目录中")]
    UnknownCategory {
        category: crate::values::Text,
        task_force: crate::values::TaskForceId,
    },
    #[error("单位 {unit} 不是专班 {task_force} 的成员单位")]
    UnitNotInTaskForce {
        unit: UnitId,
        task_force: crate::values::TaskForceId,
    },
    #[error("{actor} 无权{}，须由{needs}办理", request.label())]
    Forbidden {
        actor: PersonId,
        request: ItemRequest,
        needs: Party,
    },
    #[error("{0} 不是领导小组成员")]
    NotLeadership(PersonId),
    #[error("{0}")]
    Unavailable(PortUnavailable),
    #[error("销号申请缺少{}，须具备问题—措施—成效—佐证四要素", elements(missing))]
    IncompleteSignOff { missing: Vec<SignOffElement> },
    #[error("须至少说明一条理由")]
    ReasonsRequired,
    #[error("申请延期的新时限 {} 不晚于现行时限 {}", requested.date(), in_force.date())]
    ExtensionNotLater {
        requested: Deadline,
        in_force: Deadline,
    },
    #[error("该问题已获批延期 {limit} 次，已达上限")]
    ExtensionLimitReached { limit: u32 },
    #[error("已有延期申请待审批")]
    ExtensionPending,
    #[error("没有待审批的延期申请")]
    NoExtensionPending,
    #[error("尚未到期，到期时间为 {due_at}")]
    NotYetDue { due_at: DateTime<Utc> },
    #[error("该问题已于 {requested_at} 在时限届满前申请销号，停止计时")]
    ClockStopped { requested_at: DateTime<Utc> },
    #[error("已{}，不再重复记录", request.label())]
    AlreadyRecorded { request: ItemRequest },
    #[error("不在预警期内（{opens_at} 至 {closes_at}）")]
    OutsideWarningWindow {
        opens_at: DateTime<Utc>,
        closes_at: DateTime<Utc>,
    },
    #[error("容错认定只能针对已发生的逾期或复发，{episode}并无此情形")]
    RulingNotApplicable { episode: Episode },
    #[error("{episode}已作出容错认定，不得重复认定")]
    EpisodeAlreadyRuled { episode: Episode },
    #[error("属主观过错的，一律不予免责或减轻责任")]
    NotExcusable,
    #[error("该问题已由单位 {unit}、责任人 {person} 负责，无需改派")]
    SameAssignment { unit: UnitId, person: PersonId },
    #[error("单位 {0} 既不是该问题的责任单位，也不是监管单位")]
    UnitNotInvolved(UnitId),
    /// 结转 goes to another campaign than the item's own.
    #[error("该问题已属于整治行动 {0}，无需结转")]
    SameCampaign(CampaignId),
    /// 结转 goes forward: never back to a campaign the item was carried over from.
    #[error("该问题系从整治行动 {0} 结转而来，不能结转回原整治行动")]
    NotALaterCampaign(CampaignId),
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
}

/// The missing elements of a sign-off request as users read them: 成效、佐证.
fn elements(missing: &[SignOffElement]) -> String {
    missing
        .iter()
        .map(|element| element.label())
        .collect::<Vec<_>>()
        .join("、")
}

impl ItemError {
    /// A stable code the HTTP layer exposes to integrators.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound { .. } => "item.not_found",
            Self::AlreadyRegistered => "item.already_registered",
            Self::InvalidTransition { .. } => "item.invalid_transition",
            Self::UnknownCampaign(_) => "item.unknown_campaign",
            Self::DeadlinePassed { .. } => "item.deadline_passed",
            Self::MilestoneAfterDeadline { .. } => "item.milestone_after_deadline",
            Self::PersonNotInUnit { .. } => "item.person_not_in_unit",
            Self::NotResponsible { .. } => "item.not_responsible",
            Self::SegregationOfDuties { .. } => "item.segregation_of_duties",
            Self::IncompleteSignOff { .. } => "item.incomplete_sign_off",
            Self::ReasonsRequired => "item.reasons_required",
            Self::ExtensionNotLater { .. } => "item.extension_not_later",
            Self::ExtensionLimitReached { .. } => "item.extension_limit_reached",
            Self::ExtensionPending => "item.extension_pending",
            Self::NoExtensionPending => "item.no_extension_pending",
            Self::NotYetDue { .. } => "item.not_yet_due",
            Self::ClockStopped { .. } => "item.clock_stopped",
            Self::AlreadyRecorded { .. } => "item.already_recorded",
            Self::OutsideWarningWindow { .. } => "item.outside_warning_window",
            Self::RulingNotApplicable { .. } => "item.ruling_not_applicable",
            Self::EpisodeAlreadyRuled { .. } => "item.episode_already_ruled",
            Self::NotExcusable => "item.not_excusable",
            Self::UnitNotInvolved(_) => "item.unit_not_involved",
            Self::SameAssignment { .. } => "item.same_assignment",
            Self::Forbidden { .. } => "item.forbidden",
            Self::CampaignClosed { .. } => "item.campaign_closed",
            Self::UnknownTaskForce(_) => "item.unknown_task_force",
            Self::CodeMismatch { .. } => "item.code_mismatch",
            Self::UnknownCategory { .. } => "item.unknown_category",
            Self::UnitNotInTaskForce { .. } => "item.unit_not_in_task_force",
            Self::NotLeadership(_) => "item.not_leadership",
            Self::Unavailable(_) => "item.unavailable",
            Self::SameCampaign(_) => "item.same_campaign",
            Self::NotALaterCampaign(_) => "item.not_a_later_campaign",
            Self::EvidenceRequired => "item.evidence_required",
            Self::OutcomeOverflow => "item.outcome_overflow",
            Self::CorrectionExceedsTotals { .. } => "item.correction_exceeds_totals",
        }
    }
}

/// Every ItemError but [`ItemError::Unavailable`] is a refusal by the rules; that one says the
/// directory (the organisation at its latest version) did not answer.
impl DomainError for ItemError {
    fn code(&self) -> &'static str {
        ItemError::code(self)
    }

    fn unavailable(&self) -> Option<&PortUnavailable> {
        match self {
            ItemError::Unavailable(unavailable) => Some(unavailable),
            _ => None,
        }
    }
}
