//! Events for integrators over HTTP: the catalogue, and the Server-Sent Events stream —
//! resumed after a dropped connection while sixteen writers commit, every event valid against
//! its published schema, nothing sealed leaving, each role held to what it may read, and the
//! stream ended by shutdown.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use futures::future::join_all;
use rectiflow_domain::organisation::{Acting, IntegratorKind};
use rectiflow_tests::Db;
use serde_json::{json, Value};

use crate::county::{complaint, token};
use crate::support::{registered_and_assigned, registration, world, World, ITEM};

/// How long a test waits for the next event before it calls the stream stuck.
const PATIENCE: Duration = Duration::from_secs(30);

/// One SSE connection, read frame by frame.
pub struct Stream {
    response: reqwest::Response,
    buffer: Vec<u8>,
}

/// One SSE event: its id (the log position) and its data (the CloudEvent).
#[derive(Debug, Clone)]
pub struct Received {
    pub position: u64,
    pub cloud: Value,
}

impl Stream {
    /// Opens `/api/v1/events/stream?{query}` as `who`, resuming after `last` if given.
    pub async fn open(world: &World, who: &str, query: &str, last: Option<u64>) -> Self {
        let mut request = world
            .client
            .get(format!(
                "{}/api/v1/events/stream?{query}",
                world.app.base_url
            ))
            .bearer_auth(&world.tokens[who]);
        if let Some(last) = last {
            request = request.header("Last-Event-ID", last.to_string());
        }
        let response = request.send().await.expect("the service answers");
        assert_eq!(response.status(), 200, "{query}");
        assert_eq!(
            response.headers()["content-type"].to_str().ok(),
            Some("text/event-stream")
        );
        Self {
            response,
            buffer: Vec::new(),
        }
    }

    /// The next event, or `None` when the service ended the stream.
    pub async fn next(&mut self) -> Option<Received> {
        loop {
            match self.frame().await? {
                Frame::Event(received) => return Some(received),
                Frame::ReadTo(_) => continue,
            }
        }
    }

    /// The next frame with an id, or `None` when the service ended the stream. Keep-alive
    /// comments do not count: a stream that sends only them for [`PATIENCE`] is stuck.
    async fn frame(&mut self) -> Option<Frame> {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            if let Some(end) = self.buffer.windows(2).position(|w| w == b"\n\n") {
                let frame: Vec<u8> = self.buffer.drain(..end + 2).collect();
                let frame = String::from_utf8(frame).expect("UTF-8 frames");
                let (mut id, mut data) = (None, String::new());
                for line in frame.lines() {
                    let (field, value) = line.split_once(':').unwrap_or((line, ""));
                    let value = value.strip_prefix(' ').unwrap_or(value);
                    match field {
                        "id" => id = Some(value.parse::<u64>().expect("a numeric id")),
                        "data" => data.push_str(value),
                        _ => {} // a comment (keep-alive) or a field we do not use
                    }
                }
                match (id, data.is_empty()) {
                    (Some(position), false) => {
                        let cloud = serde_json::from_str(&data).expect("the data is JSON");
                        return Some(Frame::Event(Received { position, cloud }));
                    }
                    (Some(position), true) => return Some(Frame::ReadTo(position)),
                    (None, _) => continue,
                }
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk())
                .await
                .expect("a frame within the patience")
                .expect("the stream reads");
            self.buffer.extend_from_slice(&chunk?);
        }
    }
}

/// What a stream sends: an event, or how far it has read past events it did not send.
enum Frame {
    Event(Received),
    ReadTo(u64),
}

/// The served AsyncAPI document's payload schema of each event type, compiled.
async fn validators(world: &World) -> BTreeMap<String, jsonschema::Validator> {
    let answer = world.get("/api/v1/events/asyncapi.json").send().await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body["asyncapi"], "3.0.0");
    let catalogue = world.get("/api/v1/events/types").send().await;
    assert_eq!(catalogue.status, 200, "{}", catalogue.body);
    let messages = answer.body["components"]["messages"]
        .as_object()
        .expect("messages")
        .clone();
    let types = catalogue.body["types"].as_array().expect("types").clone();
    assert_eq!(
        types.len(),
        messages.len(),
        "one message per catalogued type"
    );
    messages
        .into_iter()
        .map(|(name, message)| {
            let schema = &message["payload"]["schema"];
            let validator = jsonschema::validator_for(schema).expect("the schema compiles");
            (name, validator)
        })
        .collect()
}

/// Checks `cloud` against its type's published schema.
fn conforms(validators: &BTreeMap<String, jsonschema::Validator>, cloud: &Value) {
    let name = cloud["type"].as_str().expect("a type");
    let validator = validators
        .get(name)
        .unwrap_or_else(|| panic!("{name} is not in the catalogue"));
    let errors: Vec<String> = validator
        .iter_errors(cloud)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:?}\n{cloud}");
}

pub async fn head(world: &World) -> u64 {
    world.get("/healthz").send().await.body["log_head"]
        .as_u64()
        .expect("the head")
}

