//! The AsyncAPI 3.0 document of the channels events leave by, made from the catalogue: one
//! message per event type, whose payload is the whole CloudEvent
//! ([`envelope_schema`](super::cloudevent::envelope_schema)) in JSON Schema 2020-12 (declared
//! per message through `schemaFormat`, as AsyncAPI 3.0 allows).

use rectiflow_domain::event::catalogue;
use serde_json::{json, Map, Value};

use super::cloudevent::envelope_schema;
use crate::api::events::STREAM;

/// The schema format of every payload.
const SCHEMA_FORMAT: &str = "application/schema+json;version=draft-2020-12";

/// The document served at `/api/v1/events/asyncapi.json`.
pub fn document() -> Value {
    let types = catalogue::catalogue();
    let mut messages = Map::new();
    let mut references = Map::new();
    for entry in &types {
        messages.insert(
            entry.name.to_owned(),
            json!({
                "name": entry.name,
                "title": entry.name,
                "contentType": "application/json",
                "payload": {
                    "schemaFormat": SCHEMA_FORMAT,
                    "schema": envelope_schema(entry),
                },
            }),
        );
        references.insert(
            entry.name.to_owned(),
            json!({"$ref": format!("#/components/messages/{}", entry.name)}),
        );
    }
    json!({
        "asyncapi": "3.0.0",
        "info": {
            "title": "rectiflow events",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "What happens in a rectification campaign, as CloudEvents 1.0 \
                (JSON): `id` is the event id (de-duplicate on it), `position` its place in \
                the public log (resume from it), `data` the event's public view — sealed \
                fields and personal data never leave. Each type's data schema is served at \
                /api/v1/events/types/{type}.",
        },
        "defaultContentType": "application/json",
        "servers": {
            "api": {
                "host": "localhost:8080",
                "protocol": "http",
                "pathname": "/api/v1",
                "description": "The rectiflow service itself (its own address in a deployment); \
                    every request carries an API token.",
                "security": [{"$ref": "#/components/securitySchemes/token"}],
            },
            "nats": {
                "host": "127.0.0.1:4222",
                "protocol": "nats",
                "description": "The county's NATS server, as `nats.url` names it.",
            },
        },
        "channels": {
            "sse": {
                "address": STREAM.trim_start_matches("/api/v1"),
                "title": "Server-Sent Events",
                "description": "GET with the filters `types` (comma-separated, \
                    `rectiflow.item.*` for all of an aggregate's), `task_force`, `unit`, \
                    `stream` (a prefix of `<stream type>/<id>`) and `after` (a position; \
                    without it the stream starts at the log's head). Each SSE event's `id` \
                    is the event's position and its `data` the CloudEvent: reconnecting \
                    with `Last-Event-ID` resumes after it, nothing lost or repeated. At the \
                    log's head, an SSE event with an id and no data says the stream has read \
                    (and passed over) everything up to that position. Only what the token's \
                    role may read is sent.",
                "servers": [{"$ref": "#/servers/api"}],
                "messages": references.clone(),
            },
            "webhook": {
                "address": null,
                "title": "Webhooks",
                "description": "POSTed to each subscription's URL (POST /api/v1/webhooks), \
                    one event per request, in log order, the body the CloudEvent (structured \
                    mode, application/cloudevents+json). Signed per \
                    Standard Webhooks: `webhook-id` (the event id, the same on every retry \
                    and redelivery — de-duplicate on it), `webhook-timestamp` (Unix \
                    seconds), `webhook-signature` (`v1,` + base64 of HMAC-SHA256 over \
                    `id.timestamp.body` keyed with the subscription's `whsec_` secret); \
                    `traceparent` when the event's request carried one. A 2xx answer \
                    delivers it; anything else is retried with exponential backoff and \
                    jitter, then parked as a dead letter or the subscription paused.",
                "messages": references.clone(),
            },
            "nats": {
                "address": "{prefix}rectiflow.{aggregate}.{event}",
                "title": "NATS JetStream",
                "description": "With `[nats]` configured, every event is published on the \
                    subject of its type, after the configured `subject_prefix`, into the \
                    JetStream stream `nats.stream` (made if missing): the CloudEvent as the \
                    payload, headers `Nats-Msg-Id` (the event id), `Content-Type`, \
                    `Rectiflow-Position` and `traceparent`. JetStream drops a repeat only \
                    within its duplicate window: consumers de-duplicate on the event id. \
                    What a notifier integrator follows is published (configuration, and \
                    items, complaints, alerts and surveys of every field); who may read \
                    which subject is set in NATS's own accounts.",
                "servers": [{"$ref": "#/servers/nats"}],
                "parameters": {
                    "prefix": {"description": "`nats.subject_prefix` (empty by default)."},
                    "aggregate": {"description": "The event type's aggregate, e.g. `item`."},
                    "event": {"description": "The event, e.g. `became_overdue`."},
                },
                "messages": references,
            },
        },
        "operations": {
            "streamEvents": {
                "action": "send",
                "channel": {"$ref": "#/channels/sse"},
                "summary": "Send the events the token may read, in log order, to an SSE \
                    client.",
            },
            "publishEvents": {
                "action": "send",
                "channel": {"$ref": "#/channels/nats"},
                "summary": "Publish every event on the subject of its type.",
            },
            "deliverWebhooks": {
                "action": "send",
                "channel": {"$ref": "#/channels/webhook"},
                "summary": "Deliver each subscription's events to its URL, in log order.",
            },
        },
        "components": {
            "messages": messages,
            "securitySchemes": {
                "token": {"type": "http", "scheme": "bearer"},
            },
        },
    })
}
