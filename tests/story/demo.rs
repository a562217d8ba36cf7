//! Not a chapter: the demo campaign, as `rectiflow demo` writes it but at a tenth of its
//! items, on each store. The county organised on 2026-03-02, four months of acts decided a
//! working day at a time, the clock walked by the driver to 2026-07-08 18:00 — and every
//! publication the rhythm owes in that time made by the schedules, the laggard units
//! admonished by the policy at the bulletins, and accountability proposed at a unit's second
//! admonishment.

use std::collections::{BTreeMap, BTreeSet};

use rectiflow::config::Config;
use rectiflow::demo::{self, plan::Scale, plan::LAGGARDS};
use rectiflow::subscriptions::cloudevent::{envelope_schema, source, CloudEvent};
use rectiflow_domain::event::catalogue;
use rectiflow_tests::{Store, StreamRef};

use crate::policy_runs::events_of;
use crate::rhythm::on_both_stores;
use crate::world::World;

const SMALL: Scale = Scale {
    items: 240,
    complaints: 20,
    alerts: 10,
    cases: 2,
};

async fn the_demo_campaign_is_published_by_the_rhythm_and_the_policies<S: Store>(w: &World<S>) {
    let summary = demo::write(w.store(), &Config::default(), 7, SMALL)
        .await
        .expect("the demo campaign");
    assert_eq!(
        summary.ended_at,
        demo::ends_at(),
        "the clock parked at the end"
    );
    // Mondays 2026-03-09 … 2026-07-06, one dispatch per task force each (Labour Day's
    // Monday moves to its next working day, still one).
    assert_eq!(summary.dispatches, 18 * 4, "{summary:?}");
    // The bulletins for March to June (county-wide and per task force), and the first and
    // second quarters' assessments.
    assert_eq!(summary.bulletins, 4 * 5, "{summary:?}");
    assert_eq!(summary.assessments, 2, "{summary:?}");
    assert!(summary.events > 2_500, "{summary:?}");

    // Admonished by the policy, at a bulletin or an assessment: the laggards among them.
    assert!(!summary.admonishments.is_empty(), "{summary:?}");
    for id in &summary.admonishments {
        let events = events_of(w.store(), &StreamRef::new("admonishment", id)).await;
        assert_eq!(events[0].event_type, "rectiflow.admonishment.triggered");
        assert!(
            events[0].metadata["actor"]
                .as_str()
                .is_some_and(|a| a.starts_with("policy:")),
            "{id}: {:?}",
            events[0].metadata
        );
    }
    assert!(
        LAGGARDS
            .iter()
            .any(|unit| summary.admonishments.iter().any(|id| id.ends_with(unit))),
        "a laggard admonished: {:?}",
        summary.admonishments
    );
    // A unit admonished twice within the window: accountability proposed by the policy.
    assert!(!summary.accountability.is_empty(), "{summary:?}");
    let proposed = events_of(
        w.store(),
        &StreamRef::new("accountability", &summary.accountability[0]),
    )
    .await;
    assert!(
        proposed[0].metadata["actor"]
            .as_str()
            .is_some_and(|a| a.starts_with("policy:")),
        "{:?}",
        proposed[0].metadata
    );

    every_event_leaves_valid_against_its_published_schema(w).await;

    // A second demo into the same store is refused: the demo writes into an empty store only.
    let again = demo::write(w.store(), &Config::default(), 7, SMALL).await;
    assert!(
        again.is_err_and(|e| e.to_string().contains("empty store")),
        "refused"
    );
}

/// Every event of the campaign, as a subscriber receives it, validates against the schema the
/// catalogue publishes for its type: the whole CloudEvent, its data closed, so a field missing
/// from the schema — or a sealed one leaking — fails here.
async fn every_event_leaves_valid_against_its_published_schema<S: Store>(w: &World<S>) {
    let validators: BTreeMap<&str, jsonschema::Validator> = catalogue::catalogue()
        .iter()
        .map(|entry| {
            let schema = envelope_schema(entry);
            let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
            (entry.name, validator)
        })
        .collect();
    let mut types = BTreeSet::new();
    let mut after = 0;
    loop {
        let batch = w.store().read_log(after, 1_000).await.expect("the log");
        let Some(last) = batch.last() else {
            break;
        };
        after = last.position;
        for event in &batch {
            let cloud = CloudEvent::of(event, &source("demo", true)).expect("a publishable event");
            let json = serde_json::to_value(&cloud).expect("JSON");
            let validator = &validators[cloud.event_type.as_str()];
            let errors: Vec<String> = validator
                .iter_errors(&json)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            assert!(
                errors.is_empty(),
                "{}: {errors:?}\n{json}",
                cloud.event_type
            );
            types.insert(cloud.event_type);
        }
    }
    assert!(
        types.len() > 40,
        "the demo's events cover {} types",
        types.len()
    );
}

on_both_stores!(the_demo_campaign_is_published_by_the_rhythm_and_the_policies);
