//! Identifiers: campaigns, task forces, units, persons, and the ids of the aggregates' streams.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::ValueError;

macro_rules! identifier {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        identifier!(
            $(#[$doc])*
            ///
            /// 1 to 64 characters of ASCII letters, digits, `_`, `-`, `.` and `:`.
            $name, $kind, max = 64, also = [],
            rule = "only ASCII letters, digits, '_', '-', '.' and ':'");
    };
    ($(#[$doc:meta])* $name:ident, $kind:literal, max = $max:expr, also = [$($also:literal),*], rule = $rule:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn parse(value: impl Into<String>) -> Result<Self, ValueError> {
                parse_identifier($kind, value.into(), ($max, &[$($also),*], $rule)).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = ValueError;
            fn try_from(value: String) -> Result<Self, ValueError> {
                Self::parse(value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = ValueError;
            fn from_str(s: &str) -> Result<Self, ValueError> {
                Self::parse(s)
            }
        }
    };
}

fn parse_identifier(
    kind: &'static str,
    value: String,
    (max, also, rule): (usize, &[char], &'static str),
) -> Result<String, ValueError> {
    if value.is_empty() {
        return Err(ValueError::Empty { kind });
    }
    if value.len() > max {
        return Err(ValueError::TooLong {
            kind,
            len: value.len(),
            max,
        });
    }
    if !value.chars().all(|c| {
        c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':') || also.contains(&c)
    }) {
        return Err(ValueError::Invalid { kind, value, rule });
    }
    Ok(value)
}

identifier!(
    /// A campaign (整治行动), e.g. `qunfu-2026`.
    CampaignId, "campaign id");
identifier!(
    /// A county (县), e.g. `zhuxi`: the stream id of its calendar declarations
    /// ([`CountyOverrides`](crate::calendar::overrides::CountyOverrides)).
    CountyId, "county id");
identifier!(
    /// A task force (专班), e.g. `yibao` for the medical-insurance fund task force.
    TaskForceId, "task force id");
identifier!(
    /// A unit (单位): department, township, school, hospital, care home, enterprise, supplier.
    UnitId, "unit id");
identifier!(
    /// A named person: a responsible person (责任人), a secretariat officer, a leader, or a
    /// system actor such as `system:scheduler`.
    PersonId, "person id");
identifier!(
    /// A case (案件).
    CaseId, "case id");
identifier!(
    /// A clue (问题线索).
    ClueId, "clue id");
identifier!(
    /// A complaint (举报/投诉).
    ComplaintId, "complaint id");
identifier!(
    /// A satisfaction survey round (群众满意度测评): one per campaign, quarter, field and unit,
    /// built from those four by [`round_id`](crate::survey::round_id) as
    /// `campaign~quarter~field~unit` (`qunfu-2026~2026-Q1~elderly_care~civil-affairs-bureau`).
    ///
    /// 1 to 256 characters of ASCII letters, digits, `_`, `-`, `.`, `:` and `~` (the
    /// separator, which no campaign or unit id contains).
    SurveyId, "survey id", max = 256, also = ['~'],
    rule = "only ASCII letters, digits, '_', '-', '.', ':' and '~'");
identifier!(
    /// An admonishment (约谈提醒). One triggered by the policy at a publication is keyed by the
    /// publication and the unit, built by
    /// [`admonishment_id`](crate::admonishment::admonishment_id) as `publication~unit`
    /// (`bulletin~qunfu-2026~2026-03~county~township-a`), so a retried policy cannot admonish
    /// twice; the secretariat's own admonishments take any free id.
    ///
    /// 1 to 320 characters of ASCII letters, digits, `_`, `-`, `.`, `:` and `~` (the
    /// separator, which no campaign, task force or unit id contains).
    AdmonishmentId, "admonishment id", max = 320, also = ['~'],
    rule = "only ASCII letters, digits, '_', '-', '.', ':' and '~'");
identifier!(
    /// A publication (周调度 dispatch, 月通报 bulletin, 季考核 assessment): one stream per kind,
    /// campaign, period and scope, built by
    /// [`publication_id`](crate::publication::publication_id) as `kind~campaign~period~scope`
    /// (`bulletin~qunfu-2026~2026-03~county`, `dispatch~qunfu-2026~2026-03-09~task_force:yibao`);
    /// a correction adds `~correction-n`.
    ///
    /// 1 to 256 characters of ASCII letters, digits, `_`, `-`, `.`, `:` and `~` (the
    /// separator, which no campaign or task force id contains).
    PublicationId, "publication id", max = 256, also = ['~'],
    rule = "only ASCII letters, digits, '_', '-', '.', ':' and '~'");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_refuse_empty_long_and_odd_characters() {
        assert!(UnitId::parse("county-health-bureau").is_ok());
        assert!(matches!(UnitId::parse(""), Err(ValueError::Empty { .. })));
        assert!(matches!(
            UnitId::parse("a".repeat(65)),
            Err(ValueError::TooLong { .. })
        ));
        assert!(matches!(
            UnitId::parse("a b"),
            Err(ValueError::Invalid { .. })
        ));
        // serde goes through parse too: a bad id in a payload cannot be deserialised.
        assert!(serde_json::from_str::<UnitId>("\"a b\"").is_err());
    }
}
