//! 实时 over HTTP: the figures and the overdue ranking so far, before any bulletin — and at an
//! instant ahead, a forecast that names the same unit the ledger finds overdue then.

use chrono::{Datelike, Utc};
use rectiflow_tests::Db;
use serde_json::{json, Value};

use crate::support::{registered_and_assigned, world, ITEM};

/// After the item's deadline (30 June 2027): what would stand then if nothing were recorded.
const AHEAD: &str = "2027-07-15T00:00:00Z";

pub async fn the_figures_and_ranking_so_far_match_the_ledger(db: Db) {
    let Some(world) = world(db).await else {
        return;
    };
    registered_and_assigned(&world, ITEM).await;
    crate::ledger::ledger_holds(&world, 1).await;

    // Ahead of the deadline, waited for until the histories hold the assignment.
    let ahead = world
        .until_read(
            "leader",
            &format!("/api/v1/rankings?campaign=c2026&as_of={AHEAD}"),
            |r| r["ranking"].as_array().is_some_and(|r| !r.is_empty()),
        )
        .await;
    assert_eq!(ahead["forecast"], true, "{ahead}");
    assert_eq!(ahead["scope"], "county", "{ahead}");
    let ranked = &ahead["ranking"][0];
    assert_eq!(ranked["unit"], "hospital-1", "{ahead}");
    assert_eq!(ranked["overdue"], 1.0, "{ahead}");
    assert!(ranked["days_overdue"].as_u64() >= Some(14), "{ahead}");
    assert_eq!(ahead["bottom"], serde_json::json!(["hospital-1"]));
    assert_eq!(ahead["named"], serde_json::json!(["hospital-1"]));
    // The month containing the instant, from the 1st at 00:00 in Shanghai.
    assert_eq!(ahead["period"]["start"], "2027-06-30T16:00:00Z", "{ahead}");
    assert_eq!(ahead["period"]["cut_off"], AHEAD, "{ahead}");

    // A survey round of the hospital, closed this quarter: its mean is the hospital's
    // satisfaction (no complaint was rated).
    let quarter = {
        let now = Utc::now().with_timezone(&chrono_tz::Asia::Shanghai);
        format!("{}-Q{}", now.year(), now.month0() / 3 + 1)
    };
    let round = format!("c2026~{quarter}~medical_insurance~hospital-1");
    let opened = world
        .post("/api/v1/surveys")
        .as_("sec")
        .json(json!({
            "round": round, "campaign": "c2026", "quarter": quarter,
            "field": "medical_insurance", "unit": "hospital-1"
        }))
        .send()
        .await;
    assert_eq!(opened.status, 201, "{}", opened.body);
    let scored = world
        .post(&format!("/api/v1/surveys/{round}/record-score"))
        .as_("sec")
        .if_match(&opened.etag())
        .json(json!({ "score": 80, "sample_size": 30 }))
        .send()
        .await;
    assert_eq!(scored.status, 200, "{}", scored.body);
    let closed = world
        .post(&format!("/api/v1/surveys/{round}/close-round"))
        .as_("sec")
        .if_match(&scored.etag())
        .json(json!({}))
        .send()
        .await;
    assert_eq!(closed.status, 200, "{}", closed.body);

    // Every unit's standing to date (from 1 January of the campaign's year) ranks alike.
    let path = format!("/api/v1/standing?campaign=c2026&as_of={AHEAD}");
    world
        .until_read("jw", &path, |s| {
            s["units"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|u| u["unit"] == "hospital-1" && u["satisfaction"] == 80.0)
        })
        .await;
    let standing = world.get(&path).as_("jw").send().await;
    assert_eq!(standing.status, 200, "{}", standing.body);
    assert_eq!(
        standing.body["ranking"], ahead["ranking"],
        "{}",
        standing.body
    );
    assert_eq!(standing.body["period"]["start"], "2025-12-31T16:00:00Z");
    let units = standing.body["units"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let hospital = units.iter().find(|u| u["unit"] == "hospital-1");
    assert_eq!(
        hospital.map(|u| &u["counts"]["open"]),
        Some(&Value::from(1)),
        "{}",
        standing.body
    );
    let backwards = world
        .get(
            "/api/v1/standing?campaign=c2026&since=2027-01-01T00:00:00Z&as_of=2026-12-01T00:00:00Z",
        )
        .as_("jw")
        .send()
        .await;
    assert_eq!(backwards.status, 400, "{}", backwards.body);

    // The ledger, judged at the same instant, finds the same unit's item overdue.
    let ledger = world
        .get(&format!("/api/v1/ledger?overdue=true&as_of={AHEAD}"))
        .as_("sec")
        .send()
        .await;
    let overdue: Vec<&Value> = ledger.body["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(overdue.len(), 1, "{}", ledger.body);
    assert_eq!(overdue[0]["responsible_unit"], ranked["unit"]);

    // Now: nothing overdue; the task force's bulletin so far counts the registration.
    let now = world
        .get("/api/v1/figures?campaign=c2026&task_force=yibao")
        .as_("other-sec")
        .send()
        .await;
    assert_eq!(now.status, 200, "{}", now.body);
    assert_eq!(now.body["kind"], "bulletin");
    assert_eq!(now.body["forecast"], false);
    assert_eq!(
        now.body["scope"],
        serde_json::json!({ "task_force": "yibao" })
    );
    assert_eq!(now.body["figures"]["totals"]["open"], 1, "{}", now.body);
    assert_eq!(now.body["figures"]["ranking"], serde_json::json!([]));
    let head = world.events_written().await;
    assert!(now.body["position"].as_i64() <= Some(head), "{}", now.body);
    let assessed = world
        .get(&format!(
            "/api/v1/figures?campaign=c2026&kind=assessment&as_of={AHEAD}"
        ))
        .as_("jw")
        .send()
        .await;
    assert_eq!(assessed.status, 200, "{}", assessed.body);
    assert_eq!(assessed.body["period"]["start"], "2027-06-30T16:00:00Z");
    assert!(
        assessed.body["figures"]["scores"].is_array(),
        "{}",
        assessed.body
    );

    for (who, query, status, code) in [
        ("zhang", "campaign=c2026", 403, "auth.out_of_scope"),
        (
            "leader",
            "campaign=c2026&kind=assessment&task_force=yibao",
            422,
            "figures.scope_not_covered",
        ),
        (
            "leader",
            "campaign=c2026&kind=dispatch",
            422,
            "figures.scope_not_covered",
        ),
        ("leader", "campaign=c2099", 404, "figures.unknown_campaign"),
        (
            "leader",
            "campaign=c2026&task_force=nope",
            404,
            "figures.unknown_task_force",
        ),
        (
            "leader",
            "campaign=c2026&as_of=soon",
            400,
            "request.invalid_parameter",
        ),
        (
            "leader",
            "task_force=yibao",
            400,
            "request.invalid_parameter",
        ),
        (
            "leader",
            "campaign=c2026&kind=weekly",
            400,
            "request.invalid_parameter",
        ),
    ] {
        let refused = world
            .get(&format!("/api/v1/figures?{query}"))
            .as_(who)
            .send()
            .await;
        assert_eq!(refused.status, status, "{query}: {}", refused.body);
        assert_eq!(refused.code(), code, "{query}");
    }
    assert_eq!(
        world.events_written().await,
        head,
        "reading figures writes nothing"
    );
    world.app.stop().await.expect("a clean stop");
}
