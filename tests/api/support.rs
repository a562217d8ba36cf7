//! The API as a client meets it: the service started on a store of either kind, a county
//! organised and a campaign set up through the API itself, a token per role — and every
//! response checked against the OpenAPI document the service serves.

use std::collections::BTreeMap;

use rectiflow_tests::{Db, TestApp};

pub use crate::county::{
    assignment, evidence, registered_and_assigned, registered_and_assigned_due, registration,
    world, world_on,
};
use reqwest::header::HeaderMap;
use reqwest::Method;
use serde_json::{json, Value};
use sqlx::{Connection, PgConnection, SqliteConnection};

pub const ITEM: &str = "YB-2026-0001";

/// An answer: status, headers, body as JSON (or text under `"text"`).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn etag(&self) -> String {
        self.header("etag").unwrap_or_default().to_owned()
    }

    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or_default()
    }
}

/// The service, its document, and the tokens of the county's people.
pub struct World {
    pub db: Db,
    pub app: TestApp,
    pub client: reqwest::Client,
    pub document: Value,
    pub tokens: BTreeMap<&'static str, String>,
}

/// A request being put together.
pub struct Request<'a> {
    world: &'a World,
    method: Method,
    path: String,
    token: Option<String>,
    headers: Vec<(String, String)>,
    body: Option<(String, Vec<u8>)>,
}

impl<'a> Request<'a> {
    pub fn as_(mut self, who: &str) -> Self {
        self.token = Some(self.world.tokens[who].clone());
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn if_match(self, etag: &str) -> Self {
        self.header("If-Match", etag)
    }

    pub fn json(mut self, body: Value) -> Self {
        self.body = Some(("application/json".into(), body.to_string().into_bytes()));
        self
    }

    pub fn raw(mut self, content_type: &str, body: &[u8]) -> Self {
        self.body = Some((content_type.to_owned(), body.to_vec()));
        self
    }

    /// Sends it; the answer is checked against the document before it is returned.
    pub async fn send(self) -> Answer {
        let url = format!("{}{}", self.world.app.base_url, self.path);
        let mut request = self.world.client.request(self.method.clone(), &url);
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        if let Some((content_type, body)) = self.body {
            if !content_type.is_empty() {
                request = request.header("content-type", content_type);
            }
            request = request.body(body);
        }
        let response = request.send().await.expect("the service answers");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("the body");
        let media = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let body = if media.contains("json") {
            serde_json::from_slice(&bytes).expect("a JSON body is JSON")
        } else {
            json!({ "text": String::from_utf8_lossy(&bytes) })
        };
        let answer = Answer {
            status,
            headers,
            body,
        };
        if self.path.starts_with("/api/v1/") && !self.path.starts_with("/api/v1/docs") {
            conforms(
                &self.world.document,
                &self.method,
                &self.path,
                &answer,
                &media,
            );
        }
        answer
    }
}

/// Checks that `answer` is a documented response of the operation `path` falls under, and that
/// its JSON body validates against the documented schema.
fn conforms(document: &Value, method: &Method, path: &str, answer: &Answer, media: &str) {
    let path = path.split('?').next().unwrap_or(path);
    let Some((template, item)) = document["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .find(|(template, _)| matches_template(template, path))
    else {
        // Only "no such path" or "no such action" may come from an undocumented path.
        assert_eq!(answer.status, 404, "{method} {path} is not documented");
        assert!(
            ["request.unknown_path", "request.unknown_action"].contains(&answer.code()),
            "{method} {path} is not documented: {}",
            answer.body
        );
        return;
    };
    let method_name = method.as_str().to_ascii_lowercase();
    let Some(operation) = item.get(&method_name) else {
        assert_eq!(answer.status, 405, "{method} {template} is not documented");
        return;
    };
    let status = answer.status.to_string();
    let response = &operation["responses"][&status];
    assert!(
        response.is_object(),
        "{method} {template} answered {status}, which the document does not list: {}",
        answer.body
    );
    if !media.contains("json") {
        return;
    }
    let media_type = media.split(';').next().unwrap_or(media).trim();
    let schema = &response["content"][media_type]["schema"];
    assert!(
        schema.is_object(),
        "{method} {template} {status}: {media_type} is not documented"
    );
    let mut root = schema.clone();
    if let Some(root) = root.as_object_mut() {
        root.insert(
            "$schema".into(),
            json!("https://json-schema.org/draft/2020-12/schema"),
        );
        root.insert("components".into(), document["components"].clone());
    }
    let validator = jsonschema::validator_for(&root).expect("the document's schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&answer.body)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{method} {template} {status} does not match its schema: {errors:?}\n{}",
        answer.body
    );
}

fn matches_template(template: &str, path: &str) -> bool {
    let ours: Vec<&str> = template.split('/').collect();
    let theirs: Vec<&str> = path.split('/').collect();
    ours.len() == theirs.len()
        && ours
            .iter()
            .zip(&theirs)
            .all(|(a, b)| (a.starts_with('{') && a.ends_with('}')) || a == b)
}

impl World {
    pub fn request(&self, method: Method, path: &str) -> Request<'_> {
        Request {
            world: self,
            method,
            path: path.to_owned(),
            token: None,
            headers: Vec::new(),
            body: None,
        }
    }

    pub fn get(&self, path: &str) -> Request<'_> {
        self.request(Method::GET, path)
    }

