//! The repair-items policy (issue #10) on the story's log: a case spawns two repair items,
//! which the policy registers and assigns; their closure and withdrawal, and a relapse after
//! the case closed, are noted on the case — each once. Run again from position 0 it writes
//! nothing; three instances at once (two sharing its name, one a twin under another name, as
//! a reset or a second deployment would be) write each effect once.

use rectiflow_domain::case::{
    Case, CaseCommand, CaseEvent, CaseStatus, ClueSource, Disposition, InvestigationTrack,
};
use rectiflow_domain::item::{
    Item, ItemCommand, ItemEvent, ItemSource, ItemState, ReinspectionOutcome, Severity,
    WithdrawalGround,
};
use rectiflow_domain::organisation::{Organisation, OrganisationCommand};
use rectiflow_domain::settings::Field;
use rectiflow_domain::values::{CaseId, ClueId, Deadline, ItemCode, Yuan};
use rectiflow_engine::StreamRef;
use rectiflow_projections::policies::repair_items::{RepairItems, RepairTerms, NAME};
use rectiflow_tests::{person, shanghai, unit, Store};

use crate::policy_runs::{
    actors_of, count_in_log, decoded, last_ids, latest_position, run_until, version_of,
};
use crate::world::{campaign_id, sign_off, text, World};

const CASE: &str = "case-2026-003";
const REPAIR: &str = "YB-2026-0100";
const DUPLICATE: &str = "YB-2026-0101";
const LATER: &str = "YB-2026-0102";
/// The case's items are due this many days after they were spawned.
const TERMS: RepairTerms = RepairTerms {
    deadline_days: 60,
    severity: Severity::Medium,
};

fn code(c: &str) -> ItemCode {
    ItemCode::parse(c).expect("a valid ItemCode")
}

fn case() -> StreamRef {
    StreamRef::new("case", CASE)
}

fn item(c: &str) -> StreamRef {
    StreamRef::new("item", c)
}

fn policy<S: Store>(w: &World<S>) -> RepairItems<S> {
    RepairItems::new(w.exec.clone(), w.services.clone(), TERMS)
}

/// Runs the policy under its name until it has acted on the latest event of `streams`.
async fn run<S: Store>(w: &World<S>, streams: &[StreamRef]) {
    let until = latest_position(w.store(), streams).await;
    run_until(w.store(), vec![(NAME.to_owned(), policy(w))], until).await;
}

async fn case_events<S: Store>(w: &World<S>) -> Vec<CaseEvent> {
    decoded(w.store(), &case()).await
}

/// How many of the case's events are `kind` for repair item `c`.
async fn noted<S: Store>(
    w: &World<S>,
    c: &str,
    kind: fn(&CaseEvent) -> Option<&ItemCode>,
) -> usize {
    case_events(w)
        .await
        .iter()
        .filter(|e| kind(e).is_some_and(|k| k.as_str() == c))
        .count()
}

fn closed(e: &CaseEvent) -> Option<&ItemCode> {
    match e {
        CaseEvent::RepairItemClosed { code, .. } => Some(code),
        _ => None,
    }
}

fn withdrawn(e: &CaseEvent) -> Option<&ItemCode> {
    match e {
        CaseEvent::RepairItemWithdrawn { code, .. } => Some(code),
        _ => None,
    }
}

fn reopened(e: &CaseEvent) -> Option<&ItemCode> {
    match e {
        CaseEvent::RepairItemReopened { code, .. } => Some(code),
        _ => None,
    }
}

fn case_reopened(e: &CaseEvent) -> Option<&ItemCode> {
    match e {
        CaseEvent::CaseReopened { code, .. } => Some(code),
        _ => None,
    }
}

