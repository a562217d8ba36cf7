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
use rectiflow_engine::{LoggedEvent, Worker, WorkerError};

use rectiflow_domain::organisation::IntegratorKind;

use super::audience::{follows, scope_of};
use super::cloudevent::CloudEvent;
use crate::config::{redacted, NatsSettings};

/// The consumer's name (its checkpoint and lease).
pub const CONSUMER: &str = "nats-publisher";

/// Publishes each batch and waits for JetStream to have stored every message of it.
pub struct Publisher {
    jetstream: jetstream::Context,
    /// The stream to make if missing.
    stream: stream::Config,
    /// Whether the stream was found taking our subjects since the last failure: a publish
    /// that failed (the stream deleted, or made again elsewhere with other subjects) has it
    /// looked at — and made again if missing — before the batch is retried.
    stream_ready: bool,
    /// The largest message the server takes.
    max_payload: usize,
    prefix: String,
    source: String,
}

impl Publisher {
    /// Connects to the server and makes the stream if it is missing. Errors name the server
    /// without the credentials its URL may carry.
    pub async fn connect(
        settings: &NatsSettings,
        url: &str,
        source: String,
    ) -> Result<Self, String> {
        let client = async_nats::connect(url)
            .await
            .map_err(|e| format!("NATS at {}: {e}", redacted(url)))?;
        let max_payload = client.server_info().max_payload;
        let mut publisher = Self {
            jetstream: jetstream::new(client),
            stream: stream::Config {
                name: settings.stream.clone(),
                subjects: vec![format!("{}rectiflow.>", settings.subject_prefix)],
                duplicate_window: settings.duplicate_window(),
                max_age: settings.max_age(),
                max_bytes: i64::try_from(settings.max_bytes)
                    .ok()
                    .filter(|b| *b > 0)
                    .unwrap_or(-1),
                ..stream::Config::default()
            },
            stream_ready: false,
            max_payload,
            prefix: settings.subject_prefix.clone(),
            source,
        };
        publisher.ensure_stream().await?;
        Ok(publisher)
    }

    /// Makes the stream if it is missing, and checks that it takes our subjects (a stream of
    /// that name made elsewhere may not).
    async fn ensure_stream(&mut self) -> Result<(), String> {
        let name = &self.stream.name;
        let stream = self
            .jetstream
            .get_or_create_stream(self.stream.clone())
            .await
            .map_err(|e| format!("the JetStream stream {name}: {e}"))?;
        let ours = &self.stream.subjects[0];
        let subjects = &stream.cached_info().config.subjects;
        if !subjects.iter().any(|pattern| covers(pattern, ours)) {
            return Err(format!(
                "the JetStream stream {name} takes {subjects:?}, not {ours}: add {ours} to \
                 its subjects, or set nats.stream to a stream of rectiflow's own"
            ));
        }
        self.stream_ready = true;
        Ok(())
    }
}

/// Whether the subject pattern `pattern` (with NATS wildcards `*` and `>`) takes every subject
/// `subjects` (a pattern ending in `>`) does.
fn covers(pattern: &str, subjects: &str) -> bool {
    let mut ours = subjects.split('.');
    for token in pattern.split('.') {
        match (token, ours.next()) {
            (">", Some(_)) => return true,
            (_, Some(">")) | (_, None) => return false,
            ("*", Some(_)) => {}
            (token, Some(our)) if token == our => {}
            _ => return false,
        }
    }
    false
}

impl Handler for Publisher {
    async fn react(&mut self, batch: &[LoggedEvent]) -> Result<(), HandlerError> {
        if !self.stream_ready {
            self.ensure_stream().await.map_err(HandlerError)?;
        }
        let published = self.publish(batch).await;
        if published.is_err() {
            self.stream_ready = false;
        }
        published
    }
}

impl Publisher {
    async fn publish(&mut self, batch: &[LoggedEvent]) -> Result<(), HandlerError> {
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
            let subject = format!("{}{}", self.prefix, cloud.event_type);
            let mut headers = HeaderMap::new();
            headers.insert("Nats-Msg-Id", cloud.id.as_str());
            headers.insert("Content-Type", "application/cloudevents+json");
            headers.insert("Rectiflow-Position", cloud.position.as_str());
            if let Some(traceparent) = &cloud.traceparent {
                headers.insert("traceparent", traceparent.as_str());
            }
            // The server would refuse it, every time: stop at it, saying what to change. The
            // server counts the headers too (`NATS/1.0`, each `name: value`, the blank line).
            let header_bytes = 12
                + headers
                    .iter()
                    .map(|(name, values)| {
                        values
                            .iter()
                            .map(|v| name.to_string().len() + v.as_str().len() + 4)
                            .sum::<usize>()
                    })
                    .sum::<usize>();
            if body.len() + header_bytes > self.max_payload {
                return Err(HandlerError(format!(
                    "the event at {} is {} bytes as a CloudEvent with its headers, over the \
                     NATS server's max_payload of {}: raise max_payload in the server's \
                     configuration",
                    event.position,
                    body.len() + header_bytes,
                    self.max_payload
                )));
            }
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

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn a_stream_takes_our_subjects_only_if_its_patterns_cover_them() {
        for pattern in ["rectiflow.>", ">", "*.>"] {
            assert!(covers(pattern, "rectiflow.>"), "{pattern}");
        }
        assert!(covers("county1.>", "county1.rectiflow.>"));
        for pattern in [
            "rectiflow.*",
            "rectiflow.item.>",
            "orders.>",
            "rectiflow",
            "county1.>",
        ] {
            assert!(!covers(pattern, "rectiflow.>"), "{pattern}");
        }
    }
}
