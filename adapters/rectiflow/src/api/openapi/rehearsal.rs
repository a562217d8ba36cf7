//! The rehearsal clock's operations: in a rehearsal's document only.

use utoipa::openapi::HttpMethod;

use super::operations::{
    command, header_parameter, id_parameter, json_body, json_response, operation,
};
use super::Builder;
use crate::api::rehearsal::{RehearsalClock, CLOCK_PATH, JOB_PATH};
use crate::rehearsal::{ClockJob, ClockMove};

const TAG: &str = "rehearsal 演练";

impl Builder {
    pub(super) fn rehearsal(&mut self) {
        let clock = self.name::<RehearsalClock>();
        let job = self.name::<ClockJob>();
        let body = self.name::<ClockMove>();
        self.add(
            CLOCK_PATH,
            HttpMethod::Get,
            operation(TAG, "Where the simulated clock stands, and its last move")
                .response("200", json_response("The clock", &clock)),
        );
        self.add(
            CLOCK_PATH,
            HttpMethod::Post,
            command(operation(
                TAG,
                "Move the clock forward (admin): a job that fires everything due on the way, \
                 in order, and completes once the projections have caught up",
            ))
            .parameter(header_parameter("Idempotency-Key", false))
            .request_body(Some(json_body(&body)))
            .response(
                "202",
                json_response("The move, started (Location: its job)", &job),
            ),
        );
        self.add(
            JOB_PATH,
            HttpMethod::Get,
            operation(TAG, "A move of the clock: its progress, or how it ended")
                .parameter(id_parameter())
                .response("200", json_response("The job", &job)),
        );
    }
}