/// The item `c` as the policy registered and assigned it: exactly one registration and one
/// assignment, both by the policy, naming the case and its supervising department.
async fn assert_registered_and_assigned<S: Store>(w: &World<S>, c: &str, deadline: &str) {
    let events: Vec<ItemEvent> = decoded(w.store(), &item(c)).await;
    let registrations = events
        .iter()
        .filter(|e| matches!(e, ItemEvent::ItemRegistered { .. }))
        .count();
    let assignments: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            ItemEvent::ItemAssigned {
                responsible_unit,
                responsible_person,
                deadline,
                ..
            } => Some((
                responsible_unit.clone(),
                responsible_person.clone(),
                *deadline,
            )),
            _ => None,
        })
        .collect();
    assert_eq!(registrations, 1, "{c}: {events:?}");
    assert_eq!(
        assignments,
        vec![(
            unit("health-bureau"),
            person("hb-chen"),
            Deadline::parse(deadline).expect("a deadline")
        )],
        "{c}"
    );
    match &events[0] {
        ItemEvent::ItemRegistered {
            source,
            source_ref,
            task_force,
            ..
        } => {
            assert_eq!(*source, ItemSource::Case);
            assert_eq!(source_ref.as_ref().map(|r| r.as_str()), Some(CASE));
            assert_eq!(task_force.as_str(), "yibao");
        }
        other => panic!("{c} starts with {other:?}"),
    }
    let actors = actors_of(w.store(), &item(c)).await;
    assert_eq!(&actors[..2], &[NAME, NAME], "{c}");
}

/// The streams the policy could write to, and their versions: a run that writes nothing
/// leaves them all as they were.
async fn versions<S: Store>(w: &World<S>) -> Vec<u64> {
    let mut versions = Vec::new();
    for stream in [
        case(),
        StreamRef::new("case", "case-2026-001"),
        item(REPAIR),
        item(DUPLICATE),
        item(LATER),
        item("YB-2026-0003"),
    ] {
        versions.push(version_of(w.store(), &stream).await);
    }
    versions
}

/// `code` acknowledged by the health bureau's head, signed off with `evidence`, and verified
/// by the secretariat.
async fn signed_off<S: Store>(w: &World<S>, code: &str, evidence: &str) {
    w.ok::<Item, _>("hb-chen", code, ItemCommand::Acknowledge)
        .await;
    w.ok::<Item, _>("hb-chen", code, sign_off(evidence)).await;
    w.ok::<Item, _>("sec-zhao", code, ItemCommand::VerifySignOff { note: None })
        .await;
}

