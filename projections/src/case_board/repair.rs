//! 制度修复 on the case board: the repair items a case spawned, each with its standing, kept
//! in one text column as their JSON array (DOMAIN.md "Cases": the case closes when every
//! repair item is closed or withdrawn; a repair item that relapses reopens it).

use rectiflow_domain::values::{ItemCode, Text, UnitId};
use serde::{Deserialize, Serialize};

use super::CaseEntry;

/// Where a repair item stands, as the case was told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RepairState {
    /// Spawned (or reopened by 回头看) and not yet recorded closed: it holds the case open.
    Open,
    /// Recorded closed (销号).
    Closed,
    /// Taken off the issue list (撤销): it no longer holds the case open.
    Withdrawn,
}

/// One repair item of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RepairItemEntry {
    /// The item's code on the issue list.
    pub code: String,
    /// The supervising department it was spawned for.
    pub unit: String,
    pub title: String,
    pub state: RepairState,
    /// Times it was reported reopened after closure (relapses).
    pub reopened: i64,
}

/// A new repair item, open.
pub(super) fn spawn(
    items: &mut Vec<RepairItemEntry>,
    code: &ItemCode,
    unit: &UnitId,
    title: &Text,
) {
    items.push(RepairItemEntry {
        code: code.as_str().to_owned(),
        unit: unit.as_str().to_owned(),
        title: title.as_str().to_owned(),
        state: RepairState::Open,
        reopened: 0,
    });
}

/// The item `code` now stands at `state`; an item the case never spawned changes nothing (the
/// aggregate refuses such reports, and a fold never fails).
pub(super) fn set(items: &mut [RepairItemEntry], code: &ItemCode, state: RepairState) {
    if let Some(item) = items.iter_mut().find(|i| i.code == code.as_str()) {
        item.state = state;
    }
}

/// A relapse (回头看) of the item `code`: open again.
pub(super) fn reopen(items: &mut [RepairItemEntry], code: &ItemCode) {
    if let Some(item) = items.iter_mut().find(|i| i.code == code.as_str()) {
        item.state = RepairState::Open;
        item.reopened += 1;
    }
}

impl CaseEntry {
    /// The counts shown beside the list, recounted from it after every event so they never
    /// disagree with it.
    pub(super) fn count_repair_items(&mut self) {
        let count = |state: RepairState| {
            let n = self
                .repair_items
                .iter()
                .filter(|i| i.state == state)
                .count();
            i64::try_from(n).unwrap_or(i64::MAX)
        };
        self.repair_items_open = count(RepairState::Open);
        self.repair_items_closed = count(RepairState::Closed);
        self.repair_items_withdrawn = count(RepairState::Withdrawn);
        self.repair_items_spawned = i64::try_from(self.repair_items.len()).unwrap_or(i64::MAX);
        self.repair_items_reopened = self.repair_items.iter().map(|i| i.reopened).sum();
    }
}
