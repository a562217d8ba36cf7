//! Why a publication command was refused.

use chrono::{DateTime, Utc};

use crate::failure::DomainError;
use crate::values::{CampaignId, PublicationId, UnitId};

use super::aggregate::PublicationStatus;
use super::kind::PublicationKind;

/// Figures that no correct computation could produce.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FiguresError {
    #[error("单位 {unit} 在同一列表中重复出现")]
    UnitTwice { unit: UnitId },
    #[error("{}统计数据前后矛盾：{rule}", of_unit(unit))]
    Counts {
        unit: Option<UnitId>,
        rule: &'static str,
    },
    #[error("{}{rate}不在 0–100% 之间（不适用时应为空）", of_unit(unit))]
    RateOutOfRange {
        unit: Option<UnitId>,
        rate: &'static str,
    },
    #[error("单位 {unit} 没有逾期事项，不应列入逾期排名")]
    RankedWithoutOverdue { unit: UnitId },
    #[error(
        "逾期排名第 {position} 位次序有误（应依次按逾期数、逾期天数从多到少，再按单位编号排列）"
    )]
    RankingOutOfOrder { position: usize },
    #[error("逾期排名与单位 {unit} 的统计数据不一致")]
    RankingDisagreesWithRow { unit: UnitId },
    #[error("末位单位与逾期排名的前列单位不一致")]
    BottomNotFirstOfRanking,
    #[error("单位 {unit} 位列末位或达到约谈提醒标准，但未被点名")]
    NotNamed { unit: UnitId },
    #[error("只有季考核才对单位评分")]
    ScoresOutsideAssessment,
    #[error("单位 {unit} 的考核等次与其得分不符")]
    GradeDisagreesWithScore { unit: UnitId },
    #[error("即将到期、已逾期和长期无进展的事项清单只能列入周调度，且周调度必须列出")]
    DispatchListsMisplaced,
}

/// `单位X的` before a figure of unit X; nothing before a county-wide figure.
fn of_unit(unit: &Option<UnitId>) -> String {
    unit.as_ref()
        .map(|unit| format!("单位 {unit} 的"))
        .unwrap_or_default()
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PublicationError {
    #[error("整治行动 {campaign} 不存在")]
    UnknownCampaign { campaign: CampaignId },
    /// A publication never changes: a second one on its stream is refused (publish a
    /// correction on a new stream instead).
    #[error(
        "本期{}，不得再次记录；如需更正，请另行发布更正",
        PublicationStatus::label_of(state)
    )]
    AlreadyRecorded { state: &'static str },
    #[error("发布编号 {named} 与其类型、整治行动、统计期间和范围不符，应为 {expected}")]
    WrongStream {
        named: PublicationId,
        expected: String,
    },
    #[error("统计期间为空：起始时间 {start} 不早于截止时间 {cut_off}")]
    EmptyPeriod {
        start: DateTime<Utc>,
        cut_off: DateTime<Utc>,
    },
    #[error("{}的统计期间应为{needs}", kind.label())]
    PeriodMismatch {
        kind: PublicationKind,
        needs: &'static str,
    },
    #[error("周调度按专班发布，季考核按全县发布，{}不能按该范围发布", kind.label())]
    ScopeMismatch { kind: PublicationKind },
    #[error("{}{needs}", kind.label())]
    NominalMismatch {
        kind: PublicationKind,
        needs: &'static str,
    },
    #[error("统计期间尚未结束，截止时间为 {cut_off}")]
    BeforeCutOff { cut_off: DateTime<Utc> },
    #[error("{}不得跳过，应补发", kind.label())]
    NeverSkipped { kind: PublicationKind },
    #[error("本次周调度 {due_at} 方才到期，尚不能跳过")]
    NotYetDue { due_at: DateTime<Utc> },
    /// A missed dispatch younger than the catch-up window is published late, not skipped.
    #[error("本次周调度应于 {due_at} 发布，仍在补发期内（至 {until}），应予补发")]
    InsideCatchUpWindow {
        due_at: DateTime<Utc>,
        until: DateTime<Utc>,
    },
    /// A dispatch older than the catch-up window is recorded as skipped, never published.
    #[error("本次周调度应于 {due_at} 发布，补发期已于 {until} 截止，应记为跳过")]
    CatchUpWindowPassed {
        due_at: DateTime<Utc>,
        until: DateTime<Utc>,
    },
    #[error("更正 {publication} 应更正 {expected}，而非 {corrects}")]
    CorrectionMismatch {
        publication: PublicationId,
        corrects: PublicationId,
        expected: String,
    },
    #[error(transparent)]
    Figures(#[from] FiguresError),
    #[error(transparent)]
    Forbidden(crate::permission::Forbidden),
    /// The directory (or another port) did not answer: not a refusal.
    #[error("{0}")]
    Unavailable(crate::failure::PortUnavailable),
}

impl PublicationError {
    /// A stable code the HTTP layer exposes to integrators.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Forbidden(_) => "publication.forbidden",
            Self::Unavailable(_) => "publication.unavailable",
            PublicationError::UnknownCampaign { .. } => "publication.unknown_campaign",
            PublicationError::AlreadyRecorded { .. } => "publication.already_recorded",
            PublicationError::WrongStream { .. } => "publication.wrong_stream",
            PublicationError::EmptyPeriod { .. } => "publication.empty_period",
            PublicationError::PeriodMismatch { .. } => "publication.period_mismatch",
            PublicationError::ScopeMismatch { .. } => "publication.scope_mismatch",
            PublicationError::NominalMismatch { .. } => "publication.nominal_mismatch",
            PublicationError::BeforeCutOff { .. } => "publication.before_cut_off",
            PublicationError::NeverSkipped { .. } => "publication.never_skipped",
            PublicationError::NotYetDue { .. } => "publication.not_yet_due",
            PublicationError::InsideCatchUpWindow { .. } => "publication.inside_catch_up_window",
            PublicationError::CatchUpWindowPassed { .. } => "publication.catch_up_window_passed",
            PublicationError::CorrectionMismatch { .. } => "publication.correction_mismatch",
            PublicationError::Figures(_) => "publication.inconsistent_figures",
        }
    }
}

/// Every PublicationError is a refusal by the rules, never a port's failure: the settings
/// this aggregate consults answer from memory.
impl DomainError for PublicationError {
    fn unavailable(&self) -> Option<&crate::failure::PortUnavailable> {
        match self {
            Self::Unavailable(unavailable) => Some(unavailable),
            _ => None,
        }
    }

    fn code(&self) -> &'static str {
        PublicationError::code(self)
    }
}

impl From<crate::permission::Refused> for PublicationError {
    fn from(refused: crate::permission::Refused) -> Self {
        match refused {
            crate::permission::Refused::Forbidden(forbidden) => Self::Forbidden(forbidden),
            crate::permission::Refused::Unavailable(unavailable) => Self::Unavailable(unavailable),
        }
    }
}