pub async fn the_repair_items_policy_acts_once_on_each_fact<S: Store>(w: &World<S>) {
    // The supervising department's head answers for its repair items.
    w.at(shanghai(2026, 8, 3, 9, 0))
        .ok::<Organisation, _>(
            "admin-wu",
            "organisation",
            OrganisationCommand::AppointHead {
                unit: unit("health-bureau"),
                person: person("hb-chen"),
            },
        )
        .await;
    w.ok::<Case, _>(
        "sec-li",
        CASE,
        CaseCommand::RegisterClue {
            campaign: campaign_id(),
            case: CaseId::parse(CASE).expect("a valid CaseId"),
            clue: ClueId::parse("clue-2026-003").expect("a valid ClueId"),
            source: ClueSource::Inspection,
            field: Field::MedicalInsurance,
            summary: text("巡查发现医保结算审核缺位"),
        },
    )
    .await;
    w.ok::<Case, _>(
        "sec-li",
        CASE,
        CaseCommand::OpenCase {
            subject_unit: unit("county-hospital"),
            supervising_unit: unit("health-bureau"),
        },
    )
    .await;
    for track in InvestigationTrack::ALL {
        w.ok::<Case, _>("sec-li", CASE, CaseCommand::StartInvestigation { track })
            .await;
        w.ok::<Case, _>(
            "jw-he",
            CASE,
            CaseCommand::ConcludeInvestigation {
                track,
                findings: text("审核流于形式"),
                persons_named: vec![],
                amount_involved: Yuan::ZERO,
                disposition: Disposition::CriticismAndEducation,
            },
        )
        .await;
    }
    for (c, title) in [
        (REPAIR, "规范医保结算审核"),
        (DUPLICATE, "建立结算复核制度"),
    ] {
        w.ok::<Case, _>(
            "sec-li",
            CASE,
            CaseCommand::SpawnRepairItem {
                code: code(c),
                title: text(title),
            },
        )
        .await;
    }

    // Spawned on Monday 3 August: registered and assigned, due 60 days later.
    run(w, &[case()]).await;
    assert_registered_and_assigned(w, REPAIR, "2026-10-02").await;
    assert_registered_and_assigned(w, DUPLICATE, "2026-10-02").await;

    // The first is signed off; the second withdrawn as its duplicate.
    w.at(shanghai(2026, 8, 4, 9, 0));
    signed_off(w, REPAIR, "audit-rules").await;
    w.ok::<Item, _>(
        "sec-li",
        DUPLICATE,
        ItemCommand::Withdraw {
            ground: WithdrawalGround::Duplicate {
                of: Some(code(REPAIR)),
            },
            reason: text("与规范结算审核重复"),
        },
    )
    .await;
    run(w, &[item(REPAIR), item(DUPLICATE)]).await;
    assert_eq!(noted(w, REPAIR, closed).await, 1);
    assert_eq!(noted(w, DUPLICATE, withdrawn).await, 1);
    w.ok::<Case, _>("sec-li", CASE, CaseCommand::CloseCase)
        .await;

    // 回头看 finds a relapse after the case closed: the case reopens, once.
    w.at(shanghai(2026, 8, 17, 9, 0))
        .ok::<Item, _>(
            "sec-zhao",
            REPAIR,
            ItemCommand::RecordReinspection(ReinspectionOutcome::Relapsed {
                findings: text("结算审核再次流于形式"),
                new_deadline: Deadline::parse("2026-10-30").expect("a deadline"),
            }),
        )
        .await;
    run(w, &[item(REPAIR)]).await;
    assert_eq!(noted(w, REPAIR, reopened).await, 1);
    assert_eq!(noted(w, REPAIR, case_reopened).await, 1);
    let (reopened_case, _) = w.exec.load::<Case>(CASE).await.expect("load the case");
    assert_eq!(reopened_case.status, CaseStatus::Open);

    // From position 0 again — a checkpoint reset, however old the causes: nothing new. The
    // story's first case, whose repair item the secretariat registered and noted by hand, is
    // left alone too.
    let before = (versions(w).await, last_ids(w.store()).await);
    let until = latest_position(w.store(), &[item(REPAIR)]).await;
    run_until(
        w.store(),
        vec![(format!("{NAME}:replay"), policy(w))],
        until,
    )
    .await;
    let after = (versions(w).await, last_ids(w.store()).await);
    assert_eq!(after, before, "a replay from 0 wrote something");

    // Two instances under the policy's name and a twin under another, at once, on new facts:
    // the item closes again after its relapse, and a third repair item is spawned.
    w.at(shanghai(2026, 8, 18, 9, 0));
    signed_off(w, REPAIR, "audit-rules-2").await;
    w.ok::<Case, _>(
        "sec-li",
        CASE,
        CaseCommand::SpawnRepairItem {
            code: code(LATER),
            title: text("医保结算数据定期比对"),
        },
    )
    .await;
    let until = latest_position(w.store(), &[item(REPAIR), case()]).await;
    run_until(
        w.store(),
        vec![
            (NAME.to_owned(), policy(w)),
            (NAME.to_owned(), policy(w)),
            (format!("{NAME}:twin"), policy(w)),
        ],
        until,
    )
    .await;
    // Counted in the global log, as every reader sees it: each effect once.
    for (stream, event_type, expected) in [
        (case(), "rectiflow.case.repair_item_closed", 2),
        (case(), "rectiflow.case.repair_item_reopened", 1),
        (case(), "rectiflow.case.repair_item_withdrawn", 1),
        (item(LATER), "rectiflow.item.registered", 1),
        (item(LATER), "rectiflow.item.assigned", 1),
    ] {
        let counted = count_in_log(w.store(), &stream, event_type).await;
        assert_eq!(counted, expected, "{stream} {event_type}");
    }
    assert_eq!(noted(w, REPAIR, closed).await, 2, "each closure once");
    assert_eq!(noted(w, REPAIR, reopened).await, 1);
    assert_registered_and_assigned(w, LATER, "2026-10-17").await;
    let later = w.item(LATER).await;
    assert_eq!(later.state(), ItemState::Assigned);
}
