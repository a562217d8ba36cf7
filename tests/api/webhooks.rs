//! Webhooks over HTTP: a receiver that fails the first deliveries, then accepts — every
//! request signed per Standard Webhooks (checked with the specification's reference
//! implementation), the events in log order, a given-up delivery parked and redelivered; a
//! subscription that pauses at a failure and resumes; a replay; a restart mid-delivery that
//! loses nothing; and the URLs, filters and owners refused.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use rectiflow::config::WebhookSettings;
use rectiflow::Serving;
use rectiflow_domain::organisation::{Acting, IntegratorKind};
use rectiflow_tests::{spawn_app_with, Db};
use serde_json::{json, Value};
use standardwebhooks::Webhook;
use tokio::sync::Notify;

use crate::county::token;
use crate::support::{registered_and_assigned, registration, world_on, World, ITEM};

/// A W3C trace context, as an instrumented client sends it.
const TRACEPARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

/// How long a test waits for a delivery before it calls the worker stuck.
const PATIENCE: Duration = Duration::from_secs(30);

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Got {
    headers: HeaderMap,
    body: Bytes,
    accepted: bool,
}

impl Got {
    fn event(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    fn position(&self) -> u64 {
        self.event()["position"]
            .as_str()
            .and_then(|p| p.parse().ok())
            .expect("a position")
    }
}

/// A webhook receiver on a random loopback port: it answers 503 while `failing` is above
/// zero (counting it down), then 200 — each answer after `delay`.
#[derive(Clone)]
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Got>>>,
    failing: Arc<AtomicUsize>,
    arrived: Arc<Notify>,
    delay: Duration,
}

impl Receiver {
    async fn start(failing: usize) -> Self {
        Self::slow(failing, Duration::ZERO).await
    }

    async fn slow(failing: usize, delay: Duration) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        let address = listener.local_addr().expect("its address");
        let receiver = Self {
            url: format!("http://127.0.0.1:{}/hook", address.port()),
            got: Arc::default(),
            failing: Arc::new(AtomicUsize::new(failing)),
            arrived: Arc::default(),
            delay,
        };
        let app = axum::Router::new()
            .route("/hook", post(receive))
            .with_state(receiver.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        receiver
    }

    fn got(&self) -> Vec<Got> {
        self.got.lock().expect("the log of requests").clone()
    }

    fn accepted(&self) -> Vec<Got> {
        self.got().into_iter().filter(|g| g.accepted).collect()
    }

    /// Waits until what the receiver got satisfies `holds`.
    async fn until(&self, holds: impl Fn(&[Got]) -> bool) {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let arrived = self.arrived.notified();
            tokio::pin!(arrived);
            arrived.as_mut().enable();
            if holds(&self.got()) {
                return;
            }
            tokio::time::timeout_at(deadline, arrived)
                .await
                .unwrap_or_else(|_| panic!("never arrived; got {:?}", self.got()));
        }
    }
}

async fn receive(State(receiver): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    tokio::time::sleep(receiver.delay).await;
    let failed = receiver
        .failing
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    receiver.got.lock().expect("the log").push(Got {
        headers,
        body,
        accepted: !failed,
    });
    receiver.arrived.notify_waiters();
    if failed {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    }
}

/// The county's world on a service whose webhooks may reach this machine, retried thrice
/// with short waits; with the county's notifier (短信/微信通知服务) as `notifier`, the
/// integrator that subscribes.
async fn world(db: Db) -> Option<World> {
    let app = spawn_app_with(db, |config| {
        config.webhooks = WebhookSettings {
            allowed_hosts: vec!["127.0.0.1".into()],
            allow_loopback: true,
            timeout_seconds: 5,
            max_attempts: 3,
            backoff_initial_ms: 10,
            backoff_max_seconds: 1,
            max_per_token: 3,
            ..WebhookSettings::default()
        };
    })
    .await?;
    let mut world = world_on(db, app).await;
    world
        .organise(
            "grant-role",
            json!({"person": "notifier", "role": {"role": "integrator", "kind": "notifier"}}),
        )
        .await;
    let notifier = token(
        &world,
        "notifier",
        Acting::Integrator {
            kind: IntegratorKind::Notifier,
        },
    )
    .await;
    world.tokens.insert("notifier", notifier);
    Some(world)
}

