//! The lifecycle states of an item and its derived warning colour.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Where an item is in its lifecycle (DOMAIN.md, "The issue list"):
/// ```text
/// registered ─assign→ assigned ─acknowledge→ in_progress ─request sign-off→ pending_sign_off
/// pending_sign_off ─verify→ closed            pending_sign_off ─reject→ in_progress
/// closed ─re-inspection relapse→ reopened ─acknowledge→ in_progress
/// any open state ─withdraw→ withdrawn
/// ```
/// Overdue (逾期) is not a state but a fact recorded against the deadline in force.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    /// No such item yet (the aggregate's default).
    #[default]
    NotRegistered,
    Registered,
    /// 已交办, waiting for 签收.
    Assigned,
    /// 整改中.
    InProgress,
    /// 待销号 — the unit asked for sign-off.
    PendingSignOff,
    /// 已销号.
    Closed,
    /// 回头看 found a relapse; waiting for 签收 again.
    Reopened,
    /// 已撤销 — a duplicate or unfounded item, off the list.
    Withdrawn,
}

impl ItemState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotRegistered => "not_registered",
            Self::Registered => "registered",
            Self::Assigned => "assigned",
            Self::InProgress => "in_progress",
            Self::PendingSignOff => "pending_sign_off",
            Self::Closed => "closed",
            Self::Reopened => "reopened",
            Self::Withdrawn => "withdrawn",
        }
    }

    /// The name users read (中文), as the ledger (台账) shows it: 待销号, 已销号…
    pub fn label(self) -> &'static str {
        match self {
            Self::NotRegistered => "未登记",
            Self::Registered => "已登记",
            Self::Assigned => "已交办",
            Self::InProgress => "整改中",
            Self::PendingSignOff => "待销号",
            Self::Closed => "已销号",
            Self::Reopened => "回头看复发",
            Self::Withdrawn => "已撤销",
        }
    }

    /// Open = on the list and not yet closed: it can be withdrawn, and it can become overdue
    /// once it has a deadline.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Self::Registered
                | Self::Assigned
                | Self::InProgress
                | Self::PendingSignOff
                | Self::Reopened
        )
    }

    /// Open with a deadline in force (assigned at least once).
    pub fn has_running_deadline(self) -> bool {
        matches!(
            self,
            Self::Assigned | Self::InProgress | Self::PendingSignOff | Self::Reopened
        )
    }
}

impl fmt::Display for ItemState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The warning colour the ledger and the dashboard show (挂图作战). Derived from the state
/// and the instant asked about, never stored in events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Colour {
    Red,
    Yellow,
    Green,
}
