//! The event contract: what every event of every aggregate promises to whoever reads the log —
//! projections, policies, exports, and integrators through subscriptions.
//!
//! One global log holds the events of every aggregate, so a bare name like `Received` or
//! `Closed` says nothing on its own. Every event type is qualified as
//! `rectiflow.<aggregate>.<event>` in snake case (`rectiflow.complaint.closed`), the same in the
//! log, in exports and in CloudEvents, and versioned apart in `schema_version` (an integer,
//! starting at 1). A name, once published, never changes: integrators subscribe by it.
//!
//! Who and when are read the same way from every event ([`Attributed`]): each records the actor
//! who caused it — a person, or a system actor (`policy:<name>`, `schedule:<id>`) — as `by`,
//! and the instant it was recorded as `at`; an event that takes effect at another instant (a
//! deadline that passed while nobody looked) says so through
//! [`effective_at`](Attributed::effective_at).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::settings::Field;
use crate::values::{CampaignId, PersonId, TaskForceId, UnitId};

pub mod catalogue;

/// The namespace of every event type.
pub const NAMESPACE: &str = "rectiflow";

/// The schema version of an event shape as first published. A change to a published shape
/// raises it and comes with an upcaster for the older version.
pub const FIRST_SCHEMA_VERSION: &str = "1";

/// The qualified event type `rectiflow.<aggregate>.<event>`. Both parts are snake case, and
/// the event part drops the aggregate's name where the variant repeats it
/// (`ItemRegistered` → `rectiflow.item.registered`).
pub fn qualified(aggregate: &str, event: &str) -> String {
    format!("{NAMESPACE}.{aggregate}.{event}")
}

/// Whether `name` is a well-formed qualified event type: `rectiflow.`, then two non-empty
/// snake-case parts (lower-case ASCII letters, digits and underscores, starting with a letter).
pub fn is_qualified(name: &str) -> bool {
    let mut parts = name.split('.');
    let snake = |part: &str| {
        part.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && part
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && !part.ends_with('_')
            && !part.contains("__")
    };
    parts.next() == Some(NAMESPACE)
        && parts.next().is_some_and(snake)
        && parts.next().is_some_and(snake)
        && parts.next().is_none()
}

/// Who caused an event and when, read the same way from every event of every aggregate.
pub trait Attributed {
    /// The person or system actor (`policy:<name>`, `schedule:<id>`) who caused the event.
    fn by(&self) -> &PersonId;
    /// The instant the event was recorded (the command's stamp).
    fn at(&self) -> DateTime<Utc>;
    /// The instant the event takes effect: the recording instant, unless the event records
    /// something that happened earlier (an overdue deadline, a missed response window).
    fn effective_at(&self) -> DateTime<Utc> {
        self.at()
    }
}

/// Implements [`Attributed`] for an event enum whose every variant has `by` and `at` fields:
/// `attributed!(ItemEvent { ItemRegistered, ItemAssigned, … })`, optionally with
/// `, effective_at = some_fn` for events that take effect at another instant. Listing the
/// variants (rather than a catch-all arm) makes a new variant without `by` and `at` a compile
/// error here.
macro_rules! attributed {
    ($event:ty { $($variant:ident),+ $(,)? } $(, effective_at = $effective:path)?) => {
        impl $crate::event::Attributed for $event {
            fn by(&self) -> &$crate::values::PersonId {
                match self {
                    $(Self::$variant { by, .. })|+ => by,
                }
            }

            fn at(&self) -> chrono::DateTime<chrono::Utc> {
                match self {
                    $(Self::$variant { at, .. })|+ => *at,
                }
            }

            $(
                fn effective_at(&self) -> chrono::DateTime<chrono::Utc> {
                    $effective(self)
                }
            )?
        }
    };
}
pub(crate) use attributed;

/// What an event shows outside the system — to subscribers and integrators, and in public
/// read models: the event without the fields that hold sealed or personal data. A complainant
/// or a parent must never leave the system, even sealed (a sealed identity outlives nothing,
/// but it still says that someone named themselves).
///
/// The sealed fields are declared per variant, not computed from a value, so the published
/// schema of each event type ([`catalogue`]) leaves out exactly what every view of it does.
pub trait PublicView: Serialize {
    /// For each variant with fields to leave out: its name and those fields.
    const SEALED: &'static [(&'static str, &'static [&'static str])] = &[];

    /// The fields of `variant` left out of its public view.
    fn sealed_fields_of(variant: &str) -> &'static [&'static str] {
        Self::SEALED
            .iter()
            .find(|(name, _)| *name == variant)
            .map_or(&[], |(_, fields)| *fields)
    }

    /// The event as JSON (`{"Variant": {...}}`) without its sealed fields.
    fn public_view(&self) -> Result<serde_json::Value, serde_json::Error> {
        let mut value = serde_json::to_value(self)?;
        if let Some((variant, fields)) = value
            .as_object_mut()
            .and_then(|tagged| tagged.iter_mut().next())
        {
            let sealed = Self::sealed_fields_of(variant);
            if let Some(fields) = fields.as_object_mut() {
                for name in sealed {
                    fields.remove(*name);
                }
            }
        }
        Ok(value)
    }
}

