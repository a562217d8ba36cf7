//! Property: any sequence of admonishment commands never panics and never breaks the
//! invariants — steps happen in order (scheduled before held, held before followed up, a held
//! talk not before its time), a referral is recorded at most once and never names itself.

use chrono::{DateTime, Duration, Utc};
use cqrs_es::Aggregate;
use proptest::prelude::*;

use super::*;
use crate::directory::StaticDirectory;
use crate::values::{AdmonishmentId, CampaignId, ItemCode, PersonId, Text, UnitId, Uri};
use crate::{Command, Stamp};

fn body(kind: u8, a: u8, now: DateTime<Utc>) -> Option<AdmonishmentCommand> {
    let text = Text::parse(format!("text {a}")).ok()?;
    let rule = match a % 4 {
        0 => AdmonishmentRule::OverdueItems,
        1 => AdmonishmentRule::BottomOfRanking,
        2 => AdmonishmentRule::FailedAssessment,
        _ => AdmonishmentRule::Manual,
    };
    let basis = match a % 3 {
        0 => None,
        1 => Some(EvidenceBasis::Bulletin {
            reference: text.clone(),
        }),
        _ => Some(EvidenceBasis::Assessment {
            reference: text.clone(),
        }),
    };
    let people = if a & 1 == 0 {
        vec![]
    } else {
        vec![PersonId::parse("p").ok()?]
    };
    Some(match kind % 5 {
        0 => AdmonishmentCommand::Trigger {
            admonishment: AdmonishmentId::parse("adm-self").ok()?,
            campaign: CampaignId::parse("qunfu-2026").ok()?,
            unit: UnitId::parse("unit").ok()?,
            rule,
            reasons: if a & 2 == 0 { vec![text] } else { vec![] },
            evidence: AdmonishmentEvidence {
                basis,
                items: if a & 4 == 0 {
                    vec![ItemCode::parse("YB-2026-0001").ok()?]
                } else {
                    vec![]
                },
            },
        },
        1 => AdmonishmentCommand::Schedule {
            when: now + Duration::hours(i64::from(a % 7) - 2),
            place: text,
            conducted_by: people,
        },
        2 => AdmonishmentCommand::RecordHeld {
            attendees: people,
            minutes: Uri::parse("oss://m/1").ok()?,
        },
        3 => AdmonishmentCommand::RecordFollowUp { outcome: text },
        _ => AdmonishmentCommand::ReferForAccountability {
            earlier: AdmonishmentId::parse(if a & 8 == 0 {
                "adm-self"
            } else {
                "adm-earlier"
            })
            .ok()?,
            reason: text,
        },
    })
}

proptest! {
    #[test]
    fn random_admonishment_commands_keep_the_invariants(
        steps in prop::collection::vec((0u8..5, any::<u8>(), 0i64..5), 0..50)
    ) {
        let services = crate::testing::services(StaticDirectory::default()).0;
        let mut now: DateTime<Utc> = "2026-04-01T00:00:00Z".parse().map_err(|_| TestCaseError::fail("instant"))?;
        let actor = PersonId::parse("sec").map_err(|_| TestCaseError::fail("id"))?;
        let mut adm = Admonishment::default();
        let mut referrals = 0;
        for (kind, a, hours) in steps {
            now += Duration::hours(hours);
            let Some(body) = body(kind, a, now) else { continue };
            let before = adm.clone();
            match adm.decide(Command::new(Stamp { at: now, actor: actor.clone() }, body), &services) {
                Ok(events) => {
                    for event in events {
                        match &event {
                            AdmonishmentEvent::Held { scheduled_for, at: recorded_at, .. } => {
                                prop_assert_eq!(before.status, AdmonishmentStatus::Scheduled);
                                prop_assert!(recorded_at >= scheduled_for);
                            }
                            AdmonishmentEvent::FollowedUp { .. } => {
                                prop_assert_eq!(before.status, AdmonishmentStatus::Held);
                            }
                            AdmonishmentEvent::Scheduled { when, at: scheduled_at, .. } => {
                                prop_assert!(when > scheduled_at);
                            }
                            AdmonishmentEvent::ReferredForAccountability { earlier, .. } => {
                                referrals += 1;
                                prop_assert_ne!(Some(earlier), before.id.as_ref());
                            }
                            AdmonishmentEvent::Triggered { reasons, .. } => {
                                prop_assert!(!reasons.is_empty());
                            }
                        }
                        adm.apply(event);
                    }
                }
                Err(error) => {
                    prop_assert!(error.code().starts_with("admonishment."));
                    prop_assert_eq!(&adm, &before);
                }
            }
            prop_assert!(referrals <= 1);
            if matches!(adm.status, AdmonishmentStatus::Held | AdmonishmentStatus::FollowedUp) {
                prop_assert!(adm.meeting.is_some() && adm.minutes.is_some());
                prop_assert!(!adm.attendees.is_empty());
            }
        }
    }
}
