//! A table of malformed requests: each gets the right 4xx as a problem (never a 5xx, never a
//! panic) and writes nothing.

use rectiflow_tests::Db;
use reqwest::Method;
use serde_json::{json, Value};

use crate::support::{evidence, registration, world, World, ITEM};

/// One malformed request: what is sent, and the status (and field at fault) it must get.
struct Case {
    name: &'static str,
    method: Method,
    path: String,
    headers: Vec<(&'static str, String)>,
    content_type: Option<&'static str>,
    body: Vec<u8>,
    status: u16,
    field: Option<&'static str>,
    /// Whose token sends it.
    who: &'static str,
}

fn post(name: &'static str, path: &str, body: Value, status: u16) -> Case {
    Case {
        name,
        method: Method::POST,
        path: path.to_owned(),
        headers: vec![("If-Match", "\"1\"".to_owned())],
        content_type: Some("application/json"),
        body: body.to_string().into_bytes(),
        status,
        field: None,
        who: "sec",
    }
}

fn get(name: &'static str, path: &str, status: u16) -> Case {
    Case {
        name,
        method: Method::GET,
        path: path.to_owned(),
        headers: Vec::new(),
        content_type: None,
        body: Vec::new(),
        status,
        field: None,
        who: "sec",
    }
}

impl Case {
    fn by(mut self, who: &'static str) -> Self {
        self.who = who;
        self
    }

    fn field(mut self, field: &'static str) -> Self {
        self.field = Some(field);
        self
    }

    fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.retain(|(n, _)| *n != name);
        self.headers.push((name, value.to_owned()));
        self
    }

    fn raw(mut self, content_type: Option<&'static str>, body: &[u8]) -> Self {
        self.content_type = content_type;
        self.body = body.to_vec();
        self
    }
}

fn with(mut value: Value, key: &str, field: Value) -> Value {
    value[key] = field;
    value
}

fn without(mut value: Value, key: &str) -> Value {
    value.as_object_mut().map(|o| o.remove(key));
    value
}

