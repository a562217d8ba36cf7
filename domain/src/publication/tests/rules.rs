//! A publication records the settings its figures were checked against (DOMAIN.md: the event
//! records the setting values it used): the mitigation factor and its [`FigureRules`].

use cqrs_es::test::TestFramework;

use super::fixtures::*;
use crate::assessment::Grade;
use crate::publication::*;
use crate::settings::{CampaignSettings, GradeThresholds};
use crate::testing::services_with_settings;

fn framework_with(settings: CampaignSettings) -> TestFramework<Publication> {
    TestFramework::with(services_with_settings(settings))
}

fn recorded(event: &PublicationEvent) -> Option<(f64, &FigureRules)> {
    match event {
        PublicationEvent::Published {
            mitigation_factor,
            rules,
            ..
        } => Some((*mitigation_factor, rules)),
        PublicationEvent::Skipped { .. } => None,
    }
}

/// Given a campaign that names only the last unit of the ranking and admonishes from 1
/// overdue item, when a bulletin is published, then it records bottom 1 and threshold 1, and
/// no grades (a bulletin has no scores).
#[test]
fn a_bulletin_records_the_ranking_rules_it_was_checked_against() {
    let mut settings = CampaignSettings::default();
    settings.admonishment.bottom_of_ranking = 1;
    settings.admonishment.overdue_items_threshold = 1;
    let bulletin = Publish {
        figures: Figures {
            bottom: vec![unit("township-a")],
            ..figures()
        },
        ..bulletin()
    };
    let events = framework_with(settings)
        .given_no_previous_events()
        .when(cmd(publish(bulletin)))
        .inspect_result()
        .expect("published");
    let rules = FigureRules {
        bottom_of_ranking: 1,
        overdue_items_threshold: 1,
        grades: None,
    };
    assert_eq!(
        events.first().and_then(recorded),
        Some((0.5, &rules)),
        "{events:?}"
    );
}

/// The recorded rules are the ones held: under bottom 1 the fixture's bottom of two units is
/// refused, though it is right under the defaults.
#[test]
fn the_figures_are_held_to_the_rules_in_force() {
    let mut settings = CampaignSettings::default();
    settings.admonishment.bottom_of_ranking = 1;
    let result = framework_with(settings)
        .given_no_previous_events()
        .when(cmd(publish(bulletin())))
        .inspect_result();
    assert_eq!(
        result,
        Err(PublicationError::Figures(
            FiguresError::BottomNotFirstOfRanking
        ))
    );
}

/// Given grades that pass from 50, when an assessment scoring 55 as "pass" is published, then
/// it records those grades.
#[test]
fn an_assessment_records_the_grade_thresholds_of_its_grades() {
    let grades = GradeThresholds {
        excellent: 90.0,
        good: 80.0,
        pass: 50.0,
    };
    let settings = CampaignSettings {
        grades: grades.clone(),
        ..CampaignSettings::default()
    };
    let mut assessment = assessment();
    for row in &mut assessment.figures.scores {
        row.grade = Some(Grade::Pass);
    }
    let events = framework_with(settings)
        .given_no_previous_events()
        .when(cmd(publish(assessment)))
        .inspect_result()
        .expect("published");
    let rules = FigureRules {
        grades: Some(grades),
        ..FigureRules::of(PublicationKind::Bulletin, &CampaignSettings::default())
    };
    assert_eq!(
        events.first().and_then(recorded),
        Some((0.5, &rules)),
        "{events:?}"
    );
}
