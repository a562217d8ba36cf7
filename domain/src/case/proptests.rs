//! Property: any sequence of case commands never panics and never breaks the invariants —
//! a case is never closed while an investigation or a repair item is open, and never without
//! system repair (a repair item closed, or no repair needed on record); a relapse after
//! closure reopens it; a dismissed clue is never opened; repair codes are unique; and a
//! refused command records nothing.

use chrono::{DateTime, Duration, Utc};
use cqrs_es::Aggregate;
use proptest::prelude::*;

use super::*;
use crate::directory::StaticDirectory;
use crate::settings::Field;
use crate::values::{CampaignId, CaseId, ClueId, ItemCode, PersonId, Text, UnitId, Yuan};
use crate::{Command, Stamp};

fn body(kind: u8, a: u8, b: u8) -> Option<CaseCommand> {
    let track = if a & 1 == 0 {
        InvestigationTrack::Direct
    } else {
        InvestigationTrack::Supervisory
    };
    let code = ItemCode::parse(format!("YB-2026-{:04}", b % 3)).ok()?;
    let text = Text::parse(format!("text {a} {b}")).ok()?;
    let unit = |n: u8| UnitId::parse(format!("unit-{}", n % 3)).ok();
    Some(match kind % 13 {
        0 => CaseCommand::RegisterClue {
            campaign: CampaignId::parse("qunfu-2026").ok()?,
            case: CaseId::parse("case-p").ok()?,
            clue: ClueId::parse("clue-p").ok()?,
            source: if a & 1 == 0 {
                ClueSource::Inspection
            } else {
                ClueSource::Audit
            },
            field: Field::ElderlyCare,
            summary: text,
        },
        1 => CaseCommand::OpenCase {
            subject_unit: UnitId::parse("subject").ok()?,
            supervising_unit: UnitId::parse("supervisor").ok()?,
        },
        2 => CaseCommand::StartInvestigation { track },
        3 => CaseCommand::ConcludeInvestigation {
            track,
            findings: text,
            persons_named: (0..b % 3)
                .filter_map(|n| PersonId::parse(format!("p-{}", n & a & 1)).ok())
                .collect(),
            amount_involved: Yuan::from_fen(u64::from(a) * 1_000 + u64::from(b)),
            disposition: Disposition::None,
        },
        4 => CaseCommand::SpawnRepairItem { code, title: text },
        5 => CaseCommand::RecordRepairItemClosed { code },
        6 => CaseCommand::CloseCase,
        7 => CaseCommand::RecordRepairItemReopened { code },
        8 => CaseCommand::RecordRepairItemWithdrawn { code, reason: text },
        9 => CaseCommand::PublishTypicalCase {
            title: text.clone(),
            summary: text,
        },
        10 => CaseCommand::DismissClue { reasons: text },
        11 => CaseCommand::RecordNoRepairNeeded { reasons: text },
        _ => CaseCommand::RecordJointTeam {
            units: [unit(a)?, unit(b)?, unit(a / 3)?].to_vec(),
        },
    })
}

/// A head start, so that random steps after it close, relapse and reopen often: nothing (0);
/// register, open, start and conclude both investigations (1); and then spawn repair item
/// `YB-2026-0000` and record it closed, one step from closing (2).
fn prefix(kind: u8) -> Vec<(u8, u8, u8)> {
    let investigated = [
        (0, 0, 0),
        (1, 0, 0),
        (2, 0, 0),
        (2, 1, 0),
        (3, 0, 0),
        (3, 1, 0),
    ];
    let repaired = [(4, 0, 0), (5, 0, 0)];
    match kind % 3 {
        0 => vec![],
        1 => investigated.to_vec(),
        _ => investigated.into_iter().chain(repaired).collect(),
    }
}

/// Closing is allowed in `case`: the rule the property holds the aggregate to, stated apart
/// from the aggregate's own helpers.
fn may_close(case: &Case) -> bool {
    let concluded = case.direct.is_concluded() && case.supervisory.is_concluded();
    let none_open = case.repair_items.iter().all(|i| i.closed || i.withdrawn);
    let repaired = case.no_repair_needed.is_some()
        || case.repair_items.iter().any(|i| i.closed && !i.withdrawn);
    concluded && none_open && repaired
}