/// Subscribes `url` as `who` to `body`'s filter; the subscription's JSON (with its secret).
async fn subscribe(world: &World, who: &str, body: Value) -> Value {
    let made = world
        .post("/api/v1/webhooks")
        .as_(who)
        .json(body)
        .send()
        .await;
    assert_eq!(made.status, 201, "{}", made.body);
    made.body
}

/// Every request `receiver` got was signed with `secret` as Standard Webhooks specifies,
/// under the event's id.
fn all_signed(got: &[Got], secret: &str) {
    let verifier = Webhook::new(secret).expect("a whsec_ secret");
    for request in got {
        verifier
            .verify(&request.body, &request.headers)
            .expect("a valid signature");
        assert_eq!(
            request.headers["webhook-id"].to_str().ok(),
            request.event()["id"].as_str(),
            "webhook-id is the event id"
        );
    }
}

pub async fn deliveries_are_signed_ordered_retried_and_dead_lettered(db: Db) {
    let Some(world) = world(db).await else {
        return;
    };
    // Three tries of the first event fail (it is parked), then the first try of the second.
    let receiver = Receiver::start(4).await;
    let made = subscribe(
        &world,
        "notifier",
        json!({"url": receiver.url, "types": ["rectiflow.item.*"]}),
    )
    .await;
    let secret = made["secret"]
        .as_str()
        .expect("the secret, once")
        .to_owned();
    assert!(secret.starts_with("whsec_"));
    let id = made["id"].as_str().expect("an id").to_owned();
    registered_and_assigned(&world, ITEM).await;
    let acknowledged = world.item("zhang", "acknowledge", json!({})).await;
    assert_eq!(acknowledged.status, 200, "{}", acknowledged.body);
    receiver
        .until(|got| got.iter().filter(|g| g.accepted).count() == 2)
        .await;

    let got = receiver.got();
    all_signed(&got, &secret);
    let types: Vec<String> = got
        .iter()
        .map(|g| g.event()["type"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        types,
        [
            "rectiflow.item.registered",
            "rectiflow.item.registered",
            "rectiflow.item.registered",
            "rectiflow.item.assigned",
            "rectiflow.item.assigned",
            "rectiflow.item.acknowledged",
        ],
        "each event tried in log order, the next only once the one before is done"
    );
    let parked = got[0].position();
    let accepted: Vec<u64> = receiver.accepted().iter().map(Got::position).collect();
    assert!(accepted.windows(2).all(|w| w[0] < w[1]) && accepted[0] > parked);

    // The registration was given up on: parked, and redelivered on request.
    let letters = world
        .get(&format!("/api/v1/webhooks/{id}/dead-letters"))
        .as_("notifier")
        .send()
        .await;
    assert_eq!(letters.status, 200, "{}", letters.body);
    assert_eq!(letters.body[0]["position"], parked, "{}", letters.body);
    assert_eq!(letters.body[0]["attempts"], 3);
    let redelivered = world
        .post(&format!(
            "/api/v1/webhooks/{id}/dead-letters/{parked}/redeliver"
        ))
        .as_("notifier")
        .send()
        .await;
    assert_eq!(redelivered.status, 200, "{}", redelivered.body);
    let last = receiver.got().last().cloned().expect("the redelivery");
    assert_eq!(last.position(), parked);
    assert_eq!(last.headers["webhook-id"], got[0].headers["webhook-id"]);
    all_signed(&[last], &secret);
    let view = world
        .get(&format!("/api/v1/webhooks/{id}"))
        .as_("notifier")
        .send()
        .await;
    assert_eq!(view.body["dead_letters"], 0, "{}", view.body);
    assert!(
        view.body.get("secret").is_none(),
        "the secret is shown once"
    );
    let again = world
        .post(&format!(
            "/api/v1/webhooks/{id}/dead-letters/{parked}/redeliver"
        ))
        .as_("notifier")
        .send()
        .await;
    assert_eq!(again.status, 404, "{}", again.body);

    // What an operator sees of it (the counters are the process's, shared by the tests in it:
    // only their presence and labels are this test's to check).
    let (status, metrics) = world.app.get("/metrics").await;
    assert_eq!(status, 200);
    let series_of_this_test = [
        "rectiflow_webhook_deliveries_total",
        "rectiflow_webhook_failures_total",
        "rectiflow_webhook_dead_letters_total",
        "rectiflow_commands_total{aggregate=\"item\",outcome=\"accepted\"}",
        "rectiflow_events_appended_total{aggregate=\"item\"}",
        "rectiflow_http_requests_total{method=\"POST\",route=\"/api/v1/webhooks/{id}/dead-letters/{position}/redeliver\",status=\"200\"}",
        "rectiflow_http_request_duration_seconds_bucket{method=\"POST\",route=\"/api/v1/webhooks/{id}/dead-letters/{position}/redeliver\",le=\"",
    ];
    let lag = format!("rectiflow_webhook_lag{{subscription=\"{id}\"}}");
    for series in series_of_this_test.iter().copied().chain([lag.as_str()]) {
        assert!(metrics.contains(series), "{series} missing from /metrics");
    }
    // The campaign's rhythm runs: the scheduler says when it next fires (its value is the
    // process's, shared with the other tests' services: the scheduler's unit test checks it).
    let next_fire = "rectiflow_scheduler_next_fire_timestamp_seconds ";
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mut metrics = metrics;
    while !metrics.contains(next_fire) && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        metrics = world.app.get("/metrics").await.1;
    }
    assert!(
        metrics
            .lines()
            .filter_map(|line| line.strip_prefix(next_fire))
            .any(|value| value.trim().parse::<f64>().is_ok()),
        "{next_fire}missing from /metrics"
    );
    // A removed subscription owes nothing any more.
    let removed = world
        .request(reqwest::Method::DELETE, &format!("/api/v1/webhooks/{id}"))
        .as_("notifier")
        .send()
        .await;
    assert_eq!(removed.status, 204, "{}", removed.body);
    let (_, metrics) = world.app.get("/metrics").await;
    assert!(metrics.contains(&format!("{lag} 0\n")), "{metrics}");
}

