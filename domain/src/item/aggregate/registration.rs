//! Registration (登记), assignment (交办) and acknowledgement (签收).

use super::decide::{
    acknowledgement_due, deadline_instants, Context, DeadlineInstants, UNIT_SIDE_ACK,
};
use super::task_force::{campaign_of, check_registration};
use super::Item;
use crate::item::commands::{AssignItem, ItemRequest, RegisterItem};
use crate::item::errors::ItemError;
use crate::item::events::ItemEvent;
use crate::item::settings_used::DeadlineSettings;
use crate::item::state::ItemState;

impl Item {
    pub(super) fn register(
        &self,
        register: RegisterItem,
        cx: Context<'_>,
    ) -> Result<ItemEvent, ItemError> {
        let Context {
            by, at, services, ..
        } = cx;
        if self.state != ItemState::NotRegistered {
            return Err(ItemError::AlreadyRegistered);
        }
        let campaign = campaign_of(services, &register.campaign)?;
        check_registration(&campaign, &register)?;
        let settings = campaign.settings();
        let RegisterItem {
            campaign,
            task_force,
            code,
            title,
            description,
            category,
            source,
            source_ref,
            severity,
        } = register;
        Ok(ItemEvent::ItemRegistered {
            campaign,
            task_force,
            code,
            title,
            description,
            category,
            source,
            source_ref,
            severity,
            time_zone: settings.time_zone,
            yellow_after_send_backs: settings.yellow_after_send_backs,
            by,
            at,
        })
    }

    pub(super) fn assign(
        &self,
        assign: AssignItem,
        cx: Context<'_>,
    ) -> Result<ItemEvent, ItemError> {
        let Context {
            by,
            at,
            services,
            organisation,
            ..
        } = cx;
        self.require(ItemRequest::Assign, &[ItemState::Registered])?;
        let settings = self.settings(services)?;
        let AssignItem {
            responsible_unit,
            responsible_person,
            supervising_unit,
            deadline,
            measures,
            milestones,
        } = assign;
        let tz = self.time_zone();
        let calendar = services.calendar.as_ref();
        let DeadlineInstants {
            passes_at,
            warning_at,
            calendar_unknown,
        } = deadline_instants(calendar, tz, deadline, settings.warning_working_days, at);
        if at >= passes_at {
            return Err(ItemError::DeadlinePassed {
                deadline,
                passed_at: passes_at,
            });
        }
        if let Some(late) = milestones.iter().find(|m| m.date > deadline.date()) {
            return Err(ItemError::MilestoneAfterDeadline {
                milestone: late.date,
                deadline,
            });
        }
        self.check_member_unit(services, &responsible_unit)?;
        if !organisation.is_member(&responsible_unit, &responsible_person) {
            return Err(ItemError::PersonNotInUnit {
                person: responsible_person,
                unit: responsible_unit,
            });
        }
        let acknowledgement =
            acknowledgement_due(calendar, tz, at, settings.acknowledgement_working_days);
        Ok(ItemEvent::ItemAssigned {
            responsible_unit,
            responsible_person,
            supervising_unit,
            deadline,
            measures,
            milestones,
            acknowledgement_due_at: acknowledgement.value,
            deadline_passes_at: passes_at,
            warning_at,
            calendar_unknown: calendar_unknown || acknowledgement.calendar_unknown,
            settings: DeadlineSettings::of(&settings),
            by,
            at,
        })
    }

    pub(super) fn acknowledge(
        &self,
        cx: Context<'_>,
        facts: &mut Vec<ItemEvent>,
    ) -> Result<ItemEvent, ItemError> {
        let Context {
            request, by, at, ..
        } = cx;
        self.require(request, UNIT_SIDE_ACK)?;
        let late = self
            .assignment
            .as_ref()
            .filter(|a| at >= a.acknowledgement_due_at);
        // The overdue 签收 is a fact recorded exactly once, whichever comes first:
        // the scheduler's RecordAcknowledgementOverdue or the unit's late 签收.
        if let Some(assignment) = late {
            if !self.acknowledgement_overdue_recorded {
                facts.push(ItemEvent::AcknowledgementOverdueRecorded {
                    effective_at: assignment.acknowledgement_due_at,
                    calendar_unknown: assignment.calendar_unknown,
                    by: by.clone(),
                    at,
                });
            }
        }
        Ok(ItemEvent::ItemAcknowledged {
            late: late.is_some(),
            by,
            at,
        })
    }
}
