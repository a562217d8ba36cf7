//! The settings port served from the log: each campaign stream at its latest version.
//!
//! DOMAIN.md: "settings are read as in force at the instant of each decision". Before an
//! aggregate decides, its `handle` asks for the campaigns the command names
//! ([`SettingsSource::in_force`]); this source loads each of those streams through the
//! executor (snapshot and the events after it), so a setting changed, a member added or a
//! category named a moment ago — on this node or another — applies to this decision. The last
//! campaigns read are kept for synchronous readers outside a decision.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use rectiflow_domain::campaign::Campaign;
use rectiflow_domain::services::{CampaignsInForce, SettingsFuture, SettingsSource, SETTINGS};
use rectiflow_domain::values::CampaignId;
use rectiflow_domain::PortUnavailable;

use crate::executor::{Executor, Followed};
use crate::store::EventStore;

/// A [`SettingsSource`] reading campaigns through an [`Executor`].
pub struct StoreSettings<S> {
    executor: Executor<S>,
    last_read: RwLock<BTreeMap<CampaignId, Arc<Campaign>>>,
    followed: Followed<Campaign>,
}

impl<S> StoreSettings<S> {
    pub fn new(executor: Executor<S>) -> Self {
        Self {
            executor,
            last_read: RwLock::new(BTreeMap::new()),
            followed: Followed::default(),
        }
    }
}

impl<S: EventStore + Clone + Send + Sync + 'static> SettingsSource for StoreSettings<S> {
    /// The campaign as last read by [`in_force`](SettingsSource::in_force).
    fn campaign(&self, campaign: &CampaignId) -> Option<Arc<Campaign>> {
        self.last_read
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(campaign)
            .cloned()
    }

    fn in_force<'a>(&'a self, campaigns: &'a [CampaignId]) -> SettingsFuture<'a> {
        Box::pin(async move {
            let mut read = Vec::with_capacity(campaigns.len());
            for id in campaigns {
                let campaign = self
                    .followed
                    .latest(&self.executor, id.as_str())
                    .await
                    .map_err(|error| PortUnavailable {
                        port: SETTINGS,
                        reason: error.to_string(),
                    })?;
                // A stream with no events is no campaign: the command names an unknown one.
                if campaign.exists() {
                    read.push((id.clone(), campaign));
                }
            }
            let mut last_read = self
                .last_read
                .write()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            for (id, campaign) in &read {
                last_read.insert(id.clone(), campaign.clone());
            }
            drop(last_read);
            let view: Arc<dyn SettingsSource> = Arc::new(CampaignsInForce::new(read));
            Ok(view)
        })
    }
}