pub async fn a_stream_resumes_after_a_dropped_connection_while_sixteen_writers_commit(db: Db) {
    let Some(world) = world(db).await else {
        return;
    };
    let validators = validators(&world).await;
    const WRITERS: usize = 16;
    const EACH: usize = 6;
    let code = |writer: usize, n: usize| format!("YB-2026-{:04}", 100 + writer * 10 + n);
    let expected: BTreeSet<String> = (0..WRITERS)
        .flat_map(|w| (0..EACH).map(move |n| code(w, n)))
        .collect();
    let start = head(&world).await;
    let query = "types=rectiflow.item.registered";
    let writers = join_all((0..WRITERS).map(|writer| {
        let world = &world;
        async move {
            for n in 0..EACH {
                let registered = world
                    .post("/api/v1/items")
                    .as_("sec")
                    .json(registration(&code(writer, n)))
                    .send()
                    .await;
                assert_eq!(registered.status, 201, "{}", registered.body);
            }
        }
    }));
    let reader = async {
        let mut seen: Vec<Received> = Vec::new();
        // The first connection reads part of the burst, then drops.
        let mut first =
            Stream::open(&world, "leader", &format!("{query}&after={start}"), None).await;
        while seen.len() < 30 {
            seen.push(first.next().await.expect("the stream goes on"));
        }
        drop(first);
        let last = seen.last().map(|r| r.position);
        let mut second = Stream::open(&world, "leader", query, last).await;
        while seen.len() < expected.len() {
            seen.push(second.next().await.expect("the stream goes on"));
        }
        seen
    };
    let ((), seen) = tokio::join!(
        async {
            writers.await;
        },
        reader
    );

    let positions: Vec<u64> = seen.iter().map(|r| r.position).collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "in log order, none repeated: {positions:?}"
    );
    let mut subjects = BTreeSet::new();
    for received in &seen {
        conforms(&validators, &received.cloud);
        assert_eq!(received.cloud["position"], received.position.to_string());
        assert_eq!(received.cloud["type"], "rectiflow.item.registered");
        let subject = received.cloud["subject"].as_str().expect("a subject");
        assert!(subjects.insert(subject.to_owned()), "{subject} twice");
    }
    let wanted: BTreeSet<String> = expected.iter().map(|c| format!("item/{c}")).collect();
    assert_eq!(subjects, wanted, "every registration once");
}

pub async fn every_event_sent_is_valid_sealed_and_within_the_readers_scope(db: Db) {
    let Some(world) = world(db).await else {
        return;
    };
    let validators = validators(&world).await;
    registered_and_assigned(&world, ITEM).await;
    let acknowledged = world.item("zhang", "acknowledge", json!({})).await;
    assert_eq!(acknowledged.status, 200, "{}", acknowledged.body);
    let received = world
        .post("/api/v1/complaints")
        .as_("zhang")
        .json(complaint("ts-2026-0001"))
        .send()
        .await;
    assert_eq!(received.status, 201, "{}", received.body);
    world
        .organise(
            "grant-role",
            json!({"person": "meal-app", "role": {"role": "integrator", "kind": "meal_app"}}),
        )
        .await;
    let mut world = world;
    let meal_app = token(
        &world,
        "meal-app",
        Acting::Integrator {
            kind: IntegratorKind::MealApp,
        },
    )
    .await;
    world.tokens.insert("meal-app", meal_app);
    let end = head(&world).await;

    // Leadership reads everything: every event of the log, each valid against its schema.
    let everything = read_until(&world, "leader", "after=0", end).await;
    assert_eq!(
        everything.len() as u64,
        end,
        "leadership follows every event"
    );
    for received in &everything {
        conforms(&validators, &received.cloud);
        let text = received.cloud.to_string();
        for sealed in [
            "李四",
            "13800000000",
            "亲眼看见",
            "ciphertext",
            "\"sealed\"",
        ] {
            assert!(!text.contains(sealed), "{sealed} left the system: {text}");
        }
    }
    let types: BTreeSet<&str> = everything
        .iter()
        .filter_map(|r| r.cloud["type"].as_str())
        .collect();
    for expected in [
        "rectiflow.organisation.bootstrapped",
        "rectiflow.campaign.created",
        "rectiflow.item.registered",
        "rectiflow.item.acknowledged",
        "rectiflow.complaint.received",
    ] {
        assert!(types.contains(expected), "{expected} not sent: {types:?}");
    }

    // A unit follows its own items' events and the configuration, never another field's or
    // another unit's work; the other task force's secretariat sees none of this one's items;
    // the meal app follows school meals only, so nothing of this medical-insurance work.
    for (who, sees_item) in [
        ("zhang", true),
        ("liu", false),
        ("other-sec", false),
        ("meal-app", false),
    ] {
        let followed = read_until(&world, who, "after=0&stream=item/", end).await;
        let item_events = followed.len();
        assert_eq!(
            item_events > 0,
            sees_item,
            "{who} follows {item_events} item events"
        );
        let everything = read_until(&world, who, "after=0", end).await;
        assert!(
            everything
                .iter()
                .all(|r| r.cloud["type"] != "rectiflow.complaint.received" || who == "zhang"),
            "{who} follows a complaint outside its scope"
        );
    }
    let complaints = read_until(&world, "zhang", "after=0&types=rectiflow.complaint.*", end).await;
    assert_eq!(complaints.len(), 1, "the unit that received it follows it");

    // Filters by task force, unit and type.
    let of_unit = read_until(&world, "leader", "after=0&unit=hospital-2", end).await;
    assert!(
        of_unit.is_empty(),
        "nothing involves hospital-2: {of_unit:?}"
    );
    let of_task_force = read_until(
        &world,
        "leader",
        "after=0&task_force=yibao&types=rectiflow.item.*",
        end,
    )
    .await;
    let item_types: Vec<&str> = of_task_force
        .iter()
        .filter_map(|r| r.cloud["type"].as_str())
        .collect();
    assert_eq!(
        item_types,
        [
            "rectiflow.item.registered",
            "rectiflow.item.assigned",
            "rectiflow.item.acknowledged"
        ]
    );
}

