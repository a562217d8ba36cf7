//! The overdue ranking and the units it names (DOMAIN.md "Definitions"): units by overdue count
//! at the cut-off (weighted by 容错), descending; ties by total days overdue, descending, then
//! by unit code; units with none are not ranked. The bottom N are its first N; the units named
//! for criticism (点名) are the bottom N plus every unit at or above the admonishment
//! threshold.

use std::cmp::Ordering;

use rectiflow_domain::publication::{FigureRules, Ranked, UnitRow};
use rectiflow_domain::values::UnitId;

/// The ranking of `units`, in DOMAIN.md's order.
pub fn ranking(units: &[UnitRow]) -> Vec<Ranked> {
    let mut ranked: Vec<Ranked> = units
        .iter()
        .filter(|row| row.counts.overdue.weighted > 0.0)
        .map(|row| Ranked {
            unit: row.unit.clone(),
            overdue: row.counts.overdue.weighted,
            days_overdue: row.counts.days_overdue,
        })
        .collect();
    ranked.sort_by(order);
    ranked
}

fn order(a: &Ranked, b: &Ranked) -> Ordering {
    b.overdue
        .total_cmp(&a.overdue)
        .then(b.days_overdue.cmp(&a.days_overdue))
        .then(a.unit.cmp(&b.unit))
}

/// The first `rules.bottom_of_ranking` units of the ranking.
pub fn bottom(ranking: &[Ranked], rules: &FigureRules) -> Vec<UnitId> {
    let n = usize::try_from(rules.bottom_of_ranking).unwrap_or(usize::MAX);
    ranking.iter().take(n).map(|r| r.unit.clone()).collect()
}

/// 点名: the bottom units and every ranked unit at or above the threshold, in ranking order.
pub fn named(ranking: &[Ranked], rules: &FigureRules) -> Vec<UnitId> {
    let n = usize::try_from(rules.bottom_of_ranking).unwrap_or(usize::MAX);
    let threshold = f64::from(rules.overdue_items_threshold);
    ranking
        .iter()
        .enumerate()
        .filter(|(i, r)| *i < n || r.overdue >= threshold)
        .map(|(_, r)| r.unit.clone())
        .collect()
}
