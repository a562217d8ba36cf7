//! The county the API tests work in: the service started on a store of either kind, the
//! organisation and the 2026 campaign set up through the API itself, and a token for each of
//! its people.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rectiflow_domain::organisation::Acting;
use rectiflow_domain::settings::CampaignSettings;
use rectiflow_domain::values::{PersonId, TaskForceId, UnitId};
use rectiflow_store::{FingerprintKey, PgSettings, PgStore, SqliteStore, TokenBook};
use rectiflow_tests::{spawn_app, Db, TestApp};
use serde_json::{json, Value};

use crate::support::World;

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
        self.issue_until(person, acting, None).await
    }

    /// A token acting until `expires` (for ever when `None`).
    async fn issue_until(
        &self,
        person: Option<PersonId>,
        acting: Acting,
        expires: Option<DateTime<Utc>>,
    ) -> String {
        let now = Utc::now();
        let issued = match self {
            Self::Postgres(book) => book.issue_until(person, acting, None, now, expires).await,
            Self::Sqlite(book) => book.issue_until(person, acting, None, now, expires).await,
        };
        issued.expect("a token").secret
    }

    /// Revokes the token `secret` is.
    async fn revoke(&self, secret: &str) {
        let now = Utc::now();
        let revoked = match self {
            Self::Postgres(book) => match book.find(secret).await.expect("the book") {
                Some(token) => book.revoke(&token.id, now).await.expect("revoked"),
                None => false,
            },
            Self::Sqlite(book) => match book.find(secret).await.expect("the book") {
                Some(token) => book.revoke(&token.id, now).await.expect("revoked"),
                None => false,
            },
        };
        assert!(revoked, "a live token to revoke");
    }
}

fn person_id(id: &str) -> Option<PersonId> {
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
    Some(world_on(db, spawn_app(db).await?).await)
}

/// [`world`] on a service already started (a rehearsal, say) on a fresh store of kind `db`.
pub async fn world_on(db: Db, app: TestApp) -> World {
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
        ("jw-he", "何纪检", "county-office"),
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
        ("jw-he", json!({ "role": "discipline_inspection" })),
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
        ("jw", "jw-he", Acting::DisciplineInspection),
    ] {
        let secret = book.issue(person_id(who), acting).await;
        world.tokens.insert(name, secret);
    }
    world
}

/// The registration of [`ITEM`] (or another code of the yibao task force).
pub fn registration(code: &str) -> Value {
    json!({
        "campaign": "c2026", "task_force": "yibao", "code": code,
        "title": "挂床住院", "description": "第一人民医院挂床住院 12 人次",
        "category": "虚构服务", "source": "inspection", "severity": "high"
    })
}

/// A hotline complaint about hospital-1's medical-insurance work, received by hospital-1, its
/// complainant 李四 (13800000000) sealed at once.
pub fn complaint(id: &str) -> Value {
    json!({
        "complaint": id, "campaign": "c2026", "channel": "hotline",
        "field": "medical_insurance", "summary": "反映某医院挂床住院",
        "content": "我亲眼看见病床上没有病人", "attachments": [],
        "receiving_unit": "hospital-1",
        "complainant": { "name": "李四", "contact": "13800000000" }
    })
}

pub fn assignment() -> Value {
    assignment_due("2027-06-30")
}

/// The assignment with its deadline on `day` (`YYYY-MM-DD`).
pub fn assignment_due(day: &str) -> Value {
    json!({
        "responsible_unit": "hospital-1", "responsible_person": "zhang",
        "supervising_unit": "health-bureau", "deadline": day,
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
    registered_and_assigned_due(world, code, "2027-06-30").await;
}

/// [`registered_and_assigned`], due on `day`.
pub async fn registered_and_assigned_due(world: &World, code: &str, day: &str) {
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
        .json(assignment_due(day))
        .send()
        .await;
    assert_eq!(assigned.status, 200, "{}", assigned.body);
}

/// A secret for `person` acting as `acting` on `world`'s store, acting until `expires`.
pub async fn token_until(
    world: &World,
    person: &str,
    acting: Acting,
    expires: DateTime<Utc>,
) -> String {
    Tokens::open(world.db, &world.app)
        .await
        .issue_until(person_id(person), acting, Some(expires))
        .await
}

/// Revokes the token `secret` on `world`'s store, as `rectiflow token revoke` does.
pub async fn revoke(world: &World, secret: &str) {
    Tokens::open(world.db, &world.app)
        .await
        .revoke(secret)
        .await;
}

/// A secret for `person` (an account, for an integrator) acting as `acting` on `world`'s store.
pub async fn token(world: &World, person: &str, acting: Acting) -> String {
    Tokens::open(world.db, &world.app)
        .await
        .issue(person_id(person), acting)
        .await
}
