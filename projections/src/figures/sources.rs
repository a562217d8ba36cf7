//! What a quarterly assessment reads besides items and complaints, from the read models:
//! the quarter's closed survey rounds ([`SurveyRounds`]), each unit's admonishments by the
//! instant they rest on ([`AdmonishmentRegister`]: withdrawn ones rest on nothing), and the
//! accountability decisions against its people ([`AccountabilityRegister`]: the unit charged,
//! the instant decided, whether it deducts) — DOMAIN.md "Assessment"; which of them count in
//! the quarter is [`AssessmentPeriod`]'s to say.
//!
//! These registers hold each stream as it stands now, not as of a log position: an
//! admonishment withdrawn after the assessment was published would no longer be read if the
//! assessment were recomputed. The figures published are the record; this is what they were
//! computed from at the time.

use rectiflow_domain::assessment::{AssessmentPeriod, DecidedAccountability};
use rectiflow_domain::settings::CampaignSettings;
use rectiflow_domain::values::UnitId;
use rectiflow_engine::readmodel::ReadModelStore;

use super::{AssessmentSources, FiguresError, FiguresFault};
use crate::accountability_register::{AccountabilityEntry, AccountabilityRegister};
use crate::admonishment_register::{AdmonishmentEntry, AdmonishmentRegister};
use crate::projector::RowProjection;
use crate::survey_rounds::{RoundRow, SurveyRounds};

/// The read models an assessment's sources come from.
pub const SOURCES: [&str; 3] = [
    SurveyRounds::NAME,
    AdmonishmentRegister::NAME,
    AccountabilityRegister::NAME,
];

fn unit(id: &str) -> Result<UnitId, FiguresFault> {
    UnitId::parse(id).map_err(|_| FiguresFault::BadUnit(id.to_owned()))
}

/// The sources of `campaign`'s assessment of `quarter`, weighed by `settings`.
pub async fn assessment_sources<S: ReadModelStore>(
    store: &S,
    campaign: &str,
    quarter: AssessmentPeriod,
    settings: &CampaignSettings,
) -> Result<AssessmentSources, FiguresError> {
    let rounds: Vec<RoundRow> = SurveyRounds::TABLE.read_all(store).await?;
    let admonishments: Vec<AdmonishmentEntry> = AdmonishmentRegister::TABLE.read_all(store).await?;
    let cases: Vec<AccountabilityEntry> = AccountabilityRegister::TABLE.read_all(store).await?;
    let surveys = rounds
        .iter()
        .filter(|r| r.campaign == campaign)
        .filter_map(|r| r.counted_in(&quarter))
        .collect();
    let admonishments = admonishments
        .iter()
        .filter(|a| a.campaign == campaign)
        .filter_map(|a| a.window_instant.map(|at| Ok((unit(&a.unit)?, at))))
        .collect::<Result<_, FiguresFault>>()?;
    let decisions = cases
        .iter()
        .filter(|c| c.campaign == campaign)
        .filter_map(|c| {
            c.decided_at.map(|decided_at| {
                Ok((
                    unit(&c.unit)?,
                    DecidedAccountability {
                        decided_at,
                        deducts: c.deducts,
                    },
                ))
            })
        })
        .collect::<Result<_, FiguresFault>>()?;
    Ok(AssessmentSources {
        quarter,
        weights: settings.assessment_weights.clone(),
        satisfaction: settings.satisfaction.clone(),
        surveys,
        admonishments,
        decisions,
    })
}
