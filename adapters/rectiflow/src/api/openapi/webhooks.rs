//! The webhook subscriptions' operations.

use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
use utoipa::openapi::{HttpMethod, Object, Required, ResponseBuilder, Type};

use super::operations::{
    header_parameter, id_parameter, json_array_response, json_body, json_response, operation,
    problem_response,
};
use super::Builder;
use crate::api::webhooks::{
    DeadLetterView, NewWebhook, Redelivered, Replay, WebhookView, COLLECTION, DEAD_LETTERS, ONE,
    PAUSE, REDELIVER, REPLAY, RESUME, ROTATE_SECRET,
};

const TAG: &str = "webhooks 推送订阅";

impl Builder {
    pub(super) fn webhooks(&mut self) {
        let view = self.name::<WebhookView>();
        let new = self.name::<NewWebhook>();
        let replay = self.name::<Replay>();
        let letter = self.name::<DeadLetterView>();
        let redelivered = self.name::<Redelivered>();
        let body_problems = |op: utoipa::openapi::path::OperationBuilder| {
            op.response("413", problem_response("The body is too large"))
                .response("415", problem_response("The body is not JSON"))
                .response("422", problem_response("A value is invalid"))
        };
        self.add(
            COLLECTION,
            HttpMethod::Post,
            body_problems(operation(
                TAG,
                "Subscribe a URL to the events the token may read — integrators only (the \
                 answer holds the whsec_ secret, once)",
            ))
            .parameter(header_parameter("Idempotency-Key", false))
            .request_body(Some(json_body(&new)))
            .response("201", json_response("Subscribed", &view))
            .response(
                "409",
                problem_response("The token has as many subscriptions as it may"),
            ),
        );
        self.add(
            COLLECTION,
            HttpMethod::Get,
            operation(TAG, "The token's subscriptions (an admin's: every one)")
                .response("200", json_array_response("The subscriptions", &view)),
        );
        self.add(
            ONE,
            HttpMethod::Get,
            operation(
                TAG,
                "One subscription: its position, whether paused, dead letters",
            )
            .parameter(id_parameter())
            .response("200", json_response("The subscription", &view)),
        );
        self.add(
            ONE,
            HttpMethod::Delete,
            operation(TAG, "Remove the subscription and its dead letters")
                .parameter(id_parameter())
                .response("204", ResponseBuilder::new().description("Removed").build()),
        );
        self.add(
            REPLAY,
            HttpMethod::Post,
            body_problems(operation(
                TAG,
                "Deliver again from the event after a position",
            ))
            .parameter(id_parameter())
            .request_body(Some(json_body(&replay)))
            .response("200", json_response("Moved", &view)),
        );
        for (path, summary) in [
            (PAUSE, "Pause deliveries"),
            (RESUME, "Resume deliveries from the position reached"),
            (
                ROTATE_SECRET,
                "Give the subscription a fresh secret, answered once; the old one signs \
                 beside it for webhooks.rotation_overlap_hours",
            ),
        ] {
            self.add(
                path,
                HttpMethod::Post,
                operation(TAG, summary)
                    .parameter(id_parameter())
                    .response("200", json_response("The subscription", &view)),
            );
        }
        self.add(
            DEAD_LETTERS,
            HttpMethod::Get,
            operation(TAG, "Deliveries given up on, oldest first")
                .parameter(id_parameter())
                .response("200", json_array_response("The dead letters", &letter)),
        );
        let position = ParameterBuilder::new()
            .name("position")
            .parameter_in(ParameterIn::Path)
            .required(Required::True)
            .schema(Some(Object::with_type(Type::Integer)))
            .build();
        self.add(
            REDELIVER,
            HttpMethod::Post,
            operation(TAG, "Redeliver a dead letter: one try, now")
                .parameter(id_parameter())
                .parameter(position)
                .response("200", json_response("Delivered", &redelivered))
                .response(
                    "409",
                    problem_response(
                        "The token may no longer read the event, the URL is no longer \
                         allowed, or the event cannot be published",
                    ),
                )
                .response("502", problem_response("The receiver failed again")),
        );
    }
}
