//! The evidence of each rule, checked under the rules in force, at its kind of publication.

use super::fixtures::*;
use crate::admonishment::*;
use crate::assessment::Grade;
use crate::publication::{OverdueCount, PublicationKind, PublicationScope};
use crate::settings::CampaignSettings;
use crate::testing::{services, StaticSettings};

fn refused(command: AdmonishmentCommand, error: AdmonishmentError) {
    framework()
        .given_no_previous_events()
        .when(cmd(command))
        .then_expect_error(error);
}

fn accepted(command: AdmonishmentCommand) {
    let result = framework()
        .given_no_previous_events()
        .when(cmd(command))
        .inspect_result();
    assert!(
        matches!(result.as_deref(), Ok([AdmonishmentEvent::Triggered { .. }])),
        "{result:?}"
    );
}

fn failed(score: f64, grade: Grade) -> Finding {
    Finding::FailedAssessment {
        score: crate::testing::fixtures::score(score),
        grade,
    }
}

#[test]
fn overdue_items_need_the_threshold_counting_mitigated_items_by_the_factor() {
    // 2 in full + 1 mitigated = 2.5 < 3.
    let below = Finding::OverdueItems {
        overdue: OverdueCount::new(2, 1, 4, 0.5),
        mitigation_factor: 0.5,
    };
    refused(
        trigger(vec![below]),
        AdmonishmentError::BelowThreshold {
            overdue: 2.5,
            threshold: 3,
        },
    );
    accepted(trigger(vec![overdue()]));
}

#[test]
fn overdue_counts_must_add_up_and_name_their_items() {
    let mut count = OverdueCount::new(3, 1, 0, 0.5);
    count.weighted = 4.0;
    refused(
        trigger(vec![Finding::OverdueItems {
            overdue: count,
            mitigation_factor: 0.5,
        }]),
        AdmonishmentError::InconsistentOverdue,
    );
    refused(
        trigger(vec![Finding::OverdueItems {
            overdue: OverdueCount::new(3, 0, 0, 1.5),
            mitigation_factor: 1.5,
        }]),
        AdmonishmentError::InconsistentOverdue,
    );
    let mut few = trigger(vec![overdue()]);
    if let AdmonishmentCommand::Trigger { items, .. } = &mut few {
        items.truncate(3);
    }
    refused(
        few,
        AdmonishmentError::MissingItems {
            items: 3,
            overdue: 4,
        },
    );
}

#[test]
fn overdue_and_bottom_rules_fire_only_at_county_wide_monthly_bulletins() {
    let task_force = crate::publication::PublicationScope::TaskForce(
        crate::values::TaskForceId::parse("yibao").expect("task force"),
    );
    let tf_bulletin = PublicationRef {
        publication: pid("bulletin~qunfu-2026~2026-03~task_force:yibao"),
        scope: task_force,
        ..bulletin()
    };
    for finding in [overdue(), bottom()] {
        let rule = finding.rule();
        refused(
            trigger_at(tf_bulletin.clone(), vec![finding.clone()]),
            AdmonishmentError::RuleNotAtPublication {
                rule,
                kind: PublicationKind::Bulletin,
                needs: "全县月通报",
            },
        );
        refused(
            trigger_at(assessment(), vec![finding]),
            AdmonishmentError::RuleNotAtPublication {
                rule,
                kind: PublicationKind::Assessment,
                needs: "全县月通报",
            },
        );
    }
}

