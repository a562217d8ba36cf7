//! What a publication is: its kind (周调度、月通报、季考核), its scope and its period.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::values::TaskForceId;

/// The rhythm of the campaign (周调度、月通报、季考核), each published as a fact.
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
pub enum PublicationKind {
    /// 周调度 — the weekly dispatch of one task force: items due within 7 days, overdue,
    /// stalled. A dispatch older than the catch-up window is recorded as skipped.
    Dispatch,
    /// 月通报 — the monthly bulletin, county-wide and per task force. Never skipped.
    Bulletin,
    /// 季考核 — the quarterly assessment, county-wide, with a score per unit. Never skipped.
    Assessment,
}

impl PublicationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PublicationKind::Dispatch => "dispatch",
            PublicationKind::Bulletin => "bulletin",
            PublicationKind::Assessment => "assessment",
        }
    }

    /// The name users read (中文): 周调度, 月通报, 季考核.
    pub fn label(self) -> &'static str {
        match self {
            PublicationKind::Dispatch => "周调度",
            PublicationKind::Bulletin => "月通报",
            PublicationKind::Assessment => "季考核",
        }
    }

    pub(crate) fn parse(value: &str) -> Option<Self> {
        [Self::Dispatch, Self::Bulletin, Self::Assessment]
            .into_iter()
            .find(|kind| kind.as_str() == value)
    }

    /// Whether a publication of this kind may cover `scope`: a dispatch is per task force, an
    /// assessment county-wide, a bulletin either.
    pub fn allows(self, scope: &PublicationScope) -> bool {
        matches!(
            (self, scope),
            (PublicationKind::Dispatch, PublicationScope::TaskForce(_))
                | (PublicationKind::Bulletin, _)
                | (PublicationKind::Assessment, PublicationScope::County)
        )
    }
}

/// Whom a publication covers: the whole county (全县) or one task force (专班).
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PublicationScope {
    County,
    TaskForce(TaskForceId),
}

impl PublicationScope {
    /// The scope as written in a stream id: `county` or `task_force:<id>`.
    pub fn stream_part(&self) -> String {
        match self {
            PublicationScope::County => "county".to_owned(),
            PublicationScope::TaskForce(task_force) => format!("task_force:{task_force}"),
        }
    }

    pub fn task_force(&self) -> Option<&TaskForceId> {
        match self {
            PublicationScope::County => None,
            PublicationScope::TaskForce(task_force) => Some(task_force),
        }
    }
}

/// The period a publication covers, `[start, cut_off)`: it counts what took effect before the
/// cut-off. Which periods a kind accepts (a week, a calendar month, a quarter, in the
/// campaign's time zone) is checked by [`period_label`](super::period_label).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Period {
    pub start: DateTime<Utc>,
    pub cut_off: DateTime<Utc>,
}

/// Where in the log a publication's inputs were read: the position P (the head once the
/// sequencer and the projections it reads had reached it, at or after the cut-off) and the
/// chain digest at P, so anyone holding the digest can verify nothing before it changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LogPoint {
    pub position: u64,
    pub digest: ChainDigest,
}

/// The chain digest at a log position: 64 lower-case hex digits, as `rectiflow digest` prints
/// it without its `sha256:` prefix (`docs/CHAIN.md`). Upper case is refused rather than
/// folded: a published digest is compared as text by whoever holds it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "String", into = "String")]
pub struct ChainDigest(String);

impl ChainDigest {
    pub fn parse(value: impl Into<String>) -> Result<Self, crate::values::ValueError> {
        let value = value.into();
        if value.len() == 64
            && value
                .chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        {
            Ok(Self(value))
        } else {
            Err(crate::values::ValueError::Invalid {
                kind: "日志链摘要",
                value,
                rule: "应为 64 位小写十六进制数字",
            })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ChainDigest {
    type Error = crate::values::ValueError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl From<ChainDigest> for String {
    fn from(value: ChainDigest) -> String {
        value.0
    }
}
