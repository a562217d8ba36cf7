//! Webhooks: each subscription's events POSTed to its URL, in log order, signed per the
//! Standard Webhooks specification.
//!
//! - [`target`]: where deliveries may go — the configured allow-list, never this machine unless
//!   allowed: checked when a subscription is made and again before each batch (a setting
//!   narrowed since pauses the subscriptions it no longer allows), and on every connection the
//!   addresses a name resolves to (so DNS cannot turn an allowed name inward);
//! - [`delivery`]: one event delivered — signed, retried with exponential backoff and jitter on
//!   a failure or a timeout, given up on after the configured tries;
//! - [`lag`]: each subscription's lag behind the log, for `/metrics`;
//! - [`worker`]: every subscription followed from its checkpoint by one process at a time (a
//!   lease), moving it by compare-and-set after each event, so a restart resumes where it
//!   stopped and a replay or pause made meanwhile wins.
//!
//! Delivery is at least once: a crash after a receiver accepted an event and before the
//! checkpoint moved sends it again, with the same `webhook-id` (the event id), which receivers
//! de-duplicate on.

pub mod delivery;
pub mod lag;
pub mod target;
pub mod worker;

use tokio::sync::Notify;

use crate::config::WebhookSettings;
use delivery::Deliverer;
use target::Targets;

/// What the API and the worker share: where deliveries may go, the deliverer, and the signal
/// that a subscription was made, resumed or replayed (the worker looks at once).
#[derive(Debug)]
pub struct Webhooks {
    pub targets: Targets,
    pub deliverer: Deliverer,
    pub changed: Notify,
    /// The most subscriptions one token may make.
    pub per_token: usize,
    /// How long a rotated-out secret keeps signing.
    pub rotation_overlap: chrono::Duration,
}

impl Webhooks {
    pub fn new(settings: &WebhookSettings) -> Result<Self, reqwest::Error> {
        Ok(Self {
            targets: Targets::new(settings),
            deliverer: Deliverer::new(settings)?,
            changed: Notify::new(),
            per_token: settings.max_per_token as usize,
            rotation_overlap: settings.rotation_overlap(),
        })
    }
}
