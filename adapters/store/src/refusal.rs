//! A remembered refusal read back: the stable code of the rules' refusal of a keyed command,
//! as both backends keep it in the idempotency record (`refusal_code`, NULL when the command
//! was carried out).

use rectiflow_engine::StoreError;

/// The stored refusal code, checked: an empty one can only have been written behind the
/// store's back (the schema refuses it), and reading it as "carried out" would replay a
/// refusal as a success. `location` names the record.
pub(crate) fn refusal_code(
    value: Option<String>,
    location: impl std::fmt::Display,
) -> Result<Option<String>, StoreError> {
    match value {
        Some(code) if code.trim().is_empty() => Err(StoreError::corrupt(
            location.to_string(),
            "refusal_code is empty",
        )),
        other => Ok(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_refusal_code_is_corrupt() {
        assert_eq!(refusal_code(None, "r").ok(), Some(None));
        assert_eq!(
            refusal_code(Some("counter.refused".into()), "r").ok(),
            Some(Some("counter.refused".into()))
        );
        assert!(matches!(
            refusal_code(Some(" ".into()), "idempotency record a/k"),
            Err(StoreError::Corrupt { location, .. }) if location == "idempotency record a/k"
        ));
    }
}
