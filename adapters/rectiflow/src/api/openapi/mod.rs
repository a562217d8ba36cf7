//! The OpenAPI 3.1 document, made from the same tables the router is made from
//! ([`super::resource`]) — so a route without its operation, or an operation without its
//! route, cannot be built — and served with a browsable page from the binary itself.
//!
//! Paths and operations are utoipa's; the component schemas are the domain's own types'
//! JSON Schemas (schemars, draft 2020-12 — OpenAPI 3.1's dialect), the same ones the event
//! catalogue is generated from. A command's request body is its variant's schema, taken from
//! the command enum's: `ItemCommand.report_progress`.

use std::sync::LazyLock;

use axum::Router;
use rectiflow_projections::item_register::ItemEntry;
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{json, Map, Value};
use utoipa::openapi::path::OperationBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{
    ComponentsBuilder, ContentBuilder, HttpMethod, InfoBuilder, OpenApiBuilder, PathItem,
    PathsBuilder, ResponseBuilder, SecurityRequirement,
};
use utoipa_swagger_ui::SwaggerUi;

use super::commands::CommandAccepted;
use super::ledger::{LedgerPageView, LedgerParams};
use super::problem::ProblemDetails;
use super::reads::{AsOfParams, HistoryEntry, ResourceView};
use super::resource::*;
use super::reveal::{RevealRequest, Revealed};

/// Where the document is served.
pub const DOCUMENT_PATH: &str = "/api/v1/openapi.json";
/// Where the browsable page is served.
pub const PAGE_PATH: &str = "/api/v1/docs";

mod boards;
mod events;
mod operations;
mod read_models;
mod rehearsal;
mod webhooks;

use operations::{
    command, header_parameter, id_parameter, json_array_response, json_body, json_response,
    operation, query_parameters,
};

static DOCUMENT: LazyLock<Value> = LazyLock::new(|| build(false));
static REHEARSAL_DOCUMENT: LazyLock<Value> = LazyLock::new(|| build(true));

/// The document, as served: a rehearsal's has the rehearsal clock's endpoints too.
pub fn document(rehearsal: bool) -> &'static Value {
    match rehearsal {
        true => &REHEARSAL_DOCUMENT,
        false => &DOCUMENT,
    }
}

/// The document at [`DOCUMENT_PATH`] and the page at [`PAGE_PATH`].
pub fn routes(rehearsal: bool) -> Router {
    SwaggerUi::new(PAGE_PATH)
        .external_url_unchecked(DOCUMENT_PATH, document(rehearsal).clone())
        .into()
}

/// A command's body, cut from its enum's schema.
struct Cut {
    enum_name: String,
    tag_field: Option<&'static str>,
    variant: &'static str,
    component: String,
}

/// What the document is built from: the schemas named so far and the paths.
struct Builder {
    generator: SchemaGenerator,
    /// Request bodies cut from command enums: component name → schema.
    extra: Map<String, Value>,
    /// Each command body to cut from its enum's schema.
    cuts: Vec<Cut>,
    paths: PathsBuilder,
    /// Paths whose query parameters take their schemas from a component's properties.
    query_schemas: Vec<(String, String)>,
}

