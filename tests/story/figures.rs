//! Publication figures computed from the read models (DOMAIN.md "Publications as facts"): the
//! item and complaint histories, built by their consumers from the story's whole log, give the
//! March and April bulletins exactly as the story hand-computed and published them — read at
//! each bulletin's P long after, and as of the instant each was published — with every figure
//! traced to the items and log positions behind it.

use std::collections::BTreeMap;

use rectiflow_domain::publication::{
    FigureRules, Figures, Period, Publication, PublicationEvent, PublicationKind, PublicationScope,
};
use rectiflow_domain::settings::CampaignSettings;
use rectiflow_domain::values::TaskForceId;
use rectiflow_engine::as_of::position_at;
use rectiflow_engine::consumer::{self, ConsumerOptions};
use rectiflow_engine::{CancellationToken, ExecuteError};
use rectiflow_projections::complaint_history::ComplaintHistory;
use rectiflow_projections::figures::{figure, read_figures, Computed, FigureInputs};
use rectiflow_projections::item_history::ItemHistory;
use rectiflow_projections::publishing::{publish, PublicationRequest, PublishError};
use rectiflow_projections::standing::standing;
use rectiflow_projections::survey_rounds::SurveyRounds;
use rectiflow_projections::{Projector, RowProjection};
use rectiflow_tests::{person, shanghai, Store};
use std::time::Duration;

use crate::projecting::project_to_head;
use crate::publications::{
    april_figures, bulletin_due, march_figures, APRIL, FACTOR, MARCH_CORRECTED, SCHEDULE,
};
use crate::world::{campaign_id, World};

/// The May bulletin the schedule publishes from the live read models.
pub const MAY: &str = "bulletin~qunfu-2026~2026-05~county";

/// Figures with their units in unit order, as the projections list them.
fn canonical(mut figures: Figures) -> Figures {
    figures.units.sort_by(|a, b| a.unit.cmp(&b.unit));
    figures
}

fn bulletin_inputs(period: Period, position: u64, scope: PublicationScope) -> FigureInputs {
    let settings = CampaignSettings::default();
    FigureInputs {
        kind: PublicationKind::Bulletin,
        campaign: campaign_id(),
        scope,
        period,
        position,
        mitigation_factor: FACTOR,
        rules: FigureRules::of(PublicationKind::Bulletin, &settings),
        stall_days: settings.stall_days,
    }
}

async fn figures_at<S: Store>(store: &S, inputs: &FigureInputs) -> Computed {
    read_figures(store, inputs, None)
        .await
        .expect("the figures from the read models")
}

/// The codes behind a figure of a unit (or of the totals, `unit` = None).
fn behind(computed: &Computed, unit: Option<&str>, name: &str) -> Vec<String> {
    let sources = match unit {
        Some(unit) => computed.drill_down.units.get(unit),
        None => Some(&computed.drill_down.totals),
    };
    let mut codes: Vec<String> = sources
        .and_then(|s| s.get(name))
        .map(|b| b.iter().map(|b| b.code.clone()).collect())
        .unwrap_or_default();
    codes.sort();
    codes
}

