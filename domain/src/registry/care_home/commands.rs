//! What may be asked of a care home.

use serde::{Deserialize, Serialize};

use crate::values::{CampaignId, Deadline, Score, Text};

/// The result of a rectification check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RectificationOutcome {
    Passed,
    /// Failed: the licence is revoked (取消运营资格).
    Failed,
}

/// The body of a care-home command; it travels as [`crate::Command<CareHomeCommand>`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CareHomeCommand {
    /// Records a scored inspection; the stars follow from the score.
    RecordInspection {
        campaign: CampaignId,
        score: Score,
        findings: Text,
    },
    /// Orders a violating home to rectify by `deadline`.
    OrderRectification {
        campaign: CampaignId,
        violations: Text,
        deadline: Deadline,
    },
    /// Records the result of the rectification check.
    RecordRectificationResult {
        outcome: RectificationOutcome,
        notes: Text,
    },
}

impl CareHomeCommand {
    /// The request's name, as named in a refused transition.
    pub fn name(&self) -> &'static str {
        match self {
            CareHomeCommand::RecordInspection { .. } => "record_inspection",
            CareHomeCommand::OrderRectification { .. } => "order_rectification",
            CareHomeCommand::RecordRectificationResult { .. } => "record_rectification_result",
        }
    }
}