fn cases() -> Vec<Case> {
    let items = "/api/v1/items";
    let item = format!("/api/v1/items/{ITEM}");
    let progress = format!("{item}/report-progress");
    let good = registration("YB-2026-0002");
    let report = json!({ "text": "进展", "percent": 50, "evidence": [evidence()] });
    let unit_path = "/api/v1/organisation/register-unit".to_owned();
    let unit = json!({ "unit": "clinic-9", "name": "诊所", "kind": "hospital" });
    vec![
        post("no content type", items, good.clone(), 415).raw(None, good.to_string().as_bytes()),
        post("text/plain", items, good.clone(), 415).raw(Some("text/plain"), b"hello"),
        post("xml", items, good.clone(), 415)
            .raw(Some("application/xml"), good.to_string().as_bytes()),
        post("broken JSON", items, good.clone(), 400).raw(Some("application/json"), b"{\"code\":"),
        post("empty body", items, good.clone(), 400).raw(Some("application/json"), b""),
        post("an array", items, json!([]), 422),
        post("a string", items, json!("register"), 422),
        post(
            "unknown field",
            items,
            with(good.clone(), "extra", json!(1)),
            422,
        )
        .field("/extra"),
        post(
            "wrong type",
            items,
            with(good.clone(), "title", json!(5)),
            422,
        )
        .field("/title"),
        post("missing field", items, without(good.clone(), "title"), 422),
        post(
            "empty text",
            items,
            with(good.clone(), "title", json!("")),
            422,
        )
        .field("/title"),
        post(
            "control character",
            items,
            with(good.clone(), "title", json!("a\u{0}b")),
            422,
        ),
        post(
            "unknown severity",
            items,
            with(good.clone(), "severity", json!("apocalyptic")),
            422,
        )
        .field("/severity"),
        post(
            "malformed code",
            items,
            with(good.clone(), "code", json!("yb 0001")),
            422,
        )
        .field("/code"),
        post(
            "another task force's prefix",
            items,
            with(good.clone(), "code", json!("XY-2026-0001")),
            422,
        ),
        post(
            "unknown category",
            items,
            with(good.clone(), "category", json!("外星人")),
            422,
        ),
        post(
            "no such date",
            &format!("{item}/request-extension"),
            json!({ "reason": "来不及", "new_deadline": "2027-02-30" }),
            422,
        )
        .field("/new_deadline"),
        post(
            "percent over 100",
            &progress,
            with(report.clone(), "percent", json!(150)),
            422,
        ),
        post(
            "negative percent",
            &progress,
            with(report.clone(), "percent", json!(-1)),
            422,
        )
        .field("/percent"),
        post(
            "unknown nested field",
            &progress,
            with(
                report.clone(),
                "evidence",
                json!([with(evidence(), "colour", json!("red"))]),
            ),
            422,
        )
        .field("/evidence/0/colour"),
        post(
            "bad digest",
            &progress,
            with(
                report.clone(),
                "evidence",
                json!([with(evidence(), "sha256", json!("xyz"))]),
            ),
            422,
        )
        .field("/evidence/0/sha256"),
        post(
            "a body for a bare command",
            &format!("{item}/acknowledge"),
            json!({ "x": 1 }),
            422,
        ),
        post(
            "oversized",
            items,
            json!({ "title": "长".repeat(200_000) }),
            413,
        ),
        post("unknown action", &format!("{item}/explode"), json!({}), 404),
        post(
            "unknown item",
            "/api/v1/items/YB-2026-9999/acknowledge",
            json!({}),
            404,
        )
        .header("If-Match", "*"),
        post("unreadable If-Match", &progress, report.clone(), 400).header("If-Match", "abc"),
        post("weak If-Match", &progress, report.clone(), 412).header("If-Match", "W/\"1\""),
        post("long Idempotency-Key", items, good.clone(), 400)
            .header("Idempotency-Key", &"k".repeat(300)),
        post("spaced Idempotency-Key", items, good.clone(), 400).header("Idempotency-Key", "a b"),
        post(
            "over-long id",
            &format!("/api/v1/items/{}/acknowledge", "Y".repeat(200)),
            json!({}),
            400,
        ),
        get("unknown path", "/api/v1/nothing-here", 404),
        get(
            "GET on a POST-only path",
            "/api/v1/organisation/bootstrap",
            405,
        ),
        get("no such item", "/api/v1/items/YB-2026-9999", 404),
        get("limit 0", "/api/v1/ledger?limit=0", 400),
        get("limit not a number", "/api/v1/ledger?limit=many", 400),
        get("unknown colour", "/api/v1/ledger?colour=purple", 400),
        get("unknown parameter", "/api/v1/ledger?bogus=1", 400),
        get("forged cursor", "/api/v1/ledger?after=zzz", 400),
        get("not an instant", "/api/v1/ledger?as_of=yesterday", 400),
        get("a page of a download", "/api/v1/ledger.csv?limit=5", 400),
        get("NUL in a filter", "/api/v1/ledger?category=%00", 400),
        get(
            "control character in a filter",
            "/api/v1/ledger?unit=a%07b",
            400,
        ),
        get("an id that is not UTF-8", "/api/v1/items/%FF", 400),
        // An enum tagged inside (most aggregates'): its unknown fields are found too.
        post(
            "unknown field, tagged inside",
            &unit_path,
            with(unit.clone(), "colour", json!("red")),
            422,
        )
        .by("admin")
        .header("If-Match", "*")
        .field("/colour"),
        post(
            "the tag in the body",
            &unit_path,
            with(unit.clone(), "type", json!("bootstrap")),
            422,
        )
        .by("admin")
        .header("If-Match", "*")
        .field("/type"),
        post(
            "wrong type, tagged inside",
            &unit_path,
            with(unit.clone(), "kind", json!(7)),
            422,
        )
        .by("admin")
        .header("If-Match", "*"),
        post(
            "unknown nested field, tagged inside",
            "/api/v1/organisation/grant-role",
            json!({ "person": "zhang", "role": { "role": "leadership", "since": 2020 } }),
            422,
        )
        .by("admin")
        .header("If-Match", "*")
        .field("/role/since"),
    ]
}

async fn send(world: &World, case: &Case) -> crate::support::Answer {
    let mut request = world.request(case.method.clone(), &case.path).as_(case.who);
    for (name, value) in &case.headers {
        request = request.header(name, value);
    }
    if let Some(content_type) = case.content_type {
        request = request.raw(content_type, &case.body);
    } else if !case.body.is_empty() {
        request = request.raw("", &case.body);
    }
    request.send().await
}

pub async fn malformed_requests_get_the_right_4xx_and_write_nothing(db: Db) {
    let Some(world) = world(db).await else {
        return;
    };
    let registered = world
        .post("/api/v1/items")
        .as_("sec")
        .json(registration(ITEM))
        .send()
        .await;
    assert_eq!(registered.status, 201, "{}", registered.body);
    let before = world.events_written().await;
    let cases = cases();
    assert!(cases.len() >= 30, "at least 30 cases");
    for case in &cases {
        let answer = send(&world, case).await;
        assert_eq!(answer.status, case.status, "{}: {}", case.name, answer.body);
        assert_eq!(
            answer.header("content-type"),
            Some("application/problem+json"),
            "{}",
            case.name
        );
        assert!(!answer.code().is_empty(), "{}: a code", case.name);
        if let Some(field) = case.field {
            assert_eq!(
                answer.body["field"], field,
                "{}: {}",
                case.name, answer.body
            );
        }
    }
    // A Basic credential is no token.
    let answer = world
        .get("/api/v1/ledger")
        .header("Authorization", "Basic c2VjOnNlY3JldA==")
        .send()
        .await;
    assert_eq!(answer.status, 401);
    assert_eq!(world.events_written().await, before, "nothing was written");
}
