//! The OpenAPI document and the routes cannot drift: every documented operation is routed
//! (without a token it asks for one rather than answering "no such path" — or, public, it
//! answers), every command of
//! the domain a person may send is documented, and the page renders from the binary.

use rectiflow_tests::Db;
use reqwest::Method;

use crate::support::world;

pub async fn every_documented_operation_is_served_and_the_page_renders(db: Db) {
    let Some(world) = world(db).await else {
        return;
    };
    let document = &world.document;
    assert_eq!(document["openapi"], "3.1.0");
    let paths = document["paths"].as_object().expect("paths");
    let mut operations = 0;
    for (template, item) in paths {
        let path = template.replace("{id}", "YB-2026-0001");
        for method in item.as_object().expect("a path item").keys() {
            let method = Method::from_bytes(method.to_ascii_uppercase().as_bytes()).unwrap();
            let answer = world.request(method.clone(), &path).send().await;
            // An operation documented without security is public: served, never 401.
            let public =
                item[method.as_str().to_ascii_lowercase()]["security"] == serde_json::json!([]);
            match public {
                true => assert!(
                    [200, 404].contains(&answer.status),
                    "{method} {path}: {}",
                    answer.body
                ),
                false => assert_eq!(answer.status, 401, "{method} {path}: {}", answer.body),
            }
            operations += 1;
        }
    }
    for path in [
        "/api/v1/items",
        "/api/v1/items/{id}/verify-sign-off",
        "/api/v1/cases/{id}/conclude-investigation",
        "/api/v1/complaints/{id}/respond",
        "/api/v1/alerts",
        "/api/v1/surveys/{id}/record-score",
        "/api/v1/admonishments/{id}/record-held",
        "/api/v1/accountability/{id}/decide",
        "/api/v1/publications/{id}/correct",
        "/api/v1/campaigns/{id}/add-task-force",
        "/api/v1/organisation/grant-role",
        "/api/v1/schedules/{id}/pause",
        "/api/v1/county-calendars/{id}/declare",
        "/api/v1/suppliers/{id}/blacklist",
        "/api/v1/care-homes/{id}/revoke-licence",
        "/api/v1/ledger",
    ] {
        assert!(paths.contains_key(path), "{path} is documented");
    }
    // The scheduler's and the policies' own commands are not offered to persons.
    for path in [
        "/api/v1/items/{id}/record-overdue",
        "/api/v1/schedules/{id}/fire",
        "/api/v1/admonishments/{id}/trigger",
    ] {
        assert!(!paths.contains_key(path), "{path} is not offered");
    }
    assert!(operations > 100, "{operations} operations");
    for schema in [
        "ItemCommand.report_progress",
        "Problem",
        "LedgerPageView",
        "ItemEntry",
    ] {
        assert!(
            document["components"]["schemas"][schema].is_object(),
            "{schema} is a component"
        );
    }
    let page = world.get("/api/v1/docs/").send().await;
    assert_eq!(page.status, 200);
    assert!(
        page.body["text"].as_str().unwrap().contains("swagger"),
        "the page"
    );
}
