//! The document's request bodies, as cut from the command enums.

use super::*;

/// Every command's request body is cut from its enum's schema: never the empty schema a
/// variant not found would leave, and never with the tag the path already names.
#[test]
fn every_request_body_is_its_variants_schema() {
    let schemas = &document()["components"]["schemas"];
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
