//! 台账 over HTTP: the secretariat's page with the next one in `Link`, the unit's own rows,
//! and the downloads.

use rectiflow_tests::Db;

use crate::support::{registered_and_assigned, world, World};

/// Waits until the ledger, as the secretariat reads it, holds `n` assigned rows.
pub async fn ledger_holds(world: &World, n: usize) -> serde_json::Value {
    world
        .until_read("sec", "/api/v1/ledger?limit=500", |page| {
            let rows = page["rows"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default();
            rows.len() == n && rows.iter().all(|r| r["state"] == "assigned")
        })
        .await
}

pub async fn the_ledger_pages_by_key_within_the_readers_scope_and_downloads(db: Db) {
    let Some(world) = world(db).await else {
        return;
    };
    for code in ["YB-2026-0001", "YB-2026-0002", "YB-2026-0003"] {
        registered_and_assigned(&world, code).await;
    }
    let all = ledger_holds(&world, 3).await;
    let row = &all["rows"][0];
    assert_eq!(row["code"], "YB-2026-0001");
    assert_eq!(row["state_label"], "已交办");
    assert!(row["rulings"].is_array(), "rulings as JSON: {row}");

    // Two a page: the next page's link, then the last page without one.
    let first = world.get("/api/v1/ledger?limit=2").as_("sec").send().await;
    assert_eq!(first.body["rows"].as_array().unwrap().len(), 2);
    let link = first
        .header("link")
        .expect("a Link to the next page")
        .to_owned();
    let next = link
        .trim_start_matches('<')
        .split('>')
        .next()
        .unwrap()
        .to_owned();
    assert!(link.ends_with("rel=\"next\""), "{link}");
    assert!(next.contains("limit=2"), "the filters carry over: {next}");
    let second = world.get(&next).as_("sec").send().await;
    assert_eq!(second.status, 200, "{}", second.body);
    let codes: Vec<&str> = second.body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["YB-2026-0003"]);
    assert!(second.header("link").is_none());

    // The unit reads its own rows; the other hospital has none.
    let unit = world.get("/api/v1/ledger").as_("zhang").send().await;
    assert_eq!(unit.body["rows"].as_array().unwrap().len(), 3);
    let other = world.get("/api/v1/ledger").as_("liu").send().await;
    assert_eq!(other.status, 200, "{}", other.body);
    assert!(other.body["rows"].as_array().unwrap().is_empty());

    let csv = world.get("/api/v1/ledger.csv").as_("leader").send().await;
    assert_eq!(csv.status, 200);
    let text = csv.body["text"].as_str().unwrap();
    assert!(text.starts_with('\u{feff}'), "UTF-8 with a BOM");
    assert_eq!(text.lines().count(), 4, "a header and three rows");
    let xlsx = world.get("/api/v1/ledger.xlsx").as_("leader").send().await;
    assert_eq!(xlsx.status, 200);
    assert!(xlsx
        .header("content-type")
        .is_some_and(|t| t.contains("spreadsheetml")));
}
