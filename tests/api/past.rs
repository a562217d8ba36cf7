//! `?as_of=` on the registers: the ledger and the boards as they stood at a past instant —
//! rows that existed then, in the state they were in then — rebuilt from the log, within the
//! reader's scope as ever, and nothing written by asking.

use rectiflow_tests::Db;
use serde_json::{json, Value};

use crate::support::{column, registered_and_assigned, world, World, ITEM};

/// When the stream's latest event was recorded, as its history says.
async fn last_recorded(world: &World, path: &str) -> String {
    let history = world
        .get(&format!("{path}/history"))
        .as_("leader")
        .send()
        .await;
    assert_eq!(history.status, 200, "{}", history.body);
    let entries = history.body.as_array().cloned().unwrap_or_default();
    entries
        .last()
        .and_then(|e| e["recorded_at"].as_str())
        .map(|at| at.replace('+', "%2B"))
        .unwrap_or_else(|| panic!("a recorded instant: {}", history.body))
}

pub async fn the_registers_read_as_they_stood_at_an_instant(db: Db) {
    let Some(world) = world(db).await else {
        return;
    };
    registered_and_assigned(&world, ITEM).await;
    registered_and_assigned(&world, "YB-2026-0002").await;
    let then = last_recorded(&world, "/api/v1/items/YB-2026-0002").await;
    registered_and_assigned(&world, "YB-2026-0003").await;
    let acknowledged = world.item("zhang", "acknowledge", json!({})).await;
    assert_eq!(acknowledged.status, 200, "{}", acknowledged.body);
    let current = world
        .get("/api/v1/items/YB-2026-0002")
        .as_("sec")
        .send()
        .await;
    let reassigned = world
        .post("/api/v1/items/YB-2026-0002/reassign")
        .as_("sec")
        .if_match(&current.etag())
        .json(json!({
            "responsible_unit": "hospital-2", "responsible_person": "liu",
            "reason": "职责调整"
        }))
        .send()
        .await;
    assert_eq!(reassigned.status, 200, "{}", reassigned.body);
    let now = world
        .until_read("sec", "/api/v1/ledger", |page| {
            column(page, "state") == ["in_progress", "assigned", "assigned"]
        })
        .await;
    assert_eq!(column(&now, "code").len(), 3, "{now}");

    // The ledger as it stood: two items, both still assigned, judged at that instant.
    let head = world.events_written().await;
    let past = world
        .get(&format!("/api/v1/ledger?as_of={then}"))
        .as_("sec")
        .send()
        .await;
    assert_eq!(past.status, 200, "{}", past.body);
    assert_eq!(
        column(&past.body, "code"),
        [ITEM, "YB-2026-0002"],
        "{}",
        past.body
    );
    assert_eq!(column(&past.body, "state"), ["assigned", "assigned"]);
    assert_eq!(column(&past.body, "state_label"), ["已交办", "已交办"]);
    // Paged and filtered as the live ledger is.
    let first = world
        .get(&format!("/api/v1/ledger?as_of={then}&limit=1"))
        .as_("sec")
        .send()
        .await;
    assert_eq!(column(&first.body, "code"), [ITEM], "{}", first.body);
    let next = first.body["next"].as_str().expect("a next page").to_owned();
    let second = world
        .get(&format!("/api/v1/ledger?as_of={then}&limit=1&after={next}"))
        .as_("sec")
        .send()
        .await;
    assert_eq!(
        column(&second.body, "code"),
        ["YB-2026-0002"],
        "{}",
        second.body
    );
    assert!(second.body["next"].is_null(), "{}", second.body);
    let in_progress = world
        .get(&format!("/api/v1/ledger?as_of={then}&state=in_progress"))
        .as_("sec")
        .send()
        .await;
    assert_eq!(column(&in_progress.body, "code"), Vec::<&str>::new());
    // The download as it stood: a header and two rows.
    let csv = world
        .get(&format!("/api/v1/ledger.csv?as_of={then}"))
        .as_("leader")
        .send()
        .await;
    assert_eq!(csv.status, 200, "{}", csv.body);
    let text = csv.body["text"].as_str().unwrap_or_default();
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(!text.contains("YB-2026-0003"), "{text}");
    // Before anything was recorded: an empty ledger; the unit sees its own rows alone.
    let before = world
        .get("/api/v1/ledger?as_of=2000-01-01T00:00:00Z")
        .as_("sec")
        .send()
        .await;
    assert_eq!(
        column(&before.body, "code"),
        Vec::<&str>::new(),
        "{}",
        before.body
    );
    // A unit lists what it answered for then and still answers for: the item reassigned since
    // is neither the old unit's nor the new one's to list as of then (a read of the item as of
    // then is the new unit's alone).
    for (who, listed) in [("zhang", vec![ITEM]), ("liu", vec![])] {
        let past = world
            .get(&format!("/api/v1/ledger?as_of={then}"))
            .as_(who)
            .send()
            .await;
        assert_eq!(column(&past.body, "code"), listed, "{who}: {}", past.body);
    }
    let now_liu = world.get("/api/v1/ledger").as_("liu").send().await;
    assert_eq!(
        column(&now_liu.body, "code"),
        ["YB-2026-0002"],
        "{}",
        now_liu.body
    );
    // The live ledger is untouched by the rewinds.
    let live = world.get("/api/v1/ledger").as_("sec").send().await;
    assert_eq!(
        column(&live.body, "state"),
        ["in_progress", "assigned", "assigned"]
    );
    assert_eq!(world.events_written().await, head, "asking writes nothing");

    a_board_as_it_stood(&world).await;
    world.app.stop().await.expect("a clean stop");
}

