//! The accountability register (问责): the two cases the policy proposed at the second
//! admonishment of the county hospital — its head's, decided with an admonishing talk, and the
//! responsible person's, still open — as computed by hand.

use rectiflow_domain::accountability::{
    AccountabilityStatus, AdmonishmentBasis, Ground, Outcome, Role,
};
use rectiflow_domain::values::{AdmonishmentId, ItemCode};
use rectiflow_projections::accountability_register::{
    AccountabilityEntry, AccountabilityRegister, Proposer,
};
use rectiflow_tests::{shanghai, Store};

use super::{decode, last_positions, last_versions, project};
use crate::accountability::{CASE, FIRST, RESPONSIBLE_CASE, SECOND};
use crate::world::World;

/// The second admonishment within 182 days: the manual one, triggered on 2 April at 10:00,
/// and the policy's at the April bulletin, resting on its cut-off (1 May, 00:00).
fn repeated(role: Role) -> Ground {
    let basis = |id: &str, cut_off| AdmonishmentBasis {
        admonishment: AdmonishmentId::parse(id).expect("a valid AdmonishmentId"),
        cut_off,
    };
    Ground::RepeatedAdmonishment {
        earlier: basis(FIRST, shanghai(2026, 4, 2, 10, 0)),
        later: basis(SECOND, shanghai(2026, 5, 1, 0, 0)),
        role,
    }
}

pub async fn the_accountability_register_shows_each_case_and_its_decision<S: Store>(w: &World<S>) {
    let mut rows = decode::<AccountabilityRegister>(&project::<AccountabilityRegister, S>(w).await);
    rows.sort_by(|a, b| a.case.cmp(&b.case));
    let last = last_positions(w.store(), "accountability").await;
    let position = |id: &str| *last.get(id).expect("the case's events");
    let versions = last_versions(w.store(), "accountability").await;
    let version = |id: &str| *versions.get(id).expect("the case's events");

    // The head (一把手), proposed by the policy on 6 May at 09:10, decided by discipline
    // inspection on 20 May: 诫勉谈话, which deducts from the hospital.
    let head = AccountabilityEntry {
        case: CASE.into(),
        campaign: "qunfu-2026".into(),
        person: "hosp-liu".into(),
        unit: "county-hospital".into(),
        grounds: vec![repeated(Role::UnitHead)],
        proposed_by: "policy:repeated-admonishment".into(),
        proposer: Proposer::Policy,
        proposed_at: shanghai(2026, 5, 6, 9, 10),
        referral_window_days: Some(182),
        state: AccountabilityStatus::Decided,
        outcome: Some(Outcome::AdmonishingTalk),
        deducts: true,
        fault_tolerance_cause: None,
        fault_tolerance_decision: None,
        decided_by: Some("jw-he".into()),
        decided_at: Some(shanghai(2026, 5, 20, 10, 0)),
        withdrawn_at: None,
        position: position(CASE),
        version: version(CASE),
    };
    // The responsible person of the three overdue April items, on a case of their own: open.
    let responsible = AccountabilityEntry {
        case: RESPONSIBLE_CASE.into(),
        person: "dr-wang".into(),
        grounds: vec![repeated(Role::ResponsiblePerson {
            items: ["YB-2026-0004", "YB-2026-0005", "YB-2026-0006"]
                .into_iter()
                .map(|code| ItemCode::parse(code).expect("a valid ItemCode"))
                .collect(),
        })],
        state: AccountabilityStatus::Proposed,
        outcome: None,
        deducts: false,
        decided_by: None,
        decided_at: None,
        position: position(RESPONSIBLE_CASE),
        version: version(RESPONSIBLE_CASE),
        ..head.clone()
    };
    // `accountability~dr-wang~…` sorts before `accountability~hosp-liu~…`.
    assert_eq!(rows, vec![responsible, head]);
}
