//! A campaign as in force now, read through the settings port: what a policy or a publication
//! decides with (DOMAIN.md: settings are read as in force at the instant of each decision).

use std::sync::Arc;

use rectiflow_domain::campaign::Campaign;
use rectiflow_domain::failure::PortUnavailable;
use rectiflow_domain::services::DomainServices;
use rectiflow_domain::values::CampaignId;
use rectiflow_engine::consumer::HandlerError;

/// Why a campaign could not be read.
#[derive(Debug, Clone, thiserror::Error)]
pub enum CampaignError {
    /// The settings port did not answer: try again.
    #[error(transparent)]
    Unavailable(#[from] PortUnavailable),
    #[error("the campaign {0} is not known")]
    Unknown(CampaignId),
}

impl From<CampaignError> for HandlerError {
    fn from(error: CampaignError) -> Self {
        HandlerError(error.to_string())
    }
}

/// `campaign` at its latest recorded version.
pub async fn campaign_in_force(
    services: &DomainServices,
    campaign: &CampaignId,
) -> Result<Arc<Campaign>, CampaignError> {
    services
        .settings
        .in_force(std::slice::from_ref(campaign))
        .await?
        .campaign(campaign)
        .ok_or_else(|| CampaignError::Unknown(campaign.clone()))
}
