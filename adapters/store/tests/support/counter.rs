//! A counting aggregate: the smallest thing whose state shows whether events were applied once.

use cqrs_es::event_sink::EventSink;
use cqrs_es::{Aggregate, DomainEvent};
use rectiflow_domain::{Addressed, Command, DomainError, FoldVersion, PortUnavailable};
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct Counter {
    pub value: u64,
    pub events: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CounterCommand {
    /// One event adding `0`.
    Add(u64),
    /// `n` events adding 1 each.
    AddMany(u32),
    /// No event at all.
    Nothing,
    /// Refused.
    Refuse,
    /// Fails as if a port it needed did not answer.
    NeedsPort,
    /// Adds `0` once: refused when the counter is no longer zero (a command that is not valid
    /// twice, like closing an item).
    SetOnce(u64),
    /// One event carrying the sender's text as it is (to test what the store accepts).
    Note(String),
    /// One event carrying the sender's text as a key of an object.
    NoteKey(String),
    /// Adds 1 once the counter has reached `0`; refused before (a command refused now that
    /// would be carried out later, like a response before its complaint is received).
    AtLeast(u64),
}

impl Addressed for CounterCommand {}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CounterEvent {
    Added {
        by: u64,
    },
    Noted {
        text: String,
        #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
        tags: std::collections::BTreeMap<String, bool>,
    },
}

impl DomainEvent for CounterEvent {
    fn event_type(&self) -> String {
        match self {
            Self::Added { .. } => "Added".into(),
            Self::Noted { .. } => "Noted".into(),
        }
    }
    fn event_version(&self) -> String {
        "1.0".into()
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refused {
    #[error("refused as asked")]
    AsAsked,
    #[error(transparent)]
    Port(PortUnavailable),
}

impl DomainError for Refused {
    fn code(&self) -> &'static str {
        match self {
            Self::AsAsked => "counter.refused",
            Self::Port(_) => "counter.port_unavailable",
        }
    }

    fn unavailable(&self) -> Option<&PortUnavailable> {
        match self {
            Self::Port(port) => Some(port),
            Self::AsAsked => None,
        }
    }
}

/// The counter's first fold.
/// Counters belong to no campaign.
impl rectiflow_domain::event::Scoped for Counter {
    fn scope(&self) -> rectiflow_domain::event::Scope {
        rectiflow_domain::event::Scope::default()
    }
}

impl FoldVersion for Counter {
    const FOLD_VERSION: u32 = 1;
}

impl Aggregate for Counter {
    const TYPE: &'static str = "counter";
    type Command = Command<CounterCommand>;
    type Event = CounterEvent;
    type Error = Refused;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _services: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), Refused> {
        match command.body {
            CounterCommand::Add(by) => sink.write(CounterEvent::Added { by }, self).await,
            CounterCommand::AddMany(n) => {
                for _ in 0..n {
                    sink.write(CounterEvent::Added { by: 1 }, self).await;
                }
            }
            CounterCommand::Nothing => {}
            CounterCommand::Refuse => return Err(Refused::AsAsked),
            CounterCommand::NeedsPort => {
                return Err(Refused::Port(PortUnavailable {
                    port: "test_port",
                    reason: "does not answer".into(),
                }))
            }
            CounterCommand::SetOnce(_) if self.value != 0 => return Err(Refused::AsAsked),
            CounterCommand::SetOnce(by) => sink.write(CounterEvent::Added { by }, self).await,
            CounterCommand::Note(text) => {
                let noted = CounterEvent::Noted {
                    text,
                    tags: Default::default(),
                };
                sink.write(noted, self).await
            }
            CounterCommand::NoteKey(key) => {
                let noted = CounterEvent::Noted {
                    text: String::new(),
                    tags: [(key, true)].into(),
                };
                sink.write(noted, self).await
            }
            CounterCommand::AtLeast(n) if self.value < n => return Err(Refused::AsAsked),
            CounterCommand::AtLeast(_) => sink.write(CounterEvent::Added { by: 1 }, self).await,
        }
        Ok(())
    }

    fn apply(&mut self, event: CounterEvent) {
        match event {
            CounterEvent::Added { by } => {
                self.value += by;
                self.events += 1;
            }
            CounterEvent::Noted { .. } => self.events += 1,
        }
    }
}

/// The same counter after a change of its fold: the same stream type, events and state, with
/// the fold version raised to 2 — as an aggregate is after its `apply` changed. Its loads must
/// not trust snapshots the first fold made.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CounterV2(pub Counter);

impl rectiflow_domain::event::Scoped for CounterV2 {
    fn scope(&self) -> rectiflow_domain::event::Scope {
        rectiflow_domain::event::Scope::default()
    }
}

impl FoldVersion for CounterV2 {
    const FOLD_VERSION: u32 = 2;
}

impl Aggregate for CounterV2 {
    const TYPE: &'static str = Counter::TYPE;
    type Command = Command<CounterCommand>;
    type Event = CounterEvent;
    type Error = Refused;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), Refused> {
        // The counter's decisions, written through a sink of this type.
        let inner = EventSink::<Counter>::default();
        self.0.clone().handle(command, services, &inner).await?;
        for event in inner.collect().await {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: CounterEvent) {
        self.0.apply(event);
    }
}
