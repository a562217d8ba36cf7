//! Oversight: fault-tolerance rulings (容错纠错), leaders' instructions (批示), urging (催办).

use super::decide::{Context, RUNNING};
use super::Item;
use crate::item::commands::{Episode, FaultCause, FaultDecision};
use crate::item::errors::ItemError;
use crate::item::events::ItemEvent;
use crate::item::state::ItemState;
use crate::values::{PersonId, Text, UnitId};

impl Item {
    /// 容错纠错 on one episode (DOMAIN.md "Fault tolerance"): the episode must be one the item
    /// failed — a deadline that passed unmet, or a relapse — and not yet ruled on; subjective
    /// wrongdoing is never exempted or mitigated.
    pub(super) fn rule_fault_tolerance(
        &self,
        episode: Episode,
        cause: FaultCause,
        decision: FaultDecision,
        reason: Text,
        cx: Context<'_>,
    ) -> Result<ItemEvent, ItemError> {
        let Context {
            request, by, at, ..
        } = cx;
        self.require(
            request,
            &[
                ItemState::Assigned,
                ItemState::InProgress,
                ItemState::PendingSignOff,
                ItemState::Closed,
                ItemState::Reopened,
            ],
        )?;
        if !self.failed(episode) {
            return Err(ItemError::RulingNotApplicable { episode });
        }
        if self.ruling_on(episode).is_some() {
            return Err(ItemError::EpisodeAlreadyRuled { episode });
        }
        if decision != FaultDecision::None && !cause.excusable() {
            return Err(ItemError::NotExcusable);
        }
        Ok(ItemEvent::FaultToleranceRuled {
            episode,
            cause,
            decision,
            reason,
            by,
            at,
        })
    }

    pub(super) fn record_instruction(
        &self,
        text: Text,
        leader: PersonId,
        cx: Context<'_>,
    ) -> Result<ItemEvent, ItemError> {
        let Context {
            request, by, at, ..
        } = cx;
        if self.state == ItemState::NotRegistered {
            return Err(ItemError::NotFound { request });
        }
        Ok(ItemEvent::InstructionRecorded {
            text,
            instructed_by: leader,
            by,
            at,
        })
    }

    pub(super) fn urge(
        &self,
        unit: UnitId,
        text: Text,
        cx: Context<'_>,
    ) -> Result<ItemEvent, ItemError> {
        let Context {
            request, by, at, ..
        } = cx;
        self.require(request, RUNNING)?;
        let involved = self
            .assignment
            .as_ref()
            .is_some_and(|a| a.responsible_unit == unit || a.supervising_unit == unit);
        if !involved {
            return Err(ItemError::UnitNotInvolved(unit));
        }
        Ok(ItemEvent::ItemUrged { unit, text, by, at })
    }
}

impl Item {
    /// Whether the item failed `episode`: the numbered deadline passed unmet (an overdue fact,
    /// or a late closure — 逾期销号 is a failure even if no overdue fact was recorded), or the
    /// numbered relapse happened.
    fn failed(&self, episode: Episode) -> bool {
        match episode {
            Episode::Deadline { number } => number
                .checked_sub(1)
                .and_then(|i| self.deadlines.get(i as usize))
                .is_some_and(|d| d.failed()),
            Episode::Relapse { number } => number >= 1 && number <= self.relapses,
        }
    }
}