pub async fn bulletins_recomputed_from_the_read_models_equal_the_published_ones<S: Store>(
    w: &World<S>,
) {
    let store = w.store();
    project_to_head::<S, ItemHistory>(store).await;
    project_to_head::<S, ComplaintHistory>(store).await;
    // The survey rounds: a unit's standing reads them for its satisfaction.
    project_to_head::<S, SurveyRounds>(store).await;
    let head = store.head().await.expect("the head");

    for (id, expected) in [
        (MARCH_CORRECTED, march_figures(true)),
        (APRIL, april_figures()),
    ] {
        let (published, _) = w
            .exec
            .load::<Publication>(id)
            .await
            .expect("the published bulletin");
        let period = published.period.expect("a period");
        let p = published.inputs.expect("its inputs").position;
        assert!(p < head, "later events were written after {id}");
        let at_p = figures_at(store, &bulletin_inputs(period, p, PublicationScope::County)).await;
        assert_eq!(
            at_p.figures,
            canonical(expected.clone()),
            "{id} recomputed at its P from the read models"
        );
        assert_eq!(
            canonical(published.figures.expect("published figures")),
            at_p.figures,
            "{id} as published"
        );
        // Later events change nothing before the cut-off: read at the head, the same.
        let at_head = figures_at(
            store,
            &bulletin_inputs(period, head, PublicationScope::County),
        )
        .await;
        assert_eq!(at_head, at_p, "{id} read at the head");
        // As of the instant it was published (time travel): P is the last position recorded
        // by then, at or past the bulletin's own P.
        let recorded_at = published.recorded_at.expect("when it was published");
        let then = position_at(store, recorded_at)
            .await
            .expect("the position then");
        assert!(
            then >= p && then < head,
            "{id}: as of {recorded_at} is {then}"
        );
        let as_of = figures_at(
            store,
            &bulletin_inputs(period, then, PublicationScope::County),
        )
        .await;
        assert_eq!(as_of, at_p, "{id} as of when it was published");
        every_source_is_an_event_of_its_stream(store, &at_p).await;
    }

    // The drill-down of April: the three items overdue in full at the county hospital, the
    // exempted one, and the request and send-back behind the send-back rate.
    let (april, _) = w.exec.load::<Publication>(APRIL).await.expect("April");
    let april_period = april.period.expect("a period");
    let april = figures_at(
        store,
        &bulletin_inputs(
            april_period,
            april.inputs.expect("inputs").position,
            PublicationScope::County,
        ),
    )
    .await;
    let hospital = Some("county-hospital");
    assert_eq!(
        behind(&april, hospital, figure::OVERDUE_FULL),
        ["YB-2026-0004", "YB-2026-0005", "YB-2026-0006"]
    );
    assert_eq!(
        behind(&april, hospital, figure::OVERDUE_EXEMPTED),
        ["YB-2026-0002"]
    );
    assert_eq!(
        behind(&april, hospital, figure::SIGN_OFF_REQUESTS),
        ["YB-2026-0001", "YB-2026-0001"]
    );
    assert_eq!(
        behind(&april, hospital, figure::SEND_BACKS),
        ["YB-2026-0001"]
    );
    assert_eq!(
        behind(&april, None, figure::DUE),
        [
            "YB-2026-0002",
            "YB-2026-0004",
            "YB-2026-0005",
            "YB-2026-0006"
        ]
    );

    // The units' standing cut off at April's end reads as the April bulletin: the same rows,
    // the same ranking; no complaint was rated and no survey round closed by then, so no
    // satisfaction.
    let head = store.head().await.expect("the head");
    let standing = standing(
        store,
        &campaign_id(),
        &PublicationScope::County,
        april_period,
        head,
        &CampaignSettings::default(),
    )
    .await
    .expect("the units' standing");
    assert_eq!(standing.ranking, april.figures.ranking);
    assert_eq!(standing.named, april.figures.named);
    assert_eq!(
        standing
            .units
            .iter()
            .map(|u| (u.unit.clone(), u.counts.clone()))
            .collect::<Vec<_>>(),
        april
            .figures
            .units
            .iter()
            .map(|u| (u.unit.clone(), u.counts.clone()))
            .collect::<Vec<_>>()
    );
    assert!(standing.units.iter().all(|u| u.satisfaction.is_none()));

    // The medical-insurance task force's March bulletin: the same items (all of them its
    // own), and none of the complaints (school meals and elderly care are other fields').
    let (march, _) = w
        .exec
        .load::<Publication>(MARCH_CORRECTED)
        .await
        .expect("March");
    let yibao = TaskForceId::parse("yibao").expect("a task force id");
    let per_task_force = figures_at(
        store,
        &bulletin_inputs(
            march.period.expect("a period"),
            march.inputs.expect("inputs").position,
            PublicationScope::TaskForce(yibao),
        ),
    )
    .await;
    let county = canonical(march_figures(false));
    let mut expected = county.clone();
    expected.totals.response_rate = None;
    assert_eq!(per_task_force.figures, expected, "the yibao March bulletin");
}

