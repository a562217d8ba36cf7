//! Property: any sequence of accountability commands never panics and keeps the invariants —
//! no recorded ruling ever exempts or mitigates subjective wrongdoing, an exemption comes only
//! with 不予问责, a case is decided at most once and never after a withdrawal, a proposal's
//! repeated admonishments are 0 < gap ≤ the window apart, `deducts()` is exactly "decided and
//! held accountable", and a refused command records nothing.

use chrono::{DateTime, Duration, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use proptest::prelude::*;

use super::*;
use crate::fault::{FaultCause, FaultDecision};
use crate::values::{AccountabilityId, AdmonishmentId, CampaignId, PersonId, Text, UnitId};
use crate::{Command, Stamp};

const CAUSES: [FaultCause; 4] = [
    FaultCause::ForceMajeure,
    FaultCause::ManagementError,
    FaultCause::InexperienceInReform,
    FaultCause::SubjectiveWrongdoing,
];
const DECISIONS: [FaultDecision; 3] = [
    FaultDecision::Exempt,
    FaultDecision::Mitigate,
    FaultDecision::None,
];
const OUTCOMES: [Outcome; 6] = [
    Outcome::CriticismAndEducation,
    Outcome::AdmonishingTalk,
    Outcome::PublicCriticism,
    Outcome::OrganisationalHandling,
    Outcome::DisciplinaryReferral,
    Outcome::NotHeldAccountable,
];

fn body(kind: u8, a: u8, b: u8, gap_days: i64) -> Option<AccountabilityCommand> {
    let text = Text::parse(format!("reason {a}")).ok()?;
    let reasons = if b.is_multiple_of(5) {
        vec![]
    } else {
        vec![text.clone()]
    };
    Some(match kind % 3 {
        0 => {
            let person = PersonId::parse("cadre-p").ok()?;
            let later = AdmonishmentId::parse(format!("adm-{}", b % 2)).ok()?;
            let cut_off: DateTime<Utc> = "2026-03-31T16:00:00Z".parse().ok()?;
            let case = if a.is_multiple_of(4) {
                AccountabilityId::parse("acc-other").ok()?
            } else {
                AccountabilityId::for_occasion(&person, &later)
            };
            AccountabilityCommand::Propose(Proposal {
                case,
                campaign: CampaignId::parse("qunfu-2026").ok()?,
                person,
                unit: UnitId::parse("unit-p").ok()?,
                grounds: vec![Ground::RepeatedAdmonishment {
                    earlier: AdmonishmentBasis {
                        admonishment: AdmonishmentId::parse("adm-0").ok()?,
                        cut_off,
                    },
                    later: AdmonishmentBasis {
                        admonishment: later,
                        cut_off: cut_off + Duration::days(gap_days),
                    },
                    role: Role::UnitHead,
                }],
            })
        }
        1 => AccountabilityCommand::Decide {
            outcome: OUTCOMES[usize::from(a) % OUTCOMES.len()],
            reasons,
            fault_tolerance: (!b.is_multiple_of(4)).then(|| FaultToleranceRuling {
                cause: CAUSES[usize::from(b) % CAUSES.len()],
                decision: DECISIONS[usize::from(a / 7) % DECISIONS.len()],
                reason: text,
            }),
        },
        _ => AccountabilityCommand::Withdraw { reasons },
    })
}

proptest! {
    #[test]
    fn random_accountability_commands_keep_the_invariants(
        steps in prop::collection::vec((any::<u8>(), any::<u8>(), any::<u8>(), -10i64..400), 0..30)
    ) {
        // The person proposed and the unit charged are the organisation's.
        let services = crate::testing::services(
            crate::testing::officer_directory()
                .with_head(crate::testing::fixtures::unit("county-hospital"), crate::testing::fixtures::person("hospital-head-liu")),
        )
        .0;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let actor = PersonId::parse("actor").map_err(|_| TestCaseError::fail("id"))?;
        let mut now: DateTime<Utc> = "2026-07-02T01:00:00Z"
            .parse()
            .map_err(|_| TestCaseError::fail("instant"))?;
        let mut case = Accountability::default();
        let mut log = Vec::new();
        for (kind, a, b, gap) in steps {
            now += Duration::hours(1);
            let Some(body) = body(kind, a, b, gap) else { continue };
            let before = case.clone();
            let command = Command::new(Stamp { at: now, actor: actor.clone() }, body);
            let (result, events) = runtime.block_on(async {
                let sink = EventSink::<Accountability>::default();
                let result = case.handle(command, &services, &sink).await;
                (result, sink.collect().await)
            });
            match result {
                Ok(()) => prop_assert_eq!(events.len(), 1),
                Err(error) => {
                    prop_assert!(error.code().starts_with("accountability."));
                    prop_assert!(events.is_empty());
                    prop_assert_eq!(&case, &before);
                }
            }
            for event in &events {
                match event {
                    AccountabilityEvent::Decided { outcome, fault_tolerance, deducts, .. } => {
                        prop_assert_eq!(before.status, AccountabilityStatus::Proposed);
                        prop_assert_eq!(*deducts, *outcome != Outcome::NotHeldAccountable);
                        if let Some(ruling) = fault_tolerance {
                            prop_assert!(
                                ruling.cause != FaultCause::SubjectiveWrongdoing
                                    || ruling.decision == FaultDecision::None,
                                "subjective wrongdoing excused"
                            );
                            if ruling.decision == FaultDecision::Exempt {
                                prop_assert_eq!(*outcome, Outcome::NotHeldAccountable);
                            }
                        }
                    }
                    AccountabilityEvent::Proposed { grounds, referral_window_days, .. } => {
                        prop_assert_eq!(*referral_window_days, Some(182));
                        for ground in grounds {
                            if let Ground::RepeatedAdmonishment { earlier, later, .. } = ground {
                                let gap = later.cut_off - earlier.cut_off;
                                prop_assert!(gap > Duration::zero() && gap <= Duration::days(182));
                            }
                        }
                    }
                    AccountabilityEvent::Withdrawn { .. } => {
                        prop_assert_eq!(before.status, AccountabilityStatus::Proposed);
                    }
                }
            }
            log.extend(events);
            prop_assert_eq!(
                case.deducts(),
                case.decision.as_ref().is_some_and(|d| d.outcome != Outcome::NotHeldAccountable)
            );
        }
        let decisions = log
            .iter()
            .filter(|e| matches!(e, AccountabilityEvent::Decided { .. }))
            .count();
        prop_assert!(decisions <= 1, "decided {} times", decisions);
    }
}
