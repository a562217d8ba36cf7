//! 查阅记录 over HTTP: reading a case file records who read it, when, and which version —
//! before it is served, on a stream of its own, so the case's version does not move.

use rectiflow_tests::Db;
use serde_json::json;

use crate::support::world;

const CASE: &str = "case-1";

pub async fn reads_of_a_case_file_are_on_record(db: Db) {
    let Some(world) = world(db).await else {
        return;
    };
    let registered = world
        .post("/api/v1/cases")
        .as_("sec")
        .json(json!({
            "campaign": "c2026", "case": CASE, "clue": "clue-1",
            "source": { "kind": "inspection" }, "field": "medical_insurance",
            "summary": "第一人民医院挂床住院线索"
        }))
        .send()
        .await;
    assert_eq!(registered.status, 201, "{}", registered.body);

    let read = world
        .get(&format!("/api/v1/cases/{CASE}"))
        .as_("leader")
        .send()
        .await;
    assert_eq!(read.status, 200, "{}", read.body);
    assert_eq!(read.header("cache-control"), Some("no-store"));
    assert_eq!(read.etag(), registered.etag(), "a read moves no version");
    let history = world
        .get(&format!("/api/v1/cases/{CASE}/history"))
        .as_("sec")
        .send()
        .await;
    assert_eq!(history.status, 200, "{}", history.body);
    // A HEAD would record a read that served nothing: refused.
    let head = format!(
        "HEAD /api/v1/cases/{CASE} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\
         Connection: close\r\n\r\n",
        world.tokens["leader"]
    );
    let (status, _) = world.app.exchange(&head).await;
    assert_eq!(status, 405);
    // Out of scope: refused, and nothing recorded.
    let refused = world
        .get(&format!("/api/v1/cases/{CASE}"))
        .as_("zhang")
        .send()
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);

    let record = format!("/api/v1/readings/case~{CASE}");
    let reads = world
        .get(&format!("{record}/history"))
        .as_("leader")
        .send()
        .await;
    assert_eq!(reads.status, 200, "{}", reads.body);
    let entries = reads.body.as_array().cloned().unwrap_or_default();
    let who: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| {
            (
                e["actor"].as_str().unwrap_or_default(),
                e["payload"]["Read"]["part"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        who,
        [("leader-zhao", "state"), ("sec-wang", "history")],
        "{}",
        reads.body
    );
    assert_eq!(entries[0]["event_type"], "rectiflow.reading.read");
    assert_eq!(
        entries[0]["payload"]["Read"]["version"], 1,
        "{}",
        reads.body
    );
    // The record is read within the subject's scope, and is not itself recorded.
    let by_unit = world.get(&record).as_("zhang").send().await;
    assert_eq!(by_unit.status, 403, "{}", by_unit.body);
    let state = world.get(&record).as_("sec").send().await;
    assert_eq!(state.status, 200, "{}", state.body);
    assert_eq!(state.body["state"]["reads"], 2, "{}", state.body);
    // Nobody sends it a command.
    let sent = world
        .post(&format!("{record}/record"))
        .as_("sec")
        .json(json!({}))
        .send()
        .await;
    assert_eq!(sent.status, 404, "{}", sent.body);
    world.app.stop().await.expect("a clean stop");
}
