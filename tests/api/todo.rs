//! 待办 over HTTP: each person's tasks, from the registers, as the organisation stands.

use rectiflow_tests::Db;
use serde_json::Value;

use crate::ledger::ledger_holds;
use crate::support::{registered_and_assigned, world, World, ITEM};

async fn tasks(world: &World, who: &str, query: &str) -> Vec<Value> {
    let answer = world
        .get(&format!("/api/v1/todo{query}"))
        .as_(who)
        .send()
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.body["tasks"].as_array().cloned().unwrap_or_default()
}

fn acknowledge(tasks: &[Value]) -> Option<&Value> {
    tasks
        .iter()
        .find(|t| t["kind"] == "acknowledge" && t["stream"] == ITEM)
}

pub async fn each_person_sees_what_they_have_to_do(db: Db) {
    let Some(world) = world(db).await else {
        return;
    };
    registered_and_assigned(&world, ITEM).await;
    ledger_holds(&world, 1).await;

    // 签收: every member of the responsible unit may, within the window.
    let zhang = tasks(&world, "zhang", "").await;
    let task = acknowledge(&zhang).unwrap_or_else(|| panic!("zhang acknowledges: {zhang:?}"));
    assert!(task["due_at"].is_string(), "{task}");
    assert_eq!(task["overdue"], false, "{task}");
    let chen = tasks(&world, "chen", "").await;
    assert!(
        acknowledge(&chen).is_some(),
        "chen heads hospital-1: {chen:?}"
    );
    // The token's role decides which of the person's tasks it shows.
    let leader = tasks(&world, "leader", "").await;
    assert!(
        leader.is_empty(),
        "leadership acts on none of these: {leader:?}"
    );
    let liu = tasks(&world, "liu", "").await;
    assert!(acknowledge(&liu).is_none(), "liu is of hospital-2: {liu:?}");
    // Judged at an instant after the window: overdue.
    let later = tasks(&world, "zhang", "?as_of=2030-01-01T00:00:00Z").await;
    assert_eq!(
        acknowledge(&later).map(|t| &t["overdue"]),
        Some(&Value::Bool(true))
    );

    let bad = world
        .get("/api/v1/todo?as_of=yesterday")
        .as_("zhang")
        .send()
        .await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert_eq!(bad.code(), "request.invalid_parameter");
    let unknown = world
        .get("/api/v1/todo?person=liu")
        .as_("zhang")
        .send()
        .await;
    assert_eq!(unknown.status, 400, "{}", unknown.body);
    world.app.stop().await.expect("a clean stop");
}
