//! Property: any sequence of care-home commands never panics and never breaks the
//! invariants — no rating after revocation, revocation only by decision after a failed
//! rectification, a failure only at or after its due instant, a listing only with a violation
//! on record, stars always those of the bands in force.

use chrono::{DateTime, Days, Duration, NaiveDate, Utc};
use cqrs_es::Aggregate;
use proptest::prelude::*;

use super::*;
use crate::directory::StaticDirectory;
use crate::values::{CampaignId, Deadline, ItemCode, PersonId, Score, Text};
use crate::{Command, Stamp};

fn body(kind: u8, a: u8, s: f64) -> Option<CareHomeCommand> {
    let text = Text::parse(format!("text {a}")).ok()?;
    let campaign = CampaignId::parse("qunfu-2026").ok()?;
    let date = Deadline::new(
        NaiveDate::from_ymd_opt(2026, 3, 1)?.checked_add_days(Days::new(u64::from(a % 20)))?,
    );
    Some(match kind % 6 {
        0 => CareHomeCommand::RecordInspection {
            campaign,
            scores: DimensionScores {
                facilities: Score::parse(s).ok()?,
                services: Score::parse(100.0 - s).ok()?,
                staff: Score::parse(s / 2.0).ok()?,
            },
            findings: text,
        },
        1 => CareHomeCommand::OrderRectification {
            campaign,
            violations: text,
            deadline: date,
            item: ItemCode::parse(format!("YL-2026-{:04}", a)).ok()?,
        },
        2 => CareHomeCommand::RecordRectificationResult {
            outcome: if a & 1 == 0 {
                RectificationOutcome::Passed
            } else {
                RectificationOutcome::Failed
            },
            notes: text,
        },
        3 => CareHomeCommand::RevokeLicence { reason: text },
        4 => CareHomeCommand::Blacklist {
            campaign,
            reason: text,
            until: date,
        },
        _ => CareHomeCommand::RemoveFromBlacklist { reason: text },
    })
}

proptest! {
    #[test]
    fn random_care_home_commands_keep_the_invariants(
        steps in prop::collection::vec((0u8..6, any::<u8>(), 0.0f64..=100.0, 0i64..30), 0..60)
    ) {
        let services = crate::testing::services(StaticDirectory::default()).0;
        let bands = crate::settings::StarBands::default();
        let mut now: DateTime<Utc> = "2026-03-01T00:00:00Z".parse().map_err(|_| TestCaseError::fail("instant"))?;
        let actor = PersonId::parse("inspector").map_err(|_| TestCaseError::fail("id"))?;
        let mut home = CareHome::default();
        for (kind, a, s, hours) in steps {
            now += Duration::hours(hours);
            let Some(body) = body(kind, a, s) else { continue };
            let before = home.clone();
            match home.decide(Command::new(Stamp { at: now, actor: actor.clone() }, body), &services) {
                Ok(events) => {
                    prop_assert!(
                        before.status != CareHomeStatus::Revoked
                            || events.iter().all(|e| matches!(e,
                                CareHomeEvent::Blacklisted { .. } | CareHomeEvent::RemovedFromBlacklist { .. })),
                        "a revoked home changed"
                    );
                    for event in events {
                        match &event {
                            CareHomeEvent::Inspected { total, stars, .. } => {
                                prop_assert_eq!(stars.get(), bands.stars(total.get()));
                            }
                            CareHomeEvent::RectificationFailed { at: recorded_at, .. } => {
                                let due = before.rectification.as_ref().map(|r| r.due_at);
                                prop_assert!(due.is_some_and(|d| *recorded_at >= d));
                            }
                            CareHomeEvent::LicenceRevoked { .. } => {
                                prop_assert!(before.rectifications_failed > 0, "revoked without a failure");
                            }
                            CareHomeEvent::Blacklisted { .. } => {
                                prop_assert!(before.violations > 0, "listed without a violation");
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
