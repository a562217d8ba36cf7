//! Why an admonishment command was refused.

use chrono::{DateTime, Utc};

use crate::assessment::Grade;
use crate::failure::DomainError;
use crate::publication::PublicationKind;
use crate::values::{AdmonishmentId, CampaignId, PublicationId};

use super::aggregate::AdmonishmentStatus;
use super::commands::AdmonishmentCommand;
use super::evidence::AdmonishmentRule;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AdmonishmentError {
    #[error("整治行动 {campaign} 不存在")]
    UnknownCampaign { campaign: CampaignId },
    #[error(
        "约谈提醒处于“{}”状态，不能{}",
        AdmonishmentStatus::label_of(state),
        AdmonishmentCommand::label_of(request)
    )]
    InvalidTransition {
        state: &'static str,
        request: &'static str,
    },
    #[error("约谈提醒须至少说明一条理由")]
    MissingReasons,
    #[error(
        "依据同一期通报（考核）对同一单位按规则启动的约谈提醒，编号应为 {expected}，而非 {named}"
    )]
    WrongStream {
        named: AdmonishmentId,
        expected: String,
    },
    #[error("按规则启动的约谈提醒须列明至少一项已触发的规则")]
    MissingFindings,
    #[error("规则“{}”重复列出", rule.label())]
    RuleTwice { rule: AdmonishmentRule },
    #[error("{publication} 与所列类别、范围不符")]
    PublicationMismatch { publication: PublicationId },
    #[error("规则“{}”仅依据{needs}评估，不能依据本次{}", rule.label(), kind.label())]
    RuleNotAtPublication {
        rule: AdmonishmentRule,
        kind: PublicationKind,
        needs: &'static str,
    },
    #[error("本次整治行动未启用“{}”约谈提醒规则", rule.label())]
    RuleDisabled { rule: AdmonishmentRule },
    #[error("逾期事项计 {overdue} 项，未达到约谈提醒标准（{threshold} 项）")]
    BelowThreshold { overdue: f64, threshold: u32 },
    #[error(
        "逾期事项计数不符：应等于全额计入数加减轻事项数乘以减轻系数，且减轻系数在 0 至 1 之间"
    )]
    InconsistentOverdue,
    #[error("计入该单位的逾期事项 {overdue} 项，但仅列出 {items} 项")]
    MissingItems { items: usize, overdue: u64 },
    #[error("逾期排名证据须{needs}")]
    RankingEvidence { needs: &'static str },
    #[error("考核等次为“{}”或得分不属不合格，不构成考核不合格", grade.label())]
    NotFailed { grade: Grade },
    #[error("约谈须安排在今后的时间，{when} 已过")]
    ScheduledInPast { when: DateTime<Utc> },
    #[error("约谈须至少指定一名约谈人")]
    MissingConductors,
    #[error("约谈定于 {scheduled_for} 举行，尚不能登记约谈情况")]
    NotYetHeld { scheduled_for: DateTime<Utc> },
    #[error("登记约谈情况须至少列明一名参加人员")]
    MissingAttendees,
    #[error(
        "{correction} 不是本约谈提醒所依据通报（考核）的更正；所依据的为：{}",
        rests_on.as_ref().map_or("无", |p| p.as_str())
    )]
    NotACorrection {
        correction: PublicationId,
        rests_on: Option<PublicationId>,
    },
    #[error(
        "与单位 {unit} 的约谈应由其一把手（{}）参加，参加人员中无此人",
        head.as_ref().map_or("未登记", |p| p.as_str())
    )]
    HeadNotAttending {
        unit: crate::values::UnitId,
        head: Option<crate::values::PersonId>,
    },
    #[error(transparent)]
    Forbidden(crate::permission::Forbidden),
    /// The directory (or another port) did not answer: not a refusal.
    #[error("{0}")]
    Unavailable(crate::failure::PortUnavailable),
}

impl AdmonishmentError {
    /// A stable code the HTTP layer exposes to integrators.
    pub fn code(&self) -> &'static str {
        match self {
            Self::HeadNotAttending { .. } => "admonishment.head_not_attending",
            Self::Forbidden(_) => "admonishment.forbidden",
            Self::Unavailable(_) => "admonishment.unavailable",
            AdmonishmentError::UnknownCampaign { .. } => "admonishment.unknown_campaign",
            AdmonishmentError::InvalidTransition { .. } => "admonishment.invalid_transition",
            AdmonishmentError::MissingReasons => "admonishment.missing_reasons",
            AdmonishmentError::WrongStream { .. } => "admonishment.wrong_stream",
            AdmonishmentError::MissingFindings => "admonishment.missing_findings",
            AdmonishmentError::RuleTwice { .. } => "admonishment.rule_twice",
            AdmonishmentError::PublicationMismatch { .. } => "admonishment.publication_mismatch",
            AdmonishmentError::RuleNotAtPublication { .. } => {
                "admonishment.rule_not_at_publication"
            }
            AdmonishmentError::RuleDisabled { .. } => "admonishment.rule_disabled",
            AdmonishmentError::BelowThreshold { .. } => "admonishment.below_threshold",
            AdmonishmentError::InconsistentOverdue => "admonishment.inconsistent_overdue",
            AdmonishmentError::MissingItems { .. } => "admonishment.missing_items",
            AdmonishmentError::RankingEvidence { .. } => "admonishment.ranking_evidence",
            AdmonishmentError::NotFailed { .. } => "admonishment.not_failed",
            AdmonishmentError::ScheduledInPast { .. } => "admonishment.scheduled_in_past",
            AdmonishmentError::MissingConductors => "admonishment.missing_conductors",
            AdmonishmentError::NotYetHeld { .. } => "admonishment.not_yet_held",
            AdmonishmentError::MissingAttendees => "admonishment.missing_attendees",
            AdmonishmentError::NotACorrection { .. } => "admonishment.not_a_correction",
        }
    }
}

/// Every AdmonishmentError is a refusal by the rules, never a port's failure: the settings
/// this aggregate consults answer from memory and cannot fail.
impl DomainError for AdmonishmentError {
    fn unavailable(&self) -> Option<&crate::failure::PortUnavailable> {
        match self {
            Self::Unavailable(unavailable) => Some(unavailable),
            _ => None,
        }
    }

    fn code(&self) -> &'static str {
        AdmonishmentError::code(self)
    }
}

impl From<crate::permission::Refused> for AdmonishmentError {
    fn from(refused: crate::permission::Refused) -> Self {
        match refused {
            crate::permission::Refused::Forbidden(forbidden) => Self::Forbidden(forbidden),
            crate::permission::Refused::Unavailable(unavailable) => Self::Unavailable(unavailable),
        }
    }
}
