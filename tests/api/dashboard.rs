//! 整改驾驶舱 over HTTP, as a browser without scripts meets it: signing in with a token sets
//! a cookie the page cannot read; every page shows what the API says — the ranking's bars are
//! its ranking, a drill-down's rows are the ledger's, an item's history is its history, a
//! bulletin's document is its figures — at now and as of an instant past; names carrying
//! markup are shown as text; bad input gets a page saying what is wrong; logging out needs the
//! session's own token.

use rectiflow_tests::{spawn_rehearsal_with, Db};
use reqwest::header::HeaderMap;
use serde_json::{json, Value};

use crate::county::complaint;
use crate::rehearsal::{at, moved_to};
use crate::support::{registered_and_assigned_due, world_on, World};

const BULLETIN: &str = "bulletin~c2026~2026-03~county";
const UNIT_NAME: &str = "<script>alert(\"unit\")</script>诊所";
const ITEM_TITLE: &str = "<img src=x onerror=alert(1)>挂床住院";

/// A reader's browser without scripts: its cookie, and no redirects followed.
struct Reader {
    client: reqwest::Client,
    base: String,
    cookie: Option<String>,
}

/// A page: status, headers, body text.
struct Page {
    status: u16,
    headers: HeaderMap,
    text: String,
}

impl Page {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// How many times `needle` occurs in the page.
    fn count(&self, needle: &str) -> usize {
        self.text.matches(needle).count()
    }
}

impl Reader {
    fn new(world: &World) -> Self {
        Self {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("a client"),
            base: world.app.base_url.clone(),
            cookie: None,
        }
    }

    async fn get(&self, path: &str) -> Page {
        let mut request = self.client.get(format!("{}{path}", self.base));
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        page(request).await
    }

