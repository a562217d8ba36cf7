//! 公开 — the public read model over HTTP, without a token: published bulletins with their
//! figures and the digest they can be verified against, and typical cases — nothing that names
//! a person.

use rectiflow_tests::{spawn_rehearsal, Db};
use serde_json::{json, Value};

use crate::rehearsal::{at, moved_to};
use crate::support::{registered_and_assigned_due, world_on, World};

const CASE: &str = "case-7";

/// Sends `action` to the case as `who`, on the version it stands at; the new `ETag`.
async fn on_case(world: &World, etag: &str, who: &str, action: &str, body: Value) -> String {
    let answer = world
        .post(&format!("/api/v1/cases/{CASE}/{action}"))
        .as_(who)
        .if_match(etag)
        .json(body)
        .send()
        .await;
    assert_eq!(answer.status, 200, "{action}: {}", answer.body);
    answer.etag()
}

/// A case taken from its clue to its publication as a typical case.
async fn typical_case(world: &World) {
    let registered = world
        .post("/api/v1/cases")
        .as_("sec")
        .json(json!({
            "campaign": "c2026", "case": CASE, "clue": "clue-7",
            "source": { "kind": "inspection" }, "field": "medical_insurance",
            "summary": "第一人民医院挂床住院线索"
        }))
        .send()
        .await;
    assert_eq!(registered.status, 201, "{}", registered.body);
    let mut etag = registered.etag();
    let opened = json!({ "subject_unit": "hospital-1", "supervising_unit": "health-bureau" });
    etag = on_case(world, &etag, "sec", "open-case", opened).await;
    for track in ["direct", "supervisory"] {
        etag = on_case(
            world,
            &etag,
            "sec",
            "start-investigation",
            json!({ "track": track }),
        )
        .await;
    }
    for track in ["direct", "supervisory"] {
        let concluded = json!({
            "track": track, "findings": "张某虚构住院 12 人次", "persons_named": ["zhang"],
            "amount_involved": "38650.00", "disposition": "party_discipline"
        });
        etag = on_case(world, &etag, "jw", "conclude-investigation", concluded).await;
    }
    let no_repair = json!({ "reasons": "入院核查制度已健全" });
    etag = on_case(world, &etag, "sec", "record-no-repair-needed", no_repair).await;
    etag = on_case(world, &etag, "sec", "close-case", json!({})).await;
    let typical = json!({ "title": "某医院挂床住院骗保案", "summary": "追回医保基金 3.865 万元" });
    on_case(world, &etag, "sec", "publish-typical-case", typical).await;
}

pub async fn the_public_reads_bulletins_and_typical_cases_without_a_token(db: Db) {
    let Some(app) = spawn_rehearsal(db, at("2026-03-01T08:00:00+08:00")).await else {
        return;
    };
    let world = world_on(db, app).await;
    registered_and_assigned_due(&world, "YB-2026-0001", "2026-03-20").await;
    typical_case(&world).await;
    moved_to(&world, "2026-04-01T10:00:00+08:00").await;

    let bulletins = world.get("/api/v1/public/bulletins").send().await;
    assert_eq!(bulletins.status, 200, "{}", bulletins.body);
    assert_eq!(
        bulletins.header("cache-control"),
        Some("public, max-age=60")
    );
    let list = bulletins.body.as_array().cloned().unwrap_or_default();
    assert!(list.iter().all(|b| b["id"]
        .as_str()
        .is_some_and(|id| id.starts_with("bulletin~"))));
    let county = list
        .iter()
        .find(|b| b["id"] == "bulletin~c2026~2026-03~county")
        .unwrap_or_else(|| panic!("the county's March bulletin: {}", bulletins.body));
    assert_eq!(county["totals"]["overdue"]["full"], 1, "{county}");
    assert_eq!(county["ranking"][0]["unit"], "hospital-1", "{county}");
    assert!(
        county["inputs"]["digest"]
            .as_str()
            .is_some_and(|d| d.len() == 64),
        "{county}"
    );
    let one = world
        .get("/api/v1/public/bulletins/bulletin~c2026~2026-03~county")
        .send()
        .await;
    assert_eq!(one.status, 200, "{}", one.body);
    assert_eq!(&one.body, county);
    // A dispatch is not a bulletin, and is not public.
    let dispatch = world
        .get("/api/v1/public/bulletins/dispatch~c2026~2026-W10~task_force:yibao")
        .send()
        .await;
    assert_eq!(dispatch.status, 404, "{}", dispatch.body);

    let cases = world.get("/api/v1/public/typical-cases").send().await;
    assert_eq!(cases.status, 200, "{}", cases.body);
    assert_eq!(cases.body[0]["case"], CASE, "{}", cases.body);
    assert_eq!(cases.body[0]["title"], "某医院挂床住院骗保案");
    // The case names zhang in its findings; the public view names nobody.
    let public = format!("{}{}", bulletins.body, cases.body);
    for personal in ["zhang", "张某", "sec-wang", "jw-he"] {
        assert!(!public.contains(personal), "{personal} is public: {public}");
    }
    world.app.stop().await.expect("a clean stop");
}

/// Each client address is held to its rate before any token is looked at: the public read
/// model, and a flood of guessed tokens, cost no more than the rate allows.
pub async fn an_address_is_held_to_its_rate_before_any_token_is_read(db: Db) {
    let Some(app) = rectiflow_tests::spawn_app_with(db, |config| {
        config.api_rate_per_address_per_second = 1;
        config.api_rate_per_address_burst = 2;
    })
    .await
    else {
        return;
    };
    for _ in 0..2 {
        let (status, body) = app.get("/api/v1/public/bulletins").await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, body) = app.get("/api/v1/public/bulletins").await;
    assert_eq!(status, 429, "{body}");
    assert!(body.contains("auth.rate_limited"), "{body}");
    let guessed = "GET /api/v1/ledger HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer rft_guess\r\n\
                   Connection: close\r\n\r\n";
    let (status, _) = app.exchange(guessed).await;
    assert_eq!(status, 429, "refused before the token is looked up");
    let (status, _) = app.get("/healthz").await;
    assert_eq!(status, 200, "outside the API, not held");
    app.stop().await.expect("a clean stop");
}