/// Each position a drill-down names is an event of the stream its code names.
async fn every_source_is_an_event_of_its_stream<S: Store>(store: &S, computed: &Computed) {
    let log: BTreeMap<u64, String> = store
        .read_log(0, u32::MAX)
        .await
        .expect("the log")
        .into_iter()
        .map(|e| (e.position, e.event.stream.stream_id))
        .collect();
    let sources = std::iter::once(&computed.drill_down.totals)
        .chain(computed.drill_down.units.values())
        .flat_map(|s| s.iter());
    let mut seen = 0;
    for (name, behind) in sources {
        for b in behind {
            assert!(
                !b.positions.is_empty(),
                "{name}: {} has no position",
                b.code
            );
            for position in &b.positions {
                assert_eq!(
                    log.get(position),
                    Some(&b.code),
                    "{name}: position {position} is an event of {}",
                    b.code
                );
                seen += 1;
            }
        }
    }
    assert!(seen > 0, "the drill-down names events");
}

/// The May bulletin, published by the schedule through `publish`: its P is the head when it
/// was asked for, read once the live item and complaint histories had applied the log up to
/// it, its digest the chain hash stored at P, and its figures those recomputed from the read
/// models at P afterwards. Asked before the cut-off it is refused with nothing written; asked
/// twice, published once.
pub async fn the_may_bulletin_is_published_from_the_live_read_models<S: Store>(w: &World<S>) {
    let store = w.store();
    let stop = CancellationToken::new();
    let runners = [
        tokio::spawn(consumer::run(
            store.clone(),
            ConsumerOptions::new(ItemHistory::NAME),
            Projector::<ItemHistory>::new(),
            stop.clone(),
        )),
        tokio::spawn(consumer::run(
            store.clone(),
            ConsumerOptions::new(ComplaintHistory::NAME),
            Projector::<ComplaintHistory>::new(),
            stop.clone(),
        )),
    ];
    let may = PublicationRequest {
        kind: PublicationKind::Bulletin,
        campaign: campaign_id(),
        scope: PublicationScope::County,
        label: "2026-05".into(),
        period: Period {
            start: shanghai(2026, 5, 1, 0, 0),
            cut_off: shanghai(2026, 6, 1, 0, 0),
        },
        nominal: Vec::new(),
    };
    let schedule = person(SCHEDULE);
    let wait = Duration::from_secs(30);
    let head_before = store.head().await.expect("the head");

    w.at(shanghai(2026, 5, 31, 23, 0));
    let early = publish(&w.exec, &w.services, &schedule, &may, wait, &stop).await;
    assert!(
        matches!(early, Err(PublishError::BeforeCutOff { .. })),
        "{early:?}"
    );
    assert_eq!(
        store.head().await.expect("the head"),
        head_before,
        "nothing written"
    );

    w.at(bulletin_due(5));
    let published = publish(&w.exec, &w.services, &schedule, &may, wait, &stop)
        .await
        .expect("the May bulletin");
    let (inputs, figures) = match &published.events[0].event {
        PublicationEvent::Published {
            inputs,
            figures,
            late,
            ..
        } => {
            assert!(!late, "published when it fell due");
            (inputs.clone(), (**figures).clone())
        }
        other => panic!("not a publication: {other:?}"),
    };
    assert_eq!(
        inputs.position, head_before,
        "P is the head when it was asked for"
    );
    let at_p = store
        .read_log(inputs.position - 1, 1)
        .await
        .expect("the log at P");
    assert_eq!(
        at_p[0].hash,
        inputs.digest.as_str(),
        "the digest is the hash at P"
    );
    let again = publish(&w.exec, &w.services, &schedule, &may, wait, &stop).await;
    assert!(
        matches!(again, Err(PublishError::Execute(ExecuteError::Refused(_)))),
        "published once: {again:?}"
    );
    stop.cancel();
    for runner in runners {
        runner.await.expect("a projector");
    }
    // Recomputed from the read models at its P, after the later events: the same figures.
    let recomputed = figures_at(
        store,
        &bulletin_inputs(may.period, inputs.position, PublicationScope::County),
    )
    .await;
    assert_eq!(recomputed.figures, figures);
    // The county hospital, still three items overdue in full, heads the ranking and is named.
    let hospital = rectiflow_tests::unit("county-hospital");
    assert_eq!(figures.ranking.first().map(|r| &r.unit), Some(&hospital));
    assert!(figures.named.contains(&hospital));
}
