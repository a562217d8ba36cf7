//! 指定承办人 — the handling unit's designated handler.
//!
//! DOMAIN.md: a unit member responds to complaints "as designated handler", and the sealed text
//! is readable by "the handling unit's designated handler". So the handling unit's head (or the
//! field's secretariat) names one of the unit's people; from then on that person alone answers,
//! resolves and may reveal. A transfer to another unit ends the designation: the new unit names
//! its own.

use chrono::{DateTime, Utc};

use super::aggregate::{Complaint, ComplaintStatus};
use super::errors::ComplaintError;
use super::events::ComplaintEvent;
use crate::organisation::Organisation;
use crate::values::PersonId;

impl Complaint {
    pub(super) fn designate_handler(
        &self,
        person: PersonId,
        organisation: &Organisation,
        by: PersonId,
        at: DateTime<Utc>,
    ) -> Result<ComplaintEvent, ComplaintError> {
        let request = "designate_handler";
        self.require(&[ComplaintStatus::Open, ComplaintStatus::Resolved], request)?;
        let unit = self.handler(request)?;
        if !organisation.is_member(&unit, &person) {
            return Err(ComplaintError::HandlerNotInUnit { person, unit });
        }
        if self.designated_handler.as_ref() == Some(&person) {
            return Err(ComplaintError::AlreadyHandler(person));
        }
        Ok(ComplaintEvent::HandlerDesignated {
            unit,
            person,
            by,
            at,
        })
    }
}
