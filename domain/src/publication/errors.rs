//! Why a publication command was refused.

use chrono::{DateTime, Utc};

use crate::failure::DomainError;
use crate::values::{CampaignId, PublicationId, UnitId};

use super::kind::PublicationKind;

/// Figures that no correct computation could produce.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FiguresError {
    #[error("unit {unit} appears twice in the same list")]
    UnitTwice { unit: UnitId },
    #[error("inconsistent counts{}: {rule}", unit.as_ref().map(|u| format!(" of {u}")).unwrap_or_default())]
    Counts {
        unit: Option<UnitId>,
        rule: &'static str,
    },
    #[error("the {rate} rate{} is not within 0–100 % (use none when not applicable)", unit.as_ref().map(|u| format!(" of {u}")).unwrap_or_default())]
    RateOutOfRange {
        unit: Option<UnitId>,
        rate: &'static str,
    },
    #[error("unit {unit} is ranked with nothing overdue")]
    RankedWithoutOverdue { unit: UnitId },
    #[error("the ranking is out of order at position {position} (overdue desc, days desc, unit)")]
    RankingOutOfOrder { position: usize },
    #[error("the ranking disagrees with the row of unit {unit}")]
    RankingDisagreesWithRow { unit: UnitId },
    #[error("the bottom units are not the first of the ranking")]
    BottomNotFirstOfRanking,
    #[error("unit {unit} is in the bottom or at the admonishment threshold but not named (点名)")]
    NotNamed { unit: UnitId },
    #[error("only an assessment scores units")]
    ScoresOutsideAssessment,
    #[error("the grade of unit {unit} does not follow from its score")]
    GradeDisagreesWithScore { unit: UnitId },
    #[error("a dispatch, and only a dispatch, lists items due, overdue and stalled")]
    DispatchListsMisplaced,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PublicationError {
    #[error("unknown campaign {campaign}")]
    UnknownCampaign { campaign: CampaignId },
    /// A publication never changes: a second one on its stream is refused (publish a
    /// correction on a new stream instead).
    #[error("this publication is already {state}; publish a correction instead")]
    AlreadyRecorded { state: &'static str },
    #[error("the command names stream {named}, but its kind, campaign, period and scope make {expected}")]
    WrongStream {
        named: PublicationId,
        expected: String,
    },
    #[error("the period [{start}, {cut_off}) is empty")]
    EmptyPeriod {
        start: DateTime<Utc>,
        cut_off: DateTime<Utc>,
    },
    #[error("a {} covers {needs}", kind.as_str())]
    PeriodMismatch {
        kind: PublicationKind,
        needs: &'static str,
    },
    #[error("a dispatch is per task force, an assessment county-wide; a {} cannot cover that scope", kind.as_str())]
    ScopeMismatch { kind: PublicationKind },
    #[error("a {} {needs}", kind.as_str())]
    NominalMismatch {
        kind: PublicationKind,
        needs: &'static str,
    },
    #[error("the period has not ended: its cut-off is {cut_off}")]
    BeforeCutOff { cut_off: DateTime<Utc> },
    #[error("a {} is never skipped: publish it late", kind.as_str())]
    NeverSkipped { kind: PublicationKind },
    #[error("the dispatch is not due before {due_at} and cannot be skipped yet")]
    NotYetDue { due_at: DateTime<Utc> },
    /// A missed dispatch younger than the catch-up window is published late, not skipped.
    #[error("the dispatch fell due at {due_at} and is inside its catch-up window until {until}: publish it late")]
    InsideCatchUpWindow {
        due_at: DateTime<Utc>,
        until: DateTime<Utc>,
    },
    /// A dispatch older than the catch-up window is recorded as skipped, never published.
    #[error(
        "the dispatch fell due at {due_at} and its catch-up window closed at {until}: skip it"
    )]
    CatchUpWindowPassed {
        due_at: DateTime<Utc>,
        until: DateTime<Utc>,
    },
    #[error("a correction on {publication} must correct {expected}, not {corrects}")]
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
