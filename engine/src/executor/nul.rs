//! Refusing U+0000 in what a command would write.
//!
//! PostgreSQL cannot store NUL in text or JSONB (it answers `unsupported Unicode escape
//! sequence`); SQLite stores it. Left to the databases, the same command would be accepted on
//! one backend and fail on the other with a raw database error (a 5xx), and a log written on
//! SQLite could not be moved to PostgreSQL. The executor looks for it in every event's payload
//! and metadata — in any string, keys included — before anything is written, and refuses the
//! command with [`ExecuteError::NulCharacter`](super::ExecuteError::NulCharacter): the
//! sender's input to fix, on every backend alike.

use std::fmt;

use serde_json::Value;

use crate::model::NewEvent;

/// The part of an event where a NUL character was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventField {
    Payload,
    Metadata,
}

impl fmt::Display for EventField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Payload => "payload",
            Self::Metadata => "metadata",
        })
    }
}

/// Where the first NUL character of `events` is: the event's type, the field, and a JSON
/// Pointer (RFC 6901) to the string holding it — or, for a key, to the member it names. A NUL
/// within a key of the pointer itself is shown as `\u0000`, so the error stays printable.
pub(super) fn find_nul(events: &[NewEvent]) -> Option<(String, EventField, String)> {
    events.iter().find_map(|event| {
        [
            (EventField::Payload, &event.payload),
            (EventField::Metadata, &event.metadata),
        ]
        .into_iter()
        .find_map(|(field, value)| {
            let mut path = Vec::new();
            nul_in(value, &mut path).then(|| (event.event_type.clone(), field, pointer(&path)))
        })
    })
}

/// Whether `value` holds a NUL anywhere; if so, `path` is left naming where.
fn nul_in<'a>(value: &'a Value, path: &mut Vec<Token<'a>>) -> bool {
    match value {
        Value::String(text) => text.contains('\0'),
        Value::Array(items) => items.iter().enumerate().any(|(i, item)| {
            path.push(Token::Index(i));
            let found = nul_in(item, path);
            if !found {
                path.pop();
            }
            found
        }),
        Value::Object(members) => members.iter().any(|(key, item)| {
            path.push(Token::Key(key));
            let found = key.contains('\0') || nul_in(item, path);
            if !found {
                path.pop();
            }
            found
        }),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

enum Token<'a> {
    Key(&'a str),
    Index(usize),
}

fn pointer(path: &[Token<'_>]) -> String {
    let mut out = String::new();
    for token in path {
        out.push('/');
        match token {
            Token::Index(i) => out.push_str(&i.to_string()),
            Token::Key(key) => {
                for c in key.chars() {
                    match c {
                        '~' => out.push_str("~0"),
                        '/' => out.push_str("~1"),
                        '\0' => out.push_str("\\u0000"),
                        c => out.push(c),
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use serde_json::json;
    use uuid::Uuid;

    fn event(event_type: &str, payload: Value, metadata: Value) -> NewEvent {
        NewEvent {
            event_id: Uuid::nil(),
            event_type: event_type.into(),
            schema_version: "1".into(),
            payload,
            metadata,
            recorded_at: Utc::now(),
        }
    }

    #[test]
    fn finds_nul_in_values_and_keys_and_names_where() {
        let clean = event(
            "Added",
            json!({"a": ["x", {"b": "y"}]}),
            json!({"actor": "p"}),
        );
        assert_eq!(find_nul(std::slice::from_ref(&clean)), None);
        let cases = [
            (
                event("Noted", json!({"a": ["x", {"b/~": "y\u{0}"}]}), json!({})),
                (EventField::Payload, "/a/1/b~1~0"),
            ),
            (
                event("Noted", json!({"a": {"k\u{0}": 1}}), json!({})),
                (EventField::Payload, "/a/k\\u0000"),
            ),
            (
                event(
                    "Noted",
                    json!({}),
                    json!({"trace": {"traceparent": "\u{0}"}}),
                ),
                (EventField::Metadata, "/trace/traceparent"),
            ),
            (
                event("Noted", Value::String("\u{0}".into()), json!({})),
                (EventField::Payload, ""),
            ),
        ];
        for (nul, (field, at)) in cases {
            let found = find_nul(&[clean.clone(), nul]);
            assert_eq!(found, Some(("Noted".to_owned(), field, at.to_owned())));
        }
    }
}
