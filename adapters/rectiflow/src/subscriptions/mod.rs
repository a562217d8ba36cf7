//! # Events leaving the system
//!
//! How integrators — SMS/WeChat notifiers, the medical-insurance monitoring platform, the
//! public-resource trading platform, the parents' school-meal mini-program — follow what
//! happens. Every channel sends the same thing: a logged event's public view as a
//! [`CloudEvent`](cloudevent::CloudEvent) (sealed fields removed, personal data never), chosen by
//! the same [`Filter`](filter::Filter) and held to the same [`audience`] rule of who may
//! follow which stream.
//!
//! - [`cloudevent`]: the envelope, CloudEvents 1.0 in JSON;
//! - [`filter`]: what a subscriber asked for (types, task force, unit, stream prefix);
//! - [`audience`]: what a principal may follow, the API's read rules applied to each event;
//! - [`follow`]: reading the log after a position, a batch at a time, for a subscriber;
//! - [`tail`]: the log's recent events, read once per process for every subscriber near the
//!   head.
//!
//! The channels: Server-Sent Events (`GET /api/v1/events/stream`, [`crate::api::events`]),
//! [`webhook`]s, and [`nats`] JetStream.

pub mod asyncapi;
pub mod audience;
pub mod cloudevent;
pub mod filter;
pub mod follow;
pub mod nats;
pub mod tail;
pub mod webhook;
