//! One event delivered to one subscription: the CloudEvent as the body, signed per the
//! Standard Webhooks specification — `webhook-id` (the event id: the same on every retry and
//! redelivery, what receivers de-duplicate on), `webhook-timestamp` (Unix seconds of this
//! attempt), `webhook-signature` (`v1,` + base64 of HMAC-SHA256 over `id.timestamp.body`, keyed
//! with the subscription's `whsec_` secret, by the specification's reference implementation)
//! — and a `traceparent` in the trace of the request that caused the event, when it had a
//! well-formed one: the delivery's own span's (a child of the request's, see
//! [`rectiflow_engine::trace`]) when spans are exported, else the request's. The body is the
//! CloudEvent in the structured mode of the CloudEvents HTTP binding
//! (`application/cloudevents+json`).
//!
//! A 2xx answer within the timeout delivers it; anything else (another status, a redirect, a
//! timeout, a refused connection) is a failure, retried after an exponentially growing wait,
//! jittered so that many subscriptions failing together do not retry together.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rectiflow_engine::{CancellationToken, TraceContext};
use rectiflow_store::webhooks::Subscription;
use reqwest::header::{HeaderValue, CONTENT_TYPE};
use standardwebhooks::Webhook;
use tracing::Instrument as _;

use super::target::Targets;
use crate::config::WebhookSettings;
use crate::subscriptions::cloudevent::CloudEvent;

/// The secrets `subscription`'s deliveries are signed with at `now`: its own, and the one a
/// rotation replaced while its overlap lasts.
pub fn secrets(subscription: &Subscription, now: DateTime<Utc>) -> Vec<&str> {
    let mut secrets = vec![subscription.secret.as_str()];
    if let Some((previous, until)) = &subscription.previous_secret {
        if now < *until {
            secrets.push(previous.as_str());
        }
    }
    secrets
}

/// The trace context the event was recorded under, as its envelope carries it.
fn cause_of(event: &CloudEvent) -> Option<TraceContext> {
    event.traceparent.as_ref().map(|traceparent| TraceContext {
        traceparent: traceparent.clone(),
        tracestate: event.tracestate.clone(),
    })
}

/// Posts deliveries.
#[derive(Debug, Clone)]
pub struct Deliverer {
    client: reqwest::Client,
    settings: WebhookSettings,
}

/// How delivering one event ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivered {
    /// Accepted, at the `attempts`th try.
    Accepted { attempts: u32 },
    /// Every try failed; the last failure says how.
    GaveUp { attempts: u32, error: String },
    /// Before a try the subscription was found paused, removed or moved elsewhere: the event
    /// is left to whatever the subscription now says.
    Withdrawn,
    /// The service is shutting down: the event was not delivered, and is tried again later.
    Interrupted,
}

