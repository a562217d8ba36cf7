//! The publication aggregate's state and its fold; the decisions are in `decide.rs`.

use chrono::{DateTime, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use crate::services::DomainServices;
use crate::values::{CampaignId, PublicationId};
use crate::Command;

use super::commands::PublicationCommand;
use super::errors::PublicationError;
use super::events::PublicationEvent;
use super::figures::Figures;
use super::kind::{LogPoint, Period, PublicationKind, PublicationScope};

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PublicationStatus {
    /// Nothing recorded yet (the stream does not exist).
    #[default]
    NotRecorded,
    Published,
    Skipped,
}

impl PublicationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PublicationStatus::NotRecorded => "not_recorded",
            PublicationStatus::Published => "published",
            PublicationStatus::Skipped => "skipped",
        }
    }

    /// The name users read (中文): 尚未记录, 已发布, 已跳过.
    pub fn label(self) -> &'static str {
        match self {
            PublicationStatus::NotRecorded => "尚未记录",
            PublicationStatus::Published => "已发布",
            PublicationStatus::Skipped => "已跳过",
        }
    }

    /// The name users read (中文) of the state named `name` by [`as_str`](Self::as_str);
    /// `name` itself if no state is so named.
    pub fn label_of(name: &'static str) -> &'static str {
        [
            PublicationStatus::NotRecorded,
            PublicationStatus::Published,
            PublicationStatus::Skipped,
        ]
        .into_iter()
        .find(|status| status.as_str() == name)
        .map_or(name, PublicationStatus::label)
    }
}

/// One publication stream: recorded once (published or skipped), then never changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Publication {
    pub status: PublicationStatus,
    pub id: Option<PublicationId>,
    pub kind: Option<PublicationKind>,
    pub campaign: Option<CampaignId>,
    pub scope: Option<PublicationScope>,
    pub period: Option<Period>,
    pub due_at: Option<DateTime<Utc>>,
    pub late: bool,
    pub inputs: Option<LogPoint>,
    pub figures: Option<Figures>,
    /// The publication this one corrects.
    pub corrects: Option<PublicationId>,
    pub recorded_at: Option<DateTime<Utc>>,
}

/// The fold below, as snapshots of it record it (see [`crate::FoldVersion`]).
impl crate::FoldVersion for Publication {
    const FOLD_VERSION: u32 = 1;
}

impl Aggregate for Publication {
    const TYPE: &'static str = "publication";
    type Command = Command<PublicationCommand>;
    type Event = PublicationEvent;
    type Error = PublicationError;
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
            PublicationEvent::Published {
                publication,
                kind,
                campaign,
                scope,
                period,
                due_at,
                late,
                inputs,
                figures,
                correction,
                at,
                ..
            } => {
                *self = Self {
                    status: PublicationStatus::Published,
                    id: Some(publication),
                    kind: Some(kind),
                    campaign: Some(campaign),
                    scope: Some(scope),
                    period: Some(period),
                    due_at: Some(due_at),
                    late,
                    inputs: Some(inputs),
                    figures: Some(*figures),
                    corrects: correction.map(|c| c.corrects),
                    recorded_at: Some(at),
                };
            }
            PublicationEvent::Skipped {
                publication,
                kind,
                campaign,
                scope,
                period,
                due_at,
                at,
                ..
            } => {
                *self = Self {
                    status: PublicationStatus::Skipped,
                    id: Some(publication),
                    kind: Some(kind),
                    campaign: Some(campaign),
                    scope: Some(scope),
                    period: Some(period),
                    due_at: Some(due_at),
                    recorded_at: Some(at),
                    ..Self::default()
                };
            }
        }
    }
}

impl crate::event::Scoped for Publication {
    /// The publication's campaign, and its task force when it covers one.
    fn scope(&self) -> crate::event::Scope {
        let Some(campaign) = &self.campaign else {
            return crate::event::Scope::default();
        };
        crate::event::Scope::campaign(campaign)
            .with_task_force(self.scope.as_ref().and_then(PublicationScope::task_force))
    }
}
