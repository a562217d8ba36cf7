//! 看板 over HTTP: the registers listed page by page, each row only where its reader could
//! read the resource itself; the accountability register's rows recorded as reads.

use rectiflow_tests::Db;
use serde_json::json;

use crate::county::complaint;
use crate::support::{column as keys, world, World};

/// Registers case `id` in `field` as `who`.
async fn case(world: &World, who: &str, id: &str, field: &str) {
    let registered = world
        .post("/api/v1/cases")
        .as_(who)
        .json(json!({
            "campaign": "c2026", "case": id, "clue": format!("clue-{id}"),
            "source": { "kind": "inspection" }, "field": field,
            "summary": "挂床住院线索"
        }))
        .send()
        .await;
    assert_eq!(registered.status, 201, "{}", registered.body);
}

async fn list(world: &World, who: &str, path: &str) -> crate::support::Answer {
    world.get(path).as_(who).send().await
}

pub async fn the_registers_list_within_the_readers_scope_a_page_at_a_time(db: Db) {
    let Some(world) = world(db).await else {
        return;
    };
    // Two medical-insurance cases around a school-meals one, in key order.
    case(&world, "sec", "case-1", "medical_insurance").await;
    case(&world, "other-sec", "case-2", "school_meals").await;
    case(&world, "sec", "case-3", "medical_insurance").await;
    let all = world
        .until_read("leader", "/api/v1/cases", |p| keys(p, "case").len() == 3)
        .await;
    assert_eq!(all["rows"][0]["stage"], "clue_registered", "{all}");
    assert!(all["rows"][0]["repair_items"].is_array(), "JSON, not text");
    assert!(all["next"].is_null());

    // The secretariat pages through its own task force's cases: the other's is skipped.
    let first = list(&world, "sec", "/api/v1/cases?limit=1").await;
    assert_eq!(keys(&first.body, "case"), ["case-1"], "{}", first.body);
    let link = first.header("link").expect("a Link to the next page");
    let next = link
        .strip_prefix('<')
        .and_then(|l| l.split_once(">; rel=\"next\""))
        .map(|(target, _)| target.to_owned())
        .unwrap_or_else(|| panic!("a next link: {link}"));
    assert!(next.starts_with("/api/v1/cases?limit=1&after="), "{next}");
    let second = list(&world, "sec", &next).await;
    assert_eq!(keys(&second.body, "case"), ["case-3"], "{}", second.body);
    assert!(second.header("link").is_none() && second.body["next"].is_null());
    let other = list(&world, "other-sec", "/api/v1/cases").await;
    assert_eq!(keys(&other.body, "case"), ["case-2"], "{}", other.body);
    // Filters narrow; each case listed is a read of its file, on record.
    let meals = list(&world, "jw", "/api/v1/cases?field=school_meals").await;
    assert_eq!(keys(&meals.body, "case"), ["case-2"], "{}", meals.body);
    assert_eq!(meals.header("cache-control"), Some("no-store"));
    let open = list(&world, "leader", "/api/v1/cases?stage=open").await;
    assert_eq!(keys(&open.body, "case"), Vec::<&str>::new());
    let reads = list(&world, "leader", "/api/v1/readings/case~case-2/history").await;
    let readers: Vec<&str> = reads
        .body
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["actor"].as_str())
        .collect();
    assert!(readers.contains(&"jw-he"), "{}", reads.body);
    assert!(
        !readers.contains(&"sec-wang"),
        "never listed to sec: {}",
        reads.body
    );
    // A unit reads no case board (never a case about itself).
    let unit = list(&world, "zhang", "/api/v1/cases").await;
    assert_eq!(unit.status, 403, "{}", unit.body);
    assert_eq!(unit.code(), "auth.out_of_scope");

    // Bad parameters: 400, naming what is wrong.
    let head = world.events_written().await;
    for (query, field) in [
        ("?stage=bogus", None),
        ("?limit=0", Some("limit")),
        ("?limit=501", Some("limit")),
        ("?after=zz", Some("after")),
        ("?after=00", Some("after")),
        ("?campaign=%00", None),
        ("?campaign=", None),
        ("?colour=red", None),
        (&format!("?campaign={}", "c".repeat(201)) as &str, None),
    ] {
        let bad = list(&world, "leader", &format!("/api/v1/cases{query}")).await;
        assert_eq!(bad.status, 400, "{query}: {}", bad.body);
        assert_eq!(bad.code(), "request.invalid_parameter", "{query}");
        if let Some(field) = field {
            assert_eq!(bad.body["field"], field, "{query}: {}", bad.body);
        }
    }
    assert_eq!(
        world.events_written().await,
        head,
        "a bad query writes nothing"
    );

    complaints_to_the_units_that_handle_them(&world).await;
    accountability_listed_on_record(&world).await;
    world.app.stop().await.expect("a clean stop");
}

