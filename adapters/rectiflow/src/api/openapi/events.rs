//! The event catalogue's and the SSE stream's operations.

use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{ContentBuilder, HttpMethod, Object, Required, ResponseBuilder, Type};

use super::operations::{
    header_parameter, json_response, operation, problem_response, query_parameters,
};
use super::Builder;
use crate::api::events::catalogue::{AsyncApiOutline, EventCatalogue, EventTypeView};
use crate::api::events::stream::StreamParams;
use crate::api::events::{ASYNCAPI, STREAM, TYPE, TYPES};

const TAG: &str = "events 事件订阅";

impl Builder {
    pub(super) fn events(&mut self) {
        let catalogue = self.name::<EventCatalogue>();
        let entry = self.name::<EventTypeView>();
        let documentation = |summary: &str| {
            operation(TAG, summary).securities(Some(Vec::<SecurityRequirement>::new()))
        };
        self.add(
            TYPES,
            HttpMethod::Get,
            documentation(
                "The event catalogue: every event type, its version and the JSON Schema of \
                 its public data",
            )
            .response("200", json_response("The catalogue", &catalogue)),
        );
        let type_parameter = ParameterBuilder::new()
            .name("type")
            .parameter_in(ParameterIn::Path)
            .required(Required::True)
            .schema(Some(Object::with_type(Type::String)))
            .build();
        self.add(
            TYPE,
            HttpMethod::Get,
            documentation("One event type and its schema")
                .parameter(type_parameter)
                .response("200", json_response("The type", &entry)),
        );
        let outline = self.name::<AsyncApiOutline>();
        self.add(
            ASYNCAPI,
            HttpMethod::Get,
            documentation("The AsyncAPI 3.0 document of the event channels")
                .response("200", json_response("The document", &outline)),
        );
        self.name::<StreamParams>();
        let mut stream = operation(
            TAG,
            "Follow the events the token's role may read, as CloudEvents in Server-Sent \
             Events (id = log position; resume with Last-Event-ID)",
        )
        .parameter(header_parameter("Last-Event-ID", false))
        .response(
            "429",
            problem_response("Rate limited, or the token holds as many streams as it may"),
        );
        for parameter in query_parameters::<StreamParams>(&mut self.generator) {
            stream = stream.parameter(parameter);
        }
        self.add(
            STREAM,
            HttpMethod::Get,
            stream.response(
                "200",
                ResponseBuilder::new()
                    .description("The stream, until the service shuts down or the token stops")
                    .content("text/event-stream", ContentBuilder::new().build())
                    .build(),
            ),
        );
    }
}
