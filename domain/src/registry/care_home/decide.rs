//! Every decision of the care-home aggregate: the events a command yields, or why it is
//! refused.

use crate::services::DomainServices;
use crate::settings::CampaignSettings;
use crate::values::{CampaignId, Deadline};
use crate::{Command, Stamp};

use super::aggregate::{CareHome, CareHomeStatus};
use super::commands::{CareHomeCommand, RectificationOutcome};
use super::errors::CareHomeError;
use super::events::CareHomeEvent;
use super::rating::rate;

type Decided = Result<Vec<CareHomeEvent>, CareHomeError>;

impl CareHome {
    fn refuse(&self, request: &'static str) -> CareHomeError {
        CareHomeError::InvalidTransition {
            state: self.status.as_str(),
            request,
        }
    }

    pub fn decide(&self, command: Command<CareHomeCommand>, services: &DomainServices) -> Decided {
        let Command { stamp, body } = command;
        let request = body.name();
        let settings = |campaign: &CampaignId| {
            services
                .settings
                .settings(campaign)
                .ok_or_else(|| CareHomeError::UnknownCampaign {
                    campaign: campaign.clone(),
                })
        };
        match body {
            CareHomeCommand::RecordInspection {
                campaign,
                scores,
                findings,
            } => {
                if self.status == CareHomeStatus::Revoked {
                    return Err(self.refuse(request));
                }
                let rating = settings(&campaign)?.care_home;
                let (total, stars) = rate(&scores, &rating).ok_or(CareHomeError::Unratable)?;
                Ok(vec![CareHomeEvent::Inspected {
                    campaign,
                    scores,
                    rating,
                    total,
                    stars,
                    findings,
                    by: stamp.actor,
                    at: stamp.at,
                }])
            }
            CareHomeCommand::OrderRectification {
                campaign,
                violations,
                deadline,
                item,
            } => {
                if !matches!(
                    self.status,
                    CareHomeStatus::Unknown | CareHomeStatus::Operating
                ) {
                    return Err(self.refuse(request));
                }
                let due_at = future_deadline(&settings(&campaign)?, deadline, &stamp)?;
                Ok(vec![CareHomeEvent::RectificationOrdered {
                    campaign,
                    violations,
                    deadline,
                    due_at,
                    item,
                    by: stamp.actor,
                    at: stamp.at,
                }])
            }
            CareHomeCommand::RecordRectificationResult { outcome, notes } => {
                let (CareHomeStatus::UnderRectification, Some(rectification)) =
                    (self.status, &self.rectification)
                else {
                    return Err(self.refuse(request));
                };
                Ok(vec![match outcome {
                    RectificationOutcome::Passed => CareHomeEvent::RectificationPassed {
                        notes,
                        on_time: stamp.at < rectification.due_at,
                        by: stamp.actor,
                        at: stamp.at,
                    },
                    RectificationOutcome::Failed => {
                        if stamp.at < rectification.due_at {
                            return Err(CareHomeError::RectificationStillRunning {
                                due_at: rectification.due_at,
                            });
                        }
                        CareHomeEvent::RectificationFailed {
                            notes,
                            failures: self.rectifications_failed.saturating_add(1),
                            by: stamp.actor,
                            at: stamp.at,
                        }
                    }
                }])
            }
            CareHomeCommand::RevokeLicence { reason } => {
                if self.status == CareHomeStatus::Revoked {
                    return Err(self.refuse(request));
                }
                if self.rectifications_failed == 0 {
                    return Err(CareHomeError::NoFailedRectification);
                }
                Ok(vec![CareHomeEvent::LicenceRevoked {
                    reason,
                    failures: self.rectifications_failed,
                    by: stamp.actor,
                    at: stamp.at,
                }])
            }
            CareHomeCommand::Blacklist {
                campaign,
                reason,
                until,
            } => {
                if self.violations == 0 {
                    return Err(CareHomeError::NoViolation);
                }
                if let Some(listing) = &self.listing {
                    if self.is_blacklisted_at(stamp.at) {
                        return Err(CareHomeError::AlreadyBlacklisted {
                            until: listing.until,
                        });
                    }
                }
                let listed_until = future_deadline(&settings(&campaign)?, until, &stamp)?;
                Ok(vec![CareHomeEvent::Blacklisted {
                    campaign,
                    reason,
                    until,
                    listed_until,
                    by: stamp.actor,
                    at: stamp.at,
                }])
            }
            CareHomeCommand::RemoveFromBlacklist { reason } => {
                if !self.is_blacklisted_at(stamp.at) {
                    return Err(CareHomeError::NotBlacklisted);
                }
                Ok(vec![CareHomeEvent::RemovedFromBlacklist {
                    reason,
                    by: stamp.actor,
                    at: stamp.at,
                }])
            }
        }
    }
}

/// The instant `deadline` passes in the campaign's time zone, refused if that is not after
/// the command's instant.
fn future_deadline(
    settings: &CampaignSettings,
    deadline: Deadline,
    stamp: &Stamp,
) -> Result<chrono::DateTime<chrono::Utc>, CareHomeError> {
    let passes_at = deadline.passes_at(settings.time_zone);
    if passes_at <= stamp.at {
        return Err(CareHomeError::DeadlinePassed { deadline });
    }
    Ok(passes_at)
}
