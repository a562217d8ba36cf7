//! The registers' pages against the API's boards.

use rectiflow_tests::Db;
use serde_json::Value;

use super::{county, Reader};
use crate::support::World;

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

    // 约谈, 问责, 案件: the boards' rows, one line each — compared once the board stood still
    // around the page's reading (the policies may still be admonishing after the bulletin).
    for (api, page, row) in [
        (
            "/api/v1/admonishments?campaign=c2026&limit=500",
            "/admonishments?campaign=c2026",
            "data-admonishment=",
        ),
        (
            "/api/v1/accountability?campaign=c2026&limit=100",
            "/accountability?campaign=c2026",
            "<tr data-case=",
        ),
    ] {
        let mut compared = false;
        for _ in 0..20 {
            let before = board(&world, api).await;
            let shown = reader.get(page).await;
            assert_eq!(shown.status, 200, "{page}: {}", shown.text);
            let after = board(&world, api).await;
            if before == after {
                assert_eq!(shown.count(row), after.len(), "{page}: {}", shown.text);
                compared = true;
                break;
            }
        }
        assert!(compared, "{api} never stood still");
    }
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