/// The case board as it stood: the case registered by then, in its stage then; listing it is
/// a read on record at the version it had then.
async fn a_board_as_it_stood(world: &World) {
    for id in ["case-1", "case-2"] {
        let registered = world
            .post("/api/v1/cases")
            .as_("sec")
            .json(json!({
                "campaign": "c2026", "case": id, "clue": format!("clue-{id}"),
                "source": { "kind": "inspection" }, "field": "medical_insurance",
                "summary": "挂床住院线索"
            }))
            .send()
            .await;
        assert_eq!(registered.status, 201, "{}", registered.body);
    }
    let now = world
        .until_read("leader", "/api/v1/cases", |p| column(p, "case").len() == 2)
        .await;
    assert_eq!(column(&now, "case"), ["case-1", "case-2"]);
    let then = last_recorded(world, "/api/v1/cases/case-1").await;
    let past = world
        .get(&format!("/api/v1/cases?as_of={then}"))
        .as_("jw")
        .send()
        .await;
    assert_eq!(past.status, 200, "{}", past.body);
    assert_eq!(column(&past.body, "case"), ["case-1"], "{}", past.body);
    assert_eq!(column(&past.body, "stage"), ["clue_registered"]);
    assert_eq!(past.header("cache-control"), Some("no-store"));
    let other = world
        .get(&format!("/api/v1/cases?as_of={then}"))
        .as_("other-sec")
        .send()
        .await;
    assert_eq!(
        column(&other.body, "case"),
        Vec::<&str>::new(),
        "{}",
        other.body
    );
    let reads = world
        .get("/api/v1/readings/case~case-1/history")
        .as_("leader")
        .send()
        .await;
    let by_jw: Vec<&Value> = reads
        .body
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["actor"] == "jw-he")
        .collect();
    assert_eq!(by_jw.len(), 1, "{}", reads.body);
    assert_eq!(by_jw[0]["payload"]["Read"]["version"], 1, "{}", reads.body);
    let bad = world
        .get("/api/v1/cases?as_of=yesterday")
        .as_("jw")
        .send()
        .await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    let far = world
        .get("/api/v1/alerts?as_of=1800-01-01T00:00:00Z")
        .as_("leader")
        .send()
        .await;
    assert_eq!(far.status, 400, "{}", far.body);
    assert_eq!(far.body["field"], "as_of", "{}", far.body);
}
