//! What `serve` runs (issue #10): every projection and every policy as the service starts them
//! (`rectiflow::projections::workers`, `rectiflow::policies::workers`), the policies' ports read
//! from the store for the county the configuration names. A complaint substantiated after the
//! last chapter names an item; the served escalations policy registers it — once, as itself,
//! on behalf of the resolution — and every policy's checkpoint reaches the log's head.

use std::sync::Arc;
use std::time::Duration;

use rectiflow::policies;
use rectiflow::Config;
use rectiflow_domain::item::ItemSource;
use rectiflow_engine::StreamRef;
use rectiflow_projections::policies::roster;
use rectiflow_tests::{shanghai, CancellationToken, Store, Supervisor};

use crate::policies_escalations::{assert_item, complaint, complaint_stream, item, substantiated};
use crate::policy_runs::{checkpoints_reach, count_in_log, events_of, latest_position};
use crate::world::World;

pub async fn serve_runs_every_policy_on_what_happens_next<S: Store>(w: &World<S>) {
    let config = Config {
        county: "zhuxi".into(),
        ..Config::default()
    };
    let ports = policies::ports(w.store(), &config, Arc::new(w.clock.clone()))
        .expect("the policies' ports");
    let shutdown = CancellationToken::new();
    let mut served = Supervisor::new(shutdown.clone());
    for worker in rectiflow::projections::workers(w.store()) {
        served.add(worker);
    }
    for worker in policies::workers(&ports) {
        served.add(worker);
    }

    w.at(shanghai(2026, 8, 31, 9, 0));
    complaint(w, "cmp-2026-0015", substantiated(item("YL-2026-0052"))).await;
    let head = latest_position(w.store(), &[complaint_stream("cmp-2026-0015")]).await;
    assert!(
        checkpoints_reach(w.store(), &roster::NAMES, head).await,
        "the served policies did not reach position {head} within a minute"
    );
    assert_item(w, "YL-2026-0052", ItemSource::Complaint, "cmp-2026-0015").await;
    let stream = StreamRef::new("item", "YL-2026-0052");
    let registered = events_of(w.store(), &stream).await;
    let resolved = events_of(w.store(), &complaint_stream("cmp-2026-0015"))
        .await
        .into_iter()
        .find(|e| e.event_type == "rectiflow.complaint.resolved")
        .expect("the resolution");
    assert_eq!(
        registered[0].metadata["causation_id"].as_str(),
        Some(resolved.event_id.to_string().as_str()),
        "on behalf of the resolution"
    );
    assert_eq!(
        count_in_log(w.store(), &stream, "rectiflow.item.registered").await,
        1
    );
    let stopped = served
        .stop_within(Duration::from_secs(10))
        .await
        .expect("the served workers stop cleanly");
    assert!(stopped.abandoned.is_empty(), "{:?}", stopped.abandoned);
}
