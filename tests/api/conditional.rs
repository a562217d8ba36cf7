//! `If-Match` (428 without, 412 stale) and `Idempotency-Key` (a repeat answers the first
//! response and writes nothing; the key with another body is 422).

use rectiflow_tests::Db;
use serde_json::json;

use crate::support::{registration, world, ITEM};

pub async fn changes_need_the_version_they_were_decided_on(db: Db) {
    let Some(world) = world(db).await else {
        return;
    };
    let registered = world
        .post("/api/v1/items")
        .as_("sec")
        .json(registration(ITEM))
        .send()
        .await;
    assert_eq!(registered.status, 201, "{}", registered.body);
    assert_eq!(registered.etag(), "\"1\"");
    assert_eq!(
        registered.header("location"),
        Some(format!("/api/v1/items/{ITEM}").as_str())
    );
    let path = format!("/api/v1/items/{ITEM}/assign");
    let before = world.events_written().await;

    let missing = world
        .post(&path)
        .as_("sec")
        .json(crate::support::assignment())
        .send()
        .await;
    assert_eq!(missing.status, 428, "{}", missing.body);
    let stale = world
        .post(&path)
        .as_("sec")
        .if_match("\"7\"")
        .json(crate::support::assignment())
        .send()
        .await;
    assert_eq!(stale.status, 412, "{}", stale.body);
    assert_eq!(stale.body["current_version"], 1);
    assert_eq!(stale.etag(), "\"1\"");
    assert_eq!(world.events_written().await, before);

    let assigned = world
        .post(&path)
        .as_("sec")
        .if_match(&stale.etag())
        .json(crate::support::assignment())
        .send()
        .await;
    assert_eq!(assigned.status, 200, "{}", assigned.body);
    assert_eq!(assigned.etag(), "\"2\"");
}

pub async fn a_keyed_post_is_carried_out_once(db: Db) {
    let Some(world) = world(db).await else {
        return;
    };
    let send = |code: &'static str| {
        world
            .post("/api/v1/items")
            .as_("sec")
            .header("Idempotency-Key", "register-0001")
            .json(registration(code))
            .send()
    };
    let first = send(ITEM).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let written = world.events_written().await;
    let again = send(ITEM).await;
    assert_eq!(again.status, 201, "{}", again.body);
    assert_eq!(again.body, first.body, "the first response, again");
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(
        world.events_written().await,
        written,
        "nothing written again"
    );

    let other = send("YB-2026-0002").await;
    assert_eq!(other.status, 422, "{}", other.body);
    assert_eq!(other.code(), "request.idempotency_key_reused");
    assert_eq!(world.events_written().await, written);

    // A refusal is remembered under its key too: the same refusal, nothing run again.
    let refused = world
        .post(&format!("/api/v1/items/{ITEM}/acknowledge"))
        .as_("zhang")
        .if_match("*")
        .header("Idempotency-Key", "ack-1")
        .json(json!({}))
        .send()
        .await;
    assert!(
        refused.status >= 400 && refused.status < 500,
        "{}",
        refused.body
    );
    let repeated = world
        .post(&format!("/api/v1/items/{ITEM}/acknowledge"))
        .as_("zhang")
        .if_match("*")
        .header("Idempotency-Key", "ack-1")
        .json(json!({}))
        .send()
        .await;
    assert_eq!(repeated.status, refused.status);
    assert_eq!(repeated.code(), refused.code());
}
