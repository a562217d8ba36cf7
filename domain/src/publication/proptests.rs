//! Property: no sequence of publish, correct and skip commands changes a publication once it
//! is recorded — every later command is refused and the state stays as it was — and a refused
//! command never changes the state.

use chrono::{DateTime, Duration, Utc};
use cqrs_es::Aggregate;
use proptest::prelude::*;

use super::*;
use crate::directory::StaticDirectory;
use crate::values::{CampaignId, PersonId, PublicationId, TaskForceId, Text, UnitId};
use crate::{Command, Stamp};

/// A March 2026 bulletin, a dispatch, or a correction, bent by `a` into valid or invalid.
fn body(kind: u8, a: u8) -> Option<PublicationCommand> {
    let at = |s: &str| s.parse::<DateTime<Utc>>().ok();
    let scope = if a & 1 == 0 {
        PublicationScope::County
    } else {
        PublicationScope::TaskForce(TaskForceId::parse("yibao").ok()?)
    };
    let mut figures = Figures::default();
    if a & 2 != 0 {
        figures.named = vec![UnitId::parse("u").ok()?];
        figures.ranking = vec![Ranked {
            unit: UnitId::parse("u").ok()?,
            overdue: 1.0 + f64::from(a % 3),
            days_overdue: u64::from(a),
        }];
        figures.bottom = vec![UnitId::parse("u").ok()?];
    }
    let base = format!("bulletin~qunfu-2026~2026-03~{}", scope.stream_part());
    let publish = Publish {
        publication: PublicationId::parse(base.clone()).ok()?,
        kind: PublicationKind::Bulletin,
        campaign: CampaignId::parse("qunfu-2026").ok()?,
        scope,
        period: Period {
            start: at(if a & 4 == 0 {
                "2026-02-28T16:00:00Z"
            } else {
                "2026-03-01T00:00:00Z"
            })?,
            cut_off: at("2026-03-31T16:00:00Z")?,
        },
        nominal: vec![],
        inputs: LogPoint {
            position: u64::from(a),
            digest: ChainDigest::parse(format!("{:064x}", a)).ok()?,
        },
        figures,
    };
    Some(match kind % 3 {
        0 => PublicationCommand::Publish(publish),
        1 => PublicationCommand::Correct {
            correction: Publish {
                publication: correction_id(&publish.publication, u32::from(a % 3)).ok()?,
                ..publish
            },
            corrects: PublicationId::parse(base).ok()?,
            reason: Text::parse("更正").ok()?,
        },
        _ => PublicationCommand::Skip(Skip {
            publication: publish.publication,
            kind: if a & 8 == 0 {
                PublicationKind::Bulletin
            } else {
                PublicationKind::Dispatch
            },
            campaign: publish.campaign,
            scope: publish.scope,
            period: publish.period,
            nominal: vec![],
        }),
    })
}

proptest! {
    #[test]
    fn a_recorded_publication_never_changes(
        steps in prop::collection::vec((0u8..3, any::<u8>(), 0i64..72), 1..30)
    ) {
        let services = crate::testing::services(StaticDirectory::default()).0;
        let actor = PersonId::parse("schedule:bulletin").map_err(|_| TestCaseError::fail("actor"))?;
        let start: DateTime<Utc> = "2026-03-31T12:00:00Z".parse().map_err(|_| TestCaseError::fail("instant"))?;
        let mut state = Publication::default();
        let mut recorded: Option<Publication> = None;
        for (kind, a, hours) in steps {
            let Some(body) = body(kind, a) else { continue };
            let stamp = Stamp { at: start + Duration::hours(hours), actor: actor.clone() };
            let before = state.clone();
            match state.decide(Command::new(stamp, body), &services) {
                Ok(events) => {
                    prop_assert!(recorded.is_none(), "a second command was accepted");
                    prop_assert_eq!(events.len(), 1);
                    for event in events {
                        if let PublicationEvent::Published { at, period, .. } = &event {
                            prop_assert!(*at >= period.cut_off);
                        }
                        state.apply(event);
                    }
                    recorded = Some(state.clone());
                }
                Err(error) => {
                    prop_assert!(error.code().starts_with("publication."));
                    prop_assert_eq!(&state, &before);
                }
            }
            if let Some(recorded) = &recorded {
                prop_assert_eq!(&state, recorded);
            }
        }
    }
}