/// Every event `who` receives on a stream with `query`, up to the position `end`: read until
/// the stream sends an event at `end` or says it has read past it.
pub async fn read_until(world: &World, who: &str, query: &str, end: u64) -> Vec<Received> {
    let mut stream = Stream::open(world, who, query, None).await;
    let mut seen = Vec::new();
    loop {
        let at = match stream.frame().await.expect("the stream goes on") {
            Frame::Event(received) => {
                let at = received.position;
                if at <= end {
                    seen.push(received);
                }
                at
            }
            Frame::ReadTo(at) => at,
        };
        if at >= end {
            return seen;
        }
    }
}

pub async fn bad_filters_and_positions_are_refused_with_the_field_at_fault(db: Db) {
    let Some(world) = world(db).await else {
        return;
    };
    let end = head(&world).await;
    for (query, last, code, field) in [
        (
            "types=rectiflow.item.exploded",
            None,
            "events.invalid_filter",
            "types",
        ),
        (
            "types=rectiflow.item*",
            None,
            "events.invalid_filter",
            "types",
        ),
        ("types=", None, "events.invalid_filter", "types"),
        ("unit=%07", None, "events.invalid_filter", "unit"),
        ("after=-1", None, "request.invalid_parameter", ""),
        ("color=red", None, "request.invalid_parameter", ""),
        (
            "",
            Some("twelve"),
            "events.invalid_last_event_id",
            "Last-Event-ID",
        ),
        (
            &format!("after={}", end + 1000),
            None,
            "events.position_ahead",
            "after",
        ),
    ] {
        let mut request = world
            .get(&format!("/api/v1/events/stream?{query}"))
            .as_("leader");
        if let Some(last) = last {
            request = request.header("Last-Event-ID", last);
        }
        let answer = request.send().await;
        assert_eq!(answer.status, 400, "{query}: {}", answer.body);
        assert_eq!(answer.code(), code, "{query}: {}", answer.body);
        if !field.is_empty() {
            assert_eq!(answer.body["field"], field, "{query}");
        }
    }
    let anonymous = world.get("/api/v1/events/stream").send().await;
    assert_eq!(anonymous.status, 401);
    let unknown = world
        .get("/api/v1/events/types/rectiflow.item.exploded")
        .send()
        .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.code(), "events.unknown_type");
    let known = world
        .get("/api/v1/events/types/rectiflow.item.became_overdue")
        .send()
        .await;
    assert_eq!(known.status, 200);
    assert_eq!(
        known.body["schema_id"],
        "urn:rectiflow:schema:rectiflow.item.became_overdue:1"
    );

    // A token holds at most `sse_streams_per_token` (16 by default) open at once; a stream
    // that ends gives its seat back.
    let mut open = Vec::new();
    for _ in 0..16 {
        open.push(Stream::open(&world, "leader", "", None).await);
    }
    let refused = world
        .get("/api/v1/events/stream")
        .as_("leader")
        .send()
        .await;
    assert_eq!(refused.status, 429, "{}", refused.body);
    assert_eq!(refused.code(), "events.too_many_streams");
    assert!(refused.header("retry-after").is_some());
    let other = Stream::open(&world, "sec", "", None).await;
    drop(other);
    drop(open.pop());
    // The server notices the closed connection when it next writes to it: at the latest at
    // the next keep-alive, so the seat is free within that.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let again = world
            .client
            .get(format!("{}/api/v1/events/stream", world.app.base_url))
            .bearer_auth(&world.tokens["leader"])
            .send()
            .await
            .expect("the service answers");
        if again.status() == 200 {
            break;
        }
        assert_eq!(again.status(), 429);
        assert!(
            tokio::time::Instant::now() < deadline,
            "the seat of a closed stream was never given back"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

pub async fn shutdown_ends_a_stream_cleanly(db: Db) {
    let Some(world) = world(db).await else {
        return;
    };
    let mut stream = Stream::open(&world, "leader", "after=0", None).await;
    assert!(stream.next().await.is_some(), "the stream delivers");
    let World { app, .. } = world;
    let (served, _) = app.stop_within(Duration::from_secs(10)).await;
    served.expect("the server stopped without an error");
    // Drain what was sent before the end: the stream then ends, it does not break.
    while stream.next().await.is_some() {}
}
