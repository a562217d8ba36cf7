//! Sign-off (销号): the unit's request with the four elements, verification or send-back
//! (退回补正) by the secretariat.

use chrono::{DateTime, Utc};

use super::deadline_facts::overdue_fact;
use super::decide::{plus_days, Context};
use super::Item;
use crate::item::commands::{SignOffElement, SignOffRequest};
use crate::item::errors::ItemError;
use crate::item::events::ItemEvent;
use crate::item::state::ItemState;
use crate::values::{PersonId, Text};

impl Item {
    pub(super) fn request_sign_off(
        &self,
        sign_off: SignOffRequest,
        cx: Context<'_>,
    ) -> Result<ItemEvent, ItemError> {
        let Context {
            request, by, at, ..
        } = cx;
        self.require(request, &[ItemState::InProgress])?;
        sign_off_requested(sign_off, by, at)
    }

    pub(super) fn verify_sign_off(
        &self,
        note: Option<Text>,
        cx: Context<'_>,
        facts: &mut Vec<ItemEvent>,
    ) -> Result<ItemEvent, ItemError> {
        let Context {
            request,
            by,
            at,
            services,
            ..
        } = cx;
        self.require(request, &[ItemState::PendingSignOff])?;
        let settings = self.settings(services)?;
        let current = self.running_deadline(request)?;
        let original = self.deadlines.first().unwrap_or(current);
        // Judged at the request that is now accepted (逾期销号 = it came after the deadline).
        let requested_at = self.sign_off_requested_at.unwrap_or(at);
        // The verified request's outcome indicators count now (a request sent back counted
        // nothing).
        let outcome = self.sign_off_indicators;
        if let Some(indicators) = outcome {
            self.outcome
                .checked_add(indicators)
                .ok_or(ItemError::OutcomeOverflow)?;
        }
        facts.extend(self.overdue_catch_up(&by, at));
        Ok(ItemEvent::ItemClosed {
            deadline_in_force: current.deadline,
            original_deadline: original.deadline,
            on_time: requested_at < current.passes_at,
            after_original_deadline: requested_at >= original.passes_at,
            sign_off_requested_at: requested_at,
            reinspection_due_at: plus_days(at, settings.reinspection_days),
            reinspection_days: settings.reinspection_days,
            note,
            outcome,
            by,
            at,
        })
    }

    /// 退回补正. Sent back after the deadline passed, an item whose clock had stopped at an
    /// in-time request becomes overdue now, effective at the deadline: the request it was
    /// waiting on no longer counts.
    pub(super) fn reject_sign_off(
        &self,
        reasons: Vec<Text>,
        cx: Context<'_>,
        facts: &mut Vec<ItemEvent>,
    ) -> Result<ItemEvent, ItemError> {
        let Context {
            request, by, at, ..
        } = cx;
        self.require(request, &[ItemState::PendingSignOff])?;
        if reasons.is_empty() {
            return Err(ItemError::ReasonsRequired);
        }
        let current = self.running_deadline(request)?;
        if !current.overdue_recorded && at >= current.passes_at {
            facts.push(overdue_fact(current, by.clone(), at));
        }
        Ok(ItemEvent::SignOffRejected {
            reasons,
            send_backs: self.send_backs + 1,
            by,
            at,
        })
    }
}

/// 问题—措施—成效—佐证: all four, with at least one evidence reference; a refusal names every
/// missing element.
fn sign_off_requested(
    request: SignOffRequest,
    by: PersonId,
    at: DateTime<Utc>,
) -> Result<ItemEvent, ItemError> {
    match request {
        SignOffRequest {
            problem: Some(problem),
            measures: Some(measures),
            result: Some(result),
            indicators,
            evidence,
        } if !evidence.is_empty() => Ok(ItemEvent::SignOffRequested {
            problem,
            measures,
            result,
            indicators,
            evidence,
            by,
            at,
        }),
        request => {
            let missing = [
                (request.problem.is_none(), SignOffElement::Problem),
                (request.measures.is_none(), SignOffElement::Measures),
                (request.result.is_none(), SignOffElement::Result),
                (request.evidence.is_empty(), SignOffElement::Evidence),
            ]
            .into_iter()
            .filter_map(|(missing, element)| missing.then_some(element))
            .collect();
            Err(ItemError::IncompleteSignOff { missing })
        }
    }
}
