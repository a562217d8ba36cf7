//! The campaign the tests run in, folded from real campaign events: the 2026 campaign with one
//! task force per field of the source — `yibao` (prefix `YB`), `xiaoyuan` (`XYC`), `yanglao`
//! (`YL`), `guoqi` (`GQ`) — each with the source's vocabulary for its field, and the units the
//! tests assign items to as members of `yibao`.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;

use super::fixtures::{person, text, unit};
use super::task_force_of;
use crate::campaign::{Campaign, CampaignEvent, ItemPrefix};
use crate::services::{SettingsFuture, SettingsSource};
use crate::settings::{CampaignSettings, Field};
use crate::values::{CampaignId, Text};

/// The units of the medical-insurance task force in the tests: the bureau the standard item is
/// assigned to, the one it can be reassigned to, and the item property test's other unit.
pub const YIBAO_MEMBERS: &[&str] = &["yibao-ju", "weijian-ju", "other-unit", "county-hospital"];

/// Campaign `id` of year 2026 with `settings` in force and the four task forces.
pub fn test_campaign(id: &CampaignId, settings: CampaignSettings) -> Campaign {
    let at = DateTime::<Utc>::UNIX_EPOCH;
    let by = person("admin-1");
    let mut campaign = Campaign::default();
    campaign.apply(CampaignEvent::CampaignCreated {
        campaign: id.clone(),
        name: text("2026 群腐整治"),
        year: 2026,
        settings,
        by: by.clone(),
        at,
    });
    for (field, prefix) in [
        (Field::MedicalInsurance, "YB"),
        (Field::SchoolMeals, "XYC"),
        (Field::ElderlyCare, "YL"),
        (Field::StateAssets, "GQ"),
    ] {
        let Some(task_force) = task_force_of(&field) else {
            continue;
        };
        let categories: Vec<Text> = field.seed_categories().iter().map(|c| text(c)).collect();
        campaign.apply(CampaignEvent::TaskForceAdded {
            task_force: task_force.clone(),
            field: field.clone(),
            name: text("专班"),
            lead: person("deputy-head"),
            prefix: ItemPrefix::parse(prefix).expect("a valid prefix"),
            categories,
            by: by.clone(),
            at,
        });
        if field == Field::MedicalInsurance {
            for member in YIBAO_MEMBERS {
                campaign.apply(CampaignEvent::TaskForceMemberAdded {
                    task_force: task_force.clone(),
                    unit: unit(member),
                    by: by.clone(),
                    at,
                });
            }
        }
    }
    campaign
}

impl SettingsSource for super::StaticSettings {
    /// Every campaign id names the test campaign, with these settings.
    fn campaign(&self, campaign: &CampaignId) -> Option<Arc<Campaign>> {
        Some(Arc::new(test_campaign(campaign, self.0.clone())))
    }

    fn in_force<'a>(&'a self, _campaigns: &'a [CampaignId]) -> SettingsFuture<'a> {
        let view: Arc<dyn SettingsSource> = Arc::new(self.clone());
        Box::pin(async move { Ok(view) })
    }
}

impl SettingsSource for super::NoCampaigns {
    fn campaign(&self, _campaign: &CampaignId) -> Option<Arc<Campaign>> {
        None
    }

    fn in_force<'a>(&'a self, _campaigns: &'a [CampaignId]) -> SettingsFuture<'a> {
        let view: Arc<dyn SettingsSource> = Arc::new(*self);
        Box::pin(async move { Ok(view) })
    }
}