impl Deliverer {
    /// A deliverer on the settings' timeout, connecting only to addresses [`Targets`] lets a
    /// delivery reach, never through a proxy and never following a redirect (either could
    /// lead anywhere).
    pub fn new(settings: &WebhookSettings) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .timeout(settings.timeout())
            .connect_timeout(settings.timeout())
            .redirect(reqwest::redirect::Policy::none())
            // A proxy would resolve the target itself, past the resolver's checks.
            .no_proxy()
            .dns_resolver(std::sync::Arc::new(Targets::new(settings).resolver()))
            .user_agent(concat!("rectiflow-webhooks/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            client,
            settings: settings.clone(),
        })
    }

    /// Delivers `event` to `url`, retrying up to the configured tries while `signing` says
    /// the subscription still wants it — asked before each try, answering the secrets to sign
    /// with as they are then (a rotation made meanwhile signs the next try), or `None` when it
    /// no longer wants the event; stops early, without delivering, when `shutdown` is
    /// cancelled.
    pub async fn deliver<W, F>(
        &self,
        url: &str,
        event: &CloudEvent,
        shutdown: &CancellationToken,
        signing: W,
    ) -> Delivered
    where
        W: Fn() -> F,
        F: std::future::Future<Output = Option<Vec<String>>>,
    {
        // The receiver by its scheme and host: a path or query may carry the receiver's own
        // token, which a trace backend has no business keeping.
        let receiver = reqwest::Url::parse(url).map_or_else(
            |_| "?".to_owned(),
            |u| format!("{}://{}", u.scheme(), u.host_str().unwrap_or("?")),
        );
        let span = tracing::error_span!(
            "deliver",
            webhook = %receiver,
            event = %event.id,
            trace_id = tracing::field::Empty,
        );
        if let Some(cause) = cause_of(event) {
            rectiflow_engine::trace::begin(&span, Some(&cause));
        }
        async {
            let mut error = String::new();
            for attempt in 1..=self.settings.max_attempts {
                if attempt > 1 {
                    let wait = jittered(self.settings.backoff(attempt - 1));
                    tokio::select! {
                        _ = shutdown.cancelled() => return Delivered::Interrupted,
                        _ = tokio::time::sleep(wait) => {}
                    }
                }
                let Some(secrets) = signing().await else {
                    return Delivered::Withdrawn;
                };
                let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
                let tried = tokio::select! {
                    _ = shutdown.cancelled() => return Delivered::Interrupted,
                    tried = self.attempt(url, &secrets, event) => tried,
                };
                match tried {
                    Ok(()) => return Delivered::Accepted { attempts: attempt },
                    Err(failure) => {
                        metrics::counter!("rectiflow_webhook_failures_total").increment(1);
                        tracing::debug!(event = %event.id, attempt, %failure, "a webhook delivery failed");
                        error = failure;
                    }
                }
            }
            Delivered::GaveUp {
                attempts: self.settings.max_attempts,
                error,
            }
        }
        .instrument(span)
        .await
    }

    /// One try, signed with each of `secrets` (the subscription's, and during a rotation the
    /// one it replaced — see [`secrets`]): `Ok` when the receiver answered 2xx.
    pub async fn attempt(
        &self,
        url: &str,
        secrets: &[&str],
        event: &CloudEvent,
    ) -> Result<(), String> {
        let body = serde_json::to_vec(event).map_err(|e| format!("the event as JSON: {e}"))?;
        let timestamp = chrono::Utc::now().timestamp();
        // Standard Webhooks: several signatures, space-delimited; any one verifies.
        let signature = secrets
            .iter()
            .map(|secret| {
                Webhook::new(secret).and_then(|signer| signer.sign(&event.id, timestamp, &body))
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("signing: {e}"))?
            .join(" ");
        let mut request = self
            .client
            .post(url)
            // Structured mode of the CloudEvents HTTP binding: the whole event is the body.
            .header(
                CONTENT_TYPE,
                HeaderValue::from_static("application/cloudevents+json; charset=utf-8"),
            )
            .header("webhook-id", event.id.as_str())
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature);
        // The envelope carries a trace context only when it is well formed; a state a header
        // cannot carry is left out rather than fail every try of the event.
        if let Some(trace) = rectiflow_engine::trace::within(cause_of(event).as_ref()) {
            request = request.header("traceparent", trace.traceparent);
            if let Some(tracestate) = trace
                .tracestate
                .filter(|t| HeaderValue::from_str(t).is_ok())
            {
                request = request.header("tracestate", tracestate);
            }
        }
        let response = request.body(body).send().await.map_err(describe)?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(format!("the receiver answered {status}"))
        }
    }
}

/// A failed request, with its cause (a timeout, a refused connection, an address not allowed).
/// What went wrong, without the URL (its path or query may hold the receiver's own token; the
/// span names the receiver by scheme and host).
fn describe(error: reqwest::Error) -> String {
    use std::error::Error as _;
    let error = error.without_url();
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// `wait` shortened by a random share of up to half, so retries spread out.
fn jittered(wait: Duration) -> Duration {
    wait.mul_f64(rand::random_range(0.5..=1.0))
}
