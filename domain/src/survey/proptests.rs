//! Property: any sequence of survey commands never panics and never breaks the invariants —
//! no score after closing nor outside the round's quarter, every sample size positive, the
//! mean within 0–100.

use chrono::{DateTime, Duration, Utc};
use cqrs_es::Aggregate;
use proptest::prelude::*;

use super::*;
use crate::directory::StaticDirectory;
use crate::settings::Field;
use crate::values::{CampaignId, PersonId, Score, UnitId};
use crate::{Command, Stamp};

fn body(kind: u8, score: f64, sample_size: u32) -> Option<SurveyCommand> {
    Some(match kind % 3 {
        0 => {
            let campaign = CampaignId::parse("qunfu-2026").ok()?;
            let quarter = Quarter::new(2026, 2).ok()?;
            let unit = UnitId::parse("school-1").ok()?;
            SurveyCommand::OpenRound {
                round: round_id(&campaign, quarter, &Field::SchoolMeals, &unit).ok()?,
                campaign,
                quarter,
                field: Field::SchoolMeals,
                unit,
            }
        }
        1 => SurveyCommand::RecordScore {
            score: Score::parse(score).ok()?,
            sample_size,
        },
        _ => SurveyCommand::CloseRound,
    })
}

proptest! {
    #[test]
    fn random_survey_commands_keep_the_invariants(
        steps in prop::collection::vec((0u8..3, 0.0f64..=100.0, 0u32..5, -3i64..95), 0..40),
        quarter in (1000i32..=9999, 0u8..6),
    ) {
        // Quarter construction never panics and accepts exactly 1..=4.
        prop_assert_eq!(Quarter::new(quarter.0, quarter.1).is_ok(), (1..=4).contains(&quarter.1));
        if let Ok(q) = Quarter::new(quarter.0, quarter.1) {
            prop_assert_eq!(Quarter::parse(&q.to_string()), Ok(q));
            prop_assert!(q.first_day() <= q.last_day());
        }
        let services = crate::testing::services(StaticDirectory::default()).0;
        let start: DateTime<Utc> = "2026-04-01T00:00:00Z".parse().map_err(|_| TestCaseError::fail("instant"))?;
        let actor = PersonId::parse("officer").map_err(|_| TestCaseError::fail("id"))?;
        let mut survey = Survey::default();
        let mut closed = false;
        // Q2 in Asia/Shanghai: 2026-04-01 00:00 to 2026-07-01 00:00 local.
        let (q2_starts, q2_ends): (DateTime<Utc>, DateTime<Utc>) = (
            "2026-03-31T16:00:00Z".parse().map_err(|_| TestCaseError::fail("instant"))?,
            "2026-06-30T16:00:00Z".parse().map_err(|_| TestCaseError::fail("instant"))?,
        );
        for (i, (kind, score, n, day)) in steps.into_iter().enumerate() {
            let Some(body) = body(kind, score, n) else { continue };
            let before = survey.clone();
            let at = start + Duration::days(day) + Duration::hours(i as i64);
            let stamp = Stamp { at, actor: actor.clone() };
            match survey.decide(Command::new(stamp, body), &services) {
                Ok(events) => {
                    for event in events {
                        if let SurveyEvent::ScoreRecorded { sample_size, at, .. } = &event {
                            prop_assert!(!closed, "score after closing");
                            prop_assert!(*sample_size > 0);
                            prop_assert!(q2_starts <= *at && *at < q2_ends, "score outside Q2");
                        }
                        if matches!(event, SurveyEvent::RoundClosed { .. }) {
                            closed = true;
                        }
                        survey.apply(event);
                    }
                }
                Err(error) => {
                    prop_assert!(error.code().starts_with("survey."));
                    prop_assert_eq!(&survey, &before);
                }
            }
            prop_assert!(survey.scores.iter().all(|s| s.sample_size > 0));
            if let Some(mean) = survey.mean() {
                prop_assert!((0.0..=100.0).contains(&mean.get()));
            }
            prop_assert_eq!(closed, survey.status == SurveyStatus::Closed);
        }
    }
}
