//! The OpenAPI document and the routes cannot drift: every documented operation is routed
//! (without a token it asks for one rather than answering "no such path"), every command of
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
            assert_eq!(answer.status, 401, "{method} {path}: {}", answer.body);
            operations += 1;
        }
    }
    // Items: read, history, 19 commands; campaigns: 2 + 6; organisation: 2 + 7; ledger: 3.
    assert_eq!(
        operations,
        21 + 8 + 9 + 3,
        "{:?}",
        paths.keys().collect::<Vec<_>>()
    );
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