impl Builder {
    /// The component name of `T`, registering its schema.
    fn name<T: JsonSchema>(&mut self) -> String {
        let schema = self.generator.subschema_for::<T>();
        schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.rsplit('/').next())
            .map(str::to_owned)
            .unwrap_or_else(|| T::schema_name().into_owned())
    }

    fn add(&mut self, path: &str, method: HttpMethod, operation: OperationBuilder) {
        let item = PathItem::new(method, operation.build());
        let paths = std::mem::take(&mut self.paths);
        self.paths = paths.path(path, item);
    }

    fn resource<R: Resource>(&mut self) {
        let body = self.name::<R::Body>();
        let view = self.name::<ResourceView<R::Aggregate>>();
        let base = format!("/api/v1/{}", R::COLLECTION);
        let (item_path, id) = match R::SINGLETON {
            Some(_) => (base.clone(), None),
            None => (format!("{base}/{{id}}"), Some(id_parameter())),
        };
        let with_id = |op: OperationBuilder| match &id {
            Some(parameter) => op.parameter(parameter.clone()),
            None => op,
        };
        let as_of = self.name::<AsOfParams>();
        let as_of_parameters = query_parameters::<AsOfParams>(&mut self.generator);
        let with_as_of = |op: OperationBuilder| {
            as_of_parameters
                .iter()
                .fold(op, |op, parameter| op.parameter(parameter.clone()))
        };
        let read = with_id(operation(
            R::TAG,
            "Read it as it stands (ETag = its version), or as it stood at as_of",
        ));
        self.add(
            &item_path,
            HttpMethod::Get,
            with_as_of(read)
                .response("200", json_response("The resource", &view))
                .response(
                    "304",
                    ResponseBuilder::new().description("Not modified").build(),
                ),
        );
        let history = with_id(operation(
            R::TAG,
            "Its history: every event, who and when (up to as_of)",
        ));
        self.add(
            &format!("{item_path}/history"),
            HttpMethod::Get,
            with_as_of(history).response(
                "200",
                json_array_response("The events, oldest first", "HistoryEntry"),
            ),
        );
        self.query_schemas.push((item_path.clone(), as_of.clone()));
        self.query_schemas
            .push((format!("{item_path}/history"), as_of));
        for action in R::ACTIONS {
            let component = format!("{body}.{}", action.variant);
            self.cuts.push(Cut {
                enum_name: body.clone(),
                tag_field: R::TAG_FIELD,
                variant: action.variant,
                component: component.clone(),
            });
            let (path, status) = match (action.creates, R::SINGLETON) {
                (true, None) => (base.clone(), "201"),
                (true, Some(_)) => (format!("{base}/{}", action.segment()), "201"),
                (false, _) => (format!("{item_path}/{}", action.segment()), "200"),
            };
            let mut op = command(operation(R::TAG, action.summary))
                .request_body(Some(json_body(&component)))
                .parameter(header_parameter("Idempotency-Key", false))
                .response(
                    status,
                    json_response(
                        "Accepted: the new version and its events",
                        "CommandAccepted",
                    ),
                );
            if !action.creates {
                op = with_id(op).parameter(header_parameter("If-Match", true));
            }
            self.add(&path, HttpMethod::Post, op);
        }
    }
}

