//! The catalogue of event types for integrators: every qualified type, its schema version, and
//! the JSON Schema of the data a subscriber receives for it — the event's public view
//! ([`PublicView`]), without the variant's tag (the type already names it) and without its
//! sealed fields.
//!
//! The schemas are generated from the Rust types (schemars), so they cannot drift from what is
//! written; each object of the data is closed (`additionalProperties: false`) at its top level,
//! so a sealed field that leaked, or a field added without a schema, fails validation.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use super::{Catalogued, PublicView, FIRST_SCHEMA_VERSION};

/// Calls `$visit!(Enum)` for every event enum of the domain: the one list the catalogue and
/// the sealing of logged events walk.
macro_rules! each_event_enum {
    ($visit:ident) => {
        $visit!(crate::accountability::AccountabilityEvent);
        $visit!(crate::admonishment::AdmonishmentEvent);
        $visit!(crate::alert::AlertEvent);
        $visit!(crate::calendar::overrides::OverrideEvent);
        $visit!(crate::campaign::CampaignEvent);
        $visit!(crate::case::CaseEvent);
        $visit!(crate::complaint::ComplaintEvent);
        $visit!(crate::item::ItemEvent);
        $visit!(crate::organisation::OrganisationEvent);
        $visit!(crate::publication::PublicationEvent);
        $visit!(crate::reading::ReadingEvent);
        $visit!(crate::registry::care_home::CareHomeEvent);
        $visit!(crate::registry::supplier::SupplierEvent);
        $visit!(crate::schedule::ScheduleEvent);
        $visit!(crate::survey::SurveyEvent);
    };
}

/// The JSON Schema dialect of every published schema.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The `$id` of the schema of `name` at `version` — a URN, the same in every deployment, so an
/// integrator can keep the schemas it has fetched (`GET /api/v1/events/types/{type}` serves
/// each; a CloudEvent names its own in `dataschema`).
pub fn schema_id(name: &str, version: &str) -> String {
    format!("urn:rectiflow:schema:{name}:{version}")
}

/// One event type as integrators see it.
#[derive(Debug, Clone, PartialEq)]
pub struct EventType {
    /// `rectiflow.item.registered`.
    pub name: &'static str,
    /// Its schema version (`"1"`).
    pub version: &'static str,
    /// The Rust variant whose public view it is (the tag of the payload in the log).
    pub variant: &'static str,
    /// The fields of the payload that never leave the system.
    pub sealed: &'static [&'static str],
    /// The JSON Schema (2020-12) of the data a subscriber receives.
    pub schema: Value,
}

/// Every event type, ordered by name.
pub fn catalogue() -> Vec<EventType> {
    let mut types = Vec::new();
    macro_rules! collect {
        ($event:ty) => {
            types.extend(types_of::<$event>());
        };
    }
    each_event_enum!(collect);
    types.sort_by(|a, b| a.name.cmp(b.name));
    types
}

/// The name of every event type, unordered: [`catalogue`] without generating a schema.
pub fn names() -> Vec<&'static str> {
    let mut names = Vec::new();
    macro_rules! collect {
        ($event:ty) => {
            names.extend(<$event as Catalogued>::TYPES.iter().map(|(_, name)| *name));
        };
    }
    each_event_enum!(collect);
    names
}

/// The variant and sealed fields of the event type `name`, if the domain knows it.
fn lookup(name: &str) -> Option<(&'static str, &'static [&'static str])> {
    macro_rules! find {
        ($event:ty) => {
            if let Some((variant, _)) = <$event as Catalogued>::TYPES
                .iter()
                .find(|(_, type_name)| *type_name == name)
            {
                return Some((variant, <$event as PublicView>::sealed_fields_of(variant)));
            }
        };
    }
    each_event_enum!(find);
    None
}

/// Whether the data of `name` at `version` can leave the system.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unpublished {
    #[error("the event type {0} is not in the catalogue")]
    UnknownType(String),
    #[error("the event type {name} has no published schema version {version}")]
    UnknownVersion { name: String, version: String },
    #[error("the payload of {0} is not tagged with its variant")]
    Untagged(String),
}

