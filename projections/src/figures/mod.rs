//! The figures of a publication — weekly dispatch (周调度), monthly bulletin (月通报), quarterly
//! assessment (季考核) — computed exactly as DOMAIN.md's "Publications as facts" and
//! "Definitions" say, for any period as of any log position (time travel), per task force and
//! county-wide, with the ranking, the units named, and for every figure the items and positions
//! behind it ([`DrillDown`]).
//!
//! Pure: it reads the rows of [`ItemHistory`](crate::item_history::ItemHistory) and
//! [`ComplaintHistory`](crate::complaint_history::ComplaintHistory) and nothing else, so the
//! same figures come out of a live model, a rebuilt one, and a recomputation long after the
//! publication (every fact after P, or effective at or after the cut-off, is left out).
//!
//! Which unit a figure counts for: an item's standing at the cut-off (registered, closed, open,
//! overdue, due) counts for the unit responsible for it at the cut-off; what happened in the
//! period (a sign-off request, a send-back, a relapse, a late 签收) for the unit responsible
//! when it happened; a complaint's response for the unit that had to respond at its due
//! instant. An item not yet assigned counts in the scope's totals only. Closed "in the period"
//! means closed at the cut-off by a closure whose instant falls in the period (a closure
//! undone by a relapse before the cut-off is not counted).

pub(crate) mod assessment;
mod dispatch;
mod drill;
mod ranking;
mod read;
mod sources;
mod tally;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use rectiflow_domain::publication::{
    DispatchLists, FigureRules, Figures, Period, PublicationKind, PublicationScope, UnitRow,
};
use rectiflow_domain::settings::CampaignSettings;
use rectiflow_domain::values::{CampaignId, UnitId};

use crate::complaint_history::ComplaintRow;
use crate::item_history::ItemHistoryRow;
use tally::Tally;

pub use assessment::{AssessmentSources, SurveyRound, UnitAssessment};
pub use drill::{figure, Behind, DrillDown, FigureSources};
pub use ranking::{bottom, named, ranking};
pub use read::{read_figures, FiguresError};
pub use sources::{assessment_sources, SOURCES};

/// What a publication's figures are computed for, and the settings they are computed by.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureInputs {
    pub kind: PublicationKind,
    pub campaign: CampaignId,
    pub scope: PublicationScope,
    pub period: Period,
    /// P: only events at log positions ≤ P count.
    pub position: u64,
    /// The mitigation factor (减轻) in force.
    pub mitigation_factor: f64,
    /// Bottom N, the admonishment threshold and (assessments) the grade thresholds in force.
    pub rules: FigureRules,
    /// Dispatches: days without progress after which an item is listed as stalled.
    pub stall_days: u32,
}

impl FigureInputs {
    /// The inputs of `kind`'s figures for `scope` and `period` at `position`, by the
    /// campaign's `settings` in force (its mitigation factor, rules and stall days).
    pub fn new(
        kind: PublicationKind,
        campaign: CampaignId,
        scope: PublicationScope,
        period: Period,
        position: u64,
        settings: &CampaignSettings,
    ) -> Self {
        Self {
            kind,
            campaign,
            scope,
            period,
            position,
            mitigation_factor: settings.mitigation_factor,
            rules: FigureRules::of(kind, settings),
            stall_days: settings.stall_days,
        }
    }
}

/// The figures, and what is behind each of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Computed {
    pub figures: Figures,
    pub drill_down: DrillDown,
    /// Assessments only: each unit's parts, deductions, score and grade.
    pub assessments: Vec<UnitAssessment>,
}

/// Why figures could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FiguresFault {
    /// A stored unit id is not a valid one: the read model is corrupt.
    #[error("the read model names {0:?}, which is not a unit id")]
    BadUnit(String),
}

/// Computes the figures of `inputs` from the histories of the campaign's items and complaints
/// (rows of other campaigns or scopes are ignored). An assessment's scores also read
/// `assessment` (surveys, admonishments, accountability decisions of the quarter); without
/// them an assessment has no scores.
pub fn compute(
    inputs: &FigureInputs,
    items: &[ItemHistoryRow],
    complaints: &[ComplaintRow],
    assessment: Option<&AssessmentSources>,
) -> Result<Computed, FiguresFault> {
    let Period { start, cut_off } = inputs.period;
    let task_force = inputs.scope.task_force().map(|t| t.as_str());
    let campaign = inputs.campaign.as_str();
    let mut totals = Tally::default();
    let mut units: BTreeMap<String, Tally> = BTreeMap::new();
    let mut lists = DispatchLists::default();
    for row in items {
        let Some(item) = row.as_of(inputs.position, cut_off) else {
            continue;
        };
        // DOMAIN.md: withdrawn items are excluded from every figure.
        if item.withdrawn
            || item.campaign != campaign
            || task_force.is_some_and(|t| t != item.task_force)
        {
            continue;
        }
        totals.item(&item, &inputs.period);
        if let Some(unit) = &item.unit {
            units
                .entry(unit.clone())
                .or_default()
                .item(&item, &inputs.period);
        }
        for happened in item.happened.iter().filter(|h| start <= h.at) {
            totals.happened(&item.code, happened);
            if let Some(unit) = &happened.unit {
                units
                    .entry(unit.clone())
                    .or_default()
                    .happened(&item.code, happened);
            }
        }
        if inputs.kind == PublicationKind::Dispatch {
            dispatch::list(&mut lists, &item, cut_off, inputs.stall_days);
        }
    }
    for complaint in complaints {
        if complaint.campaign != campaign
            || task_force.is_some_and(|t| complaint.task_force.as_deref() != Some(t))
        {
            continue;
        }
        if let Some(response) = complaint.response_due_in(start, cut_off, inputs.position) {
            totals.response(&response);
            units
                .entry(response.unit.clone())
                .or_default()
                .response(&response);
        }
    }
    let factor = inputs.mitigation_factor;
    let mut rows = Vec::with_capacity(units.len());
    let mut drill_down = DrillDown {
        totals: std::mem::take(&mut totals.sources),
        units: BTreeMap::new(),
    };
    for (unit, mut tally) in units {
        let id = UnitId::parse(unit.as_str()).map_err(|_| FiguresFault::BadUnit(unit.clone()))?;
        rows.push(UnitRow {
            unit: id,
            counts: tally.counts(factor),
        });
        drill_down
            .units
            .insert(unit, std::mem::take(&mut tally.sources));
    }
    let ranked = ranking(&rows);
    let assessments = match (inputs.kind, assessment) {
        (PublicationKind::Assessment, Some(sources)) => {
            assessment::assessments(inputs, &rows, complaints, sources)
        }
        _ => Vec::new(),
    };
    let scores = assessments.iter().map(UnitAssessment::published).collect();
    let figures = Figures {
        totals: totals.counts(factor),
        bottom: bottom(&ranked, &inputs.rules),
        named: named(&ranked, &inputs.rules),
        ranking: ranked,
        units: rows,
        scores,
        dispatch: (inputs.kind == PublicationKind::Dispatch).then_some(lists),
    };
    Ok(Computed {
        figures,
        drill_down,
        assessments,
    })
}
