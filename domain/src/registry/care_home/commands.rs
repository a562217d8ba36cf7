//! What may be asked of a care home.

use serde::{Deserialize, Serialize};

use crate::values::{CampaignId, Deadline, ItemCode, Score, Text};

/// The scores of one inspection, each 0–100.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DimensionScores {
    /// 硬件设施 — facilities.
    pub facilities: Score,
    /// 服务内容 — services.
    pub services: Score,
    /// 人员资质 — staff qualifications.
    pub staff: Score,
}

/// The result of a rectification check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RectificationOutcome {
    Passed,
    /// Failed: a fact that allows revocation, not a revocation by itself.
    Failed,
}

/// The body of a care-home command; it travels as [`crate::Command<CareHomeCommand>`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CareHomeCommand {
    /// Records a scored inspection; the total and the stars follow from the settings.
    RecordInspection {
        campaign: CampaignId,
        scores: DimensionScores,
        findings: Text,
    },
    /// Orders a violating home to rectify by `deadline`; `item` is the issue-list item that
    /// tracks the violation (限期整改).
    OrderRectification {
        campaign: CampaignId,
        violations: Text,
        deadline: Deadline,
        item: ItemCode,
    },
    /// Records the result of the rectification check.
    RecordRectificationResult {
        outcome: RectificationOutcome,
        notes: Text,
    },
    /// 取消运营资格 — the civil-affairs authority revokes the licence, after a failed
    /// rectification.
    RevokeLicence { reason: Text },
    /// 列入黑名单 — until the end of `until`, a local date in the campaign's time zone.
    Blacklist {
        campaign: CampaignId,
        reason: Text,
        until: Deadline,
    },
    /// 移出黑名单.
    RemoveFromBlacklist { reason: Text },
}

impl CareHomeCommand {
    /// The request's name, as named in a refused transition.
    pub fn name(&self) -> &'static str {
        match self {
            CareHomeCommand::RecordInspection { .. } => "record_inspection",
            CareHomeCommand::OrderRectification { .. } => "order_rectification",
            CareHomeCommand::RecordRectificationResult { .. } => "record_rectification_result",
            CareHomeCommand::RevokeLicence { .. } => "revoke_licence",
            CareHomeCommand::Blacklist { .. } => "blacklist",
            CareHomeCommand::RemoveFromBlacklist { .. } => "remove_from_blacklist",
        }
    }

    /// The name users read, 中文.
    pub fn label(&self) -> &'static str {
        Self::label_of(self.name())
    }

    /// The name users read (中文) of the request named `name` by [`name`](Self::name);
    /// `name` itself if no request is so named.
    pub fn label_of(name: &'static str) -> &'static str {
        match name {
            "record_inspection" => "录入检查评分",
            "order_rectification" => "责令限期整改",
            "record_rectification_result" => "录入整改结果",
            "revoke_licence" => "取消运营资格",
            "blacklist" => "列入黑名单",
            "remove_from_blacklist" => "移出黑名单",
            other => other,
        }
    }
}
