//! The supplier aggregate: decisions in [`Supplier::decide`], folding in `apply`.

use chrono::{DateTime, NaiveDate, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use crate::services::DomainServices;
use crate::values::{local_start_of_day, CampaignId, Deadline, Text};
use crate::Command;

use super::commands::{BlacklistBasis, SupplierCommand};
use super::errors::SupplierError;
use super::events::SupplierEvent;

/// The current (or last, already expired) blacklisting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Listing {
    pub campaign: CampaignId,
    pub basis: BlacklistBasis,
    pub reason: Text,
    pub from: NaiveDate,
    pub until: NaiveDate,
    pub listed_from: DateTime<Utc>,
    pub listed_until: DateTime<Utc>,
}

impl Listing {
    /// In force at `at`: from 00:00 of the first day, up to (not including) 24:00 of the last.
    pub fn in_force_at(&self, at: DateTime<Utc>) -> bool {
        self.listed_from <= at && at < self.listed_until
    }

    /// In force at `at` or starting later.
    pub fn current_at(&self, at: DateTime<Utc>) -> bool {
        at < self.listed_until
    }
}

/// A supplier's standing on the blacklist. The default (no events) is a supplier never listed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Supplier {
    /// The listing not removed; it may have expired — ask [`Supplier::is_listed_at`].
    pub listing: Option<Listing>,
    /// How many times the supplier was blacklisted.
    pub times_listed: u32,
    /// How many award checks it passed.
    pub awards_cleared: u32,
}

impl Supplier {
    /// Whether the one-vote veto applies at `at`.
    pub fn is_listed_at(&self, at: DateTime<Utc>) -> bool {
        self.listing.as_ref().is_some_and(|l| l.in_force_at(at))
    }

    fn current_listing(&self, at: DateTime<Utc>) -> Option<&Listing> {
        self.listing.as_ref().filter(|l| l.current_at(at))
    }

    fn state_at(&self, at: DateTime<Utc>) -> &'static str {
        if self.current_listing(at).is_some() {
            "listed"
        } else {
            "not_listed"
        }
    }

    /// The name users read (中文) of a state [`state_at`](Self::state_at) names; `state`
    /// itself if it names none.
    pub(super) fn state_label(state: &'static str) -> &'static str {
        match state {
            "listed" => "已列入黑名单",
            "not_listed" => "未列入黑名单",
            other => other,
        }
    }

    /// Every decision of the aggregate: the events a command yields, or why it is refused.
    pub fn decide(
        &self,
        command: Command<SupplierCommand>,
        services: &DomainServices,
    ) -> Result<Vec<SupplierEvent>, SupplierError> {
        let Command { stamp, body } = command;
        let request = body.name();
        let refuse = || SupplierError::InvalidTransition {
            state: self.state_at(stamp.at),
            request,
        };
        let event = match body {
            SupplierCommand::Blacklist {
                campaign,
                basis,
                reason,
                from,
                until,
            } => {
                if self.current_listing(stamp.at).is_some() {
                    return Err(refuse());
                }
                let Some(settings) = services.settings.settings(&campaign) else {
                    return Err(SupplierError::UnknownCampaign { campaign });
                };
                if until < from {
                    return Err(SupplierError::InvalidPeriod { from, until });
                }
                let tz = settings.time_zone;
                let listed_until = Deadline::new(until).passes_at(tz);
                if listed_until <= stamp.at {
                    return Err(SupplierError::PeriodAlreadyOver { until });
                }
                SupplierEvent::Blacklisted {
                    campaign,
                    basis,
                    reason,
                    from,
                    until,
                    listed_from: local_start_of_day(from, tz),
                    listed_until,
                    by: stamp.actor,
                    at: stamp.at,
                }
            }
            SupplierCommand::RemoveFromBlacklist { reason } => {
                if self.current_listing(stamp.at).is_none() {
                    return Err(refuse());
                }
                SupplierEvent::RemovedFromBlacklist {
                    reason,
                    by: stamp.actor,
                    at: stamp.at,
                }
            }
            SupplierCommand::CheckAward { procurement_ref } => {
                if let Some(listing) = self.listing.as_ref().filter(|l| l.in_force_at(stamp.at)) {
                    return Err(SupplierError::Blacklisted {
                        procurement_ref,
                        basis: listing.basis.clone(),
                        until: listing.until,
                        listed_until: listing.listed_until,
                    });
                }
                SupplierEvent::AwardCleared {
                    procurement_ref,
                    by: stamp.actor,
                    at: stamp.at,
                }
            }
        };
        Ok(vec![event])
    }
}

/// The fold below, as snapshots of it record it (see [`crate::FoldVersion`]).
impl crate::FoldVersion for Supplier {
    const FOLD_VERSION: u32 = 1;
}

impl Aggregate for Supplier {
    const TYPE: &'static str = "supplier";
    type Command = Command<SupplierCommand>;
    type Event = SupplierEvent;
    type Error = SupplierError;
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
            SupplierEvent::Blacklisted {
                campaign,
                basis,
                reason,
                from,
                until,
                listed_from,
                listed_until,
                ..
            } => {
                self.times_listed = self.times_listed.saturating_add(1);
                self.listing = Some(Listing {
                    campaign,
                    basis,
                    reason,
                    from,
                    until,
                    listed_from,
                    listed_until,
                });
            }
            SupplierEvent::RemovedFromBlacklist { .. } => self.listing = None,
            SupplierEvent::AwardCleared { .. } => {
                self.awards_cleared = self.awards_cleared.saturating_add(1);
            }
        }
    }
}

impl crate::event::Scoped for Supplier {
    /// The campaign of the current listing, if any. The supplier itself is the stream: its id
    /// is the stream id, which the state does not repeat.
    fn scope(&self) -> crate::event::Scope {
        self.listing
            .as_ref()
            .map(|l| crate::event::Scope::campaign(&l.campaign))
            .unwrap_or_default()
    }
}
