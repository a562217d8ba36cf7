//! The policies over the story's whole log (DOMAIN.md "Admonishment and accountability"): the
//! admonishment policy admonishes the county hospital at the May bulletin — three items
//! overdue in full, and last of the ranking in April and in May — and leaves April alone (the
//! story's own trigger holds that stream); the repeated-admonishment policy then proposes the
//! hospital's head on the May occasion (the April case against him is decided) but not the
//! responsible doctor (his April case is still open), and leaves the April occasion's cases as
//! the story made them. Run again from position 0 by other processes at the same time, neither
//! writes anything. Each policy runs as two processes at once throughout.

use rectiflow_domain::accountability::{Accountability, AccountabilityEvent, Ground, Role};
use rectiflow_domain::admonishment::{Admonishment, AdmonishmentRule, Basis};
use rectiflow_domain::values::{AccountabilityId, AdmonishmentId};
use rectiflow_engine::CancellationToken;
use rectiflow_projections::item_history::ItemHistory;
use rectiflow_projections::policies::accountability::{self, AccountabilityPolicy};
use rectiflow_projections::policies::admonishment::{self, AdmonishmentPolicy};
use rectiflow_tests::{person, Store};
use std::time::Duration;

use crate::accountability::{CASE, RESPONSIBLE_CASE, SECOND};
use crate::projecting::{project_to_head, run_to_head};
use crate::world::World;

/// The hospital's admonishment at the May bulletin.
pub const MAY: &str = "bulletin~qunfu-2026~2026-05~county~county-hospital";
/// Its head's accountability case on that occasion.
pub const HEAD_CASE: &str =
    "accountability~hosp-liu~bulletin~qunfu-2026~2026-05~county~county-hospital";

/// The events of a type in the log, by stream id.
async fn events_of<S: Store>(store: &S, event_type: &str) -> Vec<String> {
    store
        .read_log(0, u32::MAX)
        .await
        .expect("the log")
        .into_iter()
        .filter(|e| e.event.event_type == event_type)
        .map(|e| e.event.stream.stream_id)
        .collect()
}

fn admonishing<S: Store>(w: &World<S>, stop: &CancellationToken) -> AdmonishmentPolicy<S> {
    AdmonishmentPolicy::new(
        w.exec.clone(),
        w.services.clone(),
        Duration::from_secs(30),
        stop.clone(),
    )
    .expect("the admonishment policy")
}

fn proposing<S: Store>(w: &World<S>) -> AccountabilityPolicy<S> {
    AccountabilityPolicy::new(w.exec.clone(), w.services.clone()).expect("the policy")
}

pub async fn the_policies_admonish_and_propose_once_each<S: Store>(w: &World<S>) {
    let store = w.store();
    w.log_point().await;
    let stop = CancellationToken::new();
    project_to_head::<S, ItemHistory>(store).await;
    let triggered_before = events_of(store, "rectiflow.admonishment.triggered").await;
    let proposed_before = events_of(store, "rectiflow.accountability.proposed").await;
    assert!(triggered_before.contains(&SECOND.to_owned()));

    // Two processes at once, each under its own checkpoint: natural keys, not a lease, keep
    // them from acting twice.
    tokio::join!(
        run_to_head(store, admonishment::NAME, admonishing(w, &stop)),
        run_to_head(store, "policy-admonishment-b", admonishing(w, &stop)),
    );
    // Every committed event holds a position before the log is read (PostgreSQL's sequencer).
    w.log_point().await;
    let triggered = events_of(store, "rectiflow.admonishment.triggered").await;
    assert_eq!(
        triggered[triggered_before.len()..],
        [MAY.to_owned()],
        "one admonishment, of the hospital at May"
    );
    let (may, _) = w.exec.load::<Admonishment>(MAY).await.expect("May's");
    match &may.basis {
        Some(Basis::Policy {
            publication,
            findings,
            ..
        }) => {
            assert_eq!(
                publication.publication.as_str(),
                "bulletin~qunfu-2026~2026-05~county"
            );
            let rules: Vec<AdmonishmentRule> = findings.iter().map(|f| f.rule()).collect();
            assert_eq!(
                rules,
                [
                    AdmonishmentRule::OverdueItems,
                    AdmonishmentRule::BottomOfRanking
                ]
            );
        }
        other => panic!("May's basis: {other:?}"),
    }
    let items: Vec<&str> = may.items.iter().map(|c| c.as_str()).collect();
    assert_eq!(items, ["YB-2026-0004", "YB-2026-0005", "YB-2026-0006"]);

    // The repeated-admonishment policy: its April occasion is the story's (both cases exist);
    // May's proposes the head alone.
    w.log_point().await;
    tokio::join!(
        run_to_head(store, accountability::NAME, proposing(w)),
        run_to_head(store, "policy-repeated-admonishment-b", proposing(w)),
    );
    w.log_point().await;
    let proposed = events_of(store, "rectiflow.accountability.proposed").await;
    let may_id = AdmonishmentId::parse(MAY).expect("an id");
    let head_case = AccountabilityId::for_occasion(&person("hosp-liu"), &may_id);
    assert_eq!(head_case.as_str(), HEAD_CASE);
    assert_eq!(
        proposed[proposed_before.len()..],
        [head_case.as_str().to_owned()],
        "the head on the May occasion, and no one else"
    );
    assert!(proposed_before.contains(&CASE.to_owned()));
    assert!(proposed_before.contains(&RESPONSIBLE_CASE.to_owned()));
    let (case, _) = w
        .exec
        .load::<Accountability>(head_case.as_str())
        .await
        .expect("the case");
    assert!(case.is_open());
    let proposal = store
        .read_log(0, u32::MAX)
        .await
        .expect("the log")
        .into_iter()
        .find(|e| e.event.stream.stream_id == head_case.as_str())
        .map(|e| serde_json::from_value::<AccountabilityEvent>(e.event.payload))
        .expect("the case's first event")
        .expect("an accountability event");
    match &proposal {
        AccountabilityEvent::Proposed { grounds, by, .. } => {
            assert_eq!(by.as_str(), accountability::ACTOR);
            match grounds.as_slice() {
                [Ground::RepeatedAdmonishment {
                    earlier,
                    later,
                    role: Role::UnitHead,
                }] => {
                    assert_eq!(earlier.admonishment.as_str(), SECOND);
                    assert_eq!(later.admonishment.as_str(), MAY);
                }
                other => panic!("grounds: {other:?}"),
            }
        }
        other => panic!("not a proposal: {other:?}"),
    }

    // Two more processes of each policy, from position 0 at the same time: nothing new.
    let log_before = store.head().await.expect("the head");
    w.log_point().await;
    tokio::join!(
        run_to_head(store, "policy-admonishment-c", admonishing(w, &stop)),
        run_to_head(store, "policy-admonishment-d", admonishing(w, &stop)),
        run_to_head(store, "policy-repeated-admonishment-c", proposing(w)),
        run_to_head(store, "policy-repeated-admonishment-d", proposing(w)),
    );
    w.log_point().await;
    assert_eq!(
        store.head().await.expect("the head"),
        log_before,
        "a replay by other processes acts on nothing twice"
    );
    stop.cancel();
}
