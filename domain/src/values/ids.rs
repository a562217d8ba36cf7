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
            rule = "只能由英文字母、数字和“_”“-”“.”“:”组成");
    };
    ($(#[$doc:meta])* $name:ident, $kind:literal, max = $max:expr, also = [$($also:literal),*], rule = $rule:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
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
    CampaignId, "整治行动编号");
identifier!(
    /// A county (县), e.g. `zhuxi`: the stream id of its calendar declarations
    /// ([`CountyOverrides`](crate::calendar::overrides::CountyOverrides)).
    CountyId, "县编号");
identifier!(
    /// A task force (专班), e.g. `yibao` for the medical-insurance fund task force.
    TaskForceId, "专班编号");
identifier!(
    /// A unit (单位): department, township, school, hospital, care home, enterprise, supplier.
    UnitId, "单位编号");
identifier!(
    /// A named person: a responsible person (责任人), a secretariat officer, a leader, or a
    /// system actor such as `system:scheduler`.
    PersonId, "人员编号");
identifier!(
    /// A schedule (发布计划) of a campaign: `<campaign>:<kind>`, e.g. `qunfu-2026:monthly-bulletin`.
    ScheduleId, "发布计划编号");
identifier!(
    /// A case (案件).
    CaseId, "案件编号");
identifier!(
    /// A clue (问题线索).
    ClueId, "问题线索编号");
identifier!(
    /// A complaint (举报/投诉).
    ComplaintId, "举报投诉编号");
identifier!(
    /// A satisfaction survey round (群众满意度测评): one per campaign, quarter, field and unit,
    /// built from those four by [`round_id`](crate::survey::round_id) as
    /// `campaign~quarter~field~unit` (`qunfu-2026~2026-Q1~elderly_care~civil-affairs-bureau`).
    ///
    /// 1 to 256 characters of ASCII letters, digits, `_`, `-`, `.`, `:` and `~` (the
    /// separator, which no campaign or unit id contains).
    SurveyId, "满意度测评编号", max = 256, also = ['~'],
    rule = "只能由英文字母、数字和“_”“-”“.”“:”“~”组成");
identifier!(
    /// An accountability case (问责) against one person. A case the policy proposes on a
    /// unit's repeated admonishment is `accountability~<person>~<later admonishment>`
    /// ([`AccountabilityId::for_occasion`]): one case per person and occasion.
    ///
    /// 1 to 400 characters of ASCII letters, digits, `_`, `-`, `.`, `:` and `~`: room for the
    /// prefix (15), the longest person id (64), a separator and the longest admonishment id
    /// (320, itself `publication~unit` for a policy's).
    AccountabilityId, "问责案件编号", max = 400, also = ['~'],
    rule = "只能由英文字母、数字和“_”“-”“.”“:”“~”组成");
identifier!(
    /// The medical-insurance monitoring platform's own reference of an alert (医保智能监控预警
    /// 编号), as it pushed it.
    AlertRef, "监控平台预警编号");
identifier!(
    /// A data alert (数据预警): `alert~<platform reference>` ([`AlertId::of_reference`]), so a
    /// re-pushed alert lands on the stream it already has.
    ///
    /// 1 to 128 characters of ASCII letters, digits, `_`, `-`, `.`, `:` and `~`.
    AlertId, "数据预警编号", max = 128, also = ['~'],
    rule = "只能由英文字母、数字和“_”“-”“.”“:”“~”组成");

impl AccountabilityId {
    /// The case the policy proposes against `person` on the occasion of `later`, the unit's
    /// admonishment that came within the referral window of an earlier one:
    /// `accountability~<person>~<later>`. Deterministic, so a policy that runs twice (a
    /// restart, a rebuild) proposes on the same stream and the store refuses the second.
    ///
    /// Never fails: together the parts fit (15 + 64 + 1 + 320 = 400), and the id still reads
    /// back — the person id holds no `~`, so the first two separate prefix, person and the
    /// admonishment, whatever `~` the admonishment id holds.
    pub fn for_occasion(person: &PersonId, later: &AdmonishmentId) -> Self {
        Self(format!("accountability~{person}~{later}"))
    }
}

impl AlertId {
    /// The stream of the alert the platform calls `reference`: `alert~<reference>`. A
    /// re-pushed alert is therefore refused as a duplicate by its own stream, never doubled.
    ///
    /// Never fails: a reference holds no `~` and at most 64 characters.
    pub fn of_reference(reference: &AlertRef) -> Self {
        Self(format!("alert~{reference}"))
    }
}

identifier!(
    /// An admonishment (约谈提醒). One triggered by the policy at a publication is keyed by the
    /// publication and the unit, built by
    /// [`admonishment_id`](crate::admonishment::admonishment_id) as `publication~unit`
    /// (`bulletin~qunfu-2026~2026-03~county~township-a`), so a retried policy cannot admonish
    /// twice; the secretariat's own admonishments take any free id.
    ///
    /// 1 to 320 characters of ASCII letters, digits, `_`, `-`, `.`, `:` and `~` (the
    /// separator, which no campaign, task force or unit id contains).
    AdmonishmentId, "约谈提醒编号", max = 320, also = ['~'],
    rule = "只能由英文字母、数字和“_”“-”“.”“:”“~”组成");
identifier!(
    /// A publication (周调度 dispatch, 月通报 bulletin, 季考核 assessment): one stream per kind,
    /// campaign, period and scope, built by
    /// [`publication_id`](crate::publication::publication_id) as `kind~campaign~period~scope`
    /// (`bulletin~qunfu-2026~2026-03~county`, `dispatch~qunfu-2026~2026-03-09~task_force:yibao`);
    /// a correction adds `~correction-n`.
    ///
    /// 1 to 256 characters of ASCII letters, digits, `_`, `-`, `.`, `:` and `~` (the
    /// separator, which no campaign or task force id contains).
    PublicationId, "发布编号", max = 256, also = ['~'],
    rule = "只能由英文字母、数字和“_”“-”“.”“:”“~”组成");

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

    /// The ids made without parsing are ids parsing would accept, even from the longest parts.
    #[test]
    fn made_ids_are_valid_ids() {
        let longest = |c: char| c.to_string().repeat(64);
        let person = PersonId::parse(longest('p')).expect("id");
        for later in [
            longest('a'),
            // The longest admonishment id a policy or a secretariat can give, with separators.
            format!("bulletin~{}", "a".repeat(311)),
        ] {
            let later = AdmonishmentId::parse(later).expect("id");
            let case = AccountabilityId::for_occasion(&person, &later);
            assert_eq!(AccountabilityId::parse(case.as_str()).as_ref(), Ok(&case));
        }
        let reference = AlertRef::parse(longest('r')).expect("id");
        let alert = AlertId::of_reference(&reference);
        assert_eq!(AlertId::parse(alert.as_str()).as_ref(), Ok(&alert));
        assert_eq!(
            AlertId::of_reference(&AlertRef::parse("YB-JK-2026-000123").expect("id")).as_str(),
            "alert~YB-JK-2026-000123"
        );
        assert!(AlertRef::parse("a~b").is_err());
    }
}
