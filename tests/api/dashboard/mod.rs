//! 整改驾驶舱 over HTTP, as a browser without scripts meets it: signing in exchanges a token
//! for a session in a cookie the page cannot read, good for the dashboard only and ended by
//! logging out ([`session`]); every page shows what the API says — the ranking's bars are its
//! ranking, a drill-down's rows are the ledger's, an item's history is its history, a
//! bulletin's document is its figures — at now and as of an instant past; names carrying
//! markup are shown as text; bad input gets a page saying what is wrong ([`pages`]); the
//! registers' pages list what the boards list ([`registers`]).

mod pages;
mod registers;
mod session;

pub use pages::{
    a_bulletin_prints_as_many_pages_as_it_says, the_dashboard_shows_what_the_api_says,
};
pub use registers::the_registers_pages_list_what_the_boards_list;
pub use session::{
    a_secretariat_sees_its_own_task_forces_only, signing_in_and_out_holds_a_session_to_its_rules,
};

use rectiflow_tests::{spawn_rehearsal_with, Db};
use reqwest::header::HeaderMap;
use serde_json::json;

use crate::county::complaint;
use crate::rehearsal::{at, moved_to};
use crate::support::{registered_and_assigned_due, world_on, World};

pub const BULLETIN: &str = "bulletin~c2026~2026-03~county";
pub const UNIT_NAME: &str = "<script>alert(\"unit\")</script>诊所";
pub const ITEM_TITLE: &str = "<img src=x onerror=alert(1)>挂床住院";

/// A reader's browser without scripts: its cookie, and no redirects followed.
pub struct Reader {
    pub client: reqwest::Client,
    pub base: String,
    pub cookie: Option<String>,
}

/// A page: status, headers, body text.
pub struct Page {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
}

impl Page {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// How many times `needle` occurs in the page.
    pub fn count(&self, needle: &str) -> usize {
        self.text.matches(needle).count()
    }
}

impl Reader {
    pub fn new(world: &World) -> Self {
        Self {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("a client"),
            base: world.app.base_url.clone(),
            cookie: None,
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        let mut request = self.client.get(format!("{}{path}", self.base));
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        page(request).await
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)], origin: Option<&str>) -> Page {
        let mut request = self.client.post(format!("{}{path}", self.base)).body(
            form.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("&"),
        );
        request = request.header("content-type", "application/x-www-form-urlencoded");
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        page(request).await
    }

    /// Signs in with `secret`: the session cookie is kept.
    pub async fn sign_in(&mut self, secret: &str) -> Page {
        let origin = self.base.clone();
        let answer = self
            .post("/login", &[("token", secret)], Some(&origin))
            .await;
        if answer.status == 303 {
            let set = answer.header("set-cookie");
            self.cookie = set.split(';').next().map(str::to_owned);
        }
        answer
    }
}

async fn page(request: reqwest::RequestBuilder) -> Page {
    let response = request.send().await.expect("the service answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.expect("a body");
    Page {
        status,
        headers,
        text,
    }
}

/// A unit whose name is markup, a member of the medical-insurance task force, with an item
/// whose title is markup, overdue since 10 March.
async fn markup_names(world: &World) {
    world
        .organise(
            "register-unit",
            json!({ "unit": "evil-clinic", "name": UNIT_NAME, "kind": "hospital" }),
        )
        .await;
    world
        .organise(
            "register-person",
            json!({ "person": "evil-doc", "name": "王医生", "unit": "evil-clinic" }),
        )
        .await;
    world
        .campaign(
            "add-task-force-member",
            json!({ "task_force": "yibao", "unit": "evil-clinic" }),
        )
        .await;
    let registered = world
        .post("/api/v1/items")
        .as_("sec")
        .json(json!({
            "campaign": "c2026", "task_force": "yibao", "code": "YB-2026-0004",
            "title": ITEM_TITLE, "description": "诊所挂床住院",
            "category": "虚构服务", "source": "inspection", "severity": "high"
        }))
        .send()
        .await;
    assert_eq!(registered.status, 201, "{}", registered.body);
    let assigned = world
        .post("/api/v1/items/YB-2026-0004/assign")
        .as_("sec")
        .if_match(&registered.etag())
        .json(json!({
            "responsible_unit": "evil-clinic", "responsible_person": "evil-doc",
            "supervising_unit": "health-bureau", "deadline": "2026-03-10",
            "measures": "追回资金"
        }))
        .send()
        .await;
    assert_eq!(assigned.status, 200, "{}", assigned.body);
}

/// The campaign of the API tests, four items (two of hospital-1's and the markup unit's
/// overdue by April), walked to 1 April so March's bulletin is published; no Chromium.
pub async fn county(db: Db) -> Option<World> {
    county_printing_with(db, Some("/nonexistent/chromium".into())).await
}

/// [`county`], printing documents with `chromium` (`None`: the one on `PATH`).
pub async fn county_printing_with(db: Db, chromium: Option<std::path::PathBuf>) -> Option<World> {
    let app = spawn_rehearsal_with(db, at("2026-03-01T08:00:00+08:00"), |config| {
        config.dashboard.chromium = chromium;
    })
    .await?;
    let world = world_on(db, app).await;
    markup_names(&world).await;
    for (code, deadline) in [
        ("YB-2026-0001", "2026-03-20"),
        ("YB-2026-0002", "2026-03-25"),
        ("YB-2026-0003", "2027-06-30"),
    ] {
        registered_and_assigned_due(&world, code, deadline).await;
    }
    // A complaint left unanswered: its response deadline passes in March.
    let received = world
        .post("/api/v1/complaints")
        .as_("zhang")
        .json(complaint("ts-1"))
        .send()
        .await;
    assert_eq!(received.status, 201, "{}", received.body);
    moved_to(&world, "2026-04-01T10:00:00+08:00").await;
    crate::ledger::ledger_holds(&world, 4).await;
    Some(world)
}

/// The codes of the rows of an items page, in order.
pub fn codes(page: &Page) -> Vec<String> {
    page.text
        .split("data-code=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next().map(str::to_owned))
        .collect()
}

/// The logout form's token on a page.
pub fn csrf_of(page: &Page) -> String {
    page.text
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the logout form's token")
        .to_owned()
}