pub async fn a_subscription_pauses_at_a_failure_resumes_and_replays(db: Db) {
    let Some(world) = world(db).await else {
        return;
    };
    let receiver = Receiver::start(3).await;
    let made = subscribe(
        &world,
        "notifier",
        json!({"url": receiver.url, "types": ["rectiflow.item.registered"], "on_failure": "pause"}),
    )
    .await;
    let id = made["id"].as_str().expect("an id").to_owned();
    // The request's trace context travels with its event to the receiver.
    let registered = world
        .post("/api/v1/items")
        .as_("sec")
        .header("traceparent", TRACEPARENT)
        .json(registration(ITEM))
        .send()
        .await;
    assert_eq!(registered.status, 201, "{}", registered.body);
    receiver.until(|got| got.len() == 3).await;
    let path = format!("/api/v1/webhooks/{id}");
    let paused = world
        .until_read("notifier", &path, |view| view["paused"].is_object())
        .await;
    assert!(
        paused["paused"]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("3 次")),
        "{paused}"
    );
    assert_eq!(
        paused["dead_letters"], 0,
        "a paused subscription parks nothing"
    );

    // Resumed, it tries the same event again; the receiver now accepts.
    let resumed = world
        .post(&format!("{path}/resume"))
        .as_("notifier")
        .send()
        .await;
    assert_eq!(resumed.status, 200, "{}", resumed.body);
    receiver.until(|got| got.iter().any(|g| g.accepted)).await;
    let first = receiver.accepted()[0].position();
    let delivered = &receiver.accepted()[0];
    // The caller's trace, continued under the service's own span.
    let trace_id = |traceparent: &str| traceparent.split('-').nth(1).map(str::to_owned);
    let sent = delivered.headers["traceparent"]
        .to_str()
        .unwrap_or_default();
    assert_eq!(trace_id(sent), trace_id(TRACEPARENT), "{sent}");
    assert_eq!(delivered.event()["traceparent"], sent);

    // Replayed from before it, the same event comes again, with the same webhook-id.
    replay(&world, &path, first - 1, &receiver, 2).await;
    let accepted = receiver.accepted();
    assert_eq!(accepted[1].position(), first);
    assert_eq!(
        accepted[0].headers["webhook-id"],
        accepted[1].headers["webhook-id"]
    );
    let old = made["secret"].as_str().unwrap_or_default();
    all_signed(&receiver.got(), old);

    // A rotated secret is answered once; the one it replaced signs beside it while the overlap
    // lasts, so a receiver still on the old secret accepts the next delivery, as does one on
    // the new.
    let others = world
        .post(&format!("{path}/rotate-secret"))
        .as_("zhang")
        .send()
        .await;
    assert_eq!(others.status, 404, "{}", others.body);
    let by_admin = world
        .post(&format!("{path}/rotate-secret"))
        .as_("admin")
        .send()
        .await;
    assert_eq!(by_admin.status, 403, "{}", by_admin.body);
    assert_eq!(by_admin.code(), "webhooks.not_owner");
    let rotated = world
        .post(&format!("{path}/rotate-secret"))
        .as_("notifier")
        .send()
        .await;
    assert_eq!(rotated.status, 200, "{}", rotated.body);
    let new = rotated.body["secret"]
        .as_str()
        .expect("the new secret, once");
    assert!(new.starts_with("whsec_") && new != old, "{}", rotated.body);
    assert!(rotated.body["previous_secret_until"].is_string());
    let view = world.get(&path).as_("notifier").send().await;
    assert!(view.body.get("secret").is_none(), "{}", view.body);
    replay(&world, &path, first - 1, &receiver, 3).await;
    let after_rotation = receiver.accepted().split_off(2);
    all_signed(&after_rotation, new);
    all_signed(&after_rotation, old);
}

