//! 结转 — carrying an open item over to a later campaign (DOMAIN.md, "Organisation": open
//! items are carried over to a named later campaign by an explicit command, keeping their
//! history).
//!
//! The item keeps its stream, so its code (`YB-2026-0001`, even in a 2027 campaign), every
//! event of its history and the deadline in force stay: changing campaigns buys no time, as
//! changing hands (改派) does not. What changes is the campaign (and task force) it belongs
//! to, which the settings of later decisions and the scope of later events follow.
//!
//! Whether the target campaign exists is asked of the settings port, as registration does;
//! whether it is *later* cannot be read from the item alone, except that it is none of the
//! campaigns the item already left.

use super::decide::{Context, OPEN};
use super::Item;
use crate::item::errors::ItemError;
use crate::item::events::ItemEvent;
use crate::values::{CampaignId, TaskForceId, Text};

impl Item {
    pub(super) fn carry_over(
        &self,
        to: CampaignId,
        task_force: Option<TaskForceId>,
        reason: Text,
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
        self.require(request, OPEN)?;
        let registration = self
            .registration
            .as_ref()
            .ok_or(ItemError::NotFound { request })?;
        if registration.campaign == to {
            return Err(ItemError::SameCampaign(to));
        }
        if self.carry_overs.iter().any(|c| c.from == to) {
            return Err(ItemError::NotALaterCampaign(to));
        }
        if services.settings.settings(&to).is_none() {
            return Err(ItemError::UnknownCampaign(to));
        }
        // A deadline that passed in the old campaign is a fact of the item's past: recorded
        // before the item moves on, as every command that moves it on does.
        facts.extend(self.overdue_catch_up(&by, at));
        Ok(ItemEvent::ItemCarriedOver {
            from: registration.campaign.clone(),
            to,
            task_force: task_force.unwrap_or_else(|| registration.task_force.clone()),
            reason,
            by,
            at,
        })
    }
}
