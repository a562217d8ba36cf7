//! Deadline facts, recorded by the scheduler (or caught up by a later command): overdue 签收,
//! the warning window, overdue (逾期), and the re-inspection (回头看) falling due.

use chrono::{DateTime, Utc};

use super::decide::{Context, RUNNING, UNIT_SIDE_ACK};
use super::{DeadlineRecord, Item};
use crate::item::errors::ItemError;
use crate::item::events::ItemEvent;
use crate::item::state::ItemState;
use crate::values::PersonId;

impl Item {
    pub(super) fn record_acknowledgement_overdue(
        &self,
        cx: Context<'_>,
    ) -> Result<ItemEvent, ItemError> {
        let Context {
            request, by, at, ..
        } = cx;
        self.require(request, UNIT_SIDE_ACK)?;
        if self.acknowledgement_overdue_recorded {
            return Err(ItemError::AlreadyRecorded { request });
        }
        let assignment = self
            .assignment
            .as_ref()
            .ok_or(ItemError::InvalidTransition {
                state: self.state,
                request,
            })?;
        let due = assignment.acknowledgement_due_at;
        if at < due {
            return Err(ItemError::NotYetDue { due_at: due });
        }
        Ok(ItemEvent::AcknowledgementOverdueRecorded {
            effective_at: due,
            calendar_unknown: assignment.calendar_unknown,
            by,
            at,
        })
    }

    pub(super) fn record_deadline_warning(&self, cx: Context<'_>) -> Result<ItemEvent, ItemError> {
        let Context {
            request, by, at, ..
        } = cx;
        self.require(request, RUNNING)?;
        let current = self.running_deadline(request)?;
        if current.warning_recorded {
            return Err(ItemError::AlreadyRecorded { request });
        }
        if let Some(requested_at) = self.clock_stopped_at() {
            return Err(ItemError::ClockStopped { requested_at });
        }
        // Stored clamped since the fix; clamped again for deadlines set before it.
        let opens_at = current.warning_at.max(current.set_at);
        if at < opens_at {
            return Err(ItemError::NotYetDue { due_at: opens_at });
        }
        if at >= current.passes_at {
            return Err(ItemError::OutsideWarningWindow {
                opens_at,
                closes_at: current.passes_at,
            });
        }
        Ok(ItemEvent::DeadlineWarningRecorded {
            deadline: current.deadline,
            effective_at: opens_at,
            deadline_passes_at: current.passes_at,
            calendar_unknown: current.calendar_unknown,
            by,
            at,
        })
    }

    pub(super) fn record_overdue(&self, cx: Context<'_>) -> Result<ItemEvent, ItemError> {
        let Context {
            request, by, at, ..
        } = cx;
        self.require(request, RUNNING)?;
        let current = self.running_deadline(request)?;
        if current.overdue_recorded {
            return Err(ItemError::AlreadyRecorded { request });
        }
        if let Some(requested_at) = self.clock_stopped_at() {
            return Err(ItemError::ClockStopped { requested_at });
        }
        if at < current.passes_at {
            return Err(ItemError::NotYetDue {
                due_at: current.passes_at,
            });
        }
        Ok(overdue_fact(current, by, at))
    }

    /// 回头看 due: the closure's re-inspection instant has come, the item is still closed and
    /// not re-inspected, and the fact is not recorded yet for this closure.
    pub(super) fn record_reinspection_due(&self, cx: Context<'_>) -> Result<ItemEvent, ItemError> {
        let Context {
            request, by, at, ..
        } = cx;
        self.require(request, &[ItemState::Closed])?;
        let closure = self.closure.as_ref().ok_or(ItemError::InvalidTransition {
            state: self.state,
            request,
        })?;
        if closure.reinspection_due_recorded || closure.reinspected {
            return Err(ItemError::AlreadyRecorded { request });
        }
        if at < closure.reinspection_due_at {
            return Err(ItemError::NotYetDue {
                due_at: closure.reinspection_due_at,
            });
        }
        Ok(ItemEvent::ReinspectionDueRecorded {
            effective_at: closure.reinspection_due_at,
            by,
            at,
        })
    }

    /// 逾期 catch-up: the overdue fact of the deadline in force, when it is due and not yet
    /// recorded, to be written BEFORE an event that moves the deadline or ends the item
    /// (sign-off, extension, withdrawal, re-inspection). Otherwise a command handled after the
    /// deadline passed but before the scheduler ran would make the fact impossible to record,
    /// and the item could never be ruled on (容错纠错). It is due when
    /// - the item runs against the deadline and `at` is at or after the instant it passes —
    ///   unless its clock stopped at a sign-off request made before then, or
    /// - the item was closed late (a stream written before this catch-up existed).
    ///
    /// `effective_at` is the instant the deadline passed, `at` the command's stamp.
    pub(super) fn overdue_catch_up(&self, by: &PersonId, at: DateTime<Utc>) -> Option<ItemEvent> {
        let current = self.deadlines.last()?;
        if current.overdue_recorded || self.clock_stopped_at().is_some() {
            return None;
        }
        let passed = if self.state.has_running_deadline() {
            at >= current.passes_at
        } else {
            self.state == ItemState::Closed && self.closure.as_ref().is_some_and(|c| !c.on_time)
        };
        passed.then(|| overdue_fact(current, by.clone(), at))
    }
}

/// 逾期: the overdue fact of `deadline`, recorded at `at` by `by` and effective at the instant
/// the deadline passed — however late it is recorded (by the scheduler, a catch-up, or a
/// send-back after an in-time request).
pub(super) fn overdue_fact(
    deadline: &DeadlineRecord,
    by: PersonId,
    at: DateTime<Utc>,
) -> ItemEvent {
    ItemEvent::ItemBecameOverdue {
        deadline: deadline.deadline,
        effective_at: deadline.passes_at,
        by,
        at,
    }
}
