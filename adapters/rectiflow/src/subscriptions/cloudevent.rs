//! The envelope every event leaves in: CloudEvents 1.0, JSON format.
//!
//! - `id`: the event's id (a UUID, the same in the log, an export, a webhook and a NATS
//!   message: what a consumer de-duplicates on);
//! - `source`: `urn:rectiflow:county:<county>`, the service that recorded it (`…:rehearsal`
//!   for a rehearsal's);
//! - `type`: the qualified event type (`rectiflow.item.became_overdue`), `subject`: its stream
//!   (`item/YB-2026-0001`), `time`: the instant it was recorded;
//! - `dataschema`: `urn:rectiflow:schema:<type>:<version>`, the `$id` of its schema in the
//!   catalogue (`GET /api/v1/events/types`);
//! - extensions: `position`, its place in the public log as decimal digits (a string: the
//!   CloudEvents integer is 32-bit, a log outgrows it); `campaign` and `taskforce` where the
//!   event belongs to one; `traceparent`/`tracestate` (the Distributed Tracing extension) of
//!   the request that caused it, when it is a well-formed W3C trace context;
//! - `data`: the event's public view ([`catalogue::public_data`]).

use chrono::{DateTime, Utc};
use rectiflow_domain::event::catalogue::{self, schema_id, EventType, Unpublished};
use rectiflow_engine::{LoggedEvent, Metadata};
use serde::Serialize;
use serde_json::{json, Value};

/// The `source` of every event this county's service records; a rehearsal's (演练) says so,
/// so a receiver never takes a simulated campaign's events for the real one's.
pub fn source(county: &str, rehearsal: bool) -> String {
    match rehearsal {
        false => format!("urn:rectiflow:county:{county}"),
        true => format!("urn:rectiflow:county:{county}:rehearsal"),
    }
}

/// A CloudEvent in its JSON format.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CloudEvent {
    pub specversion: &'static str,
    pub id: String,
    pub source: String,
    #[serde(rename = "type")]
    pub event_type: String,
    pub subject: String,
    pub time: DateTime<Utc>,
    pub datacontenttype: &'static str,
    pub dataschema: String,
    pub position: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub campaign: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub taskforce: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub traceparent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracestate: Option<String>,
    pub data: Value,
}

impl CloudEvent {
    /// The envelope of `event` as recorded by `source`, or why it may not leave (a type,
    /// version or shape the catalogue does not know).
    pub fn of(event: &LoggedEvent, source: &str) -> Result<Self, Unpublished> {
        let recorded = &event.event;
        let data = catalogue::public_data(
            &recorded.event_type,
            &recorded.schema_version,
            &recorded.payload,
        )?;
        let metadata: Metadata =
            serde_json::from_value(recorded.metadata.clone()).unwrap_or_default();
        let (traceparent, tracestate) = metadata.trace.map_or((None, None), |trace| {
            (Some(trace.traceparent), trace.tracestate)
        });
        Ok(Self {
            specversion: "1.0",
            id: recorded.event_id.to_string(),
            source: source.to_owned(),
            event_type: recorded.event_type.clone(),
            subject: recorded.stream.to_string(),
            time: recorded.recorded_at,
            datacontenttype: "application/json",
            dataschema: schema_id(&recorded.event_type, &recorded.schema_version),
            position: event.position.to_string(),
            campaign: metadata.campaign,
            taskforce: metadata.task_force,
            tracestate: tracestate.filter(|_| traceparent.as_deref().is_some_and(is_traceparent)),
            traceparent: traceparent.filter(|t| is_traceparent(t)),
            data,
        })
    }
}

/// Whether `value` is a W3C `traceparent` (`00-<32 hex>-<16 hex>-<2 hex>`).
pub fn is_traceparent(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    let hex = |part: &str, len: usize| {
        part.len() == len
            && part
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    parts.len() == 4
        && hex(parts[0], 2)
        && hex(parts[1], 32)
        && hex(parts[2], 16)
        && hex(parts[3], 2)
}

/// The JSON Schema of the whole CloudEvent of the type `entry`: the envelope this module
/// writes, closed, with the type's data schema (its own resource, under its `$id`) as `data`.
pub fn envelope_schema(entry: &EventType) -> Value {
    let string = json!({"type": "string", "minLength": 1});
    json!({
        "$schema": catalogue::DIALECT,
        "title": format!("CloudEvent {}", entry.name),
        "type": "object",
        "required": [
            "specversion", "id", "source", "type", "subject", "time", "datacontenttype",
            "dataschema", "position", "data"
        ],
        "additionalProperties": false,
        "properties": {
            "specversion": {"const": "1.0"},
            "id": {"type": "string", "format": "uuid"},
            "source": string,
            "type": {"const": entry.name},
            "subject": string,
            "time": {"type": "string", "format": "date-time"},
            "datacontenttype": {"const": "application/json"},
            "dataschema": {"const": schema_id(entry.name, entry.version)},
            "position": {"type": "string", "pattern": "^[1-9][0-9]*$"},
            "campaign": string,
            "taskforce": string,
            "traceparent": {
                "type": "string",
                "pattern": "^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$"
            },
            "tracestate": {"type": "string"},
            "data": entry.schema,
        },
    })
}
