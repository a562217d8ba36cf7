//! 改派 — reassignment (DOMAIN.md, items): a running item goes to another responsible unit and
//! person, with a reason. The deadline in force stays (the item does not get more time by
//! changing hands), a pending sign-off request is cancelled (the new unit answers for its own),
//! and the new unit has a new 签收 window.

use super::decide::{acknowledgement_due, Context, RUNNING, UNIT_SIDE_ACK};
use super::Item;
use crate::item::errors::ItemError;
use crate::item::events::ItemEvent;
use crate::item::state::ItemState;
use crate::values::{PersonId, Text, UnitId};

impl Item {
    pub(super) fn reassign(
        &self,
        responsible_unit: UnitId,
        responsible_person: PersonId,
        reason: Text,
        cx: Context<'_>,
        facts: &mut Vec<ItemEvent>,
    ) -> Result<ItemEvent, ItemError> {
        let Context {
            request,
            by,
            at,
            services,
            organisation,
        } = cx;
        self.require(request, RUNNING)?;
        let current = self
            .assignment
            .as_ref()
            .ok_or(ItemError::InvalidTransition {
                state: self.state,
                request,
            })?;
        if current.responsible_unit == responsible_unit
            && current.responsible_person == responsible_person
        {
            return Err(ItemError::SameAssignment {
                unit: responsible_unit,
                person: responsible_person,
            });
        }
        self.check_member_unit(services, &responsible_unit)?;
        if !organisation.is_member(&responsible_unit, &responsible_person) {
            return Err(ItemError::PersonNotInUnit {
                person: responsible_person,
                unit: responsible_unit,
            });
        }
        // The old unit's 签收, overdue and not recorded yet, is recorded first: the new window
        // replaces the old, and the late 签收 still counts against the unit that missed it.
        let missed = self.acknowledged_at.is_none()
            && !self.acknowledgement_overdue_recorded
            && UNIT_SIDE_ACK.contains(&self.state)
            && at >= current.acknowledgement_due_at;
        if missed {
            facts.push(ItemEvent::AcknowledgementOverdueRecorded {
                effective_at: current.acknowledgement_due_at,
                calendar_unknown: current.calendar_unknown,
                by: by.clone(),
                at,
            });
        }
        let settings = self.settings(services)?;
        let acknowledgement = acknowledgement_due(
            services.calendar.as_ref(),
            self.time_zone(),
            at,
            settings.acknowledgement_working_days,
        );
        Ok(ItemEvent::ItemReassigned {
            from_unit: current.responsible_unit.clone(),
            from_person: current.responsible_person.clone(),
            responsible_unit,
            responsible_person,
            reason,
            acknowledgement_due_at: acknowledgement.value,
            acknowledgement_working_days: settings.acknowledgement_working_days,
            calendar_unknown: acknowledgement.calendar_unknown,
            sign_off_cancelled: self.state == ItemState::PendingSignOff,
            by,
            at,
        })
    }
}
