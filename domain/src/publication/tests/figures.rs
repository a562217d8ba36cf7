//! Figures that no correct computation could produce are refused.

use super::fixtures::*;
use crate::assessment::{Grade, Rate};
use crate::publication::*;

fn refused(figures: Figures, error: FiguresError) {
    framework()
        .given_no_previous_events()
        .when(cmd(publish(Publish {
            figures,
            ..bulletin()
        })))
        .then_expect_error(PublicationError::Figures(error));
}

#[test]
fn a_unit_appears_once_in_each_list() {
    let mut f = figures();
    f.units.push(f.units[0].clone());
    refused(
        f,
        FiguresError::UnitTwice {
            unit: unit("township-a"),
        },
    );
    let mut f = figures();
    f.named.push(unit("township-a"));
    refused(
        f,
        FiguresError::UnitTwice {
            unit: unit("township-a"),
        },
    );
}

#[test]
fn rates_are_within_0_and_100_percent_or_not_applicable() {
    let mut f = figures();
    f.units[1].counts.response_rate = Some(Rate::new(5, 4));
    refused(
        f,
        FiguresError::RateOutOfRange {
            unit: Some(unit("township-b")),
            rate: "投诉响应率",
        },
    );
    let mut f = figures();
    f.totals.completion_rate = Some(Rate::new(0, 0));
    refused(
        f,
        FiguresError::RateOutOfRange {
            unit: None,
            rate: "整改完成率",
        },
    );
}

#[test]
fn counts_hang_together() {
    let mut f = figures();
    f.totals.registered.in_period = 11;
    refused(
        f,
        FiguresError::Counts {
            unit: None,
            rule: "本期登记数多于累计登记数",
        },
    );
    let mut f = figures();
    f.units[0].counts.open = 4;
    refused(
        f,
        FiguresError::Counts {
            unit: Some(unit("township-a")),
            rule: "逾期数多于在办数",
        },
    );
    let mut f = figures();
    f.units[0].counts.pending_sign_off = 9;
    refused(
        f,
        FiguresError::Counts {
            unit: Some(unit("township-a")),
            rule: "待销号数多于在办数",
        },
    );
}

#[test]
fn a_mitigated_item_counts_by_the_factor_in_force() {
    // Counting the mitigated item in full (4.0) is not what the campaign's 0.5 makes.
    let mut f = figures();
    f.units[0].counts.overdue.weighted = 4.0;
    f.ranking[0].overdue = 4.0;
    refused(
        f,
        FiguresError::Counts {
            unit: Some(unit("township-a")),
            rule: "逾期折算数不等于全额计入数加减轻事项数乘以减轻系数",
        },
    );
}

#[test]
fn the_ranking_is_by_overdue_then_days_then_unit() {
    let mut f = figures();
    f.ranking.swap(0, 1);
    f.bottom.swap(0, 1);
    refused(f, FiguresError::RankingOutOfOrder { position: 2 });
    // Equal counts: more days first.
    let mut f = figures();
    f.units[1].counts = counts(3, 1, 0, 50);
    f.ranking[1] = Ranked {
        unit: unit("township-b"),
        overdue: 3.5,
        days_overdue: 50,
    };
    refused(f, FiguresError::RankingOutOfOrder { position: 2 });
}

#[test]
fn the_ranking_agrees_with_the_rows_and_ranks_only_the_overdue() {
    let mut f = figures();
    f.ranking[1].days_overdue = 6;
    refused(
        f,
        FiguresError::RankingDisagreesWithRow {
            unit: unit("township-b"),
        },
    );
    let mut f = figures();
    f.ranking.pop();
    f.bottom.pop();
    refused(
        f,
        FiguresError::RankingDisagreesWithRow {
            unit: unit("township-b"),
        },
    );
    let mut f = figures();
    f.ranking.push(Ranked {
        unit: unit("township-z"),
        overdue: 0.0,
        days_overdue: 0,
    });
    refused(
        f,
        FiguresError::RankedWithoutOverdue {
            unit: unit("township-z"),
        },
    );
}

#[test]
fn the_bottom_is_the_first_of_the_ranking_and_every_one_of_it_is_named() {
    let mut f = figures();
    f.bottom = vec![unit("township-b")];
    refused(f, FiguresError::BottomNotFirstOfRanking);
    let mut f = figures();
    f.named = vec![unit("township-a")];
    refused(
        f,
        FiguresError::NotNamed {
            unit: unit("township-b"),
        },
    );
}

#[test]
fn a_unit_at_the_admonishment_threshold_is_named_even_below_the_bottom_three() {
    // Four ranked units, the fourth at 3 overdue: named though not in the bottom 3.
    let mut f = figures();
    f.units.clear();
    f.ranking = ["u1", "u2", "u3", "u4"]
        .into_iter()
        .map(|u| Ranked {
            unit: unit(u),
            overdue: 3.0,
            days_overdue: 10,
        })
        .collect();
    f.bottom = vec![unit("u1"), unit("u2"), unit("u3")];
    f.named = f.bottom.clone();
    refused(f.clone(), FiguresError::NotNamed { unit: unit("u4") });
    f.named.push(unit("u4"));
    framework()
        .given_no_previous_events()
        .when(cmd(publish(Publish {
            figures: f.clone(),
            ..bulletin()
        })))
        .then_expect_events(vec![published(
            Publish {
                figures: f,
                ..bulletin()
            },
            false,
            NOW,
        )]);
}

#[test]
fn only_an_assessment_scores_and_its_grades_follow_the_scores() {
    refused(assessment().figures, FiguresError::ScoresOutsideAssessment);
    let mut p = assessment();
    p.figures.scores[0].grade = Some(Grade::Pass);
    framework()
        .given_no_previous_events()
        .when(cmd(publish(p)))
        .then_expect_error(PublicationError::Figures(
            FiguresError::GradeDisagreesWithScore {
                unit: unit("township-a"),
            },
        ));
}

#[test]
fn only_a_dispatch_lists_items() {
    refused(dispatch().figures, FiguresError::DispatchListsMisplaced);
    let mut p = dispatch();
    p.figures.dispatch = None;
    framework()
        .given_no_previous_events()
        .when(cmd_at(DISPATCH_DUE, publish(p)))
        .then_expect_error(PublicationError::Figures(
            FiguresError::DispatchListsMisplaced,
        ));
}
