//! The weekly dispatch's lists and the quarterly assessment's scores, over the same scripted
//! items as the month.

use rectiflow_domain::assessment::{AssessmentPeriod, Grade, Rate};
use rectiflow_domain::publication::{check_figures, Period, PublicationKind};
use rectiflow_domain::settings::CampaignSettings;
use rectiflow_domain::survey::Quarter;
use rectiflow_domain::testing::fixtures::{unit, TZ};
use rectiflow_domain::values::{ItemCode, Score};

use super::{complaints, d, inputs, items, midnight};
use crate::figures::{compute, AssessmentSources, SurveyRound};

#[test]
fn a_dispatch_lists_due_overdue_and_stalled_items() {
    // The week to Monday 23 March 09:00.
    let period = Period {
        start: d(16, 3),
        cut_off: d(23, 3),
    };
    let computed = compute(
        &inputs(PublicationKind::Dispatch, period),
        &items(),
        &complaints(),
        None,
    )
    .expect("figures");
    let lists = computed.figures.dispatch.expect("a dispatch lists");
    let codes = |list: &[ItemCode]| {
        list.iter()
            .map(|c| c.as_str().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(codes(&lists.due_within_week), ["YB-2026-0008"]);
    assert_eq!(
        codes(&lists.overdue),
        ["YB-2026-0001", "YB-2026-0002", "YB-2026-0003"]
    );
    // No progress, 签收 or assignment since 9 March 09:00 (14 days): not -0004, waiting on
    // its request, nor -0008, reassigned on the 15th.
    assert_eq!(
        codes(&lists.stalled),
        ["YB-2026-0001", "YB-2026-0002", "YB-2026-0003"]
    );
}

#[test]
fn an_assessment_scores_and_grades_each_unit() {
    let q1 = AssessmentPeriod::of(Quarter::new(2026, 1).expect("a quarter"), TZ);
    let period = Period {
        start: q1.start(),
        cut_off: q1.cut_off(),
    };
    let settings = CampaignSettings::default();
    let sources = AssessmentSources {
        quarter: q1,
        weights: settings.assessment_weights.clone(),
        satisfaction: settings.satisfaction.clone(),
        surveys: vec![SurveyRound {
            unit: unit("unit-a"),
            mean: Score::parse(80.0).expect("a score"),
            sample: 100,
        }],
        admonishments: vec![(unit("unit-b"), midnight(1, 3))],
        decisions: Vec::new(),
    };
    let inputs = inputs(PublicationKind::Assessment, period);
    let computed = compute(&inputs, &items(), &complaints(), Some(&sources)).expect("figures");
    let score = |id: &str| {
        computed
            .figures
            .scores
            .iter()
            .find(|s| s.unit.as_str() == id)
            .map(|s| (s.score.map(Score::get), s.grade))
    };
    // A: completion 0 % (25), response 0 % (15), satisfaction 70 % × 80 + 30 % × 0 (rating 1)
    // = 56 (35): (0 + 0 + 56 × 35) / 75.
    let a = 56.0 * 35.0 / 75.0;
    // B: completion 0 % (25), response 100 % (15): 37.5, less 5 for the admonishment.
    // C: completion 100 % (25), on time 0 % (25): 50.
    for (id, expected) in [("unit-a", a), ("unit-b", 32.5), ("unit-c", 50.0)] {
        let (got, grade) = score(id).expect("a score");
        assert!(
            (got.expect("graded") - expected).abs() < 1e-9,
            "{id}: {got:?} != {expected}"
        );
        assert_eq!(grade, Some(Grade::Fail), "{id}");
    }
    // The breakdown behind B's score: on time and satisfaction not applicable, one
    // admonishment deducted.
    let b = computed
        .assessments
        .iter()
        .find(|a| a.unit.as_str() == "unit-b")
        .expect("B assessed");
    assert_eq!(b.inputs.to_date.completion_rate, Some(Rate::new(0, 2)));
    assert_eq!(b.inputs.to_date.on_time_rate, None);
    assert_eq!(b.inputs.in_quarter.response_rate, Some(Rate::new(1, 1)));
    assert_eq!(b.inputs.in_quarter.satisfaction, None);
    assert_eq!(
        (
            b.inputs.deductions.admonishments,
            b.inputs.deductions.accountability_decisions
        ),
        (1, 0)
    );
    check_figures(
        PublicationKind::Assessment,
        &computed.figures,
        inputs.mitigation_factor,
        &inputs.rules,
    )
    .expect("scores the publication aggregate accepts");
}