/// An event enum whose types are listed, so the catalogue for integrators can publish every
/// type with its schema without an instance of each. Implemented by [`event_types!`], which
/// also derives `DomainEvent::event_type` from the same list: a type is named once.
pub trait Catalogued: PublicView + schemars::JsonSchema {
    /// Each variant's Rust name and its qualified event type, in declaration order.
    const TYPES: &'static [(&'static str, &'static str)];
}

/// Names the event types of an event enum, once: `event_types!(AlertEvent { Received =>
/// "rectiflow.alert.received", … })` implements cqrs-es's `DomainEvent` (every shape at
/// [`FIRST_SCHEMA_VERSION`]) and [`Catalogued`]. The match it writes lists every variant, so a
/// new variant without a type is a compile error here.
macro_rules! event_types {
    ($event:ty { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl cqrs_es::DomainEvent for $event {
            fn event_type(&self) -> String {
                match self {
                    $(Self::$variant { .. } => $name,)+
                }
                .to_owned()
            }

            fn event_version(&self) -> String {
                $crate::event::FIRST_SCHEMA_VERSION.to_owned()
            }
        }

        impl $crate::event::Catalogued for $event {
            const TYPES: &'static [(&'static str, &'static str)] =
                &[$((stringify!($variant), $name)),+];
        }
    };
}
pub(crate) use event_types;

/// Where an aggregate's events belong: the executor writes it into the metadata of every event
/// it commits, so a projection or a subscriber can filter and count by campaign, task force,
/// field or unit without joining back to the stream's first event.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Scope {
    pub campaign: Option<CampaignId>,
    pub task_force: Option<TaskForceId>,
    pub field: Option<Field>,
    /// Every unit the stream involves, without repeats, in the order the aggregate names them
    /// (for an item: the responsible unit, then the supervising unit).
    pub units: Vec<UnitId>,
}

impl Scope {
    pub fn campaign(campaign: &CampaignId) -> Self {
        Self {
            campaign: Some(campaign.clone()),
            ..Self::default()
        }
    }

    pub fn with_task_force(mut self, task_force: Option<&TaskForceId>) -> Self {
        self.task_force = task_force.cloned();
        self
    }

    pub fn with_field(mut self, field: Option<&Field>) -> Self {
        self.field = field.cloned();
        self
    }

    /// Adds `unit` unless it is already named.
    pub fn with_unit(mut self, unit: Option<&UnitId>) -> Self {
        if let Some(unit) = unit {
            if !self.units.contains(unit) {
                self.units.push(unit.clone());
            }
        }
        self
    }
}

/// An aggregate that says where its events belong, read by the executor after a command's
/// events are applied (so the event that registers a stream already carries its scope).
pub trait Scoped {
    fn scope(&self) -> Scope;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualified_names_are_namespaced_snake_case() {
        assert_eq!(qualified("item", "registered"), "rectiflow.item.registered");
        assert!(is_qualified("rectiflow.complaint.response_missed"));
        for bad in [
            "Received",
            "rectiflow.item",
            "rectiflow.item.Registered",
            "rectiflow.item.registered.v1",
            "other.item.registered",
            "rectiflow.item._x",
            "rectiflow.item.x__y",
            "rectiflow..registered",
        ] {
            assert!(!is_qualified(bad), "{bad}");
        }
    }

    /// Every event type named in the aggregates' `event_type` is qualified, under its own
    /// aggregate, and named once: integrators subscribe by these names.
    #[test]
    fn every_event_type_is_qualified_under_its_aggregate_and_unique() {
        let sources = [
            ("accountability", include_str!("accountability/events.rs")),
            ("admonishment", include_str!("admonishment/events.rs")),
            ("alert", include_str!("alert/events.rs")),
            ("campaign", include_str!("campaign/events.rs")),
            ("case", include_str!("case/events.rs")),
            ("complaint", include_str!("complaint/events.rs")),
            ("item", include_str!("item/events.rs")),
            ("organisation", include_str!("organisation/events.rs")),
            ("publication", include_str!("publication/events.rs")),
            ("reading", include_str!("reading/mod.rs")),
            ("schedule", include_str!("schedule/events.rs")),
            ("survey", include_str!("survey/events.rs")),
            ("care_home", include_str!("registry/care_home/events.rs")),
            ("supplier", include_str!("registry/supplier/events.rs")),
            (
                "county_calendar",
                include_str!("calendar/overrides/events.rs"),
            ),
        ];
        let mut seen = std::collections::BTreeSet::new();
        for (aggregate, source) in sources {
            let names: Vec<&str> = source
                .split('"')
                .filter(|part| part.starts_with("rectiflow."))
                .collect();
            assert!(!names.is_empty(), "{aggregate} names no event type");
            for name in names {
                assert!(is_qualified(name), "{name}");
                assert!(
                    name.starts_with(&format!("rectiflow.{aggregate}.")),
                    "{name} is not under {aggregate}"
                );
                assert!(seen.insert(name), "{name} is named twice");
            }
        }
        // The catalogue integrators read lists exactly these.
        let catalogued: std::collections::BTreeSet<&str> = super::catalogue::catalogue()
            .iter()
            .map(|t| t.name)
            .collect();
        assert_eq!(catalogued, seen);
    }
}
