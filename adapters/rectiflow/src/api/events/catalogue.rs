//! The catalogue of event types (`GET /api/v1/events/types`, one type at
//! `/api/v1/events/types/{type}`) and the AsyncAPI document of the channels
//! (`GET /api/v1/events/asyncapi.json`). Both are documentation: served without a token, like
//! the OpenAPI document, and held to the client address's rate.

use std::sync::LazyLock;

use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rectiflow_domain::event::catalogue::{self, EventType};
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use crate::api::problem::Problem;
use crate::subscriptions::asyncapi;

/// One event type as the catalogue lists it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct EventTypeView {
    /// The qualified type, `rectiflow.item.became_overdue`.
    #[serde(rename = "type")]
    pub name: String,
    /// Its schema version.
    pub version: String,
    /// The `$id` of its schema, which each CloudEvent of it names in `dataschema`.
    pub schema_id: String,
    /// The JSON Schema (2020-12) of the CloudEvent's `data`: the event's public view.
    pub schema: Value,
}

/// The catalogue.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct EventCatalogue {
    /// Every event type, by name.
    pub types: Vec<EventTypeView>,
}

/// The outline of the AsyncAPI document, as the OpenAPI document describes its answer (the
/// document's own schema is AsyncAPI's). Never built: it only lends its schema.
#[derive(JsonSchema)]
#[allow(dead_code)]
pub struct AsyncApiOutline {
    /// `3.0.0`.
    asyncapi: String,
    info: Value,
    servers: Value,
    channels: Value,
    operations: Value,
    components: Value,
}

static CATALOGUE: LazyLock<EventCatalogue> = LazyLock::new(|| EventCatalogue {
    types: catalogue::catalogue().iter().map(view).collect(),
});

fn view(entry: &EventType) -> EventTypeView {
    EventTypeView {
        name: entry.name.to_owned(),
        version: entry.version.to_owned(),
        schema_id: catalogue::schema_id(entry.name, entry.version),
        schema: entry.schema.clone(),
    }
}

/// `GET /api/v1/events/types`.
pub async fn types() -> Response {
    Json(&*CATALOGUE).into_response()
}

/// `GET /api/v1/events/types/{type}`.
pub async fn one_type(name: Result<Path<String>, PathRejection>) -> Result<Response, Problem> {
    let name = crate::api::path(name)?;
    CATALOGUE
        .types
        .iter()
        .find(|t| t.name == name)
        .map(|t| Json(t).into_response())
        .ok_or_else(|| {
            Problem::not_found(
                "events.unknown_type",
                format!("事件目录中没有 {name} 这一事件类型"),
            )
        })
}

/// `GET /api/v1/events/asyncapi.json`.
pub async fn asyncapi_document() -> Response {
    static DOCUMENT: LazyLock<Value> = LazyLock::new(asyncapi::document);
    Json(&*DOCUMENT).into_response()
}