/// A unit lists the complaints it received or handles, never the complainant.
async fn complaints_to_the_units_that_handle_them(world: &World) {
    let received = world
        .post("/api/v1/complaints")
        .as_("zhang")
        .json(complaint("ts-1"))
        .send()
        .await;
    assert_eq!(received.status, 201, "{}", received.body);
    let own = world
        .until_read("zhang", "/api/v1/complaints", |p| {
            keys(p, "complaint") == ["ts-1"]
        })
        .await;
    let text = own.to_string();
    assert!(
        !text.contains("李四") && !text.contains("13800000000"),
        "{text}"
    );
    let elsewhere = list(world, "liu", "/api/v1/complaints").await;
    assert_eq!(elsewhere.status, 200, "{}", elsewhere.body);
    assert_eq!(keys(&elsewhere.body, "complaint"), Vec::<&str>::new());
    let asked = list(world, "liu", "/api/v1/complaints?unit=hospital-1").await;
    assert_eq!(
        keys(&asked.body, "complaint"),
        Vec::<&str>::new(),
        "still its own"
    );
}

/// Each accountability record listed is a read on record, at the row's version.
async fn accountability_listed_on_record(world: &World) {
    let proposed = world
        .post("/api/v1/accountability")
        .as_("sec")
        .json(json!({
            "case": "acc-1", "campaign": "c2026", "person": "zhang", "unit": "hospital-1",
            "grounds": [{ "kind": "shirking", "facts": "对交办问题推诿扯皮" }]
        }))
        .send()
        .await;
    assert_eq!(proposed.status, 201, "{}", proposed.body);
    let listed = world
        .until_read("jw", "/api/v1/accountability?state=proposed", |p| {
            keys(p, "case") == ["acc-1"]
        })
        .await;
    let row = &listed["rows"][0];
    assert_eq!(row["person"], "zhang", "{row}");
    assert_eq!(row["grounds"][0]["kind"], "shirking", "{row}");
    let again = list(world, "jw", "/api/v1/accountability").await;
    assert_eq!(again.header("cache-control"), Some("no-store"));
    let reads = list(
        world,
        "leader",
        "/api/v1/readings/accountability~acc-1/history",
    )
    .await;
    assert_eq!(reads.status, 200, "{}", reads.body);
    let entries = reads.body.as_array().cloned().unwrap_or_default();
    assert!(
        entries.len() >= 2,
        "each listing is on record: {}",
        reads.body
    );
    for entry in &entries {
        assert_eq!(entry["actor"], "jw-he", "{entry}");
        assert_eq!(entry["payload"]["Read"]["part"], "state", "{entry}");
        assert_eq!(entry["payload"]["Read"]["version"], 1, "{entry}");
    }
    // Two listings at once: both served, each read on record once (a page's reads commit
    // together, decided afresh when the other's commit came first).
    let (first, second) = tokio::join!(
        list(world, "jw", "/api/v1/accountability"),
        list(world, "jw", "/api/v1/accountability")
    );
    assert_eq!((first.status, second.status), (200, 200), "{}", second.body);
    let after = list(
        world,
        "leader",
        "/api/v1/readings/accountability~acc-1/history",
    )
    .await;
    assert_eq!(
        after.body.as_array().map(Vec::len),
        Some(entries.len() + 2),
        "{}",
        after.body
    );
    let unit = list(world, "zhang", "/api/v1/accountability").await;
    assert_eq!(unit.status, 403, "{}", unit.body);
    // At most 100 recorded reads a page.
    let many = list(world, "jw", "/api/v1/accountability?limit=101").await;
    assert_eq!(many.status, 400, "{}", many.body);
}
