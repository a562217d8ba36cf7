//! What a subscriber asked for: event types, a task force, a unit, a stream prefix — all of
//! them, when several are given. Checked when the subscription is made, so a typo in a type
//! is a clear refusal rather than a stream that stays silent for ever.

use rectiflow_domain::event::catalogue;
use rectiflow_domain::event::Scope;
use rectiflow_engine::LoggedEvent;
use serde::{Deserialize, Serialize};

/// The most types one filter may name.
const MAX_TYPES: usize = 100;
/// The longest stream prefix (a stream type, `/`, an id of at most 128 characters).
const MAX_STREAM_PREFIX: usize = 160;

/// One entry of `types`: a qualified type, or every type of an aggregate (`rectiflow.item.*`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum TypePattern {
    Exact(String),
    /// The prefix before `*`, ending in `.`.
    Aggregate(String),
}

impl TypePattern {
    fn matches(&self, name: &str) -> bool {
        match self {
            Self::Exact(exact) => exact == name,
            Self::Aggregate(prefix) => name.starts_with(prefix.as_str()),
        }
    }
}

impl TryFrom<String> for TypePattern {
    type Error = String;

    fn try_from(value: String) -> Result<Self, String> {
        let known = catalogue::names();
        let pattern = match value.strip_suffix('*') {
            Some(prefix) if prefix.ends_with('.') => Self::Aggregate(prefix.to_owned()),
            _ => Self::Exact(value.clone()),
        };
        if known.iter().any(|name| pattern.matches(name)) {
            Ok(pattern)
        } else {
            Err(format!(
                "事件类型 {value} 不在事件目录中（见 /api/v1/events/types；整类可写作 rectiflow.item.*）"
            ))
        }
    }
}

impl From<TypePattern> for String {
    fn from(pattern: TypePattern) -> String {
        match pattern {
            TypePattern::Exact(exact) => exact,
            TypePattern::Aggregate(prefix) => format!("{prefix}*"),
        }
    }
}

/// A subscriber's filter; an empty one passes every event the subscriber may follow.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Filter {
    /// Event types; `rectiflow.item.*` stands for all of an aggregate's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<String>")]
    pub types: Vec<TypePattern>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_force: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// A prefix of `<stream type>/<stream id>`: `item/` for every item, `item/YB-2026-0001`
    /// for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<String>,
}

/// A filter that cannot be used, naming the field at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub field: &'static str,
    pub detail: String,
}

impl Filter {
    /// A filter from its parts as a query names them: `types` comma-separated.
    pub fn parse(
        types: Option<&str>,
        task_force: Option<String>,
        unit: Option<String>,
        stream: Option<String>,
    ) -> Result<Self, Invalid> {
        let names: Vec<&str> = types
            .map(|list| list.split(',').map(str::trim).collect())
            .unwrap_or_default();
        if types.is_some() && names.iter().any(|n| n.is_empty()) {
            return Err(Invalid {
                field: "types",
                detail: format!("types 须为 1 至 {MAX_TYPES} 个以逗号分隔的事件类型"),
            });
        }
        Self::new(&names, task_force, unit, stream)
    }

    /// A filter from its parts, `types` listed one by one (none: every type).
    pub fn new(
        types: &[&str],
        task_force: Option<String>,
        unit: Option<String>,
        stream: Option<String>,
    ) -> Result<Self, Invalid> {
        if types.len() > MAX_TYPES {
            return Err(Invalid {
                field: "types",
                detail: format!("types 至多 {MAX_TYPES} 个"),
            });
        }
        let types = types
            .iter()
            .map(|name| TypePattern::try_from((*name).to_owned()))
            .collect::<Result<_, _>>()
            .map_err(|detail| Invalid {
                field: "types",
                detail,
            })?;
        let filter = Self {
            types,
            task_force,
            unit,
            stream,
        };
        filter.check()?;
        Ok(filter)
    }

    /// Checks the parts that are not types: ids and the prefix, without control characters
    /// and of a sensible length.
    pub fn check(&self) -> Result<(), Invalid> {
        let fine = |value: &str, max: usize| {
            !value.is_empty()
                && value.chars().count() <= max
                && !value.chars().any(char::is_control)
        };
        for (field, value, max) in [
            ("task_force", &self.task_force, 64),
            ("unit", &self.unit, 64),
            ("stream", &self.stream, MAX_STREAM_PREFIX),
        ] {
            if let Some(value) = value {
                if !fine(value, max) {
                    return Err(Invalid {
                        field,
                        detail: format!("{field} 须为 1 至 {max} 个字符，且不含控制字符"),
                    });
                }
            }
        }
        Ok(())
    }

    /// Whether `event`, belonging where `scope` says, is one the subscriber asked for.
    pub fn admits(&self, event: &LoggedEvent, scope: &Scope) -> bool {
        let recorded = &event.event;
        let typed = self.types.is_empty()
            || self
                .types
                .iter()
                .any(|pattern| pattern.matches(&recorded.event_type));
        let task_force = self.task_force.as_deref().is_none_or(|wanted| {
            scope
                .task_force
                .as_ref()
                .is_some_and(|t| t.as_str() == wanted)
        });
        let unit = self
            .unit
            .as_deref()
            .is_none_or(|wanted| scope.units.iter().any(|u| u.as_str() == wanted));
        let stream = self.stream.as_deref().is_none_or(|prefix| {
            let name = &recorded.stream;
            let joined = format!("{}/{}", name.stream_type, name.stream_id);
            joined.starts_with(prefix)
        });
        typed && task_force && unit && stream
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_must_be_catalogued_or_a_whole_aggregate() {
        let filter = Filter::parse(
            Some("rectiflow.item.became_overdue, rectiflow.complaint.*"),
            None,
            None,
            None,
        )
        .expect("known types");
        assert_eq!(filter.types.len(), 2);
        for bad in [
            "rectiflow.item.exploded",
            "rectiflow.nothing.*",
            "rectiflow.item*",
            "",
            "rectiflow.item.registered,",
        ] {
            let refused = Filter::parse(Some(bad), None, None, None).expect_err(bad);
            assert_eq!(refused.field, "types", "{bad}");
        }
        let refused = Filter::parse(None, Some("\u{7}".into()), None, None).expect_err("bell");
        assert_eq!(refused.field, "task_force");
    }

    #[test]
    fn a_stored_filter_reads_back_as_written() {
        let filter = Filter::parse(
            Some("rectiflow.item.*"),
            Some("yibao".into()),
            None,
            Some("item/".into()),
        )
        .expect("valid");
        let json = serde_json::to_value(&filter).expect("json");
        assert_eq!(json["types"][0], "rectiflow.item.*");
        let back: Filter = serde_json::from_value(json).expect("reads back");
        assert_eq!(back, filter);
    }
}