    async fn post(&self, path: &str, form: &[(&str, &str)], origin: Option<&str>) -> Page {
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
    async fn sign_in(&mut self, secret: &str) -> Page {
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
async fn county(db: Db) -> Option<World> {
    let app = spawn_rehearsal_with(db, at("2026-03-01T08:00:00+08:00"), |config| {
        config.dashboard.chromium = Some("/nonexistent/chromium".into());
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
fn codes(page: &Page) -> Vec<String> {
    page.text
        .split("data-code=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next().map(str::to_owned))
        .collect()
}

pub async fn the_dashboard_shows_what_the_api_says_behind_a_session(db: Db) {
    let Some(world) = county(db).await else {
        return;
    };
    let mut reader = Reader::new(&world);

    // No session: every page sends the reader to sign in.
    for path in ["/", "/ranking", "/items/YB-2026-0001", "/publications"] {
        let answer = reader.get(path).await;
        assert_eq!(answer.status, 303, "{path}: {}", answer.text);
        assert_eq!(answer.header("location"), "/login", "{path}");
    }
    let login = reader.get("/login").await;
    assert_eq!(login.status, 200);
    assert!(login
        .header("content-security-policy")
        .contains("script-src 'self'"));

    // A bad token, a unit's token: told why, no cookie.
    for (secret, status) in [
        ("rf_not-a-token", 401),
        (world.tokens["zhang"].as_str(), 403),
    ] {
        let refused = reader.sign_in(secret).await;
        assert_eq!(refused.status, status, "{}", refused.text);
        assert!(refused.header("set-cookie").is_empty());
    }
    // Another site's form cannot sign anyone in.
    let leader = world.tokens["leader"].clone();
    let forged = reader
        .post("/login", &[("token", &leader)], Some("http://evil.example"))
        .await;
    assert_eq!(forged.status, 403, "{}", forged.text);

    let signed = reader.sign_in(&leader).await;
    assert_eq!(signed.status, 303, "{}", signed.text);
    assert_eq!(signed.header("location"), "/");
    let cookie = signed.header("set-cookie");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }

    // 总览: the task force's items by state, each count the length of the list it opens.
    let overview = reader.get("/").await;
    assert_eq!(overview.status, 200, "{}", overview.text);
    assert_eq!(overview.header("cache-control"), "no-store");
    assert!(overview.text.contains("医保基金专班"), "{}", overview.text);
    assert!(
        overview.text.contains("赵书记"),
        "the reader's name is shown"
    );
    let assigned = "/items?campaign=c2026&amp;task_force=yibao&amp;state=assigned\">已交办 4</a>";
    assert!(overview.text.contains(assigned), "{}", overview.text);
    let listed = reader
        .get("/items?campaign=c2026&task_force=yibao&state=assigned")
        .await;
    assert_eq!(codes(&listed).len(), 4, "{}", listed.text);
    // Overdue so far: three of them, the count leading to the three.
    let overdue = "/items?campaign=c2026&amp;overdue=true&amp;task_force=yibao\">3 件</a>";
    assert!(overview.text.contains(overdue), "{}", overview.text);
    let listed = reader
        .get("/items?campaign=c2026&overdue=true&task_force=yibao")
        .await;
    assert_eq!(codes(&listed).len(), 3, "{}", listed.text);

    // 逾期排名: one bar per ranked unit, each leading to that unit's overdue items — the
    // ledger's, at now and as of mid-March.
    for (query, as_of) in [
        ("", None),
        ("&as_of=2026-03-15T12:00", Some("2026-03-15T04:00:00Z")),
    ] {
        let api = world
            .get(&format!(
                "/api/v1/rankings?campaign=c2026{}",
                as_of.map(|a| format!("&as_of={a}")).unwrap_or_default()
            ))
            .as_("leader")
            .send()
            .await;
        assert_eq!(api.status, 200, "{}", api.body);
        let ranking = api.body["ranking"].as_array().cloned().unwrap_or_default();
        let chart = reader.get(&format!("/ranking?campaign=c2026{query}")).await;
        assert_eq!(chart.status, 200, "{}", chart.text);
        assert_eq!(
            chart.count("<rect class=\"bar\""),
            ranking.len(),
            "{}",
            chart.text
        );
        for ranked in &ranking {
            let unit = ranked["unit"].as_str().unwrap_or_default();
            let link = chart
                .text
                .split("href=\"")
                .skip(1)
                .filter_map(|rest| rest.split('"').next())
                .find(|href| href.contains(&format!("unit={unit}&amp;")))
                .unwrap_or_else(|| panic!("no bar leads to {unit}: {}", chart.text))
                .replace("&amp;", "&");
            let items = reader.get(&link).await;
            assert_eq!(items.status, 200, "{link}: {}", items.text);
            let ledger = world
                .get(&format!(
                    "/api/v1/ledger?campaign=c2026&unit={unit}&overdue=true{}",
                    as_of.map(|a| format!("&as_of={a}")).unwrap_or_default()
                ))
                .as_("leader")
                .send()
                .await;
            let expected: Vec<&str> = ledger.body["rows"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| r["code"].as_str())
                .collect();
            assert!(!expected.is_empty());
            let mut shown = codes(&items);
            shown.sort();
            let mut expected: Vec<String> = expected.into_iter().map(str::to_owned).collect();
            expected.sort();
            assert_eq!(shown, expected, "{link}");
        }
        if as_of.is_some() {
            assert_eq!(ranking.len(), 1, "mid-March only the clinic is overdue");
            assert!(chart.text.contains("回溯"), "{}", chart.text);
        } else {
            assert_eq!(ranking.len(), 2);
        }
    }

    // An item's page: every event of its history, and replayed to its first moment.
    let history = world
        .get("/api/v1/items/YB-2026-0001/history")
        .as_("leader")
        .send()
        .await;
    let events = history.body.as_array().cloned().unwrap_or_default();
    let item = reader.get("/items/YB-2026-0001").await;
    assert_eq!(item.status, 200, "{}", item.text);
    assert_eq!(item.count("data-version="), events.len(), "{}", item.text);
    assert!(item.text.contains("王秘书"), "the recorder is named");
    let replayed = reader
        .get("/items/YB-2026-0001?campaign=c2026&version=1")
        .await;
    assert_eq!(replayed.status, 200, "{}", replayed.text);
    assert_eq!(replayed.count("data-version="), 1, "{}", replayed.text);
    assert!(replayed.text.contains("已登记"), "{}", replayed.text);

    // March's bulletin as a document: its figures, position and digest, as the API has them.
    let recorded = world
        .get(&format!("/api/v1/publications/{BULLETIN}"))
        .as_("leader")
        .send()
        .await;
    assert_eq!(recorded.status, 200, "{}", recorded.body);
    let state = &recorded.body["state"];
    let document = reader.get(&format!("/publications/{BULLETIN}")).await;
    assert_eq!(document.status, 200, "{}", document.text);
    let digest = state["inputs"]["digest"].as_str().unwrap_or_default();
    assert!(document.text.contains(&format!("sha256:{digest}")));
    let position = state["inputs"]["position"].as_u64().unwrap_or_default();
    assert!(document.text.contains(&format!("日志第 {position} 位")));
    let registered = &state["figures"]["totals"]["registered"]["to_date"];
    assert!(
        document
            .text
            .contains(&format!("累计登记问题 {registered} 件")),
        "{}",
        document.text
    );
    assert!(
        document.text.contains("整治办通〔2026〕1号"),
        "{}",
        document.text
    );
    let units = state["figures"]["units"].as_array().map_or(0, Vec::len);
    assert_eq!(document.count("<tr data-unit="), units + ranked(state));

    // A unit's name in the document leads to what is behind its figures: the API's drill-down.
    let link = format!("/publications/{BULLETIN}/drill-down?unit=hospital-1");
    assert!(
        document.text.contains(&format!("href=\"{link}\"")),
        "{}",
        document.text
    );
    let drilled = reader.get(&link).await;
    assert_eq!(drilled.status, 200, "{}", drilled.text);
    let api = world
        .get(&format!(
            "/api/v1/publications/{BULLETIN}/drill-down?unit=hospital-1"
        ))
        .as_("leader")
        .send()
        .await;
    assert_eq!(api.status, 200, "{}", api.body);
    assert!(drilled.text.contains("与发布时一致"), "{}", drilled.text);
    let figures = api.body["figures"].as_object().cloned().unwrap_or_default();
    assert!(figures.contains_key("overdue.full"), "{}", api.body);
    for (name, behind) in &figures {
        let section = drilled
            .text
            .split(&format!("data-figure=\"{name}\""))
            .nth(1)
            .and_then(|rest| rest.split("</section>").next())
            .unwrap_or_default();
        let listed = behind.as_array().map_or(0, Vec::len);
        assert_eq!(
            section.matches("data-code=").count(),
            listed,
            "{name}: {section}"
        );
    }

    let csv = reader
        .get(&format!("/publications/{BULLETIN}/figures.csv"))
        .await;
    assert_eq!(csv.status, 200);
    assert!(csv.text.starts_with('\u{feff}'), "UTF-8 with a BOM");
    assert_eq!(csv.text.lines().count(), units + 2, "{}", csv.text);
    // Names as they are, quoted as RFC 4180 quotes them.
    let quoted = format!("\"{}\"", UNIT_NAME.replace('"', "\"\""));
    assert!(csv.text.contains(&quoted), "{}", csv.text);
    let xlsx = reader
        .client
        .get(format!(
            "{}/publications/{BULLETIN}/figures.xlsx",
            reader.base
        ))
        .header("cookie", reader.cookie.clone().unwrap_or_default())
        .send()
        .await
        .expect("an answer");
    assert_eq!(xlsx.status(), 200);
    let bytes = xlsx.bytes().await.expect("bytes").to_vec();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a workbook");
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut archive
            .by_name("xl/worksheets/sheet1.xml")
            .expect("the sheet"),
        &mut sheet,
    )
    .expect("the sheet's XML");
    assert_eq!(
        sheet.matches("<row ").count(),
        units + 2,
        "header, totals, a row per unit"
    );
    // No Chromium here: the PDF is a clear 503 problem.
    let pdf = reader
        .get(&format!("/publications/{BULLETIN}/document.pdf"))
        .await;
    assert_eq!(pdf.status, 503, "{}", pdf.text);
    assert_eq!(pdf.header("content-type"), "application/problem+json");
    let problem: Value = serde_json::from_str(&pdf.text).expect("a problem");
    assert_eq!(problem["code"], "dashboard.pdf_unavailable", "{problem}");
    assert!(problem["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("apt-get install chromium"));

    // Names carrying markup are text on every page that shows them.
    for path in [
        "/ranking".to_owned(),
        "/items?campaign=c2026&unit=evil-clinic".to_owned(),
        "/items/YB-2026-0004".to_owned(),
        format!("/publications/{BULLETIN}"),
    ] {
        let shown = reader.get(&path).await;
        assert_eq!(shown.status, 200, "{path}: {}", shown.text);
        assert!(
            !shown.text.contains("<script>alert"),
            "{path}: {}",
            shown.text
        );
        assert!(!shown.text.contains("<img src=x"), "{path}: {}", shown.text);
        assert!(
            shown.text.contains("&lt;script&gt;alert") || shown.text.contains("&lt;img src=x"),
            "{path}: {}",
            shown.text
        );
    }

    // Bad input: a page naming what is wrong, with its status.
    for (path, status, said) in [
        ("/items?campaign=c2026&state=bogus", 400, "bogus"),
        ("/?as_of=yesterday", 400, "as_of"),
        ("/?campaign=nope", 404, "nope"),
        ("/ranking?colour=red", 400, "colour"),
        (
            "/publications/bulletin~c2026~2099-01~county",
            404,
            "2099-01",
        ),
        ("/items/YB-2026-9999", 404, "YB-2026-9999"),
        ("/items/YB-2026-0001?version=99", 400, "version"),
        (
            "/publications/bulletin~c2026~2026-03~county/drill-down?figure=nope",
            422,
            "nope",
        ),
    ] {
        let refused = reader.get(path).await;
        assert_eq!(refused.status, status, "{path}: {}", refused.text);
        assert!(
            refused.header("content-type").starts_with("text/html"),
            "{path}"
        );
        assert!(refused.text.contains(said), "{path}: {}", refused.text);
    }

    // Logging out needs the session's own token; then the cookie is gone.
    let origin = reader.base.clone();
    let forged = reader
        .post("/logout", &[("csrf", "0")], Some(&origin))
        .await;
    assert_eq!(forged.status, 403, "{}", forged.text);
    let csrf = overview
        .text
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the logout form's token")
        .to_owned();
    let cross = reader
        .post("/logout", &[("csrf", &csrf)], Some("http://evil.example"))
        .await;
    assert_eq!(cross.status, 403, "{}", cross.text);
    let out = reader
        .post("/logout", &[("csrf", &csrf)], Some(&origin))
        .await;
    assert_eq!(out.status, 303, "{}", out.text);
    assert!(
        out.header("set-cookie").contains("Max-Age=0"),
        "{}",
        out.header("set-cookie")
    );
}

/// How many rows the document's ranking table has.
fn ranked(state: &Value) -> usize {
    state["figures"]["ranking"].as_array().map_or(0, Vec::len)
}

pub async fn a_secretariat_sees_its_own_task_forces_only(db: Db) {
    let Some(world) = county(db).await else {
        return;
    };
    let mut reader = Reader::new(&world);
    let signed = reader.sign_in(&world.tokens["other-sec"]).await;
    assert_eq!(signed.status, 303, "{}", signed.text);
    let overview = reader.get("/").await;
    assert_eq!(overview.status, 200, "{}", overview.text);
    assert!(overview.text.contains("校园餐专班"));
    assert!(!overview.text.contains("data-task-force=\"yibao\""));
    // The other task force's items are neither listed nor opened.
    let listed = reader.get("/items?campaign=c2026&task_force=yibao").await;
    assert_eq!(listed.status, 403, "{}", listed.text);
    let own = reader.get("/items?campaign=c2026").await;
    assert_eq!(own.status, 200, "{}", own.text);
    assert_eq!(codes(&own), Vec::<String>::new(), "{}", own.text);
    let item = reader.get("/items/YB-2026-0001").await;
    assert_eq!(item.status, 403, "{}", item.text);
}

/// The rows an API board lists as `who` (one page, at most 100).
async fn board(world: &World, path: &str) -> Vec<Value> {
    let answer = world.get(path).as_("leader").send().await;
    assert_eq!(answer.status, 200, "{path}: {}", answer.body);
    answer.body["rows"].as_array().cloned().unwrap_or_default()
}

pub async fn the_registers_pages_list_what_the_boards_list(db: Db) {
    let Some(world) = county(db).await else {
        return;
    };
    let mut reader = Reader::new(&world);
    let signed = reader.sign_in(&world.tokens["leader"]).await;
    assert_eq!(signed.status, 303, "{}", signed.text);

    // 投诉: the complaint whose response deadline passed is listed as breached.
    world
        .until_read("leader", "/api/v1/complaints?campaign=c2026", |page| {
            page["rows"][0]["response_missed"] == true
        })
        .await;
    let complaints = board(&world, "/api/v1/complaints?campaign=c2026&limit=500").await;
    let breaches = complaints
        .iter()
        .filter(|c| c["response_missed"] == true || c["responded_in_time"] == false)
        .count();
    assert_eq!(breaches, 1);
    let shown = reader.get("/complaints?campaign=c2026").await;
    assert_eq!(shown.status, 200, "{}", shown.text);
    assert_eq!(
        shown.count("data-complaint="),
        complaints.len(),
        "{}",
        shown.text
    );
    assert_eq!(shown.count("class=\"breach\""), breaches, "{}", shown.text);
    assert!(shown.text.contains("逾期未响应"), "{}", shown.text);
    // As of the day it was received, nothing was late yet.
    let then = reader
        .get("/complaints?campaign=c2026&as_of=2026-03-01T12:00")
        .await;
    assert_eq!(then.status, 200, "{}", then.text);
    assert_eq!(then.count("class=\"breach\""), 0, "{}", then.text);

    // 约谈与问责, 案件: the boards' rows, one line each.
    let admonished = board(&world, "/api/v1/admonishments?campaign=c2026&limit=500").await;
    let accountable = board(&world, "/api/v1/accountability?campaign=c2026&limit=100").await;
    let shown = reader.get("/admonishments?campaign=c2026").await;
    assert_eq!(shown.status, 200, "{}", shown.text);
    assert_eq!(
        shown.count("data-admonishment="),
        admonished.len(),
        "{}",
        shown.text
    );
    assert_eq!(
        shown.count("<tr data-case="),
        accountable.len(),
        "{}",
        shown.text
    );
    let cases = board(&world, "/api/v1/cases?campaign=c2026&limit=100").await;
    let shown = reader.get("/cases?campaign=c2026").await;
    assert_eq!(shown.status, 200, "{}", shown.text);
    assert_eq!(shown.count("<tr data-case="), cases.len(), "{}", shown.text);
    assert_eq!(
        shown.count("data-stage="),
        5,
        "every stage is counted: {}",
        shown.text
    );

    // 季考核: each county assessment published, a line per unit scored.
    let listed = world
        .get("/api/v1/publications?kind=assessment&campaign=c2026&scope=county")
        .as_("leader")
        .send()
        .await;
    let ids: Vec<String> = listed
        .body
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["id"].as_str().map(str::to_owned))
        .collect();
    let shown = reader.get("/assessments?campaign=c2026").await;
    assert_eq!(shown.status, 200, "{}", shown.text);
    assert_eq!(
        shown.count("<section class=\"assessment\""),
        ids.len(),
        "{}",
        shown.text
    );
    for id in &ids {
        let recorded = world
            .get(&format!("/api/v1/publications/{id}"))
            .as_("leader")
            .send()
            .await;
        let scores = recorded.body["state"]["figures"]["scores"]
            .as_array()
            .map_or(0, Vec::len);
        let section = shown
            .text
            .split(&format!("data-publication=\"{id}\""))
            .nth(1)
            .and_then(|rest| rest.split("</section>").next())
            .unwrap_or_default();
        assert_eq!(section.matches("<tr data-unit=").count(), scores, "{id}");
    }
}
