//! The ports an aggregate may consult while handling a command, bundled as cqrs-es `Services`.

use std::sync::Arc;

use crate::calendar::WorkingCalendar;
use crate::directory::Directory;
use crate::identity::IdentityVault;
use crate::settings::{CampaignSettings, Field};
use crate::values::{CampaignId, TaskForceId};

/// The campaign settings in force, looked up by campaign. Settings live in the Campaign
/// aggregate's events; an adapter keeps them current from the log.
pub trait SettingsSource: Send + Sync {
    fn settings(&self, campaign: &CampaignId) -> Option<CampaignSettings>;

    /// The campaign's task force for `field` (one per field), whose secretariat acts on the
    /// field's complaints, cases, surveys and alerts.
    fn task_force(&self, campaign: &CampaignId, field: &Field) -> Option<TaskForceId>;
}

/// Everything the aggregates may ask of the outside world. Shared by all aggregates so one
/// executor can serve them all.
#[derive(Clone)]
pub struct DomainServices {
    pub calendar: Arc<dyn WorkingCalendar>,
    pub directory: Arc<dyn Directory>,
    pub vault: Arc<dyn IdentityVault>,
    pub settings: Arc<dyn SettingsSource>,
}
