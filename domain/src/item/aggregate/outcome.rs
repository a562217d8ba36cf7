//! 成效指标 — outcome indicators of the item: funds recovered, people affected, subsidies
//! returned (DOMAIN.md, items: 将反腐成果转化为民生改善的具体指标).
//!
//! Each record is a fact with its own evidence (佐证) and **adds** to the item's totals; a
//! record never restates them, so two officers recording the same week's recoveries do not
//! overwrite each other. A record entered wrongly is offset by a correction (更正) with a
//! reason, which deducts and never takes a total below zero. Recording is allowed in every
//! state but withdrawn — recoveries often go on after sign-off (销号) — because a withdrawn
//! item (a duplicate, or unfounded) is excluded from every figure.

use super::decide::Context;
use super::Item;
use crate::item::errors::ItemError;
use crate::item::events::ItemEvent;
use crate::item::state::ItemState;
use crate::values::{EvidenceRef, OutcomeIndicators, Text};

/// Every state of a registered item but withdrawn.
const NOT_WITHDRAWN: &[ItemState] = &[
    ItemState::Registered,
    ItemState::Assigned,
    ItemState::InProgress,
    ItemState::PendingSignOff,
    ItemState::Closed,
    ItemState::Reopened,
];

impl Item {
    pub(super) fn record_outcome(
        &self,
        indicators: OutcomeIndicators,
        evidence: Vec<EvidenceRef>,
        cx: Context<'_>,
    ) -> Result<ItemEvent, ItemError> {
        let Context {
            request, by, at, ..
        } = cx;
        self.require(request, NOT_WITHDRAWN)?;
        if evidence.is_empty() {
            return Err(ItemError::EvidenceRequired);
        }
        let totals = self
            .outcome
            .checked_add(indicators)
            .ok_or(ItemError::OutcomeOverflow)?;
        Ok(ItemEvent::OutcomeRecorded {
            indicators,
            evidence,
            totals,
            by,
            at,
        })
    }

    pub(super) fn correct_outcome(
        &self,
        deduct: OutcomeIndicators,
        reason: Text,
        cx: Context<'_>,
    ) -> Result<ItemEvent, ItemError> {
        let Context {
            request, by, at, ..
        } = cx;
        self.require(request, NOT_WITHDRAWN)?;
        let totals =
            self.outcome
                .checked_sub(deduct)
                .ok_or(ItemError::CorrectionExceedsTotals {
                    totals: self.outcome,
                    correction: deduct,
                })?;
        Ok(ItemEvent::OutcomeCorrected {
            deducted: deduct,
            reason,
            totals,
            by,
            at,
        })
    }
}
