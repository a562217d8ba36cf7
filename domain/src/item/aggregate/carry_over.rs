//! 结转 — carrying an open item over to a later campaign (DOMAIN.md, "Organisation": open
//! items are carried over to a named later campaign by an explicit command, keeping their
//! history).
//!
//! The item keeps its stream, so its code (`YB-2026-0001`, even in a 2027 campaign), every
//! event of its history and the deadline in force stay: changing campaigns buys no time, as
//! changing hands (改派) does not. What changes is the campaign (and task force) it belongs
//! to, which the settings of later decisions and the scope of later events follow.
//!
//! The target is read as in force, as registration reads its campaign: it must exist, be open,
//! be of the same year or a later one, and never be a campaign the item already left; the task
//! force the item goes to must be one of its task forces, and the unit answering for the item
//! a member of it — the item arrives as a lawful item of the new campaign.

use super::decide::{Context, OPEN};
use super::task_force::{campaign_of, task_force_in};
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
        let current = campaign_of(services, &registration.campaign)?;
        let target = campaign_of(services, &to)?;
        if let Some(closure) = target.closure() {
            return Err(ItemError::CampaignClosed {
                campaign: to,
                closed_at: closure.closed_at,
            });
        }
        if target.year() < current.year() {
            return Err(ItemError::NotALaterCampaign(to));
        }
        let task_force = task_force.unwrap_or_else(|| registration.task_force.clone());
        let joins = task_force_in(&target, &task_force)?;
        if let Some(assignment) = &self.assignment {
            if !joins.members.contains(&assignment.responsible_unit) {
                return Err(ItemError::UnitNotInTaskForce {
                    unit: assignment.responsible_unit.clone(),
                    task_force,
                });
            }
        }
        // A deadline that passed in the old campaign is a fact of the item's past: recorded
        // before the item moves on, as every command that moves it on does.
        facts.extend(self.overdue_catch_up(&by, at));
        Ok(ItemEvent::ItemCarriedOver {
            from: registration.campaign.clone(),
            to,
            task_force,
            reason,
            by,
            at,
        })
    }
}
