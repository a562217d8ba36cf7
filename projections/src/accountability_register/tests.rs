//! The accountability register's fold, without a database: events in, rows out,
//! hand-computed.

use rectiflow_domain::accountability::{
    AccountabilityEpisode, AccountabilityEvent, AccountabilityStatus, AdmonishmentBasis, Ground,
    Outcome, RecordedRuling, Role,
};
use rectiflow_domain::fault::{FaultCause, FaultDecision};
use rectiflow_domain::testing::fixtures::{campaign, code, local, person, text, unit};
use rectiflow_domain::values::{AccountabilityId, AdmonishmentId};
use rectiflow_engine::LoggedEvent;

use super::{AccountabilityEntry, AccountabilityRegister, Proposer};
use crate::projector::RowProjection;

const ID: &str = "accountability~hosp-liu~adm-2026-0002";

fn logged(position: u64) -> LoggedEvent {
    crate::testing::logged("accountability", ID, position)
}

fn repeated() -> Ground {
    let basis = |id: &str, at| AdmonishmentBasis {
        admonishment: AdmonishmentId::parse(id).expect("an admonishment"),
        cut_off: at,
    };
    Ground::RepeatedAdmonishment {
        earlier: basis("adm-2026-0001", local(2026, 4, 2, 10, 0)),
        later: basis("adm-2026-0002", local(2026, 5, 1, 0, 0)),
        role: Role::UnitHead,
    }
}

fn proposed(by: &str, grounds: Vec<Ground>, window: Option<u32>) -> AccountabilityEvent {
    AccountabilityEvent::Proposed {
        case: AccountabilityId::parse(ID).expect("a case"),
        campaign: campaign(),
        person: person("hosp-liu"),
        unit: unit("county-hospital"),
        grounds,
        referral_window_days: window,
        by: person(by),
        at: local(2026, 5, 6, 9, 10),
    }
}

fn decided(outcome: Outcome, ruling: Option<(FaultCause, FaultDecision)>) -> AccountabilityEvent {
    AccountabilityEvent::Decided {
        outcome,
        reasons: vec![text("负主要领导责任")],
        fault_tolerance: ruling.map(|(cause, decision)| RecordedRuling {
            episode: AccountabilityEpisode::Accountability {
                case: AccountabilityId::parse(ID).expect("a case"),
            },
            cause,
            decision,
            reason: text("改革创新经验不足"),
        }),
        deducts: outcome.holds_accountable(),
        by: person("jw-he"),
        at: local(2026, 5, 20, 10, 0),
    }
}

fn fold(events: Vec<AccountabilityEvent>) -> Option<AccountabilityEntry> {
    events
        .into_iter()
        .enumerate()
        .fold(None, |row, (i, event)| {
            AccountabilityRegister::fold(row, ID, event, &logged(i as u64 + 1))
        })
}

fn row(events: Vec<AccountabilityEvent>) -> AccountabilityEntry {
    fold(events).expect("a row")
}

#[test]
fn a_case_proposed_by_the_policy_and_decided_with_an_admonishing_talk() {
    let entry = row(vec![
        proposed("policy:repeated-admonishment", vec![repeated()], Some(182)),
        decided(Outcome::AdmonishingTalk, None),
    ]);
    let expected = AccountabilityEntry {
        case: ID.into(),
        campaign: "qunfu-2026".into(),
        person: "hosp-liu".into(),
        unit: "county-hospital".into(),
        grounds: vec![repeated()],
        proposed_by: "policy:repeated-admonishment".into(),
        proposer: Proposer::Policy,
        proposed_at: local(2026, 5, 6, 9, 10),
        referral_window_days: Some(182),
        state: AccountabilityStatus::Decided,
        outcome: Some(Outcome::AdmonishingTalk),
        deducts: true,
        fault_tolerance_cause: None,
        fault_tolerance_decision: None,
        decided_by: Some("jw-he".into()),
        decided_at: Some(local(2026, 5, 20, 10, 0)),
        withdrawn_at: None,
        position: 2,
        version: 2,
    };
    assert_eq!(entry, expected);
}

#[test]
fn a_secretariats_proposal_stays_open_until_decided_or_withdrawn() {
    let grounds = vec![Ground::FalseSignOff {
        item: code("YB-2026-0001"),
        facts: text("整改未完成即申请销号"),
    }];
    let open = row(vec![proposed("sec-li", grounds.clone(), None)]);
    assert_eq!(
        (open.proposer, open.state, open.outcome, open.deducts),
        (
            Proposer::Secretariat,
            AccountabilityStatus::Proposed,
            None,
            false
        )
    );
    assert_eq!(open.referral_window_days, None);
    assert_eq!(open.grounds, grounds);
    let withdrawn = row(vec![
        proposed("sec-li", grounds.clone(), None),
        AccountabilityEvent::Withdrawn {
            reasons: vec![text("提议有误")],
            by: person("sec-li"),
            at: local(2026, 5, 7, 9, 0),
        },
    ]);
    assert_eq!(withdrawn.state, AccountabilityStatus::Withdrawn);
    assert_eq!(withdrawn.withdrawn_at, Some(local(2026, 5, 7, 9, 0)));
    assert_eq!((withdrawn.decided_at, withdrawn.outcome), (None, None));
}

#[test]
fn an_exemption_applied_with_not_held_accountable_deducts_nothing() {
    let entry = row(vec![
        proposed("sec-li", vec![repeated()], Some(182)),
        decided(
            Outcome::NotHeldAccountable,
            Some((FaultCause::InexperienceInReform, FaultDecision::Exempt)),
        ),
    ]);
    assert_eq!(entry.outcome, Some(Outcome::NotHeldAccountable));
    assert!(!entry.deducts);
    assert_eq!(
        (entry.fault_tolerance_cause, entry.fault_tolerance_decision),
        (
            Some(FaultCause::InexperienceInReform),
            Some(FaultDecision::Exempt)
        )
    );
}

#[test]
fn a_row_survives_its_trip_through_the_table_as_json() {
    let entry = row(vec![
        proposed("policy:repeated-admonishment", vec![repeated()], Some(182)),
        decided(
            Outcome::PublicCriticism,
            Some((FaultCause::ManagementError, FaultDecision::Mitigate)),
        ),
    ]);
    let json = serde_json::to_value(&entry).expect("serialises");
    let fields = json.as_object().expect("an object").clone();
    AccountabilityRegister::TABLE
        .upsert(&fields)
        .expect("every field fits its column");
    let back: AccountabilityEntry = serde_json::from_value(json).expect("reads back");
    assert_eq!(back, entry);
}

#[test]
fn events_of_a_case_never_proposed_make_no_row() {
    assert_eq!(fold(vec![decided(Outcome::AdmonishingTalk, None)]), None);
}
