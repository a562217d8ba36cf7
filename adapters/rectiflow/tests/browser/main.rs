//! 整改驾驶舱 in a real browser, against the demo campaign as `serve --demo` serves it: a
//! reader signs in, the overview loads with no script error in the CJK font the stylesheet
//! names, fits a laptop's 1366×768 and a phone's width; the ranking chart has one bar per
//! ranked unit and clicking a bar opens that unit's overdue items — the ledger's; a bulletin's
//! document shows the API's figures, and its PDF has as many pages as it says it has and the
//! digest that verifies it; an item titled with markup is shown as text; logging out ends the
//! session. Screenshots and the PDF are kept under `target/tmp/browser/` as artifacts.
//!
//! The pages' answers are tested on PostgreSQL and SQLite by the API's black-box tests
//! (`tests/api/dashboard.rs`); this test is about the browser, on the store `serve --demo`
//! runs on (SQLite).

mod demo;
mod driver;

use std::path::{Path, PathBuf};
use std::process::Command;

use fantoccini::{Client, Locator};
use serde_json::{json, Value};

use demo::Demo;
use driver::Browser;

/// Where screenshots and the printed PDF are kept.
fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&dir).expect("the artifacts folder");
    dir
}

async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("a screenshot");
    std::fs::write(artifacts().join(format!("{name}.png")), png).expect("save the screenshot");
}

/// The script errors the page's hook collected.
async fn errors(client: &Client) -> Vec<Value> {
    let found = client
        .execute("return window.dashboardErrors || null;", vec![])
        .await
        .expect("run a script");
    found
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("the page's error hook did not load: {found}"))
}

async fn assert_clean(client: &Client, page: &str) {
    let errors = errors(client).await;
    assert!(errors.is_empty(), "{page}: script errors {errors:?}");
}

/// Whether the page is no wider than the window (nothing to scroll sideways).
async fn fits(client: &Client) -> bool {
    client
        .execute(
            "return document.documentElement.scrollWidth <= window.innerWidth;",
            vec![],
        )
        .await
        .expect("run a script")
        .as_bool()
        .unwrap_or(false)
}

async fn path(client: &Client) -> String {
    client
        .current_url()
        .await
        .expect("the URL")
        .path()
        .to_owned()
}

/// An API read as `token`.
async fn api(demo: &Demo, token: &str, path: &str) -> Value {
    let answer = reqwest::Client::new()
        .get(format!("{}{path}", demo.base))
        .bearer_auth(token)
        .send()
        .await
        .expect("the API answers");
    assert_eq!(answer.status(), 200, "{path}");
    answer.json().await.expect("JSON")
}

