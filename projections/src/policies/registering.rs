//! What a policy needs to register an item its cause names: the task force the code's prefix
//! belongs to, and a category from that task force's vocabulary. Pure, so it is tested
//! without a store.

use rectiflow_domain::campaign::Campaign;
use rectiflow_domain::item::{ItemSource, RegisterItem, Severity};
use rectiflow_domain::services::DomainServices;
use rectiflow_domain::values::{CampaignId, ItemCode, Text};
use rectiflow_engine::consumer::HandlerError;

use crate::campaigns::{campaign_in_force, CampaignError};

/// What the cause says about the item to register.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemToRegister {
    pub campaign: CampaignId,
    pub code: ItemCode,
    pub title: Text,
    pub description: Text,
    pub source: ItemSource,
    pub source_ref: Option<Text>,
    pub severity: Severity,
}

/// The registration of `item` in `campaign`: its task force is the one whose prefix the code
/// carries (DOMAIN.md, "The issue list": a code is the task force's prefix and the campaign
/// year), its category the first of that task force's vocabulary — a cause names no category
/// (a case's repair item, a complaint's or an alert's follow-up carry only the code), and the
/// rules require one from the vocabulary. `Err` says why no registration can be made (the
/// policy logs it and moves on: the secretariat can still register the item by hand).
pub fn registration(campaign: &Campaign, item: ItemToRegister) -> Result<RegisterItem, String> {
    let Some((task_force, tf)) = campaign
        .task_forces()
        .iter()
        .find(|(_, tf)| tf.prefix.as_str() == item.code.prefix())
    else {
        return Err(format!(
            "campaign {} has no task force with the prefix of {}",
            item.campaign, item.code
        ));
    };
    let Some(category) = tf.categories.iter().next() else {
        return Err(format!("task force {task_force} has no category"));
    };
    Ok(RegisterItem {
        campaign: item.campaign,
        task_force: task_force.clone(),
        code: item.code,
        title: item.title,
        description: item.description,
        category: category.clone(),
        source: item.source,
        source_ref: item.source_ref,
        severity: item.severity,
    })
}

/// [`registration`] in the campaign as in force now (a member or a category added a moment ago
/// counts). The outer `Err` is the settings port failing (retried); the inner one why no
/// registration can be made (logged).
pub async fn registration_in_force(
    services: &DomainServices,
    item: ItemToRegister,
) -> Result<Result<RegisterItem, String>, HandlerError> {
    match campaign_in_force(services, &item.campaign).await {
        Ok(campaign) => Ok(registration(&campaign, item)),
        Err(unknown @ CampaignError::Unknown(_)) => Ok(Err(unknown.to_string())),
        Err(unavailable) => Err(unavailable.into()),
    }
}

#[cfg(test)]
mod tests {
    use rectiflow_domain::item::{ItemSource, Severity};
    use rectiflow_domain::settings::CampaignSettings;
    use rectiflow_domain::testing::campaigns::test_campaign;
    use rectiflow_domain::testing::fixtures::{campaign, code, text};
    use rectiflow_domain::values::TaskForceId;

    use super::{registration, ItemToRegister};

    fn item(c: &str) -> ItemToRegister {
        ItemToRegister {
            campaign: campaign(),
            code: code(c),
            title: text("完善住院结算审核制度"),
            description: text("医保局审核流于形式"),
            source: ItemSource::Case,
            source_ref: Some(text("case-2026-001")),
            severity: Severity::Medium,
        }
    }

    #[test]
    fn the_codes_prefix_names_the_task_force_and_its_vocabulary_the_category() {
        let c = test_campaign(&campaign(), CampaignSettings::default());
        let body = registration(&c, item("XYC-2026-0007")).expect("a registration");
        assert_eq!(
            body.task_force,
            TaskForceId::parse("xiaoyuan").expect("valid")
        );
        // The vocabulary's first, in its order: 克扣 before 劣质食材.
        assert_eq!(body.category, text("克扣"));
        assert_eq!(body.source_ref, Some(text("case-2026-001")));
        let unknown = registration(&c, item("ZZ-2026-0001"));
        assert!(unknown.is_err(), "{unknown:?}");
    }
}
