//! The complaint aggregate's state and its fold. All decisions are in
//! [`decide`](super::decide) (which also calls the identity vault); `apply` only folds facts.

use chrono::{DateTime, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use crate::services::DomainServices;
use crate::settings::{Field, ResponseWindow};
use crate::values::{CampaignId, ComplaintId, PersonId, Rating, TaskForceId, Text, UnitId};
use crate::Command;

use super::commands::{Channel, ComplaintCommand, Resolution};
use super::errors::ComplaintError;
use super::events::ComplaintEvent;

/// Where a complaint stands.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintStatus {
    /// Nothing received yet (the stream does not exist).
    #[default]
    NotReceived,
    /// Received and being handled (possibly after transfers).
    Open,
    /// An outcome is recorded; feedback may follow.
    Resolved,
    /// 办结.
    Closed,
}

impl ComplaintStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ComplaintStatus::NotReceived => "not_received",
            ComplaintStatus::Open => "open",
            ComplaintStatus::Resolved => "resolved",
            ComplaintStatus::Closed => "closed",
        }
    }

    /// The name users read, 中文.
    pub fn label(self) -> &'static str {
        match self {
            ComplaintStatus::NotReceived => "未受理",
            ComplaintStatus::Open => "办理中",
            ComplaintStatus::Resolved => "已出具办理结果",
            ComplaintStatus::Closed => "已办结",
        }
    }

    /// The name users read (中文) of the state named `name` by [`as_str`](Self::as_str);
    /// `name` itself if no state is so named.
    pub fn label_of(name: &'static str) -> &'static str {
        [
            ComplaintStatus::NotReceived,
            ComplaintStatus::Open,
            ComplaintStatus::Resolved,
            ComplaintStatus::Closed,
        ]
        .into_iter()
        .find(|status| status.as_str() == name)
        .map_or(name, ComplaintStatus::label)
    }
}

/// Where the complaint's secret part (identity, text, attachments) stands. The state keeps only
/// the key reference, never the secret.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SecretState {
    /// Nothing received yet.
    #[default]
    None,
    /// Sealed in the vault under `key_ref`.
    Sealed { key_ref: String },
    /// The key was destroyed: the complainant, their words and their files are gone for good.
    Erased { key_ref: String },
}

/// The facts fixed at receipt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Receipt {
    pub complaint: ComplaintId,
    pub campaign: CampaignId,
    pub channel: Channel,
    pub field: Field,
    /// The field's task force at receipt (`None`: the campaign had none for the field, or the
    /// receipt predates the field). Absent from snapshots taken before it existed, which were
    /// folded from receipts without it.
    #[serde(default)]
    pub task_force: Option<TaskForceId>,
    /// 首接负责制: accountable until closure; never changes, not even on transfer.
    pub first_receiver: UnitId,
    /// No identity was given (匿名).
    pub anonymous: bool,
    /// The receiver's redacted summary: readable by all who may read the complaint.
    pub summary: Text,
    pub received_at: DateTime<Utc>,
    pub response_window: ResponseWindow,
    pub response_due: DateTime<Utc>,
    /// `response_due` was counted on a guessed calendar (a year without a published
    /// arrangement); a missed-response fact says so too.
    pub calendar_unknown: bool,
}

/// The (first) response to the complainant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ResponseRecord {
    pub responded_at: DateTime<Utc>,
    pub within_deadline: bool,
}

/// A complaint stream.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Complaint {
    pub status: ComplaintStatus,
    pub receipt: Option<Receipt>,
    /// The unit handling the complaint now (the first receiver until a transfer).
    pub handling_unit: Option<UnitId>,
    /// 承办人 — the handling unit's designated handler, until the complaint leaves that unit.
    #[serde(default)]
    pub designated_handler: Option<PersonId>,
    pub secret: SecretState,
    pub response: Option<ResponseRecord>,
    pub response_missed: bool,
    pub transfers: u32,
    pub resolution: Option<Resolution>,
    pub rating: Option<Rating>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl Complaint {
    /// The accountable unit (首接负责制): the first receiver, whatever transfers happened.
    pub fn accountable_unit(&self) -> Option<&UnitId> {
        self.receipt.as_ref().map(|r| &r.first_receiver)
    }

    pub(super) fn refuse(&self, request: &'static str) -> ComplaintError {
        ComplaintError::InvalidTransition {
            state: self.status.as_str(),
            request,
        }
    }

    pub(super) fn require(
        &self,
        allowed: &[ComplaintStatus],
        request: &'static str,
    ) -> Result<(), ComplaintError> {
        if allowed.contains(&self.status) {
            Ok(())
        } else {
            Err(self.refuse(request))
        }
    }

    /// The receipt of a received complaint; refused (naming the state) before receipt.
    pub(super) fn received(&self, request: &'static str) -> Result<&Receipt, ComplaintError> {
        self.receipt.as_ref().ok_or_else(|| self.refuse(request))
    }

    pub(super) fn handler(&self, request: &'static str) -> Result<UnitId, ComplaintError> {
        self.handling_unit
            .clone()
            .ok_or_else(|| self.refuse(request))
    }
}

