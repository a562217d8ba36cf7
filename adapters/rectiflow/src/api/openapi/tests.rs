//! The document's request bodies, as cut from the command enums.

use super::*;

/// Every command's request body is cut from its enum's schema: never the empty schema a
/// variant not found would leave, and never with the tag the path already names.
#[test]
fn every_request_body_is_its_variants_schema() {
    let schemas = &document(false)["components"]["schemas"];
    let bodies: Vec<(&String, &Value)> = schemas
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(name, _)| name.contains("Command."))
        .collect();
    assert!(bodies.len() > 80, "{} bodies", bodies.len());
    for (name, schema) in bodies {
        let object = schema.as_object().expect("a schema object");
        assert!(!object.is_empty(), "{name} is cut from its enum");
        assert!(
            schema["properties"].get("type").is_none(),
            "{name} keeps no tag: {schema}"
        );
    }
    let bootstrap = &schemas["OrganisationCommand.bootstrap"];
    assert_eq!(bootstrap["required"], json!(["admin"]), "{bootstrap}");
    let progress = &schemas["ItemCommand.report_progress"];
    assert!(progress["properties"]["percent"].is_object(), "{progress}");
}

/// The rehearsal clock's endpoints are in a rehearsal's document only.
#[test]
fn the_rehearsal_endpoints_are_documented_in_rehearsal_mode_only() {
    for path in ["/api/v1/rehearsal/clock", "/api/v1/rehearsal/jobs/{id}"] {
        assert!(document(true)["paths"].get(path).is_some(), "{path}");
        assert!(document(false)["paths"].get(path).is_none(), "{path}");
    }
    let schemas = &document(true)["components"]["schemas"];
    assert!(schemas["ClockMove"].is_object(), "{}", schemas["ClockMove"]);
    assert!(document(false)["components"]["schemas"]
        .get("ClockMove")
        .is_none());
}

/// Each board is a `GET` on its collection beside the collection's `POST` (a case's
/// registration), its rows described by the projection's row and its filters typed.
#[test]
fn each_board_lists_its_collection_beside_its_commands() {
    let document = document(false);
    let cases = &document["paths"]["/api/v1/cases"];
    assert!(cases["post"].is_object(), "the registration stays: {cases}");
    let list = &cases["get"];
    let stage = list["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"] == "stage")
        .expect("a stage filter");
    assert_ne!(stage["schema"], json!({"type": "string"}), "typed: {stage}");
    let page = list["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        .as_str()
        .and_then(|r| r.rsplit('/').next())
        .expect("a page schema");
    let rows = &document["components"]["schemas"][page]["properties"]["rows"];
    assert_eq!(
        rows["items"]["$ref"], "#/components/schemas/CaseEntry",
        "{rows}"
    );
    let entry = &document["components"]["schemas"]["CaseEntry"];
    assert_eq!(
        entry["properties"]["repair_items"]["type"], "array",
        "{entry}"
    );
    for path in [
        "/api/v1/complaints",
        "/api/v1/alerts",
        "/api/v1/surveys",
        "/api/v1/admonishments",
        "/api/v1/accountability",
    ] {
        assert!(document["paths"][path]["get"].is_object(), "{path}");
    }
}
