//! 改派 — reassignment (DOMAIN.md, items): a running item goes to another responsible unit and
//! person, with a reason. The deadline in force stays (the item does not get more time by
//! changing hands), a pending sign-off request is cancelled (the new unit answers for its own),
//! and the new unit has a new 签收 window.

use super::decide::{acknowledgement_due, Context, RUNNING};
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