fn build(rehearsal: bool) -> Value {
    let settings = SchemaSettings::draft2020_12().with(|s| {
        s.definitions_path = "/components/schemas".into();
    });
    let mut builder = Builder {
        generator: settings.into_generator(),
        extra: Map::new(),
        cuts: Vec::new(),
        paths: PathsBuilder::new(),
        query_schemas: Vec::new(),
    };
    // The shared components, under the names the operations refer to.
    builder.name::<ProblemDetails>();
    builder.name::<CommandAccepted>();
    builder.name::<HistoryEntry>();
    builder.name::<LedgerPageView>();
    builder.name::<ItemEntry>();
    macro_rules! document {
        ($resource:ident) => {
            builder.resource::<$resource>();
        };
    }
    crate::each_resource!(document);
    let (request, answer) = (builder.name::<RevealRequest>(), builder.name::<Revealed>());
    builder.add(
        "/api/v1/complaints/{id}/reveal",
        HttpMethod::Post,
        command(operation(
            Complaints::TAG,
            "查阅: read the sealed part (identity, own words, attachments); recorded first",
        ))
        .parameter(id_parameter())
        .parameter(header_parameter("If-Match", true))
        .parameter(header_parameter("Idempotency-Key", false))
        .request_body(Some(json_body(&request)))
        .response("200", json_response("Recorded, then opened", &answer)),
    );
    let ledger = query_parameters::<LedgerParams>(&mut builder.generator);
    builder.name::<LedgerParams>();
    for (path, media, summary) in [
        (
            "/api/v1/ledger",
            "application/json",
            "台账: a page of the ledger (Link: rel=\"next\")",
        ),
        (
            "/api/v1/ledger.csv",
            "text/csv",
            "台账 as CSV (UTF-8 with BOM), every matching row",
        ),
        (
            "/api/v1/ledger.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "台账 as XLSX, every matching row",
        ),
    ] {
        let mut op = operation("ledger 台账", summary);
        for parameter in &ledger {
            let download = path != "/api/v1/ledger";
            let name = parameter.name.as_str();
            if !(download && (name == "after" || name == "limit")) {
                op = op.parameter(parameter.clone());
            }
        }
        let ok = match media {
            "application/json" => json_response("A page", "LedgerPageView"),
            other => ResponseBuilder::new()
                .description("The download")
                .content(other, ContentBuilder::new().build())
                .build(),
        };
        builder.add(path, HttpMethod::Get, op.response("200", ok));
    }

    builder.boards();
    builder.figures();
    builder.publications();
    builder.todo();
    builder.public();
    builder.events();
    builder.webhooks();
    if rehearsal {
        builder.rehearsal();
    }

    let Builder {
        mut generator,
        mut extra,
        cuts,
        paths,
        query_schemas,
    } = builder;
    let mut schemas = generator.take_definitions(true);
    for cut in cuts {
        let schema = schemas
            .get(&cut.enum_name)
            .map(|e| variant_schema(e, cut.tag_field, cut.variant))
            .unwrap_or_else(|| json!({}));
        extra.insert(cut.component, schema);
    }
    schemas.extend(extra);

    let components = ComponentsBuilder::new()
        .security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        )
        .build();
    let openapi = OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("rectiflow")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "整改工作流：问题清单、交办、签收、销号。Every request carries an API token \
                     (Authorization: Bearer …) acting for one person in one role; changes need \
                     If-Match; every POST may carry an Idempotency-Key; errors are RFC 9457 \
                     problems with a stable code.",
                ))
                .build(),
        )
        .paths(paths.build())
        .components(Some(components))
        .security(Some(vec![SecurityRequirement::new(
            "token",
            Vec::<String>::new(),
        )]))
        .build();
    let mut document = serde_json::to_value(&openapi).unwrap_or_else(|_| json!({}));
    // utoipa's parameter schemas are its own; the query parameters get theirs from schemars
    // (the states, colours and sort keys they take; booleans; numbers).
    let fixed = [
        ("/api/v1/ledger", "LedgerParams"),
        ("/api/v1/ledger.csv", "LedgerParams"),
        ("/api/v1/ledger.xlsx", "LedgerParams"),
        (crate::api::publications::LIST, "PublicationParams"),
        (crate::api::publications::DRILL_DOWN, "DrillParams"),
        (crate::api::todo::PATH, "ToDoParams"),
        (crate::api::events::STREAM, "StreamParams"),
    ];
    let named = query_schemas.iter().map(|(p, c)| (p.as_str(), c.as_str()));
    for (path, component) in fixed.into_iter().chain(named) {
        let filters = schemas[component]["properties"].clone();
        let parameters = document["paths"][path]["get"]["parameters"].as_array_mut();
        for parameter in parameters.into_iter().flatten() {
            let name = parameter["name"].as_str().unwrap_or_default().to_owned();
            if let Some(schema) = filters.get(&name) {
                parameter["schema"] = schema.clone();
            }
        }
    }
    if let Some(components) = document
        .get_mut("components")
        .and_then(Value::as_object_mut)
    {
        components.insert("schemas".into(), Value::Object(schemas));
    }
    document
}

/// The schema of `variant`'s body within its enum's schema: for an enum tagged inside, the
/// variant's object without its tag field; for one tagged outside, the property of the
/// one-property object naming it, or an empty object for a variant that carries nothing.
fn variant_schema(enum_schema: &Value, tag_field: Option<&str>, variant: &str) -> Value {
    let options = enum_schema
        .get("oneOf")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for option in options {
        if let Some(tag) = tag_field {
            let tagged = option["properties"][tag]["const"].as_str() == Some(variant)
                || option["properties"][tag]["enum"][0].as_str() == Some(variant);
            if tagged {
                let mut body = option;
                if let Some(properties) = body["properties"].as_object_mut() {
                    properties.remove(tag);
                }
                if let Some(required) = body["required"].as_array_mut() {
                    required.retain(|r| r.as_str() != Some(tag));
                }
                return body;
            }
            continue;
        }
        if let Some(body) = option.get("properties").and_then(|p| p.get(variant)) {
            return body.clone();
        }
        let names_it = option.get("const").and_then(Value::as_str) == Some(variant)
            || option
                .get("enum")
                .and_then(Value::as_array)
                .is_some_and(|e| e.iter().any(|v| v.as_str() == Some(variant)));
        if names_it {
            return json!({"type": "object", "additionalProperties": false});
        }
    }
    json!({})
}

#[cfg(test)]
mod tests;
