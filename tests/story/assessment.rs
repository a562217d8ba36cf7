//! The second quarter's assessment (季考核), published late from the live read models after
//! downtime: each unit's score reads its deductions from the registers — the county hospital
//! loses 5 for each admonishment resting in the quarter (the manual one of 2 April, and those
//! at April's and May's bulletins, resting on their cut-offs) and 10 for its head's
//! accountability decision of 20 May — and the admonishment
//! policy, run on, admonishes every unit graded "fail" once, at that assessment.

use std::time::Duration;

use rectiflow_domain::assessment::{AssessmentPeriod, Grade};
use rectiflow_domain::publication::{
    FigureRules, Period, PublicationEvent, PublicationKind, PublicationScope,
};
use rectiflow_domain::settings::CampaignSettings;
use rectiflow_domain::survey::Quarter;
use rectiflow_engine::consumer::{self, ConsumerOptions};
use rectiflow_engine::CancellationToken;
use rectiflow_projections::accountability_register::AccountabilityRegister;
use rectiflow_projections::admonishment_register::AdmonishmentRegister;
use rectiflow_projections::complaint_history::ComplaintHistory;
use rectiflow_projections::figures::{compute, AssessmentSources, FigureInputs};
use rectiflow_projections::item_history::{ItemHistory, ItemHistoryRow};
use rectiflow_projections::policies::admonishment::{self, AdmonishmentPolicy};
use rectiflow_projections::publishing::{publish, PublicationRequest};
use rectiflow_projections::survey_rounds::SurveyRounds;
use rectiflow_projections::{Projector, RowProjection};
use rectiflow_tests::{person, shanghai, unit, Store};

use crate::projecting::run_to_head;
use crate::world::{campaign_id, World};

/// The second quarter's assessment.
pub const Q2: &str = "assessment~qunfu-2026~2026-Q2~county";
/// The admonishments of the units it grades "fail".
pub const HOSPITAL_FAILED: &str = "assessment~qunfu-2026~2026-Q2~county~county-hospital";
pub const CARE_HOME_FAILED: &str = "assessment~qunfu-2026~2026-Q2~county~kangle-care-home";

fn live<S: Store, P: RowProjection>(
    store: &S,
    stop: &CancellationToken,
) -> tokio::task::JoinHandle<consumer::RunOutcome> {
    tokio::spawn(consumer::run(
        store.clone(),
        ConsumerOptions::new(P::NAME),
        Projector::<P>::new(),
        stop.clone(),
    ))
}

pub async fn the_second_quarter_is_assessed_from_the_read_models<S: Store>(w: &World<S>) {
    let store = w.store();
    let stop = CancellationToken::new();
    let runners = [
        live::<S, ItemHistory>(store, &stop),
        live::<S, ComplaintHistory>(store, &stop),
        live::<S, SurveyRounds>(store, &stop),
        live::<S, AdmonishmentRegister>(store, &stop),
        live::<S, AccountabilityRegister>(store, &stop),
    ];
    let settings = CampaignSettings::default();
    let q2 = AssessmentPeriod::of(
        Quarter::new(2026, 2).expect("a quarter"),
        settings.time_zone,
    );
    let period = Period {
        start: q2.start(),
        cut_off: q2.cut_off(),
    };
    let request = PublicationRequest {
        kind: PublicationKind::Assessment,
        campaign: campaign_id(),
        scope: PublicationScope::County,
        label: "2026-Q2".into(),
        period,
        nominal: Vec::new(),
    };
    // Due Wednesday 1 July, 09:00; published on the 20th after downtime.
    w.at(shanghai(2026, 7, 20, 9, 0));
    let published = publish(
        &w.exec,
        &w.services,
        &person("schedule:assessments"),
        &request,
        Duration::from_secs(30),
        &stop,
    )
    .await
    .expect("the Q2 assessment");
    stop.cancel();
    for runner in runners {
        runner.await.expect("a projector");
    }
    let (late, inputs, figures) = match &published.events[0].event {
        PublicationEvent::Published {
            late,
            inputs,
            figures,
            ..
        } => (*late, inputs.clone(), (**figures).clone()),
        other => panic!("not a publication: {other:?}"),
    };
    assert!(late, "published after the day it fell due");
    let hospital = unit("county-hospital");
    let scored = |scores: &[rectiflow_domain::publication::UnitScore]| {
        scores
            .iter()
            .find(|s| s.unit == hospital)
            .and_then(|s| s.score)
            .map(|s| s.get())
            .expect("the hospital is scored")
    };
    let with_deductions = scored(&figures.scores);

    // The same quarter without any deduction: 25 points more — three admonishments resting in
    // the quarter (the manual one of 2 April, April's bulletin's, May's) and one decision.
    let items: Vec<ItemHistoryRow> = ItemHistory::TABLE
        .read_all(store)
        .await
        .expect("the item histories");
    let complaints = ComplaintHistory::TABLE
        .read_all(store)
        .await
        .expect("the complaint histories");
    let undeducted = compute(
        &FigureInputs {
            kind: PublicationKind::Assessment,
            campaign: campaign_id(),
            scope: PublicationScope::County,
            period,
            position: inputs.position,
            mitigation_factor: settings.mitigation_factor,
            rules: FigureRules::of(PublicationKind::Assessment, &settings),
            stall_days: settings.stall_days,
        },
        &items,
        &complaints,
        Some(&AssessmentSources {
            quarter: q2,
            weights: settings.assessment_weights.clone(),
            satisfaction: settings.satisfaction.clone(),
            surveys: Vec::new(),
            admonishments: Vec::new(),
            decisions: Vec::new(),
        }),
    )
    .expect("the figures");
    let base = scored(&undeducted.figures.scores);
    assert!(
        ((base - 25.0).max(0.0) - with_deductions).abs() < 1e-9,
        "5 × 3 + 10 deducted: {base} → {with_deductions}"
    );

    // The policy admonishes each failed unit at the assessment, once.
    let failed: Vec<String> = figures
        .scores
        .iter()
        .filter(|s| s.grade == Some(Grade::Fail))
        .map(|s| s.unit.as_str().to_owned())
        .collect();
    assert!(
        failed.contains(&"county-hospital".to_owned()),
        "{figures:?}"
    );
    let stop = CancellationToken::new();
    let policy = AdmonishmentPolicy::new(
        w.exec.clone(),
        w.services.clone(),
        Duration::from_secs(30),
        stop.clone(),
    )
    .expect("the policy");
    let projector = live::<S, ItemHistory>(store, &stop);
    // The assessment holds its position before the policy looks for the head.
    w.log_point().await;
    run_to_head(store, admonishment::NAME, policy).await;
    stop.cancel();
    projector.await.expect("the item histories");
    w.log_point().await;
    let admonished: Vec<String> = store
        .read_log(inputs.position, u32::MAX)
        .await
        .expect("the log after P")
        .into_iter()
        .filter(|e| e.event.event_type == "rectiflow.admonishment.triggered")
        .map(|e| e.event.stream.stream_id)
        .collect();
    let expected: Vec<String> = failed
        .iter()
        .map(|u| format!("assessment~qunfu-2026~2026-Q2~county~{u}"))
        .collect();
    assert_eq!(admonished, expected, "{:?}", figures.scores);
}
