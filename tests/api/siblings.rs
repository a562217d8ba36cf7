//! Two `serve` processes on one database, as behind a load balancer: commands alternate
//! between them and both read the same.

use rectiflow_tests::Db;
use serde_json::json;

use crate::support::{registration, world, ITEM};

/// PostgreSQL only: it is the backend several processes share.
#[tokio::test]
async fn postgres_two_processes_on_one_database_answer_alike() {
    let Some(mut world) = world(Db::Postgres).await else {
        return;
    };
    let sibling = world.app.spawn_sibling().await;
    let first_url = world.app.base_url.clone();
    let second_url = sibling.base_url.clone();
    let on = |world: &mut crate::support::World, url: &str| world.app.base_url = url.to_owned();

    on(&mut world, &first_url);
    let registered = world
        .post("/api/v1/items")
        .as_("sec")
        .json(registration(ITEM))
        .send()
        .await;
    assert_eq!(registered.status, 201, "{}", registered.body);
    on(&mut world, &second_url);
    let assigned = world
        .post(&format!("/api/v1/items/{ITEM}/assign"))
        .as_("sec")
        .if_match(&registered.etag())
        .json(crate::support::assignment())
        .send()
        .await;
    assert_eq!(assigned.status, 200, "{}", assigned.body);
    on(&mut world, &first_url);
    let acknowledged = world.item("zhang", "acknowledge", json!({})).await;
    assert_eq!(acknowledged.status, 200, "{}", acknowledged.body);
    on(&mut world, &second_url);
    // A stale version sent to the other process is refused there too.
    let stale = world
        .post(&format!("/api/v1/items/{ITEM}/acknowledge"))
        .as_("zhang")
        .if_match(&assigned.etag())
        .json(json!({}))
        .send()
        .await;
    assert_eq!(stale.status, 412, "{}", stale.body);

    let mut reads = Vec::new();
    for url in [&first_url, &second_url] {
        on(&mut world, url);
        let item = world
            .get(&format!("/api/v1/items/{ITEM}"))
            .as_("sec")
            .send()
            .await;
        let history = world
            .get(&format!("/api/v1/items/{ITEM}/history"))
            .as_("sec")
            .send()
            .await;
        reads.push((item.etag(), item.body, history.body));
    }
    assert_eq!(reads[0], reads[1], "both processes answer alike");
    assert_eq!(reads[0].0, "\"3\"");
    on(&mut world, &first_url);
    sibling.stop().await.expect("the sibling stopped");
}