/// Replays subscription `path` from after `after` as the notifier, and waits until `receiver`
/// has accepted `accepted` deliveries in all.
async fn replay(world: &World, path: &str, after: u64, receiver: &Receiver, accepted: usize) {
    let replayed = world
        .post(&format!("{path}/replay"))
        .as_("notifier")
        .json(json!({ "after": after }))
        .send()
        .await;
    assert_eq!(replayed.status, 200, "{}", replayed.body);
    receiver
        .until(|got| got.iter().filter(|g| g.accepted).count() == accepted)
        .await;
}

pub async fn a_restart_mid_delivery_resumes_without_loss(db: Db) {
    let Some(world) = world(db).await else {
        return;
    };
    // A receiver slow enough that the restart finds deliveries still to make.
    let receiver = Receiver::slow(0, Duration::from_millis(100)).await;
    subscribe(
        &world,
        "notifier",
        json!({"url": receiver.url, "types": ["rectiflow.item.registered"]}),
    )
    .await;
    let code = |n: usize| format!("YB-2026-{:04}", 200 + n);
    for n in 0..10 {
        register(&world, &code(n)).await;
    }
    receiver.until(|got| !got.is_empty()).await;
    let World {
        db,
        app,
        client,
        document,
        tokens,
    } = world;
    let app = app.restart(Serving::Live).await;
    assert!(
        receiver.got().len() < 10,
        "the restart came in the middle of the deliveries"
    );
    let world = World {
        db,
        app,
        client,
        document,
        tokens,
    };
    for n in 10..20 {
        register(&world, &code(n)).await;
    }
    let subjects = |got: &[Got]| -> std::collections::BTreeSet<String> {
        got.iter()
            .map(|g| g.event()["subject"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    receiver.until(|got| subjects(got).len() == 20).await;
    let positions: Vec<u64> = receiver.got().iter().map(Got::position).collect();
    // In log order; across the restart an event may come twice (delivered, then the process
    // stopped before its checkpoint moved), never out of order, never lost.
    assert!(
        positions.windows(2).all(|w| w[0] <= w[1]),
        "in order: {positions:?}"
    );
    let expected: std::collections::BTreeSet<String> =
        (0..20).map(|n| format!("item/{}", code(n))).collect();
    assert_eq!(subjects(&receiver.got()), expected);
}

async fn register(world: &World, code: &str) {
    let registered = world
        .post("/api/v1/items")
        .as_("sec")
        .json(registration(code))
        .send()
        .await;
    assert_eq!(registered.status, 201, "{}", registered.body);
}

pub async fn urls_filters_and_owners_are_held_to_the_rules(db: Db) {
    let Some(world) = world(db).await else {
        return;
    };
    let before = world.events_written().await;
    for (body, code, field) in [
        (
            json!({"url": "http://example.com/hook"}),
            "webhooks.url_not_allowed",
            "/url",
        ),
        (
            json!({"url": "ftp://127.0.0.1/hook"}),
            "webhooks.url_not_allowed",
            "/url",
        ),
        (
            json!({"url": "http://127.0.0.1/hook", "types": ["rectiflow.item.exploded"]}),
            "webhooks.invalid_filter",
            "/types",
        ),
        (
            json!({"url": "http://127.0.0.1/hook", "on_failure": "retry"}),
            "request.invalid_value",
            "/on_failure",
        ),
        (
            json!({"url": "http://127.0.0.1/hook", "colour": "red"}),
            "request.unknown_field",
            "/colour",
        ),
    ] {
        let refused = world
            .post("/api/v1/webhooks")
            .as_("notifier")
            .json(body.clone())
            .send()
            .await;
        assert!(
            refused.status == 422 || refused.status == 400,
            "{body}: {}",
            refused.body
        );
        assert_eq!(refused.code(), code, "{body}: {}", refused.body);
        assert_eq!(refused.body["field"], field, "{body}");
    }
    let not_integrator = world
        .post("/api/v1/webhooks")
        .as_("sec")
        .json(json!({"url": "http://127.0.0.1/hook"}))
        .send()
        .await;
    assert_eq!(not_integrator.status, 403, "{}", not_integrator.body);
    assert_eq!(not_integrator.code(), "webhooks.not_integrator");
    let listed = world.get("/api/v1/webhooks").as_("notifier").send().await;
    assert_eq!(listed.body, json!([]), "nothing was made");
    assert_eq!(
        world.events_written().await,
        before,
        "nothing written to the log"
    );

    // A repeated key answers the first subscription; the same key with another body is refused.
    let body = json!({"url": "http://127.0.0.1:9/hook"});
    let first = world
        .post("/api/v1/webhooks")
        .as_("notifier")
        .header("Idempotency-Key", "hook-1")
        .json(body.clone())
        .send()
        .await;
    assert_eq!(first.status, 201, "{}", first.body);
    let repeat = world
        .post("/api/v1/webhooks")
        .as_("notifier")
        .header("Idempotency-Key", "hook-1")
        .json(body)
        .send()
        .await;
    assert_eq!(repeat.status, 201, "{}", repeat.body);
    assert_eq!(repeat.body["id"], first.body["id"]);
    assert_eq!(repeat.header("idempotent-replayed"), Some("true"));
    let reused = world
        .post("/api/v1/webhooks")
        .as_("notifier")
        .header("Idempotency-Key", "hook-1")
        .json(json!({"url": "http://127.0.0.1:10/hook"}))
        .send()
        .await;
    assert_eq!(reused.status, 422, "{}", reused.body);
    assert_eq!(reused.code(), "request.idempotency_key_reused");

    // Three per token (as configured here): the fourth is refused, the repeat still answered.
    for port in [11, 12] {
        let made = world
            .post("/api/v1/webhooks")
            .as_("notifier")
            .json(json!({"url": format!("http://127.0.0.1:{port}/hook")}))
            .send()
            .await;
        assert_eq!(made.status, 201, "{}", made.body);
    }
    let fourth = world
        .post("/api/v1/webhooks")
        .as_("notifier")
        .json(json!({"url": "http://127.0.0.1:13/hook"}))
        .send()
        .await;
    assert_eq!(fourth.status, 409, "{}", fourth.body);
    assert_eq!(fourth.code(), "webhooks.too_many");
    let repeat = world
        .post("/api/v1/webhooks")
        .as_("notifier")
        .header("Idempotency-Key", "hook-1")
        .json(json!({"url": "http://127.0.0.1:9/hook"}))
        .send()
        .await;
    assert_eq!(
        repeat.status, 201,
        "a repeat is no new subscription: {}",
        repeat.body
    );

    // Another token neither sees nor touches it; an admin sees every one.
    let id = first.body["id"].as_str().unwrap_or_default();
    let others = world
        .get(&format!("/api/v1/webhooks/{id}"))
        .as_("zhang")
        .send()
        .await;
    assert_eq!(others.status, 404, "{}", others.body);
    let removed = world
        .request(reqwest::Method::DELETE, &format!("/api/v1/webhooks/{id}"))
        .as_("zhang")
        .send()
        .await;
    assert_eq!(removed.status, 404);
    let all = world.get("/api/v1/webhooks").as_("admin").send().await;
    assert_eq!(all.body.as_array().map(Vec::len), Some(3), "{}", all.body);
    let removed = world
        .request(reqwest::Method::DELETE, &format!("/api/v1/webhooks/{id}"))
        .as_("notifier")
        .send()
        .await;
    assert_eq!(removed.status, 204);
}
