//! `/api/v1/events/…` — events for integrators: the catalogue of event types with a JSON
//! Schema each ([`catalogue`]), the AsyncAPI 3.0 document of the channels they arrive on, and
//! the Server-Sent Events stream ([`stream`]). What each channel sends is made in
//! [`crate::subscriptions`].

pub mod catalogue;
pub mod seats;
pub mod stream;

/// The catalogue: every event type.
pub const TYPES: &str = "/api/v1/events/types";
/// One event type's entry.
pub const TYPE: &str = "/api/v1/events/types/{type}";
/// The AsyncAPI document.
pub const ASYNCAPI: &str = "/api/v1/events/asyncapi.json";
/// The SSE stream.
pub const STREAM: &str = "/api/v1/events/stream";
