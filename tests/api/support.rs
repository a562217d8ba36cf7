//! The API as a client meets it: the service started on a store of either kind, a county
//! organised and a campaign set up through the API itself, a token per role — and every
//! response checked against the OpenAPI document the service serves.

use std::collections::BTreeMap;

use chrono::Utc;
use rectiflow_domain::organisation::Acting;
use rectiflow_domain::settings::CampaignSettings;
use rectiflow_domain::values::{PersonId, TaskForceId, UnitId};
use rectiflow_store::{FingerprintKey, PgSettings, PgStore, SqliteStore, TokenBook};
use rectiflow_tests::{spawn_app, Db, TestApp};
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

/// The service's tokens, opened beside it on its own store.
enum Tokens {
    Postgres(TokenBook<PgStore>),
    Sqlite(TokenBook<SqliteStore>),
}

impl Tokens {
    async fn open(db: Db, app: &TestApp) -> Self {
        let url = &app.config.database_url;
        match db {
            Db::Postgres => {
                let key_file = app
                    .config
                    .fingerprint_key_file
                    .as_ref()
                    .expect("a PostgreSQL service has a key file");
                let key = FingerprintKey::read(key_file).expect("the key file");
                let settings = PgSettings::new(url).with_fingerprint_key(key);
                Self::Postgres(TokenBook::new(
                    PgStore::connect(settings).await.expect("the store"),
                ))
            }
            Db::Sqlite => Self::Sqlite(TokenBook::new(
                SqliteStore::connect(url).await.expect("the store"),
            )),
        }
    }

    async fn issue(&self, person: Option<PersonId>, acting: Acting) -> String {
        let now = Utc::now();
        let issued = match self {
            Self::Postgres(book) => book.issue(person, acting, None, now).await,
            Self::Sqlite(book) => book.issue(person, acting, None, now).await,
        };
        issued.expect("a token").secret
    }
}

fn person(id: &str) -> Option<PersonId> {
    Some(PersonId::parse(id).expect("a person id"))
}

fn secretariat(task_force: &str) -> Acting {
    Acting::Secretariat {
        task_forces: [TaskForceId::parse(task_force).expect("an id")].into(),
    }
}

fn unit(id: &str) -> Acting {
    Acting::Unit {
        unit: UnitId::parse(id).expect("an id"),
    }
}