/// The public data of a logged event: its payload's variant object without the sealed fields,
/// as [`catalogue`]'s schema for `name` describes it. What a subscriber receives; an event
/// whose type, version or shape the catalogue does not know never leaves (an error, so the
/// caller says which).
pub fn public_data(name: &str, version: &str, payload: &Value) -> Result<Value, Unpublished> {
    let (variant, sealed) = lookup(name).ok_or_else(|| Unpublished::UnknownType(name.into()))?;
    if version != FIRST_SCHEMA_VERSION {
        return Err(Unpublished::UnknownVersion {
            name: name.into(),
            version: version.into(),
        });
    }
    let mut data = payload
        .get(variant)
        .filter(|_| payload.as_object().is_some_and(|tagged| tagged.len() == 1))
        .cloned()
        .ok_or_else(|| Unpublished::Untagged(name.into()))?;
    if let Some(fields) = data.as_object_mut() {
        for field in sealed {
            fields.remove(*field);
        }
    }
    Ok(data)
}

/// The catalogue's entries of one event enum: its schema split by variant.
fn types_of<E: Catalogued>() -> Vec<EventType> {
    let root = schemars::schema_for!(E).to_value();
    let defs = root.get("$defs").and_then(Value::as_object);
    let variants = root
        .get("oneOf")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    E::TYPES
        .iter()
        .map(|(variant, name)| {
            let sealed = E::sealed_fields_of(variant);
            let tagged = variants
                .iter()
                .find(|entry| entry.pointer(&format!("/properties/{variant}")).is_some());
            EventType {
                name,
                version: FIRST_SCHEMA_VERSION,
                variant,
                sealed,
                schema: data_schema(name, variant, tagged, defs, sealed),
            }
        })
        .collect()
}

/// The schema of a variant's data: the object under its tag, closed, without `sealed`, with
/// the definitions it refers to.
fn data_schema(
    name: &str,
    variant: &str,
    tagged: Option<&Value>,
    defs: Option<&Map<String, Value>>,
    sealed: &[&str],
) -> Value {
    let mut data = tagged
        .and_then(|entry| entry.pointer(&format!("/properties/{variant}")))
        .cloned()
        .unwrap_or_else(|| json!({"type": "object"}));
    if let Some(object) = data.as_object_mut() {
        if let Some(properties) = object.get_mut("properties").and_then(Value::as_object_mut) {
            for field in sealed {
                properties.remove(*field);
            }
        }
        if let Some(required) = object.get_mut("required").and_then(Value::as_array_mut) {
            required.retain(|field| !sealed.iter().any(|s| field.as_str() == Some(s)));
        }
        object.insert("additionalProperties".into(), Value::Bool(false));
        object.insert("$schema".into(), DIALECT.into());
        object.insert("$id".into(), schema_id(name, FIRST_SCHEMA_VERSION).into());
        object.insert("title".into(), name.into());
        if let Some(description) = tagged.and_then(|entry| entry.get("description")) {
            object
                .entry("description")
                .or_insert_with(|| description.clone());
        }
    }
    if let Some(defs) = defs {
        let used = referenced(&data, defs);
        if !used.is_empty() {
            let kept: Map<String, Value> = defs
                .iter()
                .filter(|(def, _)| used.contains(def.as_str()))
                .map(|(def, schema)| (def.clone(), schema.clone()))
                .collect();
            if let Some(object) = data.as_object_mut() {
                object.insert("$defs".into(), Value::Object(kept));
            }
        }
    }
    data
}

/// The names of the definitions `schema` refers to, directly or through other definitions.
fn referenced<'a>(schema: &Value, defs: &'a Map<String, Value>) -> BTreeSet<&'a str> {
    let mut used = BTreeSet::new();
    let mut pending = vec![schema];
    while let Some(value) = pending.pop() {
        match value {
            Value::Object(object) => {
                if let Some(target) = object
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/$defs/"))
                {
                    if let Some((def, schema)) = defs.get_key_value(target) {
                        if used.insert(def.as_str()) {
                            pending.push(schema);
                        }
                    }
                }
                pending.extend(object.values());
            }
            Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    used
}

#[cfg(test)]
mod tests;
