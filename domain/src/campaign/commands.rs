//! What may be asked of a campaign.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::settings::{CampaignSettings, Field};
use crate::values::{CampaignId, PersonId, TaskForceId, Text, UnitId, Uri, ValueError};

/// The body of a campaign command; it travels in a [`crate::Command`] stamped by the executor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CampaignCommand {
    /// Creates the campaign (e.g. "2026 群腐整治"). The settings are validated first.
    CreateCampaign {
        campaign: CampaignId,
        name: Text,
        year: u16,
        settings: CampaignSettings,
    },
    /// Replaces the settings in force from now on; earlier decisions keep the instants they
    /// stored, so the past is never rewritten.
    ChangeSettings { settings: CampaignSettings },
    /// Adds a task force (专班), led by an official (usually a deputy county head, 分管副县长):
    /// one per field, each with its own item-code prefix.
    AddTaskForce {
        task_force: TaskForceId,
        field: Field,
        name: Text,
        lead: PersonId,
        /// The prefix of its items' codes, e.g. `YB` for `YB-2026-0001`.
        prefix: ItemPrefix,
        /// Its vocabulary of problem categories (e.g. 虚构服务、串换项目、欺诈骗保、过度医疗):
        /// an item's category must be one of them. At least one, each once.
        categories: Vec<Text>,
    },
    /// Adds a problem category to a task force's vocabulary (a campaign may add more than the
    /// source names).
    AddCategory {
        task_force: TaskForceId,
        category: Text,
    },
    /// Makes a registered unit a member of a task force (heads of departments take part).
    AddTaskForceMember {
        task_force: TaskForceId,
        unit: UnitId,
    },
    /// 收官 — closes the campaign with its final report (总结报告): where the report is kept,
    /// and a summary. Its settings, task forces and members are final from then on; open
    /// items are carried over one by one (`ItemCommand::CarryOver`).
    CloseCampaign { report: Uri, summary: Text },
}

impl CampaignCommand {
    /// The request's name, for refusals.
    pub fn name(&self) -> &'static str {
        match self {
            Self::CreateCampaign { .. } => "create_campaign",
            Self::ChangeSettings { .. } => "change_settings",
            Self::AddTaskForce { .. } => "add_task_force",
            Self::AddTaskForceMember { .. } => "add_task_force_member",
            Self::AddCategory { .. } => "add_category",
            Self::CloseCampaign { .. } => "close_campaign",
        }
    }

    /// The name users read (中文).
    pub fn label(&self) -> &'static str {
        Self::label_of(self.name())
    }

    /// The name users read (中文) of the request named `name` by [`name`](Self::name);
    /// `name` itself if no request is so named.
    pub fn label_of(name: &'static str) -> &'static str {
        match name {
            "create_campaign" => "创建整治行动",
            "change_settings" => "修改整治行动设置",
            "add_task_force" => "设立专班",
            "add_task_force_member" => "增加专班成员单位",
            "add_category" => "增加问题类别",
            "close_campaign" => "整治行动收官",
            other => other,
        }
    }
}

/// Units are the organisation's: re-exported where campaigns used to define them.
pub use crate::organisation::UnitKind;

/// The prefix of a task force's item codes: 2–6 capital ASCII letters, the same rule as the
/// prefix part of an [`ItemCode`](crate::values::ItemCode).
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(try_from = "String", into = "String")]
pub struct ItemPrefix(String);

impl ItemPrefix {
    pub fn parse(value: impl Into<String>) -> Result<Self, ValueError> {
        let value = value.into();
        if (2..=6).contains(&value.len()) && value.chars().all(|c| c.is_ascii_uppercase()) {
            Ok(Self(value))
        } else {
            Err(ValueError::Invalid {
                kind: "问题编号前缀",
                value,
                rule: "应为 2 至 6 位大写英文字母，如 YB",
            })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ItemPrefix {
    type Error = ValueError;
    fn try_from(value: String) -> Result<Self, ValueError> {
        Self::parse(value)
    }
}

impl From<ItemPrefix> for String {
    fn from(value: ItemPrefix) -> String {
        value.0
    }
}

impl fmt::Display for ItemPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
