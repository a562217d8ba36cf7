use serde_json::{json, Value};

use super::*;
use crate::event::is_qualified;

fn entry(name: &str) -> EventType {
    catalogue()
        .into_iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("{name} is not catalogued"))
}

#[test]
fn every_type_is_qualified_listed_once_and_has_a_closed_object_schema() {
    let types = catalogue();
    assert!(types.len() > 50, "{} types", types.len());
    let mut seen = BTreeSet::new();
    for t in &types {
        assert!(is_qualified(t.name), "{}", t.name);
        assert!(seen.insert(t.name), "{} listed twice", t.name);
        assert_eq!(t.schema["$schema"], DIALECT);
        assert_eq!(t.schema["title"], t.name);
        assert_eq!(t.schema["$id"], schema_id(t.name, t.version));
        assert_eq!(t.schema["type"], "object", "{}", t.name);
        assert_eq!(t.schema["additionalProperties"], false, "{}", t.name);
        let properties = t.schema["properties"].as_object();
        assert!(
            properties.is_some_and(|p| p.contains_key("by") && p.contains_key("at")),
            "{} names no by/at: {}",
            t.name,
            t.schema
        );
    }
}

/// Every `$ref` of a published schema resolves inside it: an integrator can validate with the
/// schema alone.
#[test]
fn every_reference_resolves_within_its_schema() {
    for t in catalogue() {
        let mut pending = vec![&t.schema];
        while let Some(value) = pending.pop() {
            match value {
                Value::Object(object) => {
                    if let Some(target) = object.get("$ref").and_then(Value::as_str) {
                        let pointer = target.strip_prefix('#').unwrap_or(target);
                        assert!(
                            t.schema.pointer(pointer).is_some(),
                            "{}: {target} does not resolve",
                            t.name
                        );
                    }
                    pending.extend(object.values());
                }
                Value::Array(items) => pending.extend(items),
                _ => {}
            }
        }
    }
}

#[test]
fn sealed_fields_are_absent_from_the_schema_and_the_data() {
    let received = entry("rectiflow.complaint.received");
    assert_eq!(received.variant, "Received");
    assert_eq!(received.sealed, ["sealed"]);
    assert!(received.schema.pointer("/properties/sealed").is_none());
    let required = received.schema["required"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!required.contains(&json!("sealed")), "{required:?}");
    assert!(required.contains(&json!("complaint")), "{required:?}");

    let revealed = entry("rectiflow.complaint.revealed");
    assert!(revealed.schema.pointer("/properties/purpose").is_none());
    assert!(revealed.schema.pointer("/properties/key_ref").is_none());

    let payload =
        json!({"Revealed": {"key_ref": "key:1", "purpose": "回访", "by": "p", "at": "t"}});
    let data = public_data("rectiflow.complaint.revealed", "1", &payload).expect("public");
    assert_eq!(data, json!({"by": "p", "at": "t"}));
}

#[test]
fn an_unknown_type_version_or_shape_never_leaves() {
    let payload = json!({"Received": {"by": "p"}});
    assert_eq!(
        public_data("rectiflow.complaint.withdrawn", "1", &payload),
        Err(Unpublished::UnknownType(
            "rectiflow.complaint.withdrawn".into()
        ))
    );
    assert!(matches!(
        public_data("rectiflow.complaint.received", "2", &payload),
        Err(Unpublished::UnknownVersion { .. })
    ));
    for untagged in [
        json!({"by": "p"}),
        json!({"Responded": {"by": "p"}}),
        json!({"Received": {}, "Responded": {}}),
    ] {
        assert!(
            matches!(
                public_data("rectiflow.complaint.received", "1", &untagged),
                Err(Unpublished::Untagged(_))
            ),
            "{untagged}"
        );
    }
}
