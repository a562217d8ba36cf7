//! The ports an aggregate may consult while handling a command, bundled as cqrs-es `Services`.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::calendar::WorkingCalendar;
use crate::campaign::Campaign;
use crate::directory::Directory;
use crate::failure::PortUnavailable;
use crate::identity::IdentityVault;
use crate::settings::{CampaignSettings, Field};
use crate::values::{CampaignId, TaskForceId};

/// The name the campaigns' settings go by in a [`PortUnavailable`].
pub const SETTINGS: &str = "settings";

pub type SettingsFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Arc<dyn SettingsSource>, PortUnavailable>> + Send + 'a>>;

/// The campaigns — their settings in force, task forces, vocabularies and member units — as
/// the Campaign aggregate's events say.
///
/// Decisions read it synchronously ([`settings`](Self::settings), [`campaign`](Self::campaign))
/// from a view taken for the command: before deciding, every aggregate's `handle` asks
/// [`DomainServices::for_campaigns`] for the campaigns the command names, and the source answers
/// with [`in_force`](Self::in_force) — for a store-backed source, the campaign streams at their
/// latest version, so a setting changed a moment ago on another node applies to this decision
/// (DOMAIN.md: "settings are read as in force at the instant of each decision").
pub trait SettingsSource: Send + Sync {
    /// The campaign as this view knows it.
    fn campaign(&self, campaign: &CampaignId) -> Option<Arc<Campaign>>;

    /// A view holding `campaigns` at their latest recorded version, to decide one command with.
    fn in_force<'a>(&'a self, campaigns: &'a [CampaignId]) -> SettingsFuture<'a>;

    /// The settings in force in `campaign`.
    fn settings(&self, campaign: &CampaignId) -> Option<CampaignSettings> {
        self.campaign(campaign).map(|c| c.settings().clone())
    }

    /// The campaign's task force for `field` (one per field), whose secretariat acts on the
    /// field's complaints, cases, surveys and alerts.
    fn task_force(&self, campaign: &CampaignId, field: &Field) -> Option<TaskForceId> {
        self.campaign(campaign)?.task_force_for(field).cloned()
    }
}

/// Campaigns as read for one command: what [`SettingsSource::in_force`] returns.
#[derive(Debug, Clone, Default)]
pub struct CampaignsInForce {
    campaigns: BTreeMap<CampaignId, Arc<Campaign>>,
}

impl CampaignsInForce {
    pub fn new(campaigns: impl IntoIterator<Item = (CampaignId, Arc<Campaign>)>) -> Self {
        Self {
            campaigns: campaigns.into_iter().collect(),
        }
    }
}

impl SettingsSource for CampaignsInForce {
    fn campaign(&self, campaign: &CampaignId) -> Option<Arc<Campaign>> {
        self.campaigns.get(campaign).cloned()
    }

    /// Already a view for one command: it answers as it stands.
    fn in_force<'a>(&'a self, _campaigns: &'a [CampaignId]) -> SettingsFuture<'a> {
        let view: Arc<dyn SettingsSource> = Arc::new(self.clone());
        Box::pin(async move { Ok(view) })
    }
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

impl DomainServices {
    /// These services with the settings of `campaigns` and the working-day calendar read as in
    /// force now: what a `handle` decides with. No campaign named, no settings to read.
    pub async fn for_campaigns(
        &self,
        campaigns: &[CampaignId],
    ) -> Result<DomainServices, PortUnavailable> {
        let settings = match campaigns {
            [] => self.settings.clone(),
            named => self.settings.in_force(named).await?,
        };
        let calendar = match self.calendar.in_force() {
            Some(in_force) => in_force.await?,
            None => self.calendar.clone(),
        };
        Ok(DomainServices {
            settings,
            calendar,
            ..self.clone()
        })
    }
}
