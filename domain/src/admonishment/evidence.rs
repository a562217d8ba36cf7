//! What an admonishment rests on: the publication it was read from and, for each rule that
//! fired, the evidence a reader needs to check it against that publication.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::assessment::Grade;
use crate::publication::{OverdueCount, PublicationKind, PublicationScope};
use crate::settings::{AdmonishmentRules, GradeThresholds};
use crate::values::{PublicationId, Score};

/// Which rule triggered the admonishment.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AdmonishmentRule {
    /// At least the configured number of overdue, non-exempt items (mitigated ones counted by
    /// the factor) at a county-wide monthly bulletin.
    OverdueItems,
    /// In the bottom of the county-wide overdue ranking in consecutive monthly bulletins.
    BottomOfRanking,
    /// Graded "fail" (不合格) in a quarterly assessment.
    FailedAssessment,
}

impl AdmonishmentRule {
    pub fn as_str(self) -> &'static str {
        match self {
            AdmonishmentRule::OverdueItems => "overdue_items",
            AdmonishmentRule::BottomOfRanking => "bottom_of_ranking",
            AdmonishmentRule::FailedAssessment => "failed_assessment",
        }
    }

    /// The name users read (中文).
    pub fn label(self) -> &'static str {
        match self {
            AdmonishmentRule::OverdueItems => "逾期事项达到约谈标准",
            AdmonishmentRule::BottomOfRanking => "连续通报逾期排名靠后",
            AdmonishmentRule::FailedAssessment => "季度考核不合格",
        }
    }
}

/// The publication an admonishment rests on: its stream id, kind, scope and cut-off (the
/// instant the 182-day window is measured from).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PublicationRef {
    pub publication: PublicationId,
    pub kind: PublicationKind,
    pub scope: PublicationScope,
    pub cut_off: DateTime<Utc>,
}

/// A unit's place in one county-wide monthly bulletin's overdue ranking (1 = most overdue).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RankingPosition {
    pub publication: PublicationId,
    pub cut_off: DateTime<Utc>,
    pub position: u32,
}

/// One rule that fired, with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Finding {
    /// The unit's overdue items at the bulletin's cut-off (in full, mitigated, exempted) and
    /// the mitigation factor the bulletin counted them by.
    OverdueItems {
        overdue: OverdueCount,
        mitigation_factor: f64,
    },
    /// The unit's position in each of the consecutive bulletins, oldest first, ending with the
    /// bulletin the admonishment rests on.
    BottomOfRanking { positions: Vec<RankingPosition> },
    /// The unit's score and grade in the assessment.
    FailedAssessment { score: Score, grade: Grade },
}

impl Finding {
    pub fn rule(&self) -> AdmonishmentRule {
        match self {
            Finding::OverdueItems { .. } => AdmonishmentRule::OverdueItems,
            Finding::BottomOfRanking { .. } => AdmonishmentRule::BottomOfRanking,
            Finding::FailedAssessment { .. } => AdmonishmentRule::FailedAssessment,
        }
    }
}

/// Why the admonishment was triggered, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Basis {
    /// The policy, at a publication: every rule that fired, and the settings in force they
    /// were checked against — the rules (threshold, bottom N, consecutive bulletins, fail)
    /// and, when a `failed_assessment` finding was checked, the grade thresholds.
    Policy {
        publication: PublicationRef,
        findings: Vec<Finding>,
        rules_in_force: AdmonishmentRules,
        /// The grade thresholds a `failed_assessment` finding's grade was checked against;
        /// `None` (and read as such when absent) when no finding needed them. Boxed to keep
        /// the event small.
        #[serde(default)]
        grades_in_force: Option<Box<GradeThresholds>>,
    },
    /// The secretariat, outside the automatic rules, naming a publication or not.
    Manual { publication: Option<PublicationRef> },
}

impl Basis {
    pub fn publication(&self) -> Option<&PublicationRef> {
        match self {
            Basis::Policy { publication, .. } => Some(publication),
            Basis::Manual { publication } => publication.as_ref(),
        }
    }
}
