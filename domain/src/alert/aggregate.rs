//! The alert aggregate's state and its fold. All decisions are in
//! [`decide`](super::decide); `apply` only folds facts.

use chrono::{DateTime, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use crate::services::DomainServices;
use crate::settings::Field;
use crate::values::{AlertId, AlertRef, CampaignId, Text, UnitId, Yuan};
use crate::Command;

use super::commands::{AlertCommand, Triage};
use super::errors::AlertError;
use super::events::AlertEvent;

/// Where an alert stands.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    /// Nothing received yet (the stream does not exist).
    #[default]
    NotReceived,
    /// Received, awaiting triage.
    Open,
    Triaged,
}

impl AlertStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertStatus::NotReceived => "not_received",
            AlertStatus::Open => "open",
            AlertStatus::Triaged => "triaged",
        }
    }

    /// The name users read, 中文.
    pub fn label(self) -> &'static str {
        match self {
            AlertStatus::NotReceived => "未接收",
            AlertStatus::Open => "待研判",
            AlertStatus::Triaged => "已研判处置",
        }
    }

    /// The name users read (中文) of the state named `name` by [`as_str`](Self::as_str);
    /// `name` itself if no state is so named.
    pub fn label_of(name: &'static str) -> &'static str {
        [
            AlertStatus::NotReceived,
            AlertStatus::Open,
            AlertStatus::Triaged,
        ]
        .into_iter()
        .find(|status| status.as_str() == name)
        .map_or(name, AlertStatus::label)
    }
}

/// The facts fixed at receipt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AlertReceipt {
    pub alert: AlertId,
    pub reference: AlertRef,
    pub campaign: CampaignId,
    pub subject: UnitId,
    pub summary: Text,
    pub amount_involved: Yuan,
    pub raised_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    pub triage_due: DateTime<Utc>,
    pub calendar_unknown: bool,
}

/// The triage, once made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TriageRecord {
    pub triage: Triage,
    pub triaged_at: DateTime<Utc>,
    pub late: bool,
}

/// A data alert (数据预警) of the medical-insurance monitoring platform.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Alert {
    pub status: AlertStatus,
    pub receipt: Option<AlertReceipt>,
    pub triage: Option<TriageRecord>,
    pub triage_missed: bool,
}

impl Alert {
    pub(super) fn refuse(&self, request: &'static str) -> AlertError {
        AlertError::InvalidTransition {
            state: self.status.as_str(),
            request,
        }
    }
}

/// The fold below, as snapshots of it record it (see [`crate::FoldVersion`]).
impl crate::FoldVersion for Alert {
    const FOLD_VERSION: u32 = 1;
}

impl Aggregate for Alert {
    const TYPE: &'static str = "alert";
    type Command = Command<AlertCommand>;
    type Event = AlertEvent;
    type Error = AlertError;
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
            AlertEvent::Received {
                alert,
                reference,
                campaign,
                subject,
                summary,
                amount_involved,
                raised_at,
                at,
                triage_due,
                calendar_unknown,
                ..
            } => {
                self.status = AlertStatus::Open;
                self.receipt = Some(AlertReceipt {
                    alert,
                    reference,
                    campaign,
                    subject,
                    summary,
                    amount_involved,
                    raised_at,
                    received_at: at,
                    triage_due,
                    calendar_unknown,
                });
            }
            AlertEvent::Triaged {
                triage, late, at, ..
            } => {
                self.status = AlertStatus::Triaged;
                self.triage = Some(TriageRecord {
                    triage,
                    triaged_at: at,
                    late,
                });
            }
            AlertEvent::TriageMissed { .. } => self.triage_missed = true,
        }
    }
}

impl crate::event::Scoped for Alert {
    /// The alert's campaign, the medical-insurance field, and the institution it is about.
    fn scope(&self) -> crate::event::Scope {
        let Some(receipt) = &self.receipt else {
            return crate::event::Scope::default();
        };
        crate::event::Scope::campaign(&receipt.campaign)
            .with_field(Some(&Field::MedicalInsurance))
            .with_unit(Some(&receipt.subject))
    }
}
