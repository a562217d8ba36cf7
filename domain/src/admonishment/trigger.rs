//! The rules of a policy-triggered admonishment (DOMAIN.md "Admonishment and
//! accountability"): each rule fires at its kind of publication, and its evidence must show
//! it fired under the rules in force.

use std::collections::BTreeSet;

use chrono::{Datelike, Months};
use chrono_tz::Tz;

use crate::assessment::{grade, Grade};
use crate::publication::{weigh, PublicationKind, PublicationScope, StreamName};
use crate::settings::CampaignSettings;
use crate::values::{local_date, local_start_of_day};

use super::errors::AdmonishmentError;
use super::evidence::{Finding, PublicationRef, RankingPosition};

/// A publication reference whose id reads as a publication of the kind and scope it names.
pub(super) fn check_publication(publication: &PublicationRef) -> Result<(), AdmonishmentError> {
    let fits = StreamName::read(&publication.publication).is_some_and(|name| {
        name.kind == publication.kind && name.scope == publication.scope.stream_part()
    });
    if fits {
        Ok(())
    } else {
        Err(AdmonishmentError::PublicationMismatch {
            publication: publication.publication.clone(),
        })
    }
}

fn county_bulletin(kind: PublicationKind, scope: &PublicationScope) -> bool {
    kind == PublicationKind::Bulletin && *scope == PublicationScope::County
}

/// Checks every finding of a policy trigger at `publication`, naming `items`.
pub(super) fn check_findings(
    publication: &PublicationRef,
    findings: &[Finding],
    items: usize,
    settings: &CampaignSettings,
) -> Result<(), AdmonishmentError> {
    if findings.is_empty() {
        return Err(AdmonishmentError::MissingFindings);
    }
    let mut rules = BTreeSet::new();
    for finding in findings {
        let rule = finding.rule();
        if !rules.insert(rule) {
            return Err(AdmonishmentError::RuleTwice { rule });
        }
        let at_bulletin = county_bulletin(publication.kind, &publication.scope);
        let not_here = |needs| AdmonishmentError::RuleNotAtPublication {
            rule,
            kind: publication.kind,
            needs,
        };
        match finding {
            Finding::OverdueItems {
                overdue,
                mitigation_factor,
            } => {
                if !at_bulletin {
                    return Err(not_here("全县月通报"));
                }
                let factor = *mitigation_factor;
                // False for a count that is not a number, so it cannot slip past the threshold.
                let adds_up = (overdue.weighted - weigh(overdue.full, overdue.mitigated, factor))
                    .abs()
                    < 1e-9;
                if !(0.0..=1.0).contains(&factor) || !adds_up {
                    return Err(AdmonishmentError::InconsistentOverdue);
                }
                let threshold = settings.admonishment.overdue_items_threshold;
                if overdue.weighted < f64::from(threshold) {
                    return Err(AdmonishmentError::BelowThreshold {
                        overdue: overdue.weighted,
                        threshold,
                    });
                }
                let counted = u64::from(overdue.full) + u64::from(overdue.mitigated);
                if (items as u64) < counted {
                    return Err(AdmonishmentError::MissingItems {
                        items,
                        overdue: counted,
                    });
                }
            }
            Finding::BottomOfRanking { positions } => {
                if !at_bulletin {
                    return Err(not_here("全县月通报"));
                }
                check_positions(publication, positions, settings)?;
            }
            Finding::FailedAssessment { score, grade: g } => {
                if publication.kind != PublicationKind::Assessment {
                    return Err(not_here("季考核"));
                }
                if !settings.admonishment.admonish_on_fail {
                    return Err(AdmonishmentError::RuleDisabled { rule });
                }
                if *g != Grade::Fail || grade(score.get(), &settings.grades) != Grade::Fail {
                    return Err(AdmonishmentError::NotFailed { grade: *g });
                }
            }
        }
    }
    Ok(())
}

/// Bottom N (`bottom_of_ranking`) of the county-wide ranking in `consecutive_bulletins`
/// consecutive monthly bulletins, oldest first, the last being the one the admonishment rests
/// on.
fn check_positions(
    publication: &PublicationRef,
    positions: &[RankingPosition],
    settings: &CampaignSettings,
) -> Result<(), AdmonishmentError> {
    let rules = &settings.admonishment;
    let fail = |needs| Err(AdmonishmentError::RankingEvidence { needs });
    if positions.len() != usize::try_from(rules.consecutive_bulletins).unwrap_or(usize::MAX) {
        return fail("按整治行动规定的连续期数逐期列明排名");
    }
    match positions.last() {
        Some(last)
            if last.publication == publication.publication
                && last.cut_off == publication.cut_off => {}
        _ => return fail("以所依据的通报作为最后一期排名"),
    }
    for position in positions {
        if position.position == 0 || position.position > rules.bottom_of_ranking {
            return fail("各期名次均在排名后列之内");
        }
        let county = StreamName::read(&position.publication)
            .is_some_and(|name| name.kind == PublicationKind::Bulletin && name.scope == "county");
        if !county {
            return fail("各期均为全县月通报");
        }
    }
    let tz = settings.time_zone;
    if positions
        .windows(2)
        .any(|pair| !month_before(pair[0].cut_off, pair[1].cut_off, tz))
    {
        return fail("各期为连续月份的月通报");
    }
    Ok(())
}

/// Whether `earlier` is the cut-off of the month before the one `later` cuts off: both at a
/// local 1st, 00:00, one month apart.
fn month_before(
    earlier: chrono::DateTime<chrono::Utc>,
    later: chrono::DateTime<chrono::Utc>,
    tz: Tz,
) -> bool {
    let later_day = local_date(later, tz);
    later_day.day() == 1
        && later == local_start_of_day(later_day, tz)
        && later_day
            .checked_sub_months(Months::new(1))
            .is_some_and(|day| earlier == local_start_of_day(day, tz))
}
