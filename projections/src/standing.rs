//! Unit standing (单位整改态势): per unit of a task force or of the county — open, closed on
//! time, closed late, overdue (exempted episodes not counted, mitigated ones by the factor),
//! days overdue, late 签收, the send-back and response rates, satisfaction from complaint
//! ratings — and the overdue ranking with the bottom units and those named, as things stand
//! now. It is the figures of the campaign to date (DOMAIN.md "Definitions", the period from
//! the campaign's start to `now`) read at a log position, so a unit's standing and a bulletin cut off at the
//! same instant count alike, and every number drills down to its items.
//!
//! Surveys are not in its satisfaction yet: a survey round counts in the quarter's assessment
//! (there is no read model of survey rounds yet), so here satisfaction is the complaint
//! ratings' alone, 1 → 0 … 5 → 100.

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

/// One unit as it stands.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct UnitStanding {
    pub unit: UnitId,
    pub counts: Counts,
    /// 0–100 from the complaint ratings given to the unit's answers; `None` without any.
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
    let computed = compute(&inputs, &items, &complaints, None)?;
    let figures = computed.figures;
    let units = figures
        .units
        .into_iter()
        .map(|row| {
            let ratings = ratings_of(&row.unit, &inputs, &complaints);
            UnitStanding {
                satisfaction: satisfaction(&[], &ratings, &settings.satisfaction),
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
