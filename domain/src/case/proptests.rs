//! Property: any sequence of case commands never panics and never breaks the invariants —
//! a case never closes with an open investigation or an open repair item, repair codes are
//! unique, and a refused command records nothing.

use chrono::{DateTime, Duration, Utc};
use cqrs_es::Aggregate;
use proptest::prelude::*;

use super::*;
use crate::directory::StaticDirectory;
use crate::settings::Field;
use crate::values::{CampaignId, CaseId, ClueId, ItemCode, PersonId, Text, UnitId};
use crate::{Command, Stamp};

fn body(kind: u8, a: u8, b: u8) -> Option<CaseCommand> {
    let track = if a & 1 == 0 {
        InvestigationTrack::Direct
    } else {
        InvestigationTrack::Supervisory
    };
    let code = ItemCode::parse(format!("YB-2026-{:04}", b % 4)).ok()?;
    let text = Text::parse(format!("text {a} {b}")).ok()?;
    Some(match kind % 10 {
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
            disposition: Disposition::None,
        },
        4 => CaseCommand::SpawnRepairItem { code, title: text },
        5 => CaseCommand::RecordRepairItemClosed { code },
        6 => CaseCommand::CloseCase,
        7 => CaseCommand::RecordRepairItemReopened { code },
        8 => CaseCommand::RecordRepairItemWithdrawn { code, reason: text },
        _ => CaseCommand::PublishTypicalCase {
            title: text.clone(),
            summary: text,
        },
    })
}

fn check_invariants(case: &Case) -> Result<(), TestCaseError> {
    if matches!(case.status, CaseStatus::Closed | CaseStatus::Published) {
        prop_assert!(
            case.open_investigations().is_empty(),
            "closed with open investigation"
        );
        prop_assert!(
            case.open_repair_items().is_empty(),
            "closed with open repair item"
        );
        prop_assert!(case.closed_at.is_some());
    }
    prop_assert_eq!(case.typical.is_some(), case.status == CaseStatus::Published);
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
        steps in prop::collection::vec((any::<u8>(), any::<u8>(), any::<u8>()), 0..60)
    ) {
        let services = crate::testing::services(StaticDirectory::default()).0;
        let start: DateTime<Utc> = "2026-03-01T00:00:00Z".parse().map_err(|_| TestCaseError::fail("instant"))?;
        let actor = PersonId::parse("sec").map_err(|_| TestCaseError::fail("id"))?;
        let mut case = Case::default();
        for (i, (kind, a, b)) in steps.into_iter().enumerate() {
            let Some(body) = body(kind, a, b) else { continue };
            let stamp = Stamp { at: start + Duration::hours(i as i64), actor: actor.clone() };
            let before = case.clone();
            match case.decide(Command::new(stamp, body), &services) {
                Ok(events) => {
                    prop_assert!(!events.is_empty());
                    for event in events {
                        if matches!(event, CaseEvent::CaseClosed { .. }) {
                            prop_assert!(before.open_investigations().is_empty());
                            prop_assert!(before.open_repair_items().is_empty());
                        }
                        case.apply(event);
                    }
                }
                Err(error) => {
                    prop_assert!(error.code().starts_with("case."));
                    prop_assert_eq!(&case, &before);
                }
            }
            check_invariants(&case)?;
        }
    }
}
