//! Which rules fire for which unit at a publication (DOMAIN.md "Admonishment and
//! accountability"), evaluated on the figures it published and the settings in force:
//! - **≥ N overdue**: at a county-wide monthly bulletin, a unit whose weighted overdue count
//!   (mitigated items counted by the factor the bulletin recorded, exempted ones 0) reaches
//!   the threshold;
//! - **bottom of the ranking** in consecutive bulletins: at a county-wide monthly bulletin, a
//!   unit within the bottom N of its ranking and of the county-wide bulletins of the months
//!   just before it (2 bulletins by default);
//! - **fail**: at an assessment, a unit graded "fail" (re-graded by the thresholds in force,
//!   as the admonishment checks it).
//!
//! Every rule that fires for a unit goes into its one admonishment at that publication.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rectiflow_domain::admonishment::{Finding, RankingPosition};
use rectiflow_domain::assessment::{grade, Grade};
use rectiflow_domain::publication::{Figures, PublicationKind, PublicationScope, Ranked};
use rectiflow_domain::settings::CampaignSettings;
use rectiflow_domain::values::{PublicationId, UnitId};

/// A county-wide bulletin as the ranking rule reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct RankedBulletin {
    pub publication: PublicationId,
    pub cut_off: DateTime<Utc>,
    pub ranking: Vec<Ranked>,
}

impl RankedBulletin {
    /// The unit's 1-based place in the ranking, if it is within the bottom `n`.
    fn bottom_place(&self, unit: &UnitId, n: u32) -> Option<u32> {
        let place = self.ranking.iter().position(|r| &r.unit == unit)?;
        let place = u32::try_from(place).ok()?.checked_add(1)?;
        (place <= n).then_some(place)
    }
}

/// The findings per unit at a publication of `kind` and `scope` with `figures`, whose weighted
/// counts used `factor`. `earlier` are the county-wide bulletins of the months before it,
/// oldest first, as many as the rule looks back (fewer: the ranking rule cannot fire), and
/// `this` is the publication itself as a ranked bulletin.
pub fn findings(
    kind: PublicationKind,
    scope: &PublicationScope,
    figures: &Figures,
    factor: f64,
    this: &RankedBulletin,
    earlier: &[RankedBulletin],
    settings: &CampaignSettings,
) -> BTreeMap<UnitId, Vec<Finding>> {
    let mut fired: BTreeMap<UnitId, Vec<Finding>> = BTreeMap::new();
    if *scope != PublicationScope::County {
        return fired;
    }
    let rules = &settings.admonishment;
    match kind {
        PublicationKind::Bulletin => {
            let threshold = f64::from(rules.overdue_items_threshold);
            for row in &figures.units {
                if row.counts.overdue.weighted >= threshold {
                    fired
                        .entry(row.unit.clone())
                        .or_default()
                        .push(Finding::OverdueItems {
                            overdue: row.counts.overdue,
                            mitigation_factor: factor,
                        });
                }
            }
            let looked_back = usize::try_from(rules.consecutive_bulletins.saturating_sub(1))
                .unwrap_or(usize::MAX);
            if rules.consecutive_bulletins > 0 && earlier.len() == looked_back {
                for ranked in &this.ranking {
                    let places: Option<Vec<RankingPosition>> = earlier
                        .iter()
                        .chain(std::iter::once(this))
                        .map(|bulletin| {
                            bulletin
                                .bottom_place(&ranked.unit, rules.bottom_of_ranking)
                                .map(|position| RankingPosition {
                                    publication: bulletin.publication.clone(),
                                    cut_off: bulletin.cut_off,
                                    position,
                                })
                        })
                        .collect();
                    if let Some(positions) = places {
                        fired
                            .entry(ranked.unit.clone())
                            .or_default()
                            .push(Finding::BottomOfRanking { positions });
                    }
                }
            }
        }
        PublicationKind::Assessment if rules.admonish_on_fail => {
            for score in &figures.scores {
                let Some(value) = score.score else { continue };
                if grade(value.get(), &settings.grades) == Grade::Fail {
                    fired
                        .entry(score.unit.clone())
                        .or_default()
                        .push(Finding::FailedAssessment {
                            score: value,
                            grade: Grade::Fail,
                        });
                }
            }
        }
        PublicationKind::Assessment | PublicationKind::Dispatch => {}
    }
    fired
}