/// A command-line tool's standard output (poppler's `pdfinfo`, `pdftotext`).
fn tool(name: &str, args: &[&str]) -> String {
    let program = driver::on_path(name).unwrap_or_else(|| {
        panic!("{name} is needed to read the printed PDF: apt-get install poppler-utils")
    });
    let output = Command::new(program)
        .args(args)
        .output()
        .expect("run the tool");
    assert!(output.status.success(), "{name} failed");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_works_in_a_real_browser() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let demo = Demo::start();
    let client = &browser.client;
    let leader = demo.tokens["leadership"].clone();
    let campaign = "qunfu-2026";

    // Signing in: the login page, a token typed in, a click.
    client.goto(&demo.base).await.expect("open the dashboard");
    assert_eq!(path(client).await, "/login");
    client
        .find(Locator::Css("input#token"))
        .await
        .expect("the token field")
        .send_keys(&leader)
        .await
        .expect("type the token");
    client
        .find(Locator::Css("form.login button[type=submit]"))
        .await
        .expect("the login button")
        .click()
        .await
        .expect("click it");
    client
        .wait()
        .for_element(Locator::Css("section.cards #county"))
        .await
        .expect("the overview");
    assert_eq!(path(client).await, "/");
    assert_clean(client, "overview").await;

    // The CJK face the stylesheet names first is the one the page is set in: text measured in
    // it differs from the same text in the fallback.
    let named = client
        .execute(
            "const c = document.createElement('canvas').getContext('2d');
             const text = 'mmmwwwiiil 整改驾驶舱';
             c.font = '20px monospace'; const fallback = c.measureText(text).width;
             c.font = '20px \"WenQuanYi Micro Hei\", monospace';
             return c.measureText(text).width !== fallback;",
            vec![],
        )
        .await
        .expect("measure text");
    assert_eq!(named, json!(true), "WenQuanYi Micro Hei is not installed");
    assert!(fits(client).await, "the overview is wider than 1366 px");
    screenshot(client, "overview-1366x768").await;

    // A phone's width: the same page, nothing to scroll sideways.
    client.set_window_size(390, 844).await.expect("resize");
    client.refresh().await.expect("reload");
    client
        .wait()
        .for_element(Locator::Css("section.cards #county"))
        .await
        .expect("the overview");
    assert!(fits(client).await, "the overview is wider than a phone");
    screenshot(client, "overview-phone").await;
    client.set_window_size(1366, 768).await.expect("resize");

    // The ranking: one bar per ranked unit; a click on the first opens its overdue items.
    let ranking = api(
        &demo,
        &leader,
        &format!("/api/v1/rankings?campaign={campaign}"),
    )
    .await;
    let ranked = ranking["ranking"].as_array().cloned().unwrap_or_default();
    assert!(!ranked.is_empty(), "the demo has overdue units: {ranking}");
    client
        .goto(&format!("{}/ranking", demo.base))
        .await
        .expect("open the ranking");
    let bars = client
        .find_all(Locator::Css("svg.chart.bars rect.bar"))
        .await
        .expect("the bars");
    assert_eq!(bars.len(), ranked.len(), "one bar per ranked unit");
    assert_clean(client, "ranking").await;
    screenshot(client, "ranking").await;
    bars[0].click().await.expect("click the first bar");
    client
        .wait()
        .for_element(Locator::Css("table.items"))
        .await
        .expect("the unit's items");
    let url = client.current_url().await.expect("the URL");
    assert_eq!(url.path(), "/items");
    let unit = ranked[0]["unit"].as_str().unwrap_or_default();
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert!(
        query.contains(&("unit".into(), unit.into())),
        "{url} is not {unit}'s"
    );
    let mut shown = Vec::new();
    for row in client
        .find_all(Locator::Css("tr[data-code]"))
        .await
        .expect("the rows")
    {
        shown.push(
            row.attr("data-code")
                .await
                .expect("a code")
                .unwrap_or_default(),
        );
    }
    let ledger = api(
        &demo,
        &leader,
        &format!("/api/v1/ledger?campaign={campaign}&unit={unit}&overdue=true&limit=500"),
    )
    .await;
    let mut expected: Vec<String> = ledger["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["code"].as_str().map(str::to_owned))
        .collect();
    shown.sort();
    expected.sort();
    assert!(!expected.is_empty());
    assert_eq!(shown, expected, "the bar's items are the ledger's");
    assert_clean(client, "items").await;
    screenshot(client, "unit-items").await;

    // The latest county bulletin as a document: the API's figures and digest.
    let listed = api(
        &demo,
        &leader,
        &format!("/api/v1/publications?kind=bulletin&campaign={campaign}&scope=county"),
    )
    .await;
    let id = listed
        .as_array()
        .and_then(|l| l.last())
        .and_then(|p| p["id"].as_str())
        .expect("a county bulletin")
        .to_owned();
    let recorded = api(&demo, &leader, &format!("/api/v1/publications/{id}")).await;
    let state = &recorded["state"];
    let digest = state["inputs"]["digest"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let registered = state["figures"]["totals"]["registered"]["to_date"].clone();
    client
        .goto(&format!("{}/publications/{id}", demo.base))
        .await
        .expect("open the bulletin");
    let document = client
        .find(Locator::Css("article.document"))
        .await
        .expect("the document")
        .text()
        .await
        .expect("its text");
    assert!(
        document.contains(&format!("累计登记问题 {registered} 件")),
        "{document}"
    );
    assert!(document.contains(&format!("sha256:{digest}")), "{document}");
    assert_clean(client, "bulletin").await;
    screenshot(client, "bulletin").await;

    // Its PDF: as many pages as it prints it has, and the digest in its text.
    let cookie = client
        .get_named_cookie("rectiflow_session")
        .await
        .expect("the session cookie");
    assert_eq!(cookie.http_only(), Some(true));
    let pdf = reqwest::Client::new()
        .get(format!("{}/publications/{id}/document.pdf", demo.base))
        .header("cookie", format!("rectiflow_session={}", cookie.value()))
        .send()
        .await
        .expect("the PDF");
    assert_eq!(pdf.status(), 200);
    let file = artifacts().join("bulletin.pdf");
    std::fs::write(&file, pdf.bytes().await.expect("its bytes")).expect("save the PDF");
    let file = file.to_string_lossy().into_owned();
    let pages: usize = tool("pdfinfo", &[&file])
        .lines()
        .find_map(|l| {
            l.strip_prefix("Pages:")
                .map(|n| n.trim().parse().unwrap_or(0))
        })
        .expect("a page count");
    assert!(pages >= 1);
    let text: String = tool("pdftotext", &[&file, "-"])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(text.contains(&format!("共{pages}页")), "{text}");
    assert!(
        text.contains(&format!("— {pages} —").replace(' ', "")),
        "the last page is numbered {pages}"
    );
    assert!(text.contains(&digest), "the digest is printed: {text}");

    // The registers' pages load clean, each with its table.
    for (page, table) in [
        ("assessments", "table.scores"),
        ("admonishments", "table.admonishments"),
        ("complaints", "table.complaints"),
        ("cases", "table.cases"),
    ] {
        client
            .goto(&format!("{}/{page}", demo.base))
            .await
            .expect("open the page");
        client
            .find(Locator::Css(table))
            .await
            .unwrap_or_else(|e| panic!("{page} has no {table}: {e}"));
        assert!(fits(client).await, "{page} is wider than 1366 px");
        assert_clean(client, page).await;
        screenshot(client, page).await;
    }

    // An item titled with markup shows the markup as text, and runs none of it.
    let secretariat = demo.tokens["secretariat"].clone();
    let row = api(&demo, &secretariat, "/api/v1/ledger?limit=1").await["rows"][0].clone();
    let code = row["code"].as_str().unwrap_or_default();
    let prefix = &code[..code.rfind('-').map_or(0, |i| i + 1)];
    let marked = format!("{prefix}9901");
    let title = "<img src=x onerror=\"window.injected=1\"><script>window.injected=2</script>挂床";
    let registered = reqwest::Client::new()
        .post(format!("{}/api/v1/items", demo.base))
        .bearer_auth(&secretariat)
        .json(&json!({
            "campaign": row["campaign"], "task_force": row["task_force"], "code": marked,
            "title": title, "description": "标题含标记的事项", "category": row["category"],
            "source": "inspection", "severity": "low"
        }))
        .send()
        .await
        .expect("register");
    assert_eq!(
        registered.status(),
        201,
        "{}",
        registered.text().await.unwrap_or_default()
    );
    client
        .goto(&format!("{}/items/{marked}", demo.base))
        .await
        .expect("open the item");
    let heading = client
        .find(Locator::Css("section.item h2"))
        .await
        .expect("the title")
        .text()
        .await
        .expect("its text");
    assert_eq!(heading, title);
    let injected = client
        .execute("return window.injected === undefined;", vec![])
        .await
        .expect("run a script");
    assert_eq!(injected, json!(true), "the markup ran");
    assert_clean(client, "item").await;
    screenshot(client, "item-with-markup").await;

    // A phone's width: the ranking and the document fit too.
    client.set_window_size(390, 844).await.expect("resize");
    for (page, name) in [
        ("/ranking".to_owned(), "ranking-phone"),
        (format!("/publications/{id}"), "bulletin-phone"),
    ] {
        client
            .goto(&format!("{}{page}", demo.base))
            .await
            .expect("open the page");
        assert!(fits(client).await, "{page} is wider than a phone");
        screenshot(client, name).await;
    }
    client.set_window_size(1366, 768).await.expect("resize");

    // Logging out: the button, then every page asks to sign in again.
    client
        .find(Locator::Css("form.who button"))
        .await
        .expect("the logout button")
        .click()
        .await
        .expect("click it");
    client
        .wait()
        .for_element(Locator::Css("form.login"))
        .await
        .expect("the login page");
    client.goto(&demo.base).await.expect("open the dashboard");
    assert_eq!(path(client).await, "/login");

    browser.close().await;
}
