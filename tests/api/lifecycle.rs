//! A secretariat's item from registration to 销号, each step by the role DOMAIN.md names.

use rectiflow_tests::Db;
use serde_json::json;

use crate::support::{evidence, registered_and_assigned, world, ITEM};

pub async fn an_item_goes_from_registration_to_sign_off(db: Db) {
    let Some(world) = world(db).await else {
        return;
    };
    registered_and_assigned(&world, ITEM).await;

    let acknowledged = world.item("zhang", "acknowledge", json!({})).await;
    assert_eq!(acknowledged.status, 200, "{}", acknowledged.body);
    assert_eq!(acknowledged.etag(), "\"3\"");
    assert_eq!(
        acknowledged.body["events"][0]["event_type"],
        "rectiflow.item.acknowledged"
    );

    let progress = world
        .item(
            "zhang",
            "report-progress",
            json!({ "text": "已追回 20 万元", "percent": 60, "evidence": [evidence()] }),
        )
        .await;
    assert_eq!(progress.status, 200, "{}", progress.body);

    let requested = world
        .item(
            "zhang",
            "request-sign-off",
            json!({
                "problem": "挂床住院 12 人次", "measures": "追回资金，约谈院长",
                "result": "追回 36 万元", "evidence": [evidence()]
            }),
        )
        .await;
    assert_eq!(requested.status, 200, "{}", requested.body);

    let verified = world.item("sec", "verify-sign-off", json!({})).await;
    assert_eq!(verified.status, 200, "{}", verified.body);
    let types: Vec<&str> = verified.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event_type"].as_str().unwrap())
        .collect();
    assert!(
        types.contains(&"rectiflow.item.closed")
            || types.iter().any(|t| t.contains("sign_off_verified")),
        "{types:?}"
    );

    let item = world
        .get(&format!("/api/v1/items/{ITEM}"))
        .as_("leader")
        .send()
        .await;
    assert_eq!(item.status, 200, "{}", item.body);
    assert_eq!(item.body["state"]["state"], "closed", "{}", item.body);
    assert_eq!(item.etag(), verified.etag());

    // Unchanged since: 304.
    let again = world
        .get(&format!("/api/v1/items/{ITEM}"))
        .as_("leader")
        .header("If-None-Match", &item.etag())
        .send()
        .await;
    assert_eq!(again.status, 304);

    // Who did what, and when.
    let history = world
        .get(&format!("/api/v1/items/{ITEM}/history"))
        .as_("sec")
        .send()
        .await;
    assert_eq!(history.status, 200, "{}", history.body);
    let actors: Vec<&str> = history
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["actor"].as_str().unwrap())
        .collect();
    assert_eq!(
        actors.first(),
        Some(&"sec-wang"),
        "registered by the secretariat"
    );
    assert!(
        actors.contains(&"zhang"),
        "acknowledged by the unit: {actors:?}"
    );
    assert_eq!(
        actors.last(),
        Some(&"sec-wang"),
        "closed by the secretariat"
    );

    // Time travel: as it stood when it was assigned (its second event), with no ETag — the
    // version it names is in the body — and its history up to then.
    let entries = history.body.as_array().unwrap();
    let assigned_at = entries[1]["recorded_at"].as_str().unwrap();
    let then = world
        .get(&format!("/api/v1/items/{ITEM}?as_of={assigned_at}"))
        .as_("leader")
        .header("If-None-Match", &item.etag())
        .send()
        .await;
    assert_eq!(then.status, 200, "{}", then.body);
    assert_eq!(then.body["version"], 2, "{}", then.body);
    assert_eq!(then.body["state"]["state"], "assigned", "{}", then.body);
    assert_eq!(then.header("etag"), None);
    let so_far = world
        .get(&format!("/api/v1/items/{ITEM}/history?as_of={assigned_at}"))
        .as_("sec")
        .send()
        .await;
    assert_eq!(
        so_far.body.as_array().map(Vec::len),
        Some(2),
        "{}",
        so_far.body
    );
    let before = world
        .get(&format!("/api/v1/items/{ITEM}?as_of=2000-01-01T00:00:00Z"))
        .as_("leader")
        .send()
        .await;
    assert_eq!(before.status, 404, "{}", before.body);
    for when in ["last-week", "%2B262142-12-31T20:00:00Z"] {
        let unreadable = world
            .get(&format!("/api/v1/items/{ITEM}?as_of={when}"))
            .as_("leader")
            .send()
            .await;
        assert_eq!(unreadable.status, 400, "{when}: {}", unreadable.body);
    }
    // Outside the reader's scope: refused, whenever asked about (not even its age shows).
    let elsewhere = world
        .get(&format!("/api/v1/items/{ITEM}?as_of=2000-01-01T00:00:00Z"))
        .as_("liu")
        .send()
        .await;
    assert_eq!(elsewhere.status, 403, "{}", elsewhere.body);
}