fn check_invariants(case: &Case) -> Result<(), TestCaseError> {
    if case.status.is_closed() {
        prop_assert!(may_close(case), "closed without its conditions: {case:?}");
        prop_assert!(
            case.repair_items.iter().all(|i| i.closed || i.withdrawn),
            "closed while a repair item is open"
        );
        prop_assert!(
            case.no_repair_needed.is_some() || case.repair_items.iter().any(|i| i.closed),
            "closed without a repair item or a no-repair record"
        );
        prop_assert!(case.closed_at.is_some());
    } else {
        prop_assert!(case.closed_at.is_none());
    }
    if case.status == CaseStatus::Published {
        prop_assert!(case.typical.is_some());
    }
    if case.no_repair_needed.is_some() {
        prop_assert!(case.standing_repair_items().is_empty());
    }
    prop_assert!(case.repair_items.iter().all(|i| !(i.closed && i.withdrawn)));
    if case.status == CaseStatus::ClueDismissed {
        prop_assert!(case.dismissal.is_some() && case.subject_unit.is_none());
    }
    if !case.joint_team.is_empty() {
        prop_assert!(case.joint_team.len() >= 2);
    }
    for track in InvestigationTrack::ALL {
        if let Investigation::Concluded { persons_named, .. } = case.investigation(track) {
            let mut distinct = persons_named.clone();
            distinct.sort();
            distinct.dedup();
            prop_assert_eq!(distinct.len(), persons_named.len());
        }
    }
    let mut codes: Vec<_> = case.repair_items.iter().map(|i| i.code.clone()).collect();
    codes.sort();
    codes.dedup();
    prop_assert_eq!(
        codes.len(),
        case.repair_items.len(),
        "duplicate repair item"
    );
    if case.status == CaseStatus::None {
        prop_assert!(case.clue.is_none());
    }
    Ok(())
}

proptest! {
    #[test]
    fn random_case_commands_keep_the_invariants(
        head_start in any::<u8>(),
        steps in prop::collection::vec((any::<u8>(), any::<u8>(), any::<u8>()), 0..60)
    ) {
        let services = crate::testing::services(StaticDirectory::default()).0;
        let start: DateTime<Utc> = "2026-03-01T00:00:00Z".parse().map_err(|_| TestCaseError::fail("instant"))?;
        let actor = PersonId::parse("sec").map_err(|_| TestCaseError::fail("id"))?;
        let mut case = Case::default();
        for (i, (kind, a, b)) in prefix(head_start).into_iter().chain(steps).enumerate() {
            let Some(body) = body(kind, a, b) else { continue };
            let relapse = matches!(body, CaseCommand::RecordRepairItemReopened { .. });
            let stamp = Stamp { at: start + Duration::hours(i as i64), actor: actor.clone() };
            let before = case.clone();
            match case.decide(Command::new(stamp, body), &services) {
                Ok(events) => {
                    prop_assert!(!events.is_empty());
                    // A relapse reopens a closed case, and only a closed one.
                    let reopened = events.iter().any(|e| matches!(e, CaseEvent::CaseReopened { .. }));
                    prop_assert_eq!(reopened, relapse && before.status.is_closed());
                    for event in events {
                        if matches!(event, CaseEvent::CaseClosed { .. }) {
                            prop_assert!(may_close(&case), "closed against the rule");
                        }
                        if matches!(event, CaseEvent::CaseOpened { .. }) {
                            prop_assert!(case.dismissal.is_none(), "a dismissed clue opened");
                        }
                        case.apply(event);
                    }
                    if reopened {
                        prop_assert_eq!(case.status, CaseStatus::Open);
                    }
                }
                Err(error) => {
                    prop_assert!(error.code().starts_with("case."));
                    prop_assert_eq!(&case, &before);
                    if error.code() == "case.not_ready_to_close" {
                        prop_assert!(!may_close(&case));
                    }
                }
            }
            check_invariants(&case)?;
        }
    }
}
