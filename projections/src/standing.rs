//! Unit standing (单位整改态势): per unit of a task force or of the county — open, closed on
//! time, closed late, overdue (exempted episodes not counted, mitigated ones by the factor),
//! days overdue, late 签收, the send-back and response rates, satisfaction — and the overdue ranking with the bottom units and those named, as things stand
//! now. It is the figures of the campaign to date (DOMAIN.md "Definitions", the period from
//! the campaign's start to `now`) read at a log position, so a unit's standing and a bulletin cut off at the
//! same instant count alike, and every number drills down to its items.
//!
//! Its satisfaction is the assessment's (DOMAIN.md "Assessment": survey mean weighted by
//! sample size and complaint ratings, 1 → 0 … 5 → 100, by the campaign's weights) over the
//! standing's period: every survey round of the unit closed within it, and the ratings given
//! within it. The rounds are read as their register stands, counted by the instant they closed.

use chrono::{DateTime, Utc};
use rectiflow_domain::assessment::satisfaction;
use rectiflow_domain::publication::{Counts, Period, PublicationKind, PublicationScope, Ranked};
use rectiflow_domain::settings::CampaignSettings;
use rectiflow_domain::values::{CampaignId, UnitId};
use rectiflow_engine::readmodel::ReadModelStore;
use serde::Serialize;

use crate::complaint_history::{ComplaintHistory, ComplaintRow};
use crate::figures::assessment::ratings_of;
use crate::figures::{compute, DrillDown, FigureInputs, FiguresError};
use crate::item_history::{ItemHistory, ItemHistoryRow};
use crate::projector::RowProjection;
use crate::survey_rounds::{RoundRow, SurveyRounds};

/// One unit as it stands.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct UnitStanding {
    pub unit: UnitId,
    pub counts: Counts,
    /// 0–100 from the unit's survey rounds and the complaint ratings given to its answers in
    /// the period; `None` without either.
    pub satisfaction: Option<f64>,
}

/// The standing of every unit of a scope, and its ranking, at an instant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standing {
    pub as_of: DateTime<Utc>,
    /// The log position it was read at.
    pub position: u64,
    pub totals: Counts,
    pub units: Vec<UnitStanding>,
    pub ranking: Vec<Ranked>,
    pub bottom: Vec<UnitId>,
    pub named: Vec<UnitId>,
    pub drill_down: DrillDown,
}

/// The standing of `scope` in `campaign` from `since` (the campaign's start) to `now`, by the
/// settings `settings` in force, counting the facts logged at positions ≤ `position` (at most
/// what the item and complaint histories have applied: [`crate::live::applied_position`]).
pub async fn standing<S: ReadModelStore>(
    store: &S,
    campaign: &CampaignId,
    scope: &PublicationScope,
    period: Period,
    position: u64,
    settings: &CampaignSettings,
) -> Result<Standing, FiguresError> {
    let now = period.cut_off;
    let inputs = FigureInputs::new(
        PublicationKind::Bulletin,
        campaign.clone(),
        scope.clone(),
        period,
        position,
        settings,
    );
    let items: Vec<ItemHistoryRow> = ItemHistory::TABLE.read_all(store).await?;
    let complaints: Vec<ComplaintRow> = ComplaintHistory::TABLE.read_all(store).await?;
    let rounds: Vec<RoundRow> = SurveyRounds::TABLE.read_all(store).await?;
    let computed = compute(&inputs, &items, &complaints, None)?;
    let figures = computed.figures;
    let units = figures
        .units
        .into_iter()
        .map(|row| {
            let ratings = ratings_of(&row.unit, &inputs, &complaints);
            let surveys: Vec<_> = rounds
                .iter()
                .filter(|r| r.unit == row.unit.as_str())
                .filter_map(|r| r.closed_within(campaign.as_str(), period.start, period.cut_off))
                .collect();
            UnitStanding {
                satisfaction: satisfaction(&surveys, &ratings, &settings.satisfaction),
                unit: row.unit,
                counts: row.counts,
            }
        })
        .collect();
    Ok(Standing {
        as_of: now,
        position,
        totals: figures.totals,
        units,
        ranking: figures.ranking,
        bottom: figures.bottom,
        named: figures.named,
        drill_down: computed.drill_down,
    })
}