    pub fn post(&self, path: &str) -> Request<'_> {
        self.request(Method::POST, path)
    }

    /// The events table's row count: what a refused request must leave unchanged (read from
    /// the database, so an event not yet sequenced counts too).
    /// Reads `path` as `who` until `holds` says the answer is what the test waits for: a
    /// read model is a projection, caught up with the log shortly after each write, and no
    /// signal reaches an HTTP client when it is — so the client asks again, at once while the
    /// log moves, after a pause while it stands.
    pub async fn until_read(&self, who: &str, path: &str, holds: impl Fn(&Value) -> bool) -> Value {
        let head = || async {
            self.get("/healthz").send().await.body["log_head"]
                .as_u64()
                .unwrap_or(0)
        };
        let mut seen = head().await;
        for _ in 0..200 {
            let answer = self.get(path).as_(who).send().await;
            assert_eq!(answer.status, 200, "{path}: {}", answer.body);
            if holds(&answer.body) {
                return answer.body;
            }
            let now = head().await;
            if now == seen {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            seen = now;
        }
        panic!("{path} never held what was awaited");
    }

    pub async fn events_written(&self) -> i64 {
        let url = &self.app.config.database_url;
        let count = "SELECT count(*) FROM events";
        match self.db {
            Db::Postgres => {
                let mut conn = PgConnection::connect(url).await.expect("the test database");
                sqlx::query_scalar(count).fetch_one(&mut conn).await
            }
            Db::Sqlite => {
                let mut conn = SqliteConnection::connect(url)
                    .await
                    .expect("the test database");
                sqlx::query_scalar(count).fetch_one(&mut conn).await
            }
        }
        .expect("count the events")
    }

    /// Sends an organisation command as the admin, at the organisation's current version.
    pub async fn organise(&self, action: &str, body: Value) {
        let current = self.get("/api/v1/organisation").as_("admin").send().await;
        let mut request = self
            .post(&format!("/api/v1/organisation/{action}"))
            .as_("admin")
            .json(body);
        if current.status == 200 {
            request = request.if_match(&current.etag());
        }
        let answer = request.send().await;
        assert!(
            answer.status == 200 || answer.status == 201,
            "{action}: {}",
            answer.body
        );
    }

    /// Sends a campaign command as the admin at the campaign's current version.
    pub async fn campaign(&self, action: &str, body: Value) {
        let current = self
            .get("/api/v1/campaigns/c2026")
            .as_("admin")
            .send()
            .await;
        let answer = self
            .post(&format!("/api/v1/campaigns/c2026/{action}"))
            .as_("admin")
            .if_match(&current.etag())
            .json(body)
            .send()
            .await;
        assert_eq!(answer.status, 200, "{action}: {}", answer.body);
    }

    /// Sends an item command as `who` at the item's current version.
    pub async fn item(&self, who: &str, action: &str, body: Value) -> Answer {
        let current = self
            .get(&format!("/api/v1/items/{ITEM}"))
            .as_("sec")
            .send()
            .await;
        self.post(&format!("/api/v1/items/{ITEM}/{action}"))
            .as_(who)
            .if_match(&current.etag())
            .json(body)
            .send()
            .await
    }
}

/// The values of `key` in a page's rows, in order.
pub fn column<'a>(page: &'a Value, key: &str) -> Vec<&'a str> {
    page["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r[key].as_str())
        .collect()
}
