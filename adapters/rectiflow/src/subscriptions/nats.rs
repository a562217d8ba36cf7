//! Events published on NATS JetStream: every event's CloudEvent on the subject of its type
//! (`rectiflow.item.became_overdue`, after the configured prefix), into a stream made if
//! missing — for integrators who run their own consumers on the county's NATS. What is
//! published is what a notifier integrator follows ([`follows`]): the configuration and the
//! campaign's items, complaints, alerts and surveys of every field — never cases, read records,
//! admonishments, accountability or care homes; which integrator may read which subject is
//! NATS's accounts' to say. What leaves is the public view, as on every channel.
//!
//! The publisher is a checkpointed consumer of the log ([`rectiflow_engine::consumer`]), so
//! one process at a time publishes and a restart resumes after the last batch JetStream
//! acknowledged. Each message carries `Nats-Msg-Id` = the event id: a batch published again
//! after a crash is dropped by JetStream as a repeat within its duplicate window
//! (`nats.duplicate_window_seconds`); beyond it a repeat is stored, so consumers de-duplicate
//! on the event id (the CloudEvent's `id`), as they do for webhooks.

use std::sync::Arc;

use async_nats::jetstream::{self, stream};
use async_nats::HeaderMap;
use rectiflow_engine::consumer::{
    self, ConsumerOptions, ConsumerStore, Handler, HandlerError, RunOutcome,
};
use rectiflow_engine::readmodel::ReadModels;
use rectiflow_engine::{LoggedEvent, Worker, WorkerError};

use rectiflow_domain::organisation::IntegratorKind;

use super::audience::{follows, scope_of};
use super::cloudevent::CloudEvent;
use crate::config::NatsSettings;

/// The consumer's name (its checkpoint and lease).
pub const CONSUMER: &str = "nats-publisher";

/// Publishes each batch and waits for JetStream to have stored every message of it.
pub struct Publisher {
    jetstream: jetstream::Context,
    prefix: String,
    source: String,
}

impl Publisher {
    /// Connects to the server and makes the stream if it is missing.
    pub async fn connect(
        settings: &NatsSettings,
        url: &str,
        source: String,
    ) -> Result<Self, String> {
        let client = async_nats::connect(url)
            .await
            .map_err(|e| format!("NATS at {url}: {e}"))?;
        let jetstream = jetstream::new(client);
        jetstream
            .get_or_create_stream(stream::Config {
                name: settings.stream.clone(),
                subjects: vec![format!("{}rectiflow.>", settings.subject_prefix)],
                duplicate_window: settings.duplicate_window(),
                ..stream::Config::default()
            })
            .await
            .map_err(|e| format!("the JetStream stream {}: {e}", settings.stream))?;
        Ok(Self {
            jetstream,
            prefix: settings.subject_prefix.clone(),
            source,
        })
    }
}

impl Handler for Publisher {
    async fn react(&mut self, batch: &[LoggedEvent]) -> Result<(), HandlerError> {
        let mut acks = Vec::with_capacity(batch.len());
        for event in batch {
            if !follows(IntegratorKind::Notifier, event, &scope_of(event)) {
                continue;
            }
            // An event this build cannot publish stops the publisher at it (the batch is
            // retried, the lag shows it) rather than leave a gap no consumer could notice: a
            // build that knows its type takes it up.
            let cloud = CloudEvent::of(event, &self.source).map_err(|unpublished| {
                metrics::counter!("rectiflow_events_unpublished_total").increment(1);
                HandlerError(format!(
                    "the event at {} cannot be published: {unpublished}",
                    event.position
                ))
            })?;
            let body = serde_json::to_vec(&cloud)
                .map_err(|e| HandlerError(format!("the event as JSON: {e}")))?;
            let mut headers = HeaderMap::new();
            headers.insert("Nats-Msg-Id", cloud.id.as_str());
            headers.insert("Content-Type", "application/cloudevents+json");
            headers.insert("Rectiflow-Position", cloud.position.as_str());
            if let Some(traceparent) = &cloud.traceparent {
                headers.insert("traceparent", traceparent.as_str());
            }
            let subject = format!("{}{}", self.prefix, cloud.event_type);
            let ack = self
                .jetstream
                .publish_with_headers(subject, headers, body.into())
                .await
                .map_err(|e| HandlerError(format!("publishing to NATS: {e}")))?;
            acks.push(ack);
        }
        // The checkpoint moves only once JetStream has stored the whole batch.
        let published = acks.len();
        for ack in acks {
            ack.await
                .map_err(|e| HandlerError(format!("JetStream did not store an event: {e}")))?;
        }
        metrics::counter!("rectiflow_nats_published_total").increment(published as u64);
        Ok(())
    }

    async fn handle<T: ReadModels>(
        &mut self,
        _tx: &mut T,
        _batch: &[LoggedEvent],
    ) -> Result<(), HandlerError> {
        Ok(())
    }
}

/// The supervised worker publishing the log, when `nats.url` is set: connecting (and making
/// the stream) again after a failure, from the checkpoint.
pub fn worker<S: ConsumerStore>(
    store: S,
    settings: &NatsSettings,
    source: String,
) -> Option<Worker> {
    let url = settings.url.clone()?;
    let settings = Arc::new(settings.clone());
    Some(Worker::restarting(CONSUMER, move |shutdown| {
        let (store, settings, url, source) = (
            store.clone(),
            Arc::clone(&settings),
            url.clone(),
            source.clone(),
        );
        async move {
            let publisher = Publisher::connect(&settings, &url, source)
                .await
                .map_err(WorkerError::new)?;
            let options = ConsumerOptions::new(CONSUMER);
            match consumer::run(store, options, publisher, shutdown.clone()).await {
                RunOutcome::Shutdown => {}
                // Newer code owns it (a rolling upgrade): left to them until this one stops.
                RunOutcome::StoodDown { .. } => shutdown.cancelled().await,
            }
            Ok(())
        }
    }))
}
