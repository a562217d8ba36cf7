//! 群众监督 over HTTP: a complaint received with its complainant sealed at once; nothing sealed
//! ever leaves, not even as ciphertext — until the complaint's secretariat asks to read it,
//! which is recorded before it is served (查阅), and refused to anyone else.

use rectiflow_tests::Db;
use serde_json::json;

use crate::support::world;

const COMPLAINT: &str = "ts-2026-0001";
const NAME: &str = "李四";
const PHONE: &str = "13800000000";

pub async fn a_complainant_is_revealed_only_to_the_secretariat_and_on_record(db: Db) {
    let Some(world) = world(db).await else {
        return;
    };
    let received = world
        .post("/api/v1/complaints")
        .as_("zhang")
        .json(json!({
            "complaint": COMPLAINT, "campaign": "c2026", "channel": "hotline",
            "field": "medical_insurance", "summary": "反映某医院挂床住院",
            "content": "我亲眼看见病床上没有病人", "attachments": [],
            "receiving_unit": "hospital-1",
            "complainant": { "name": NAME, "contact": PHONE }
        }))
        .send()
        .await;
    assert_eq!(received.status, 201, "{}", received.body);
    let path = format!("/api/v1/complaints/{COMPLAINT}");
    let history = world
        .get(&format!("{path}/history"))
        .as_("sec")
        .send()
        .await;
    let state = world.get(&path).as_("sec").send().await;
    for answer in [&received, &history, &state] {
        let text = answer.body.to_string();
        for secret in [NAME, PHONE, "亲眼看见", "ciphertext"] {
            assert!(!text.contains(secret), "{secret} left the system: {text}");
        }
    }

    // Leadership reads everything but the sealed part; a unit is no party to it either.
    let before = world.events_written().await;
    for who in ["leader", "zhang"] {
        let refused = world
            .post(&format!("{path}/reveal"))
            .as_(who)
            .if_match("*")
            .json(json!({ "purpose": "想看看" }))
            .send()
            .await;
        assert_eq!(refused.status, 403, "{who}: {}", refused.body);
    }
    let unknown = world
        .post(&format!("{path}/reveal"))
        .as_("sec")
        .if_match("*")
        .json(json!({ "purpose": "核实", "everything": true }))
        .send()
        .await;
    assert_eq!(unknown.status, 422, "{}", unknown.body);
    assert_eq!(world.events_written().await, before, "nothing recorded");

    let revealed = world
        .post(&format!("{path}/reveal"))
        .as_("sec")
        .if_match("*")
        .json(json!({ "purpose": "核实举报人身份以便回访" }))
        .send()
        .await;
    assert_eq!(revealed.status, 200, "{}", revealed.body);
    assert_eq!(revealed.body["secret"]["complainant"]["name"], NAME);
    assert_eq!(revealed.body["secret"]["complainant"]["contact"], PHONE);
    assert_eq!(revealed.header("cache-control"), Some("no-store"));
    let record = &revealed.body["record"]["events"][0];
    assert_eq!(record["event_type"], "rectiflow.complaint.revealed");

    let history = world
        .get(&format!("{path}/history"))
        .as_("leader")
        .send()
        .await;
    let reveals: Vec<_> = history
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event_type"] == "rectiflow.complaint.revealed")
        .collect();
    assert_eq!(reveals.len(), 1, "{}", history.body);
    assert_eq!(reveals[0]["actor"], "sec-wang", "who read, on record");
}
