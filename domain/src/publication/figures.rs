//! What a publication says: the counts DOMAIN.md defines ("Publications as facts"), per scope
//! and per unit, the overdue ranking, the units named for criticism (点名), and for an
//! assessment each unit's score and grade. Projections compute them; the aggregate only checks
//! that they hang together ([`check_figures`](super::check_figures)).

use serde::{Deserialize, Serialize};

use crate::assessment::{Grade, Rate};
use crate::values::{ItemCode, Score, UnitId};

/// A count in the period and to date (by the cut-off).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Tally {
    pub in_period: u64,
    pub to_date: u64,
}

/// Overdue items (逾期) open at the cut-off, by how they count after 容错: in full, mitigated
/// (减轻, counted by the mitigation factor) or exempted (免责, counted 0 but shown, so a reader
/// can check the exemptions).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OverdueCount {
    pub full: u32,
    pub mitigated: u32,
    pub exempted: u32,
    /// `full + mitigated × factor`: a decimal, since a mitigated item counts 0.5 by default.
    pub weighted: f64,
}

impl OverdueCount {
    /// The count with its weighted value computed by `factor`, the one way every reader does.
    pub fn new(full: u32, mitigated: u32, exempted: u32, factor: f64) -> Self {
        Self {
            full,
            mitigated,
            exempted,
            weighted: weigh(full, mitigated, factor),
        }
    }

    /// Every overdue item open at the cut-off, whatever it counts.
    pub fn items(&self) -> u64 {
        u64::from(self.full) + u64::from(self.mitigated) + u64::from(self.exempted)
    }
}

/// `full + mitigated × factor`.
pub fn weigh(full: u32, mitigated: u32, factor: f64) -> f64 {
    f64::from(full) + f64::from(mitigated) * factor
}

/// The counts of one scope or one unit. Withdrawn items are left out of every figure. A rate
/// is `None` when its denominator is zero ("not applicable").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Counts {
    pub registered: Tally,
    pub closed_on_time: Tally,
    pub closed_late: Tally,
    /// Open at the cut-off (an item reopened by then is open).
    pub open: u64,
    /// Of the open items, those waiting on a sign-off request (待销号).
    pub pending_sign_off: u64,
    /// Of the open items, those overdue at the cut-off.
    pub overdue: OverdueCount,
    /// Whole days overdue, summed over the overdue items (0 for an exempted episode).
    pub days_overdue: u64,
    /// To date: closed by the cut-off among items whose deadline passed before it.
    pub completion_rate: Option<Rate>,
    /// To date: closed on time among closed.
    pub on_time_rate: Option<Rate>,
    /// In the period: send-backs (退回补正) among sign-off requests.
    pub send_back_rate: Option<Rate>,
    /// In the period: complaints answered before their due instant among those due.
    pub response_rate: Option<Rate>,
    /// In the period: relapses found by re-inspection (回头看).
    pub relapses: u64,
    /// In the period: acknowledgements (签收) after their window.
    pub late_acknowledgements: u64,
}

/// One unit's counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UnitRow {
    pub unit: UnitId,
    pub counts: Counts,
}

/// One line of the overdue ranking: ordered by `overdue` descending, then `days_overdue`
/// descending, then unit id. Units with nothing overdue are not ranked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Ranked {
    pub unit: UnitId,
    /// The weighted overdue count.
    pub overdue: f64,
    pub days_overdue: u64,
}

/// A unit's quarterly score (季考核): `None` when no part applied and nothing was deducted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UnitScore {
    pub unit: UnitId,
    pub score: Option<Score>,
    pub grade: Option<Grade>,
}

/// What a weekly dispatch (周调度) lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DispatchLists {
    pub due_within_week: Vec<ItemCode>,
    pub overdue: Vec<ItemCode>,
    /// No progress report for the configured number of days.
    pub stalled: Vec<ItemCode>,
}

/// Everything a publication states.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Figures {
    /// The counts of the publication's whole scope.
    pub totals: Counts,
    pub units: Vec<UnitRow>,
    /// The overdue ranking of the scope.
    pub ranking: Vec<Ranked>,
    /// The first N of the ranking (N = the campaign's `bottom_of_ranking`, 3 by default).
    pub bottom: Vec<UnitId>,
    /// Units named for criticism (点名): the bottom N and every unit at or above the
    /// admonishment threshold.
    pub named: Vec<UnitId>,
    /// Assessments only: each unit's score and grade.
    pub scores: Vec<UnitScore>,
    /// Dispatches only (and always for them).
    pub dispatch: Option<DispatchLists>,
}
