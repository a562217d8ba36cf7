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
    #[error("no such item (request {request})")]
    NotFound { request: ItemRequest },
    #[error("the item is already registered")]
    AlreadyRegistered,
    #[error("{request} is not allowed while the item is {state}")]
    InvalidTransition {
        state: ItemState,
        request: ItemRequest,
    },
    #[error("unknown campaign {0}")]
    UnknownCampaign(CampaignId),
    #[error("deadline {} already passed at {passed_at}", deadline.date())]
    DeadlinePassed {
        deadline: Deadline,
        passed_at: DateTime<Utc>,
    },
    #[error("milestone on {milestone} is after the deadline {}", deadline.date())]
    MilestoneAfterDeadline {
        milestone: chrono::NaiveDate,
        deadline: Deadline,
    },
    #[error("{person} is not a member of unit {unit}")]
    PersonNotInUnit { person: PersonId, unit: UnitId },
    #[error("{actor} is neither the responsible person nor a member of the responsible unit (request {request})")]
    NotResponsible {
        actor: PersonId,
        request: ItemRequest,
    },
    #[error("{actor} is the responsible person or a member of the responsible unit and may not {request} (segregation of duties)")]
    SegregationOfDuties {
        actor: PersonId,
        request: ItemRequest,
    },
    #[error("campaign {campaign} closed at {closed_at}: it takes no new item")]
    CampaignClosed {
        campaign: CampaignId,
        closed_at: DateTime<Utc>,
    },
    #[error("unknown task force {0} in the campaign")]
    UnknownTaskForce(crate::values::TaskForceId),
    #[error("item code {code} does not match its task force and campaign ({expected})")]
    CodeMismatch {
        code: crate::values::ItemCode,
        expected: String,
    },
    #[error("category {category} is not in the vocabulary of task force {task_force}")]
    UnknownCategory {
        category: crate::values::Text,
        task_force: crate::values::TaskForceId,
    },
    #[error("unit {unit} is not a member of task force {task_force}")]
    UnitNotInTaskForce {
        unit: UnitId,
        task_force: crate::values::TaskForceId,
    },
    #[error("{actor} may not {request}: it needs {needs}")]
    Forbidden {
        actor: PersonId,
        request: ItemRequest,
        needs: Party,
    },
    #[error("{0} does not belong to the leadership group")]
    NotLeadership(PersonId),
    #[error("{0}")]
    Unavailable(PortUnavailable),
    #[error("the sign-off request lacks {missing:?} (问题—措施—成效—佐证)")]
    IncompleteSignOff { missing: Vec<SignOffElement> },
    #[error("at least one reason is required")]
    ReasonsRequired,
    #[error("the requested deadline {} is not later than the deadline in force {}", requested.date(), in_force.date())]
    ExtensionNotLater {
        requested: Deadline,
        in_force: Deadline,
    },
    #[error("the item already had {limit} approved extensions, the limit")]
    ExtensionLimitReached { limit: u32 },
    #[error("an extension request is already pending")]
    ExtensionPending,
    #[error("no extension request is pending")]
    NoExtensionPending,
    #[error("not due yet: due at {due_at}")]
    NotYetDue { due_at: DateTime<Utc> },
    #[error("the clock stopped at the sign-off request of {requested_at}, before the deadline")]
    ClockStopped { requested_at: DateTime<Utc> },
    #[error("{request} was already recorded")]
    AlreadyRecorded { request: ItemRequest },
    #[error("outside the warning window {opens_at}..{closes_at}")]
    OutsideWarningWindow {
        opens_at: DateTime<Utc>,
        closes_at: DateTime<Utc>,
    },
    #[error("a fault-tolerance ruling needs an episode the item failed: {episode} was not")]
    RulingNotApplicable { episode: Episode },
    #[error("{episode} was already ruled on")]
    EpisodeAlreadyRuled { episode: Episode },
    #[error("subjective wrongdoing can never be exempted or mitigated")]
    NotExcusable,
    #[error("the item is already with {unit} and {person}")]
    SameAssignment { unit: UnitId, person: PersonId },
    #[error("unit {0} is neither the responsible nor the supervising unit of the item")]
    UnitNotInvolved(UnitId),
    /// 结转 goes to another campaign than the item's own.
    #[error("the item already belongs to campaign {0}")]
    SameCampaign(CampaignId),
    /// 结转 goes forward: never back to a campaign the item was carried over from.
    #[error("the item was carried over from campaign {0}: it is not a later campaign")]
    NotALaterCampaign(CampaignId),
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