/// The fold below, as snapshots of it record it (see [`crate::FoldVersion`]).
impl crate::FoldVersion for Complaint {
    /// 2: the receipt keeps whether the calendar was guessed (`calendar_unknown`).
    /// 3: the handler at receipt is the responder (for school meals, the education
    /// department), not always the first receiver.
    /// 4: the whole secret part is sealed; the receipt keeps the summary and anonymity.
    const FOLD_VERSION: u32 = 4;
}

impl Aggregate for Complaint {
    const TYPE: &'static str = "complaint";
    type Command = Command<ComplaintCommand>;
    type Event = ComplaintEvent;
    type Error = ComplaintError;
    type Services = DomainServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        // The campaigns it consults, read as in force now.
        let campaigns = self.campaigns_for(&command.body);
        let services = &services
            .for_campaigns(&campaigns)
            .await
            .map_err(ComplaintError::Unavailable)?;
        for event in self.decide(command, services).await? {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            ComplaintEvent::Received {
                complaint,
                campaign,
                channel,
                field,
                task_force,
                summary,
                receiving_unit,
                responder,
                anonymous,
                sealed,
                at: received_at,
                response_window,
                response_due,
                calendar_unknown,
                ..
            } => {
                self.status = ComplaintStatus::Open;
                self.handling_unit = Some(responder);
                self.secret = SecretState::Sealed {
                    key_ref: sealed.key_ref,
                };
                self.receipt = Some(Receipt {
                    complaint,
                    campaign,
                    channel,
                    field,
                    task_force,
                    first_receiver: receiving_unit,
                    anonymous,
                    summary,
                    received_at,
                    response_window,
                    response_due,
                    calendar_unknown,
                });
            }
            ComplaintEvent::Responded {
                at: responded_at,
                within_deadline,
                ..
            } => {
                self.response = Some(ResponseRecord {
                    responded_at,
                    within_deadline,
                });
            }
            ComplaintEvent::ResponseMissed { .. } => self.response_missed = true,
            ComplaintEvent::HandlerDesignated { person, .. } => {
                self.designated_handler = Some(person)
            }
            ComplaintEvent::Transferred { to, .. } => {
                self.handling_unit = Some(to);
                self.designated_handler = None;
                self.transfers = self.transfers.saturating_add(1);
            }
            ComplaintEvent::Resolved { resolution, .. } => {
                self.status = ComplaintStatus::Resolved;
                self.resolution = Some(resolution);
            }
            ComplaintEvent::FeedbackRecorded { rating, .. } => self.rating = Some(rating),
            ComplaintEvent::Closed { at: closed_at, .. } => {
                self.status = ComplaintStatus::Closed;
                self.closed_at = Some(closed_at);
            }
            ComplaintEvent::IdentityErased { key_ref, .. } => {
                self.secret = SecretState::Erased { key_ref };
            }
            // A reveal changes nothing in the complaint: it is a fact for the audit trail.
            ComplaintEvent::Revealed { .. } => {}
        }
    }
}

impl crate::event::Scoped for Complaint {
    /// The complaint's campaign, task force (as recorded at receipt) and field, its first
    /// receiver (accountable until closed) and the unit handling it now.
    fn scope(&self) -> crate::event::Scope {
        let Some(receipt) = &self.receipt else {
            return crate::event::Scope::default();
        };
        crate::event::Scope::campaign(&receipt.campaign)
            .with_task_force(receipt.task_force.as_ref())
            .with_field(Some(&receipt.field))
            .with_unit(Some(&receipt.first_receiver))
            .with_unit(self.handling_unit.as_ref())
    }
}
