//! Extensions (延期): the unit's request, the secretariat's approval or denial.

use super::decide::{deadline_instants, Context, DeadlineInstants};
use super::Item;
use crate::item::errors::ItemError;
use crate::item::events::ItemEvent;
use crate::item::settings_used::ExtensionSettings;
use crate::item::state::ItemState;
use crate::values::{Deadline, Text};

impl Item {
    pub(super) fn request_extension(
        &self,
        reason: Text,
        new_deadline: Deadline,
        cx: Context<'_>,
    ) -> Result<ItemEvent, ItemError> {
        let Context {
            request,
            by,
            at,
            services,
            ..
        } = cx;
        self.require(request, &[ItemState::InProgress])?;
        if self.pending_extension.is_some() {
            return Err(ItemError::ExtensionPending);
        }
        let current = self.running_deadline(request)?;
        if at >= current.passes_at {
            return Err(ItemError::DeadlinePassed {
                deadline: current.deadline,
                passed_at: current.passes_at,
            });
        }
        if new_deadline <= current.deadline {
            return Err(ItemError::ExtensionNotLater {
                requested: new_deadline,
                in_force: current.deadline,
            });
        }
        let settings = self.settings(services)?;
        if self.extensions_approved >= settings.max_extensions {
            return Err(ItemError::ExtensionLimitReached {
                limit: settings.max_extensions,
            });
        }
        Ok(ItemEvent::ExtensionRequested {
            reason,
            current_deadline: current.deadline,
            requested_deadline: new_deadline,
            max_extensions: settings.max_extensions,
            by,
            at,
        })
    }

    pub(super) fn approve_extension(
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
        self.require(request, &[ItemState::InProgress, ItemState::PendingSignOff])?;
        let pending = self
            .pending_extension
            .as_ref()
            .ok_or(ItemError::NoExtensionPending)?;
        let settings = self.settings(services)?;
        if self.extensions_approved >= settings.max_extensions {
            return Err(ItemError::ExtensionLimitReached {
                limit: settings.max_extensions,
            });
        }
        let current = self.running_deadline(request)?;
        let tz = self.time_zone();
        let DeadlineInstants {
            passes_at,
            warning_at,
            calendar_unknown,
        } = deadline_instants(
            services.calendar.as_ref(),
            tz,
            pending.requested_deadline,
            settings.warning_working_days,
            at,
        );
        if at >= passes_at {
            return Err(ItemError::DeadlinePassed {
                deadline: pending.requested_deadline,
                passed_at: passes_at,
            });
        }
        facts.extend(self.overdue_catch_up(&by, at));
        Ok(ItemEvent::ExtensionApproved {
            previous_deadline: current.deadline,
            new_deadline: pending.requested_deadline,
            deadline_passes_at: passes_at,
            warning_at,
            calendar_unknown,
            extensions_approved: self.extensions_approved + 1,
            settings: ExtensionSettings::of(&settings),
            note,
            by,
            at,
        })
    }

    pub(super) fn deny_extension(
        &self,
        reason: Text,
        cx: Context<'_>,
    ) -> Result<ItemEvent, ItemError> {
        let Context {
            request, by, at, ..
        } = cx;
        self.require(request, &[ItemState::InProgress, ItemState::PendingSignOff])?;
        let pending = self
            .pending_extension
            .as_ref()
            .ok_or(ItemError::NoExtensionPending)?;
        Ok(ItemEvent::ExtensionDenied {
            requested_deadline: pending.requested_deadline,
            reason,
            by,
            at,
        })
    }
}
