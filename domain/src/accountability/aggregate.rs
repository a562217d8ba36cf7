//! The accountability aggregate's state, its fold and what projections read of it. All
//! decisions are in [`decide`](super::decide); `apply` only folds facts.

use chrono::{DateTime, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use crate::services::DomainServices;
use crate::values::{AccountabilityId, CampaignId, PersonId, Text, UnitId};
use crate::Command;

use super::commands::{AccountabilityCommand, Ground, Outcome};
use super::errors::AccountabilityError;
use super::events::{AccountabilityEvent, RecordedRuling};

/// Where a case stands.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AccountabilityStatus {
    /// Nothing proposed yet (the stream does not exist).
    #[default]
    NotProposed,
    /// Proposed, awaiting discipline inspection's decision: "open".
    Proposed,
    Decided,
    Withdrawn,
}

impl AccountabilityStatus {
    /// Every status, in the order a case goes through them.
    pub const ALL: [AccountabilityStatus; 4] = [
        AccountabilityStatus::NotProposed,
        AccountabilityStatus::Proposed,
        AccountabilityStatus::Decided,
        AccountabilityStatus::Withdrawn,
    ];

    /// The name users read (中文).
    pub fn label(self) -> &'static str {
        match self {
            AccountabilityStatus::NotProposed => "未提出",
            AccountabilityStatus::Proposed => "已提出待决定",
            AccountabilityStatus::Decided => "已作出决定",
            AccountabilityStatus::Withdrawn => "已撤回",
        }
    }

    /// The name users read (中文) of the state named `name` by [`as_str`](Self::as_str);
    /// `name` itself if no state is so named.
    pub fn label_of(name: &'static str) -> &'static str {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == name)
            .map_or(name, Self::label)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AccountabilityStatus::NotProposed => "not_proposed",
            AccountabilityStatus::Proposed => "proposed",
            AccountabilityStatus::Decided => "decided",
            AccountabilityStatus::Withdrawn => "withdrawn",
        }
    }
}

/// The facts fixed by the proposal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CaseFile {
    pub case: AccountabilityId,
    pub campaign: CampaignId,
    pub person: PersonId,
    /// The unit charged: the person's unit when the grounds arose.
    pub unit: UnitId,
    pub grounds: Vec<Ground>,
    pub proposed_by: PersonId,
    pub proposed_at: DateTime<Utc>,
}

/// Discipline inspection's decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Decision {
    pub outcome: Outcome,
    pub reasons: Vec<Text>,
    pub fault_tolerance: Option<RecordedRuling>,
    pub decided_by: PersonId,
    pub decided_at: DateTime<Utc>,
}

/// An accountability case (问责) against one person.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Accountability {
    pub status: AccountabilityStatus,
    pub file: Option<CaseFile>,
    pub decision: Option<Decision>,
}

impl Accountability {
    /// Proposed and neither decided nor withdrawn. The policy proposes no case against a
    /// person who has an open one; that needs every case of the person, so a projection
    /// keeps it, not this stream.
    pub fn is_open(&self) -> bool {
        self.status == AccountabilityStatus::Proposed
    }

    /// Whether the case deducts points (DOMAIN.md "Assessment"): decided, and the person held
    /// accountable (any outcome but 不予问责).
    pub fn deducts(&self) -> bool {
        self.decision
            .as_ref()
            .is_some_and(|d| d.outcome.holds_accountable())
    }

    /// The instant of the decision: the quarter it falls in is the quarter it deducts in.
    pub fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.decision.as_ref().map(|d| d.decided_at)
    }

    /// The unit a deduction goes to: the person's unit when the grounds arose.
    pub fn charged_unit(&self) -> Option<&UnitId> {
        self.file.as_ref().map(|f| &f.unit)
    }

    pub(super) fn refuse(&self, request: &'static str) -> AccountabilityError {
        AccountabilityError::InvalidTransition {
            state: self.status.as_str(),
            request,
        }
    }
}

/// The fold below, as snapshots of it record it (see [`crate::FoldVersion`]).
impl crate::FoldVersion for Accountability {
    const FOLD_VERSION: u32 = 1;
}

impl Aggregate for Accountability {
    const TYPE: &'static str = "accountability";
    type Command = Command<AccountabilityCommand>;
    type Event = AccountabilityEvent;
    type Error = AccountabilityError;
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
            AccountabilityEvent::Proposed {
                case,
                campaign,
                person,
                unit,
                grounds,
                by,
                at,
                ..
            } => {
                self.status = AccountabilityStatus::Proposed;
                self.file = Some(CaseFile {
                    case,
                    campaign,
                    person,
                    unit,
                    grounds,
                    proposed_by: by,
                    proposed_at: at,
                });
            }
            AccountabilityEvent::Decided {
                outcome,
                reasons,
                fault_tolerance,
                by,
                at,
                ..
            } => {
                self.status = AccountabilityStatus::Decided;
                self.decision = Some(Decision {
                    outcome,
                    reasons,
                    fault_tolerance,
                    decided_by: by,
                    decided_at: at,
                });
            }
            AccountabilityEvent::Withdrawn { .. } => {
                self.status = AccountabilityStatus::Withdrawn;
            }
        }
    }
}

impl crate::event::Scoped for Accountability {
    /// The case's campaign and the unit charged. No field: a cadre's conduct is not one
    /// task force's.
    fn scope(&self) -> crate::event::Scope {
        let Some(file) = &self.file else {
            return crate::event::Scope::default();
        };
        crate::event::Scope::campaign(&file.campaign).with_unit(Some(&file.unit))
    }
}
