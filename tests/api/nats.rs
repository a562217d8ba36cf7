//! Events on NATS JetStream: a service publishing to the machine's NATS server (a stream and
//! subject prefix of the test's own, so tests running side by side keep apart), and a JetStream
//! consumer that, de-duplicating on the event id, sees every event of the log once — the same
//! events, with the same ids, that leadership's SSE stream shows.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_nats::jetstream::{self, consumer::pull};
use futures::StreamExt;
use rectiflow::config::NatsSettings;
use rectiflow_tests::{spawn_app_with, Db};
use serde_json::{json, Value};

use crate::events::{head, read_until, Stream};
use crate::support::{registered_and_assigned, registration, world_on, ITEM};

/// The machine's NATS server (with JetStream), as CI starts it.
const NATS: &str = "nats://127.0.0.1:4222";
/// A W3C trace context, as an instrumented client sends it.
const TRACEPARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
/// How long the test waits for the publisher to catch up with the log.
const PATIENCE: Duration = Duration::from_secs(30);

pub async fn every_event_reaches_nats_once_after_deduplication(db: Db) {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let tag = format!("t{nanos}{}", db.name());
    let stream_name = format!("RECTIFLOW_{tag}");
    let settings = NatsSettings {
        url: Some(NATS.into()),
        stream: stream_name.clone(),
        subject_prefix: format!("{tag}."),
        duplicate_window_seconds: 120,
        ..NatsSettings::default()
    };
    let app = spawn_app_with(db, |config| config.nats = settings.clone()).await;
    let Some(app) = app else {
        return;
    };
    let world = world_on(db, app).await;
    registered_and_assigned(&world, ITEM).await;
    let acknowledged = world.item("zhang", "acknowledge", json!({})).await;
    assert_eq!(acknowledged.status, 200, "{}", acknowledged.body);
    // A command sent with a trace context: its event carries it onto NATS.
    let traced = world
        .post("/api/v1/items")
        .as_("sec")
        .header("traceparent", TRACEPARENT)
        .json(registration("YB-2026-0002"))
        .send()
        .await;
    assert_eq!(traced.status, 201, "{}", traced.body);
    // The last event written, once the log has placed it (on PostgreSQL the sequencer does,
    // just after the commit): the stream waits for it.
    let mut traced_stream =
        Stream::open(&world, "leader", "after=0&stream=item/YB-2026-0002", None).await;
    let last = traced_stream.next().await.expect("the traced registration");
    drop(traced_stream);
    let end = head(&world).await.max(last.position);
    let logged: BTreeMap<String, u64> = read_until(&world, "leader", "after=0", end)
        .await
        .into_iter()
        .map(|r| {
            (
                r.cloud["id"].as_str().unwrap_or_default().to_owned(),
                r.position,
            )
        })
        .collect();
    assert_eq!(logged.len() as u64, end, "every event of the log, once");

    let client = async_nats::connect(NATS)
        .await
        .expect("the machine's NATS server (see .ci/run)");
    let context = jetstream::new(client);
    let deadline = tokio::time::Instant::now() + PATIENCE;
    // The publisher makes the stream when it starts; nothing signals that across NATS.
    let stream = loop {
        match context.get_stream(&stream_name).await {
            Ok(stream) => break stream,
            Err(_) if tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(error) => panic!("the publisher made no stream {stream_name}: {error}"),
        }
    };
    let consumer = stream
        .create_consumer(pull::OrderedConfig {
            filter_subject: format!("{tag}.rectiflow.>"),
            ..pull::OrderedConfig::default()
        })
        .await
        .expect("an ordered consumer");
    let mut messages = consumer.messages().await.expect("the messages");
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    let mut subjects = BTreeSet::new();
    let mut traced_seen = false;
    while seen.len() < logged.len() {
        let message = tokio::time::timeout_at(deadline, messages.next())
            .await
            .unwrap_or_else(|_| panic!("{} of {} events reached NATS", seen.len(), logged.len()))
            .expect("the stream goes on")
            .expect("a message");
        let headers = message.headers.clone().expect("headers");
        let id = headers
            .get("Nats-Msg-Id")
            .map(|v| v.as_str().to_owned())
            .expect("Nats-Msg-Id");
        let cloud: Value = serde_json::from_slice(&message.payload).expect("a CloudEvent");
        assert_eq!(cloud["id"], id.as_str(), "Nats-Msg-Id is the event id");
        let event_type = cloud["type"].as_str().unwrap_or_default();
        assert_eq!(message.subject.as_str(), format!("{tag}.{event_type}"));
        subjects.insert(message.subject.to_string());
        let position: u64 = cloud["position"]
            .as_str()
            .and_then(|p| p.parse().ok())
            .expect("a position");
        if cloud["subject"] == "item/YB-2026-0002" {
            // The caller's trace, continued under the service's own span.
            let trace_id = |t: &str| t.split('-').nth(1).map(str::to_owned);
            let sent = headers.get("traceparent").map(|v| v.as_str().to_owned());
            assert_eq!(sent.as_deref().and_then(trace_id), trace_id(TRACEPARENT));
            traced_seen = true;
        }
        // De-duplicated on the id, as consumers are told to: a repeat carries the same event.
        if let Some(earlier) = seen.insert(id, position) {
            assert_eq!(earlier, position, "a repeat is the same event");
        }
    }
    assert_eq!(
        seen, logged,
        "every event once, under its own id and position"
    );
    assert!(subjects.len() > 5, "a subject per type: {subjects:?}");
    assert!(traced_seen, "the traced registration reached NATS");

    // The stream deleted under the running publisher (an operator's slip): the publisher
    // makes it again, and what is written next reaches it.
    drop(messages);
    context
        .delete_stream(&stream_name)
        .await
        .expect("the stream deleted");
    let later = world
        .post("/api/v1/items")
        .as_("sec")
        .json(registration("YB-2026-0003"))
        .send()
        .await;
    assert_eq!(later.status, 201, "{}", later.body);
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let found = loop {
        if let Ok(stream) = context.get_stream(&stream_name).await {
            let consumer = stream
                .create_consumer(pull::OrderedConfig {
                    filter_subject: format!("{tag}.rectiflow.item.registered"),
                    ..pull::OrderedConfig::default()
                })
                .await
                .expect("an ordered consumer");
            let mut messages = consumer.messages().await.expect("the messages");
            let mut found = false;
            while let Ok(Some(Ok(message))) =
                tokio::time::timeout(Duration::from_millis(500), messages.next()).await
            {
                let cloud: Value = serde_json::from_slice(&message.payload).expect("JSON");
                found |= cloud["subject"] == "item/YB-2026-0003";
            }
            if found {
                break true;
            }
        }
        if tokio::time::Instant::now() >= deadline {
            break false;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(
        found,
        "the event written after the deletion reached the stream made again"
    );
    context
        .delete_stream(&stream_name)
        .await
        .expect("the test's stream removed");
}
