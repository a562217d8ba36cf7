//! Properties: any sequence of admonishment commands never panics and keeps the steps in
//! order (scheduled before held, held before followed up, a held talk not before its time, a
//! withdrawal only before the talk is held, and a withdrawn admonishment counting for nothing);
//! and however often the policy retries, there is one admonishment per publication and unit.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use cqrs_es::Aggregate;
use proptest::prelude::*;

use super::*;
use crate::directory::StaticDirectory;
use crate::publication::{OverdueCount, PublicationKind, PublicationScope};
use crate::values::{
    AdmonishmentId, CampaignId, ItemCode, PersonId, PublicationId, Text, UnitId, Uri,
};
use crate::{Command, Stamp};

fn at(s: &str) -> Option<DateTime<Utc>> {
    s.parse().ok()
}

/// A policy trigger at one of two county bulletins for one of three units, with an id that
/// is right or (when `a & 8`) a free one.
fn policy_trigger(a: u8) -> Option<AdmonishmentCommand> {
    let (month, cut_off) = if a & 1 == 0 {
        ("2026-03", "2026-03-31T16:00:00Z")
    } else {
        ("2026-04", "2026-04-30T16:00:00Z")
    };
    let publication = PublicationRef {
        publication: PublicationId::parse(format!("bulletin~qunfu-2026~{month}~county")).ok()?,
        kind: PublicationKind::Bulletin,
        scope: PublicationScope::County,
        cut_off: at(cut_off)?,
    };
    let unit = UnitId::parse(format!("unit-{}", (a >> 1) % 3)).ok()?;
    let admonishment = if a & 8 == 0 {
        admonishment_id(&publication.publication, &unit).ok()?
    } else {
        AdmonishmentId::parse("adm-free").ok()?
    };
    Some(AdmonishmentCommand::Trigger {
        admonishment,
        campaign: CampaignId::parse("qunfu-2026").ok()?,
        unit,
        publication,
        findings: vec![Finding::OverdueItems {
            overdue: OverdueCount::new(3 + u32::from(a >> 6), 0, 0, 0.5),
            mitigation_factor: 0.5,
        }],
        items: (1..=6)
            .map(|n| ItemCode::parse(format!("YB-2026-{n:04}")).ok())
            .collect::<Option<_>>()?,
        reasons: vec![Text::parse("逾期").ok()?],
    })
}

fn body(kind: u8, a: u8, now: DateTime<Utc>) -> Option<AdmonishmentCommand> {
    let text = Text::parse(format!("text {a}")).ok()?;
    let people = if a & 1 == 0 {
        vec![]
    } else {
        vec![PersonId::parse("p").ok()?]
    };
    Some(match kind % 6 {
        0 => policy_trigger(a)?,
        1 => AdmonishmentCommand::TriggerManually {
            admonishment: AdmonishmentId::parse("adm-manual").ok()?,
            campaign: CampaignId::parse("qunfu-2026").ok()?,
            unit: UnitId::parse("unit-0").ok()?,
            publication: None,
            items: vec![],
            reasons: if a & 2 == 0 { vec![text] } else { vec![] },
        },
        2 => AdmonishmentCommand::Schedule {
            when: now + Duration::hours(i64::from(a % 7) - 2),
            place: text,
            conducted_by: people,
        },
        3 => AdmonishmentCommand::RecordHeld {
            attendees: people,
            minutes: Uri::parse("oss://m/1").ok()?,
        },
        4 => AdmonishmentCommand::Withdraw {
            reasons: if a & 2 == 0 { vec![text] } else { vec![] },
            correction: None,
        },
        _ => AdmonishmentCommand::RecordFollowUp { outcome: text },
    })
}

proptest! {
    #[test]
    fn random_admonishment_commands_keep_the_steps_in_order(
        steps in prop::collection::vec((0u8..6, any::<u8>(), 0i64..5), 0..50)
    ) {
        let services = crate::testing::services(StaticDirectory::default()).0;
        let mut now = at("2026-05-02T00:00:00Z").ok_or_else(|| TestCaseError::fail("instant"))?;
        let actor = PersonId::parse("sec-yibao").map_err(|_| TestCaseError::fail("actor"))?;
        let mut adm = Admonishment::default();
        for (kind, a, hours) in steps {
            now += Duration::hours(hours * 24);
            let Some(body) = body(kind, a, now) else { continue };
            let before = adm.clone();
            let stamp = Stamp { at: now, actor: actor.clone() };
            match adm.decide(Command::new(stamp, body), &services) {
                Ok(events) => {
                    for event in events {
                        match &event {
                            AdmonishmentEvent::Triggered { reasons, .. } => {
                                prop_assert_eq!(before.status, AdmonishmentStatus::NotTriggered);
                                prop_assert!(!reasons.is_empty());
                            }
                            AdmonishmentEvent::Scheduled { when, at: scheduled_at, .. } => {
                                prop_assert!(when > scheduled_at);
                            }
                            AdmonishmentEvent::Held { scheduled_for, at: held_at, .. } => {
                                prop_assert!(held_at >= scheduled_for);
                            }
                            AdmonishmentEvent::FollowedUp { .. } => {
                                prop_assert_eq!(before.status, AdmonishmentStatus::Held);
                            }
                            AdmonishmentEvent::Withdrawn { reasons, .. } => {
                                prop_assert!(matches!(
                                    before.status,
                                    AdmonishmentStatus::Triggered | AdmonishmentStatus::Scheduled
                                ));
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
            if adm.is_withdrawn() {
                prop_assert_eq!(adm.window_instant(), None);
                prop_assert!(adm.withdrawal.is_some() && adm.minutes.is_none());
            }
            if matches!(adm.status, AdmonishmentStatus::Held | AdmonishmentStatus::FollowedUp) {
                prop_assert!(adm.meeting.is_some() && adm.minutes.is_some());
                prop_assert!(!adm.attendees.is_empty());
            }
        }
    }

    /// The policy's triggers, retried in any order against the streams they name: each
    /// stream is `publication~unit`, and holds at most one admonishment.
    #[test]
    fn one_admonishment_per_publication_and_unit(
        triggers in prop::collection::vec(any::<u8>(), 0..40)
    ) {
        let services = crate::testing::services(StaticDirectory::default()).0;
        let actor = PersonId::parse("policy:admonishment").map_err(|_| TestCaseError::fail("actor"))?;
        let now = at("2026-05-02T00:00:00Z").ok_or_else(|| TestCaseError::fail("instant"))?;
        let mut streams: BTreeMap<AdmonishmentId, Admonishment> = BTreeMap::new();
        let mut accepted: BTreeMap<AdmonishmentId, usize> = BTreeMap::new();
        for a in triggers {
            let Some(body) = policy_trigger(a) else { continue };
            let AdmonishmentCommand::Trigger { admonishment, publication, unit, .. } = &body else {
                continue;
            };
            let (stream, expected) = (admonishment.clone(), admonishment_id(&publication.publication, unit));
            let state = streams.entry(stream.clone()).or_default();
            let stamp = Stamp { at: now, actor: actor.clone() };
            if let Ok(events) = state.decide(Command::new(stamp, body), &services) {
                prop_assert_eq!(Some(&stream), expected.as_ref().ok());
                *accepted.entry(stream).or_default() += 1;
                for event in events {
                    state.apply(event);
                }
            }
        }
        prop_assert!(accepted.values().all(|n| *n == 1));
    }
}
