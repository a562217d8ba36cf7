//! What the campaign's task force says about an item (DOMAIN.md, "The issue list"): its code is
//! the task force's prefix and the campaign's year, its category comes from the task force's
//! vocabulary, and the unit answering for it is a member of the task force. A campaign that
//! has closed takes no new item.
//!
//! The campaign is read as in force for this command ([`SettingsSource::in_force`]), so a
//! member added or a category named a moment ago counts at once.
//!
//! [`SettingsSource::in_force`]: crate::services::SettingsSource::in_force

use std::sync::Arc;

use super::Item;
use crate::campaign::{Campaign, TaskForce};
use crate::item::commands::RegisterItem;
use crate::item::errors::ItemError;
use crate::services::DomainServices;
use crate::values::{CampaignId, TaskForceId, UnitId};

/// The campaign named, refused if unknown.
pub(super) fn campaign_of(
    services: &DomainServices,
    campaign: &CampaignId,
) -> Result<Arc<Campaign>, ItemError> {
    services
        .settings
        .campaign(campaign)
        .ok_or_else(|| ItemError::UnknownCampaign(campaign.clone()))
}

/// The task force named in the campaign, refused if the campaign has none of that id.
pub(super) fn task_force_in<'c>(
    campaign: &'c Campaign,
    task_force: &TaskForceId,
) -> Result<&'c TaskForce, ItemError> {
    campaign
        .task_force(task_force)
        .ok_or_else(|| ItemError::UnknownTaskForce(task_force.clone()))
}

/// A registration's code, category and campaign checked against the task force.
pub(super) fn check_registration(
    campaign: &Campaign,
    register: &RegisterItem,
) -> Result<(), ItemError> {
    if let Some(closure) = campaign.closure() {
        return Err(ItemError::CampaignClosed {
            campaign: register.campaign.clone(),
            closed_at: closure.closed_at,
        });
    }
    let task_force = task_force_in(campaign, &register.task_force)?;
    let code = &register.code;
    if code.prefix() != task_force.prefix.as_str() || code.year() != campaign.year() {
        return Err(ItemError::CodeMismatch {
            code: code.clone(),
            expected: format!("{}-{}-NNNN", task_force.prefix.as_str(), campaign.year()),
        });
    }
    if !task_force.categories.contains(&register.category) {
        return Err(ItemError::UnknownCategory {
            category: register.category.clone(),
            task_force: register.task_force.clone(),
        });
    }
    Ok(())
}

impl Item {
    /// The unit answering for the item must be a member of its task force.
    pub(super) fn check_member_unit(
        &self,
        services: &DomainServices,
        unit: &UnitId,
    ) -> Result<(), ItemError> {
        let Some(registration) = self.registration.as_ref() else {
            return Ok(());
        };
        let campaign = campaign_of(services, &registration.campaign)?;
        let task_force = task_force_in(&campaign, &registration.task_force)?;
        if task_force.members.contains(unit) {
            Ok(())
        } else {
            Err(ItemError::UnitNotInTaskForce {
                unit: unit.clone(),
                task_force: registration.task_force.clone(),
            })
        }
    }
}
