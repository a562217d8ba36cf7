//! The synthetic aggregate every contender runs: a tally that records `n` events per command.
//!
//! Deliberately trivial so the benchmark measures the store, not the domain: `handle` does no
//! I/O and `apply` only adds. The same type serves our executor and postgres-es (both take a
//! cqrs-es `Aggregate`), so both decode and apply identical events.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::{Aggregate, DomainEvent};
use rectiflow_domain::clock::Clock;
use rectiflow_domain::values::PersonId;
use rectiflow_domain::{Addressed, Command, Stamp};
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    pub events: u64,
    pub total: u64,
}

/// Record `events` events of `amount` each.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub events: u32,
    pub amount: u64,
}

impl Addressed for Record {}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TallyEvent {
    Recorded { amount: u64, note: String },
}

impl DomainEvent for TallyEvent {
    fn event_type(&self) -> String {
        "Recorded".into()
    }
    fn event_version(&self) -> String {
        "1.0".into()
    }
}

/// Never raised: the tally accepts every command.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("tally refused the command")]
pub struct TallyError;

impl rectiflow_domain::DomainError for TallyError {
    fn code(&self) -> &'static str {
        "tally.refused"
    }
}

/// The note carried by every event, so payloads have a realistic size (~70 bytes of JSON).
const NOTE: &str = "synthetic benchmark event";

/// The fold below, as snapshots of it record it.
/// The benchmark's streams belong to no campaign.
impl rectiflow_domain::event::Scoped for Tally {
    fn scope(&self) -> rectiflow_domain::event::Scope {
        rectiflow_domain::event::Scope::default()
    }
}

impl rectiflow_domain::FoldVersion for Tally {
    const FOLD_VERSION: u32 = 1;
}

impl Aggregate for Tally {
    const TYPE: &'static str = "tally";
    type Command = Command<Record>;
    type Event = TallyEvent;
    type Error = TallyError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _services: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), TallyError> {
        for _ in 0..command.body.events {
            let event = TallyEvent::Recorded {
                amount: command.body.amount,
                note: NOTE.into(),
            };
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: TallyEvent) {
        match event {
            TallyEvent::Recorded { amount, .. } => {
                self.events += 1;
                self.total += amount;
            }
        }
    }
}

/// The wall clock. The domain only defines the port; a benchmark measures real time.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

pub fn system_clock() -> Arc<dyn Clock> {
    Arc::new(SystemClock)
}

/// The actor every benchmark command is sent as.
pub fn bench_actor() -> anyhow::Result<PersonId> {
    PersonId::parse("bench").map_err(|e| anyhow::anyhow!("benchmark actor id: {e}"))
}

/// A command body for postgres-es, which takes the whole `Command` (ours stamps it itself).
pub fn stamped(actor: &PersonId, body: Record) -> Command<Record> {
    Command::new(
        Stamp {
            at: Utc::now(),
            actor: actor.clone(),
        },
        body,
    )
}
