//! Property: any sequence of care-home commands never panics and never breaks the
//! invariants — no rating after revocation, revocation only after a failed rectification at or
//! after its due instant, stars always those of the bands.

use chrono::{DateTime, Days, Duration, NaiveDate, Utc};
use cqrs_es::Aggregate;
use proptest::prelude::*;

use super::*;
use crate::directory::StaticDirectory;
use crate::values::{CampaignId, Deadline, PersonId, Score, Text};
use crate::{Command, Stamp};

fn body(kind: u8, a: u8, s: f64) -> Option<CareHomeCommand> {
    let text = Text::parse(format!("text {a}")).ok()?;
    let campaign = CampaignId::parse("qunfu-2026").ok()?;
    Some(match kind % 3 {
        0 => CareHomeCommand::RecordInspection {
            campaign,
            score: Score::parse(s).ok()?,
            findings: text,
        },
        1 => CareHomeCommand::OrderRectification {
            campaign,
            violations: text,
            deadline: Deadline::new(
                NaiveDate::from_ymd_opt(2026, 3, 1)?
                    .checked_add_days(Days::new(u64::from(a % 10)))?,
            ),
        },
        _ => CareHomeCommand::RecordRectificationResult {
            outcome: if a & 1 == 0 {
                RectificationOutcome::Passed
            } else {
                RectificationOutcome::Failed
            },
            notes: text,
        },
    })
}

proptest! {
    #[test]
    fn random_care_home_commands_keep_the_invariants(
        steps in prop::collection::vec((0u8..3, any::<u8>(), 0.0f64..=100.0, 0i64..30), 0..50)
    ) {
        let services = crate::testing::services(StaticDirectory::default()).0;
        let mut now: DateTime<Utc> = "2026-03-01T00:00:00Z".parse().map_err(|_| TestCaseError::fail("instant"))?;
        let actor = PersonId::parse("inspector").map_err(|_| TestCaseError::fail("id"))?;
        let mut home = CareHome::default();
        for (kind, a, s, hours) in steps {
            now += Duration::hours(hours);
            let Some(body) = body(kind, a, s) else { continue };
            let before = home.clone();
            match home.decide(Command::new(Stamp { at: now, actor: actor.clone() }, body), &services) {
                Ok(events) => {
                    prop_assert!(before.status != CareHomeStatus::Revoked, "a revoked home changed");
                    for event in events {
                        match &event {
                            CareHomeEvent::Inspected { score, stars, .. } => {
                                prop_assert_eq!(Some(*stars), stars_for(*score));
                            }
                            CareHomeEvent::RectificationFailed { at: recorded_at, .. } => {
                                let due = before.rectification.as_ref().map(|r| r.due_at);
                                prop_assert!(due.is_some_and(|d| *recorded_at >= d));
                            }
                            CareHomeEvent::LicenceRevoked { .. } => {
                                prop_assert_eq!(before.status, CareHomeStatus::UnderRectification);
                            }
                            _ => {}
                        }
                        home.apply(event);
                    }
                }
                Err(error) => {
                    prop_assert!(error.code().starts_with("care_home."));
                    prop_assert_eq!(&home, &before);
                }
            }
            prop_assert_eq!(home.status == CareHomeStatus::Revoked, home.revoked_at.is_some());
            prop_assert_eq!(
                home.status == CareHomeStatus::UnderRectification,
                home.rectification.is_some()
            );
        }
    }
}
