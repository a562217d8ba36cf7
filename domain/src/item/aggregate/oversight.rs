//! Oversight: fault-tolerance rulings (容错纠错), leaders' instructions (批示), urging (催办).

use super::decide::{Context, RUNNING};
use super::Item;
use crate::item::commands::{FaultCause, FaultDecision};
use crate::item::errors::ItemError;
use crate::item::events::ItemEvent;
use crate::item::state::ItemState;
use crate::values::{PersonId, Text, UnitId};

impl Item {
    pub(super) fn rule_fault_tolerance(
        &self,
        cause: FaultCause,
        decision: FaultDecision,
        reason: Text,
        cx: Context<'_>,
    ) -> Result<ItemEvent, ItemError> {
        let Context {
            request,
            by,
            at,
            services,
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
        // Overdue, relapsed, or closed late (逾期销号): a late closure is a failure to
        // meet the deadline even if no overdue fact was ever recorded for it.
        let closed_late = self.closure.as_ref().is_some_and(|c| !c.on_time);
        if self.overdue_count == 0 && self.relapses == 0 && !closed_late {
            return Err(ItemError::RulingNotApplicable);
        }
        self.ensure_outside_unit(&by, request, services)?;
        Ok(ItemEvent::FaultToleranceRuled {
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
