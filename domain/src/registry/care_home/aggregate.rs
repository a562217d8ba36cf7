//! The care-home aggregate's state and its fold; decisions are in [`decide`](super::decide).

use chrono::{DateTime, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use crate::services::DomainServices;
use crate::values::{CampaignId, Deadline, ItemCode, Score, Stars, Text};
use crate::Command;

use super::commands::CareHomeCommand;
use super::errors::CareHomeError;
use super::events::CareHomeEvent;

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CareHomeStatus {
    /// Nothing recorded yet.
    #[default]
    Unknown,
    /// Operating, with or without a rating.
    Operating,
    /// Ordered to rectify; the result is pending.
    UnderRectification,
    /// 取消运营资格 — final.
    Revoked,
}

impl CareHomeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CareHomeStatus::Unknown => "unknown",
            CareHomeStatus::Operating => "operating",
            CareHomeStatus::UnderRectification => "under_rectification",
            CareHomeStatus::Revoked => "revoked",
        }
    }

    /// The name users read, 中文.
    pub fn label(self) -> &'static str {
        match self {
            CareHomeStatus::Unknown => "尚无记录",
            CareHomeStatus::Operating => "正常运营",
            CareHomeStatus::UnderRectification => "限期整改中",
            CareHomeStatus::Revoked => "已取消运营资格",
        }
    }

    /// The name users read (中文) of the state named `name` by [`as_str`](Self::as_str);
    /// `name` itself if no state is so named.
    pub fn label_of(name: &'static str) -> &'static str {
        [
            CareHomeStatus::Unknown,
            CareHomeStatus::Operating,
            CareHomeStatus::UnderRectification,
            CareHomeStatus::Revoked,
        ]
        .into_iter()
        .find(|status| status.as_str() == name)
        .map_or(name, CareHomeStatus::label)
    }
}

/// The rectification in progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Rectification {
    pub campaign: CampaignId,
    pub violations: Text,
    pub deadline: Deadline,
    pub due_at: DateTime<Utc>,
    pub item: ItemCode,
}

/// The home's place on the care-home blacklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Listing {
    pub campaign: CampaignId,
    pub reason: Text,
    pub until: Deadline,
    pub listed_until: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CareHome {
    pub status: CareHomeStatus,
    /// The latest inspection's total and stars.
    pub score: Option<Score>,
    pub stars: Option<Stars>,
    pub rectification: Option<Rectification>,
    /// Violations ordered to be rectified, ever.
    pub violations: u32,
    pub rectifications_passed: u32,
    pub rectifications_failed: u32,
    pub revoked_at: Option<DateTime<Utc>>,
    pub listing: Option<Listing>,
    /// The campaign of the latest order or listing: where the home's events belong.
    pub campaign: Option<CampaignId>,
}

impl CareHome {
    /// Whether the home is on the blacklist at `at`.
    pub fn is_blacklisted_at(&self, at: DateTime<Utc>) -> bool {
        self.listing.as_ref().is_some_and(|l| at < l.listed_until)
    }
}

/// The fold below, as snapshots of it record it (see [`crate::FoldVersion`]).
impl crate::FoldVersion for CareHome {
    /// 2: a failure no longer revokes; failures, violations and the blacklist are kept.
    const FOLD_VERSION: u32 = 2;
}

impl Aggregate for CareHome {
    const TYPE: &'static str = "care_home";
    type Command = Command<CareHomeCommand>;
    type Event = CareHomeEvent;
    type Error = CareHomeError;
    type Services = DomainServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        crate::handling::handle(self, command, services, sink, Self::decide).await
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            CareHomeEvent::Inspected {
                campaign,
                total,
                stars,
                ..
            } => {
                if self.status == CareHomeStatus::Unknown {
                    self.status = CareHomeStatus::Operating;
                }
                self.score = Some(total);
                self.stars = Some(stars);
                self.campaign = Some(campaign);
            }
            CareHomeEvent::RectificationOrdered {
                campaign,
                violations,
                deadline,
                due_at,
                item,
                ..
            } => {
                self.status = CareHomeStatus::UnderRectification;
                self.violations = self.violations.saturating_add(1);
                self.campaign = Some(campaign.clone());
                self.rectification = Some(Rectification {
                    campaign,
                    violations,
                    deadline,
                    due_at,
                    item,
                });
            }
            CareHomeEvent::RectificationPassed { .. } => {
                self.status = CareHomeStatus::Operating;
                self.rectification = None;
                self.rectifications_passed = self.rectifications_passed.saturating_add(1);
            }
            CareHomeEvent::RectificationFailed { failures, .. } => {
                self.status = CareHomeStatus::Operating;
                self.rectification = None;
                self.rectifications_failed = failures;
            }
            CareHomeEvent::LicenceRevoked { at, .. } => {
                self.status = CareHomeStatus::Revoked;
                self.rectification = None;
                self.revoked_at = Some(at);
            }
            CareHomeEvent::Blacklisted {
                campaign,
                reason,
                until,
                listed_until,
                ..
            } => {
                self.campaign = Some(campaign.clone());
                self.listing = Some(Listing {
                    campaign,
                    reason,
                    until,
                    listed_until,
                });
            }
            CareHomeEvent::RemovedFromBlacklist { .. } => self.listing = None,
        }
    }
}

impl crate::event::Scoped for CareHome {
    /// The campaign of the home's latest inspection, order or listing. The care home itself
    /// is the stream: its id is the stream id, which the state does not repeat.
    fn scope(&self) -> crate::event::Scope {
        self.campaign
            .as_ref()
            .map(crate::event::Scope::campaign)
            .unwrap_or_default()
    }
}
