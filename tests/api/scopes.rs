//! Each role held to its scope: what a token may not do is refused with 403 and writes
//! nothing, whether the API or the domain refuses it.

use chrono::{Duration, Utc};
use rectiflow_domain::organisation::Acting;
use rectiflow_tests::Db;
use serde_json::json;

use crate::county::token_until;
use crate::support::{registered_and_assigned, registration, world, ITEM};

pub async fn each_role_is_refused_outside_its_scope(db: Db) {
    let Some(world) = world(db).await else {
        return;
    };
    registered_and_assigned(&world, ITEM).await;
    let before = world.events_written().await;
    let item = format!("/api/v1/items/{ITEM}");

    // The domain refuses what the role does not allow — a unit cannot verify, leadership
    // cannot register — and what is outside the scope: another task force's secretariat is
    // no secretariat of this item, another hospital's people are not its unit's.
    let refused = [
        (
            world.item("zhang", "verify-sign-off", json!({})).await,
            "item.forbidden",
        ),
        (
            world
                .post("/api/v1/items")
                .as_("leader")
                .json(registration("YB-2026-0009"))
                .send()
                .await,
            "item.forbidden",
        ),
        (
            world
                .item(
                    "other-sec",
                    "withdraw",
                    json!({ "ground": "unfounded", "reason": "查无实据" }),
                )
                .await,
            "item.forbidden",
        ),
        (
            world.item("liu", "acknowledge", json!({})).await,
            "item.forbidden",
        ),
    ];
    for (answer, code) in &refused {
        assert_eq!(answer.status, 403, "{}", answer.body);
        assert_eq!(answer.code(), *code, "{}", answer.body);
    }

    // The API refuses: reads outside the scope, the organisation for anyone but an admin,
    // and the admin (infrastructure only) reading an item.
    for who in ["other-sec", "liu", "admin"] {
        let answer = world.get(&item).as_(who).send().await;
        assert_eq!(answer.status, 403, "{who}: {}", answer.body);
        assert_eq!(answer.code(), "auth.out_of_scope");
    }
    let answer = world
        .post("/api/v1/organisation/register-unit")
        .as_("sec")
        .if_match("*")
        .json(json!({ "unit": "rogue", "name": "冒充", "kind": "department" }))
        .send()
        .await;
    assert_eq!(answer.status, 403, "{}", answer.body);
    assert_eq!(answer.code(), "auth.role_may_not_send");
    let answer = world
        .get("/api/v1/ledger?unit=hospital-2")
        .as_("zhang")
        .send()
        .await;
    assert_eq!(answer.status, 403, "{}", answer.body);
    let answer = world
        .get("/api/v1/ledger?task_force=xiaoyuan")
        .as_("sec")
        .send()
        .await;
    assert_eq!(answer.status, 403, "{}", answer.body);

    // In scope: the unit and the secretariat read the item; leadership reads everything.
    for who in ["zhang", "sec", "leader"] {
        let answer = world.get(&item).as_(who).send().await;
        assert_eq!(answer.status, 200, "{who}: {}", answer.body);
    }
    assert_eq!(world.events_written().await, before, "nothing was written");
}

pub async fn a_token_whose_role_was_revoked_acts_no_longer(db: Db) {
    let Some(world) = world(db).await else {
        return;
    };
    let answer = world.get("/api/v1/ledger").as_("sec").send().await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    world
        .organise(
            "revoke-role",
            json!({ "person": "sec-wang", "role": { "role": "secretariat", "task_force": "yibao" } }),
        )
        .await;
    let answer = world.get("/api/v1/ledger").as_("sec").send().await;
    assert_eq!(answer.status, 403, "{}", answer.body);
    assert_eq!(answer.code(), "auth.role_not_held");

    let answer = world.get("/api/v1/ledger").send().await;
    assert_eq!(answer.status, 401);
    assert!(answer.header("www-authenticate").is_some());
    let answer = world
        .get("/api/v1/ledger")
        .header("Authorization", "Bearer rft_not-a-token")
        .send()
        .await;
    assert_eq!(answer.status, 401);

    // A token past its expiry (on the wall clock) is refused as expired; one before it acts.
    let now = Utc::now();
    let expired = token_until(
        &world,
        "leader-zhao",
        Acting::Leadership,
        now - Duration::minutes(1),
    )
    .await;
    let answer = world
        .get("/api/v1/ledger")
        .header("Authorization", &format!("Bearer {expired}"))
        .send()
        .await;
    assert_eq!(answer.status, 401, "{}", answer.body);
    assert_eq!(answer.code(), "auth.token_expired");
    assert!(
        answer
            .header("www-authenticate")
            .is_some_and(|h| h.contains("invalid_token")),
        "{:?}",
        answer.header("www-authenticate")
    );
    let live = token_until(
        &world,
        "leader-zhao",
        Acting::Leadership,
        now + Duration::days(1),
    )
    .await;
    let answer = world
        .get("/api/v1/ledger")
        .header("Authorization", &format!("Bearer {live}"))
        .send()
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
}
