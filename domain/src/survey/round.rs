//! One round per campaign, quarter, field and unit: the round's stream id is built from those
//! four, so a second round for them is a second command on the same stream, which refuses it.

use std::fmt::Write as _;

use crate::settings::Field;
use crate::values::{CampaignId, SurveyId, UnitId, ValueError};

use super::quarter::Quarter;

/// The separator of the parts of a round id; no campaign id, quarter, field name or unit id
/// contains it.
const SEPARATOR: char = '~';

/// The stream id of the survey round of `campaign`, `quarter`, `field` and `unit`:
/// `campaign~quarter~field~unit`, e.g. `qunfu-2026~2026-Q1~elderly_care~civil-affairs-bureau`.
///
/// Two different quadruples never give the same id: the separator occurs in none of the parts,
/// and a campaign's own field (`Field::Other`) is written `other-` and its name with every
/// byte other than an ASCII letter, digit or `_` escaped as `-` and two hex digits, so it never
/// reads as another field. Fails only when the id would exceed what a [`SurveyId`] holds (a
/// field name of some sixty bytes beside the longest campaign and unit ids).
pub fn round_id(
    campaign: &CampaignId,
    quarter: Quarter,
    field: &Field,
    unit: &UnitId,
) -> Result<SurveyId, ValueError> {
    SurveyId::parse(format!(
        "{campaign}{SEPARATOR}{quarter}{SEPARATOR}{}{SEPARATOR}{unit}",
        field_part(field)
    ))
}

fn field_part(field: &Field) -> String {
    match field {
        Field::MedicalInsurance => "medical_insurance".to_owned(),
        Field::SchoolMeals => "school_meals".to_owned(),
        Field::ElderlyCare => "elderly_care".to_owned(),
        Field::StateAssets => "state_assets".to_owned(),
        Field::Other(name) => {
            let mut part = String::from("other-");
            for byte in name.bytes() {
                if byte.is_ascii_alphanumeric() || byte == b'_' {
                    part.push(char::from(byte));
                } else {
                    // Writing to a String cannot fail.
                    let _ = write!(part, "-{byte:02x}");
                }
            }
            part
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::fixtures::{campaign, unit};

    fn q1() -> Quarter {
        Quarter::new(2026, 1).expect("quarter")
    }

    fn id(field: &Field, unit_id: &str) -> Option<String> {
        round_id(&campaign(), q1(), field, &unit(unit_id))
            .ok()
            .map(String::from)
    }

    #[test]
    fn a_round_id_names_its_campaign_quarter_field_and_unit() {
        assert_eq!(
            id(&Field::ElderlyCare, "civil-affairs-bureau").as_deref(),
            Some("qunfu-2026~2026-Q1~elderly_care~civil-affairs-bureau")
        );
        assert_eq!(
            id(&Field::Other("食品安全 x-1".into()), "u").as_deref(),
            Some("qunfu-2026~2026-Q1~other--e9-a3-9f-e5-93-81-e5-ae-89-e5-85-a8-20x-2d1~u")
        );
    }

    #[test]
    fn different_rounds_never_share_an_id() {
        let fields = [
            Field::MedicalInsurance,
            Field::SchoolMeals,
            Field::ElderlyCare,
            Field::StateAssets,
            Field::Other("school_meals".into()),
            Field::Other("a-b".into()),
            Field::Other("a-2db".into()),
            Field::Other("a_b".into()),
        ];
        let mut seen = std::collections::BTreeSet::new();
        for field in &fields {
            for unit_id in ["u", "u.1", "u:1"] {
                let made = id(field, unit_id);
                assert!(made.is_some(), "{field:?} {unit_id}");
                assert!(seen.insert(made), "{field:?} {unit_id} repeats an id");
            }
        }
        let other_quarter = round_id(
            &campaign(),
            Quarter::new(2026, 2).expect("quarter"),
            &Field::ElderlyCare,
            &unit("u"),
        );
        assert_ne!(
            other_quarter.ok(),
            round_id(&campaign(), q1(), &Field::ElderlyCare, &unit("u")).ok()
        );
    }

    #[test]
    fn an_overlong_round_id_is_an_error_not_a_panic() {
        let longest = |c: char| c.to_string().repeat(64);
        let made = round_id(
            &CampaignId::parse(longest('c')).expect("id"),
            q1(),
            &Field::Other("长".repeat(40)),
            &UnitId::parse(longest('u')).expect("id"),
        );
        assert!(matches!(made, Err(ValueError::TooLong { .. })));
        let fits = round_id(
            &CampaignId::parse(longest('c')).expect("id"),
            q1(),
            &Field::StateAssets,
            &UnitId::parse(longest('u')).expect("id"),
        );
        assert!(fits.is_ok());
    }
}
