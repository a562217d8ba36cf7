//! The cheap checks that a publication's figures hang together. They do not recompute the
//! figures (the projections do, from the log at P): they refuse what no correct computation
//! could produce, so a bug in a projection cannot publish a ranking out of order or a rate
//! above 100 %.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use crate::assessment::{grade, Rate};
use crate::values::UnitId;

use super::errors::FiguresError;
use super::figures::{weigh, Counts, Figures, Ranked};
use super::kind::PublicationKind;
use super::rules::FigureRules;

/// Weighted counts are compared with this tolerance: a reader may add a mitigated count in
/// another order than we do.
const EPSILON: f64 = 1e-9;

/// Whether two weighted counts agree (false when either is not a number).
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < EPSILON
}

/// Checks `figures` of a publication of `kind` against the rules of DOMAIN.md and the
/// settings in force: the mitigation factor `factor`, and `rules` (bottom N, the admonishment
/// threshold, the grades). It reads no other setting, so a publication that records `factor`
/// and `rules` records every value its figures were held to.
pub fn check_figures(
    kind: PublicationKind,
    figures: &Figures,
    factor: f64,
    rules: &FigureRules,
) -> Result<(), FiguresError> {
    check_counts(&figures.totals, None, factor)?;
    let mut units = BTreeSet::new();
    for row in &figures.units {
        if !units.insert(&row.unit) {
            return Err(FiguresError::UnitTwice {
                unit: row.unit.clone(),
            });
        }
        check_counts(&row.counts, Some(&row.unit), factor)?;
    }
    check_ranking(figures)?;
    check_named(figures, rules)?;
    check_scores(kind, figures, rules)?;
    if (kind == PublicationKind::Dispatch) != figures.dispatch.is_some() {
        return Err(FiguresError::DispatchListsMisplaced);
    }
    Ok(())
}

fn check_counts(counts: &Counts, unit: Option<&UnitId>, factor: f64) -> Result<(), FiguresError> {
    let fail = |rule| FiguresError::Counts {
        unit: unit.cloned(),
        rule,
    };
    for (tally, rule) in [
        (counts.registered, "本期登记数多于累计登记数"),
        (counts.closed_on_time, "本期按期销号数多于累计按期销号数"),
        (counts.closed_late, "本期逾期销号数多于累计逾期销号数"),
    ] {
        if tally.in_period > tally.to_date {
            return Err(fail(rule));
        }
    }
    if counts.pending_sign_off > counts.open {
        return Err(fail("待销号数多于在办数"));
    }
    if counts.overdue.items() > counts.open {
        return Err(fail("逾期数多于在办数"));
    }
    let overdue = counts.overdue;
    if !close(
        overdue.weighted,
        weigh(overdue.full, overdue.mitigated, factor),
    ) {
        return Err(fail("逾期折算数不等于全额计入数加减轻事项数乘以减轻系数"));
    }
    for (rate, name) in [
        (counts.completion_rate, "整改完成率"),
        (counts.on_time_rate, "按期销号率"),
        (counts.send_back_rate, "退回率"),
        (counts.response_rate, "投诉响应率"),
    ] {
        if rate.is_some_and(
            |Rate {
                 numerator,
                 denominator,
             }| { denominator == 0 || numerator > denominator },
        ) {
            return Err(FiguresError::RateOutOfRange {
                unit: unit.cloned(),
                rate: name,
            });
        }
    }
    Ok(())
}

/// DOMAIN.md's order: overdue count descending, then days overdue descending, then unit id.
fn order(a: &Ranked, b: &Ranked) -> Ordering {
    b.overdue
        .total_cmp(&a.overdue)
        .then(b.days_overdue.cmp(&a.days_overdue))
        .then(a.unit.cmp(&b.unit))
}

fn check_ranking(figures: &Figures) -> Result<(), FiguresError> {
    let mut seen = BTreeSet::new();
    for (index, ranked) in figures.ranking.iter().enumerate() {
        if !seen.insert(&ranked.unit) {
            return Err(FiguresError::UnitTwice {
                unit: ranked.unit.clone(),
            });
        }
        if !(ranked.overdue.is_finite() && ranked.overdue > 0.0) {
            return Err(FiguresError::RankedWithoutOverdue {
                unit: ranked.unit.clone(),
            });
        }
        if index > 0 && order(&figures.ranking[index - 1], ranked) != Ordering::Less {
            return Err(FiguresError::RankingOutOfOrder {
                position: index + 1,
            });
        }
    }
    // A unit with a row is ranked exactly as its row says, and ranked if it has anything
    // overdue.
    for row in &figures.units {
        let overdue = row.counts.overdue.weighted;
        match figures.ranking.iter().find(|r| r.unit == row.unit) {
            Some(r) if close(r.overdue, overdue) && r.days_overdue == row.counts.days_overdue => {}
            None if overdue <= 0.0 => {}
            _ => {
                return Err(FiguresError::RankingDisagreesWithRow {
                    unit: row.unit.clone(),
                })
            }
        }
    }
    Ok(())
}

fn check_named(figures: &Figures, rules: &FigureRules) -> Result<(), FiguresError> {
    let n = usize::try_from(rules.bottom_of_ranking).unwrap_or(usize::MAX);
    let bottom: Vec<&UnitId> = figures.ranking.iter().take(n).map(|r| &r.unit).collect();
    if figures.bottom.iter().collect::<Vec<_>>() != bottom {
        return Err(FiguresError::BottomNotFirstOfRanking);
    }
    let mut named = BTreeSet::new();
    for unit in &figures.named {
        if !named.insert(unit) {
            return Err(FiguresError::UnitTwice { unit: unit.clone() });
        }
    }
    let threshold = f64::from(rules.overdue_items_threshold);
    let must_name = figures.bottom.iter().chain(
        figures
            .ranking
            .iter()
            .filter(|r| r.overdue >= threshold)
            .map(|r| &r.unit),
    );
    for unit in must_name {
        if !named.contains(unit) {
            return Err(FiguresError::NotNamed { unit: unit.clone() });
        }
    }
    Ok(())
}

/// Only an assessment carries scores, each graded by the grade thresholds it records.
fn check_scores(
    kind: PublicationKind,
    figures: &Figures,
    rules: &FigureRules,
) -> Result<(), FiguresError> {
    let grades = match (&rules.grades, kind) {
        (Some(grades), PublicationKind::Assessment) => grades,
        _ if figures.scores.is_empty() => return Ok(()),
        _ => return Err(FiguresError::ScoresOutsideAssessment),
    };
    let mut seen = BTreeSet::new();
    for row in &figures.scores {
        if !seen.insert(&row.unit) {
            return Err(FiguresError::UnitTwice {
                unit: row.unit.clone(),
            });
        }
        if row.score.map(|s| grade(s.get(), grades)) != row.grade {
            return Err(FiguresError::GradeDisagreesWithScore {
                unit: row.unit.clone(),
            });
        }
    }
    Ok(())
}
