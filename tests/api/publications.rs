//! 调度·通报·考核 over HTTP: the publications on record, and the drill-down from a bulletin's
//! figure to the items behind it — the same items the ledger's filter finds at the cut-off.

use std::collections::BTreeSet;

use rectiflow_tests::{spawn_rehearsal, Db};
use serde_json::Value;

use crate::rehearsal::{at, moved_to};
use crate::support::{registered_and_assigned_due, world_on, World};

const BULLETIN: &str = "bulletin~c2026~2026-03~county";

/// The codes a list of rows or of items behind a figure names.
fn codes(rows: &Value) -> BTreeSet<String> {
    rows.as_array()
        .into_iter()
        .flatten()
        .filter_map(|row| row["code"].as_str().map(str::to_owned))
        .collect()
}

async fn drill(world: &World, query: &str) -> Value {
    let answer = world
        .get(&format!(
            "/api/v1/publications/{BULLETIN}/drill-down?{query}"
        ))
        .as_("leader")
        .send()
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.body["matches_published"], true, "{}", answer.body);
    answer.body
}

async fn ledger(world: &World, query: &str) -> BTreeSet<String> {
    let answer = world
        .get(&format!("/api/v1/ledger?{query}"))
        .as_("leader")
        .send()
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    codes(&answer.body["rows"])
}

pub async fn a_bulletin_figure_drills_down_to_the_items_the_ledger_finds(db: Db) {
    let Some(app) = spawn_rehearsal(db, at("2026-03-01T08:00:00+08:00")).await else {
        return;
    };
    let world = world_on(db, app).await;
    for (code, deadline) in [
        ("YB-2026-0001", "2026-03-20"),
        ("YB-2026-0002", "2026-03-25"),
        ("YB-2026-0003", "2027-06-30"),
    ] {
        registered_and_assigned_due(&world, code, deadline).await;
    }
    moved_to(&world, "2026-04-01T10:00:00+08:00").await;

    let listed = world
        .get("/api/v1/publications?kind=bulletin&campaign=c2026")
        .as_("sec")
        .send()
        .await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    let ids: Vec<&str> = listed
        .body
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["id"].as_str())
        .collect();
    assert!(ids.contains(&BULLETIN), "{}", listed.body);
    assert!(
        ids.contains(&"bulletin~c2026~2026-03~task_force:yibao"),
        "{}",
        listed.body
    );
    assert!(
        listed
            .body
            .as_array()
            .into_iter()
            .flatten()
            .all(|p| p["kind"] == "bulletin"),
        "{}",
        listed.body
    );

    // The March bulletin's cut-off: 1 April 00:00 in the county.
    let cut_off = "2026-03-31T16:00:00Z";
    let overdue = drill(&world, "unit=hospital-1&figure=overdue.full").await;
    let behind = &overdue["figures"]["overdue.full"];
    let expected: BTreeSet<String> = ["YB-2026-0001", "YB-2026-0002"].map(String::from).into();
    assert_eq!(codes(behind), expected, "{overdue}");
    assert!(
        behind
            .as_array()
            .into_iter()
            .flatten()
            .all(|b| b["positions"].as_array().is_some_and(|p| !p.is_empty())),
        "each names the events that make it count: {overdue}"
    );
    assert_eq!(
        ledger(
            &world,
            &format!("unit=hospital-1&overdue=true&as_of={cut_off}")
        )
        .await,
        expected
    );
    let open = drill(&world, "unit=hospital-1&figure=open").await;
    assert_eq!(
        codes(&open["figures"]["open"]),
        ledger(&world, &format!("unit=hospital-1&as_of={cut_off}")).await
    );
    assert_eq!(codes(&open["figures"]["open"]).len(), 3, "{open}");
    let whole = drill(&world, "").await;
    assert_eq!(
        codes(&whole["figures"]["registered.to_date"]).len(),
        3,
        "{whole}"
    );
    assert!(whole["unit"].is_null(), "{whole}");

    // What is refused.
    let unknown = world
        .get(&format!(
            "/api/v1/publications/{BULLETIN}/drill-down?figure=overdue"
        ))
        .as_("leader")
        .send()
        .await;
    assert_eq!(unknown.status, 422, "{}", unknown.body);
    assert_eq!(unknown.code(), "request.unknown_figure");
    let by_unit = world
        .get(&format!("/api/v1/publications/{BULLETIN}/drill-down"))
        .as_("zhang")
        .send()
        .await;
    assert_eq!(by_unit.status, 403, "{}", by_unit.body);
    // A secretariat drills into its own task force's publications, not the county's (which
    // name every task force's items).
    let county_by_sec = world
        .get(&format!("/api/v1/publications/{BULLETIN}/drill-down"))
        .as_("sec")
        .send()
        .await;
    assert_eq!(county_by_sec.status, 403, "{}", county_by_sec.body);
    let own = world
        .get("/api/v1/publications/bulletin~c2026~2026-03~task_force:yibao/drill-down?figure=open")
        .as_("sec")
        .send()
        .await;
    assert_eq!(own.status, 200, "{}", own.body);
    assert_eq!(codes(&own.body["figures"]["open"]).len(), 3, "{}", own.body);
    let other = world
        .get("/api/v1/publications/bulletin~c2026~2026-03~task_force:yibao/drill-down")
        .as_("other-sec")
        .send()
        .await;
    assert_eq!(other.status, 403, "{}", other.body);
    let listed_by_unit = world.get("/api/v1/publications").as_("zhang").send().await;
    assert_eq!(listed_by_unit.status, 403, "{}", listed_by_unit.body);
    let missing = world
        .get("/api/v1/publications/bulletin~c2026~2026-02~county/drill-down")
        .as_("leader")
        .send()
        .await;
    assert_eq!(missing.status, 404, "{}", missing.body);
    world.app.stop().await.expect("a clean stop");
}