#[test]
fn bottom_of_ranking_needs_consecutive_bulletins_within_the_bottom() {
    let positions = |f: fn(&mut Vec<RankingPosition>)| {
        let Finding::BottomOfRanking { mut positions } = bottom() else {
            unreachable!("bottom() is a ranking finding")
        };
        f(&mut positions);
        trigger(vec![Finding::BottomOfRanking { positions }])
    };
    let needs = |needs| AdmonishmentError::RankingEvidence { needs };
    refused(
        positions(|p| {
            p.remove(0);
        }),
        needs("按整治行动规定的连续期数逐期列明排名"),
    );
    refused(
        positions(|p| p.swap(0, 1)),
        needs("以所依据的通报作为最后一期排名"),
    );
    refused(
        positions(|p| p[0].position = 4),
        needs("各期名次均在排名后列之内"),
    );
    refused(
        positions(|p| p[0].publication = pid("bulletin~qunfu-2026~2026-02~task_force:yibao")),
        needs("各期均为全县月通报"),
    );
    // January's bulletin is not the month before March's.
    refused(
        positions(|p| {
            p[0].publication = pid("bulletin~qunfu-2026~2026-01~county");
            p[0].cut_off = at("2026-01-31T16:00:00Z");
        }),
        needs("各期为连续月份的月通报"),
    );
    accepted(trigger(vec![bottom()]));
}

#[test]
fn fail_fires_only_at_assessments_on_a_failing_score() {
    accepted(trigger_at(assessment(), vec![failed(55.0, Grade::Fail)]));
    refused(
        trigger(vec![failed(55.0, Grade::Fail)]),
        AdmonishmentError::RuleNotAtPublication {
            rule: AdmonishmentRule::FailedAssessment,
            kind: PublicationKind::Bulletin,
            needs: "季考核",
        },
    );
    refused(
        trigger_at(assessment(), vec![failed(65.0, Grade::Fail)]),
        AdmonishmentError::NotFailed { grade: Grade::Fail },
    );
    refused(
        trigger_at(assessment(), vec![failed(55.0, Grade::Pass)]),
        AdmonishmentError::NotFailed { grade: Grade::Pass },
    );
    assert_eq!(assessment().scope, PublicationScope::County);
}

#[test]
fn a_campaign_that_does_not_admonish_on_fail_refuses_the_rule() {
    let mut settings = CampaignSettings::default();
    settings.admonishment.admonish_on_fail = false;
    let mut services = services(crate::directory::StaticDirectory::default()).0;
    services.settings = std::sync::Arc::new(StaticSettings(settings));
    cqrs_es::test::TestFramework::<Admonishment>::with(services)
        .given_no_previous_events()
        .when(cmd(trigger_at(
            assessment(),
            vec![failed(55.0, Grade::Fail)],
        )))
        .then_expect_error(AdmonishmentError::RuleDisabled {
            rule: AdmonishmentRule::FailedAssessment,
        });
}

/// Given grades that pass from 50, when a score of 45 is admonished as "fail", then the
/// admonishment records those grades beside the rules; an admonishment without a
/// failed-assessment finding records none.
#[test]
fn a_failed_assessment_records_the_grade_thresholds_it_was_checked_against() {
    let mut settings = CampaignSettings::default();
    settings.grades.pass = 50.0;
    let mut services = services(crate::directory::StaticDirectory::default()).0;
    services.settings = std::sync::Arc::new(StaticSettings(settings.clone()));
    let grades_of = |events: Vec<AdmonishmentEvent>| {
        events.into_iter().find_map(|e| match e {
            AdmonishmentEvent::Triggered {
                basis: Basis::Policy {
                    grades_in_force, ..
                },
                ..
            } => Some(grades_in_force),
            _ => None,
        })
    };
    let failing = cqrs_es::test::TestFramework::<Admonishment>::with(services)
        .given_no_previous_events()
        .when(cmd(trigger_at(
            assessment(),
            vec![failed(45.0, Grade::Fail)],
        )))
        .inspect_result()
        .expect("triggered");
    assert_eq!(grades_of(failing), Some(Some(Box::new(settings.grades))));
    let overdue = framework()
        .given_no_previous_events()
        .when(cmd(trigger(vec![overdue(), bottom()])))
        .inspect_result()
        .expect("triggered");
    assert_eq!(grades_of(overdue), Some(None));
}