/// The service on a fresh store of kind `db` with the county organised, the 2026 campaign set
/// up with two task forces, and a token for each of its people; `None` when the PostgreSQL
/// tests are skipped.
pub async fn world(db: Db) -> Option<World> {
    let app = spawn_app(db).await?;
    let client = reqwest::Client::new();
    let document: Value = client
        .get(format!("{}/api/v1/openapi.json", app.base_url))
        .send()
        .await
        .expect("the document")
        .json()
        .await
        .expect("the document is JSON");
    let book = Tokens::open(db, &app).await;
    let bootstrap = book.issue(None, Acting::Admin).await;
    let mut world = World {
        db,
        app,
        client,
        document,
        tokens: BTreeMap::from([("admin", bootstrap)]),
    };
    world
        .organise("bootstrap", json!({ "admin": "bootstrap-admin" }))
        .await;
    for (id, name, kind) in [
        ("yibao-office", "医保专班办公室", "department"),
        ("xiaoyuan-office", "校园餐专班办公室", "department"),
        ("health-bureau", "卫健局", "department"),
        ("county-office", "县委办", "department"),
        ("hospital-1", "第一人民医院", "hospital"),
        ("hospital-2", "第二人民医院", "hospital"),
    ] {
        world
            .organise(
                "register-unit",
                json!({ "unit": id, "name": name, "kind": kind }),
            )
            .await;
    }
    for (id, name, in_unit) in [
        ("sec-wang", "王秘书", "yibao-office"),
        ("sec-zhou", "周秘书", "xiaoyuan-office"),
        ("zhang", "张医生", "hospital-1"),
        ("chen", "陈院长", "hospital-1"),
        ("liu", "刘医生", "hospital-2"),
        ("leader-zhao", "赵书记", "county-office"),
    ] {
        world
            .organise(
                "register-person",
                json!({ "person": id, "name": name, "unit": in_unit }),
            )
            .await;
    }
    world
        .organise(
            "appoint-head",
            json!({ "unit": "hospital-1", "person": "chen" }),
        )
        .await;
    for (who, role) in [
        (
            "sec-wang",
            json!({ "role": "secretariat", "task_force": "yibao" }),
        ),
        (
            "sec-zhou",
            json!({ "role": "secretariat", "task_force": "xiaoyuan" }),
        ),
        ("leader-zhao", json!({ "role": "leadership" })),
    ] {
        world
            .organise("grant-role", json!({ "person": who, "role": role }))
            .await;
    }
    let settings = serde_json::to_value(CampaignSettings::default()).expect("settings as JSON");
    let created = world
        .post("/api/v1/campaigns")
        .as_("admin")
        .json(json!({
            "campaign": "c2026", "name": "2026 年集中整治", "year": 2026, "settings": settings
        }))
        .send()
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    for (id, field, name, prefix, category) in [
        (
            "yibao",
            "medical_insurance",
            "医保基金专班",
            "YB",
            "虚构服务",
        ),
        (
            "xiaoyuan",
            "school_meals",
            "校园餐专班",
            "XY",
            "食材以次充好",
        ),
    ] {
        world
            .campaign(
                "add-task-force",
                json!({
                    "task_force": id, "field": field, "name": name, "lead": "leader-zhao",
                    "prefix": prefix, "categories": [category]
                }),
            )
            .await;
    }
    for member in ["hospital-1", "hospital-2", "health-bureau"] {
        world
            .campaign(
                "add-task-force-member",
                json!({ "task_force": "yibao", "unit": member }),
            )
            .await;
    }
    for (name, who, acting) in [
        ("sec", "sec-wang", secretariat("yibao")),
        ("other-sec", "sec-zhou", secretariat("xiaoyuan")),
        ("zhang", "zhang", unit("hospital-1")),
        ("chen", "chen", unit("hospital-1")),
        ("liu", "liu", unit("hospital-2")),
        ("leader", "leader-zhao", Acting::Leadership),
    ] {
        let secret = book.issue(person(who), acting).await;
        world.tokens.insert(name, secret);
    }
    Some(world)
}

/// The registration of [`ITEM`] (or another code of the yibao task force).
pub fn registration(code: &str) -> Value {
    json!({
        "campaign": "c2026", "task_force": "yibao", "code": code,
        "title": "挂床住院", "description": "第一人民医院挂床住院 12 人次",
        "category": "虚构服务", "source": "inspection", "severity": "high"
    })
}

pub fn assignment() -> Value {
    json!({
        "responsible_unit": "hospital-1", "responsible_person": "zhang",
        "supervising_unit": "health-bureau", "deadline": "2027-06-30",
        "measures": "追回资金，完善入院核查"
    })
}

pub fn evidence() -> Value {
    json!({
        "name": "退款凭证.pdf", "media_type": "application/pdf", "size": 1024,
        "sha256": "a".repeat(64), "uri": "https://evidence.example/refund.pdf"
    })
}

/// Registers and assigns [`ITEM`]: the secretariat's first two steps.
pub async fn registered_and_assigned(world: &World, code: &str) {
    let registered = world
        .post("/api/v1/items")
        .as_("sec")
        .json(registration(code))
        .send()
        .await;
    assert_eq!(registered.status, 201, "{}", registered.body);
    let assigned = world
        .post(&format!("/api/v1/items/{code}/assign"))
        .as_("sec")
        .if_match(&registered.etag())
        .json(assignment())
        .send()
        .await;
    assert_eq!(assigned.status, 200, "{}", assigned.body);
}
