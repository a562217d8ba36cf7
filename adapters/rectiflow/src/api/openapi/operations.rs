//! The pieces operations are made of: the answers every operation may get, the problems, the
//! path, header and query parameters.

use schemars::{JsonSchema, SchemaGenerator};
use serde_json::Value;
use utoipa::openapi::path::{OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::{RequestBody, RequestBodyBuilder};
use utoipa::openapi::{ContentBuilder, Object, Ref, Required, ResponseBuilder, Type};

pub(super) fn operation(tag: &str, summary: &str) -> OperationBuilder {
    OperationBuilder::new()
        .tag(tag)
        .summary(Some(summary))
        .response("400", problem_response("Malformed request"))
        .response("401", problem_response("No valid token"))
        .response("403", problem_response("Outside the token's role or scope"))
        .response("404", problem_response("No such resource"))
        .response("429", problem_response("Rate limited"))
        .response(
            "503",
            problem_response("The store or a port failed; nothing was written"),
        )
}

/// The answers only a command can get, beside [`operation`]'s.
pub(super) fn command(op: OperationBuilder) -> OperationBuilder {
    op.response(
        "409",
        problem_response("The resource's state does not allow it"),
    )
    .response("412", problem_response("If-Match names another version"))
    .response("413", problem_response("The body is too large"))
    .response("415", problem_response("The body is not JSON"))
    .response(
        "422",
        problem_response("Refused by the rules, or a value is invalid"),
    )
    .response("428", problem_response("If-Match is missing"))
}

pub(super) fn problem_response(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
}

pub(super) fn json_response(description: &str, schema: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name(schema)))
                .build(),
        )
        .build()
}

pub(super) fn json_array_response(description: &str, item: &str) -> utoipa::openapi::Response {
    let array = utoipa::openapi::ArrayBuilder::new().items(Ref::from_schema_name(item));
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new().schema(Some(array)).build(),
        )
        .build()
}

pub(super) fn id_parameter() -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name("id")
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .schema(Some(Object::with_type(Type::String)))
        .build()
}

pub(super) fn header_parameter(name: &str, required: bool) -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Header)
        .required(if required {
            Required::True
        } else {
            Required::False
        })
        .schema(Some(Object::with_type(Type::String)))
        .build()
}

/// The query parameters of `T`, one per property of its schema, required where it requires
/// them (their schemas are set from the component's properties once the document is built).
pub(super) fn query_parameters<T: JsonSchema>(
    generator: &mut SchemaGenerator,
) -> Vec<utoipa::openapi::path::Parameter> {
    let schema = generator.root_schema_for::<T>();
    let properties = schema
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    properties
        .keys()
        .map(|name| {
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Query)
                .required(match required.contains(&name.as_str()) {
                    true => Required::True,
                    false => Required::False,
                })
                .schema(Some(Object::with_type(Type::String)))
                .build()
        })
        .collect()
}

/// A required JSON request body of the component `schema`.
pub(super) fn json_body(schema: &str) -> RequestBody {
    RequestBodyBuilder::new()
        .required(Some(Required::True))
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name(schema)))
                .build(),
        )
        .build()
}
