//! 调度·通报·考核 read over HTTP: the publications on record, and the drill-down from each
//! figure of one to the items behind it and the log positions of the events that made each
//! count — so a reader who doubts "3 overdue" opens the three items and the events.
//!
//! The drill-down is the figures recomputed from the item and complaint histories at the
//! publication's own log position P, with the mitigation factor and rules it recorded: what a
//! figure names is exactly what it counted, however the campaign moved on since. The answer
//! says whether the recomputed counts still equal the published ones — a check anyone can
//! make of a publication, which fails only if the log or the models were tampered with.

use std::sync::Arc;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use rectiflow_domain::publication::{
    Figures, Period, PublicationEvent, PublicationKind, StreamName,
};
use rectiflow_domain::values::{PublicationId, UnitId};
use rectiflow_engine::StreamRef;
use rectiflow_projections::figures::{figure, read_figures, FigureInputs, FigureSources};
use rectiflow_projections::publishing::{model_behind, READS};
use rectiflow_store::Store;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::caller::Caller;
use super::problem::Problem;
use super::resource::Publications;
use super::{valid_id, Api};
use crate::access::Principal;

/// The list's path.
pub const LIST: &str = "/api/v1/publications";
/// The drill-down's path.
pub const DRILL_DOWN: &str = "/api/v1/publications/{id}/drill-down";

/// The filters of the publications' list.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicationParams {
    pub campaign: Option<String>,
    pub kind: Option<PublicationKind>,
    /// `county`, or `task_force:<id>`.
    pub scope: Option<String>,
}

/// One publication on record, as its id names it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PublicationListing {
    pub id: String,
    pub kind: PublicationKind,
    pub campaign: String,
    /// The period's label: `2026-W12`, `2026-03`, `2026-Q1`.
    pub label: String,
    pub scope: String,
    /// Which correction (更正) this is; 0 for the original.
    pub correction: u32,
}

/// The drill-down's parameters.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DrillParams {
    /// One figure (`overdue.full`, `open`, `registered.to_date` …); every figure by default.
    pub figure: Option<String>,
    /// One unit's figures; the publication's whole scope by default.
    pub unit: Option<String>,
}

/// What is behind a publication's figures, for its scope or one unit.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DrillDownView {
    pub publication: String,
    /// P: the log position the figures were computed at.
    pub position: u64,
    pub period: Period,
    pub unit: Option<String>,
    /// By figure: each item (or complaint) behind it and the positions of the events that
    /// make it count. A figure nothing is behind is absent.
    pub figures: FigureSources,
    /// The counts recomputed at P equal the published ones (scores aside: an assessment's
    /// scores read surveys and decisions the drill-down does not); `null` for a correction
    /// (更正), whose figures a secretariat gave rather than the log.
    pub matches_published: Option<bool>,
}

pub async fn list<S: Store>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
    params: Result<Query<PublicationParams>, QueryRejection>,
) -> Result<Response, Problem> {
    let params = super::query(params)?;
    let county_wide = super::scope::may_read(
        &api,
        &principal,
        super::resource::ReadRule::CountyWide,
        &Default::default(),
    )
    .await?;
    if !county_wide {
        return Err(Problem::forbidden(
            "auth.out_of_scope",
            format!("以{}身份不能查阅调度、通报和考核", principal.acting),
        ));
    }
    let ids = api
        .store
        .all_stream_ids("publication")
        .await
        .map_err(|e| Problem::store(&e))?;
    let mut listed: Vec<PublicationListing> = ids
        .iter()
        .filter_map(|id| listing(id))
        .filter(|p| params.campaign.as_ref().is_none_or(|c| *c == p.campaign))
        .filter(|p| params.kind.is_none_or(|k| k == p.kind))
        .filter(|p| params.scope.as_ref().is_none_or(|s| *s == p.scope))
        .collect();
    listed.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(axum::Json(listed).into_response())
}

pub(crate) fn listing(id: &str) -> Option<PublicationListing> {
    let name = StreamName::read(&PublicationId::parse(id).ok()?)?;
    let mut parts = name.original.split('~').skip(1);
    let (campaign, label) = (parts.next()?.to_owned(), parts.next()?.to_owned());
    Some(PublicationListing {
        id: id.to_owned(),
        kind: name.kind,
        campaign,
        label,
        scope: name.scope,
        correction: name.correction,
    })
}

pub async fn drill_down<S: Store>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
    id: Result<Path<String>, PathRejection>,
    params: Result<Query<DrillParams>, QueryRejection>,
) -> Result<Response, Problem> {
    let id = super::path(id)?;
    valid_id(&id)?;
    let params = super::query(params)?;
    let view = drill(&api, &principal, id, params).await?;
    Ok(axum::Json(view).into_response())
}

/// What is behind publication `id`'s figures, as `params` narrow it, when the principal may
/// drill into it: what the API's drill-down and the dashboard's serve.
pub(crate) async fn drill<S: Store>(
    api: &Api<S>,
    principal: &Principal,
    id: String,
    params: DrillParams,
) -> Result<DrillDownView, Problem> {
    if let Some(name) = &params.figure {
        if !figure::ALL.contains(&name.as_str()) {
            return Err(Problem::invalid(
                "request.unknown_figure",
                format!("没有指标 {name:?}，可选：{}", figure::ALL.join(", ")),
            )
            .field("figure"));
        }
    }
    if let Some(unit) = &params.unit {
        UnitId::parse(unit.as_str())
            .map_err(|e| Problem::invalid("request.invalid_unit", e.to_string()).field("unit"))?;
    }
    let (publication, _) = super::reads::readable::<S, Publications>(api, principal, &id).await?;
    let task_force = publication.scope.as_ref().and_then(|s| s.task_force());
    if !principal.drills_into(task_force.map(|t| t.as_str())) {
        return Err(Problem::forbidden(
            "auth.out_of_scope",
            format!(
                "以{}身份只能下钻查看本专班的调度、通报和考核",
                principal.acting
            ),
        ));
    }
    let corrected = publication.corrects.is_some();
    let (inputs, published) = recorded(&api.store, &id).await?;
    caught_up(&api.store, inputs.position).await?;
    let computed = read_figures(&api.store, &inputs, None)
        .await
        .map_err(|e| Problem::unavailable(format!("the figures could not be read: {e}")))?;
    // A correction's figures are the secretariat's, not a recomputation: nothing to match.
    let matches_published = (!corrected).then(|| {
        computed.figures.totals == published.totals && computed.figures.units == published.units
    });
    let mut sources = match &params.unit {
        None => computed.drill_down.totals,
        Some(unit) => computed
            .drill_down
            .units
            .get(unit)
            .cloned()
            .unwrap_or_default(),
    };
    if let Some(name) = &params.figure {
        sources.retain(|figure, _| figure == name);
    }
    let view = DrillDownView {
        publication: id,
        position: inputs.position,
        period: inputs.period,
        unit: params.unit,
        figures: sources,
        matches_published,
    };
    Ok(view)
}

/// What publication `id` was computed from, as its `Published` event recorded it, and its
/// figures.
async fn recorded<S: Store>(store: &S, id: &str) -> Result<(FigureInputs, Figures), Problem> {
    let events = store
        .load_events(&StreamRef::new("publication", id), 0)
        .await
        .map_err(|e| Problem::store(&e))?;
    for event in events {
        let event: PublicationEvent = serde_json::from_value(event.payload).map_err(|e| {
            Problem::unavailable(format!("publication {id} cannot be read from the log: {e}"))
        })?;
        let PublicationEvent::Published {
            kind,
            campaign,
            scope,
            period,
            inputs,
            mitigation_factor,
            rules,
            figures,
            ..
        } = event
        else {
            continue;
        };
        let inputs = FigureInputs {
            kind,
            campaign,
            scope,
            period,
            position: inputs.position,
            mitigation_factor,
            rules,
            // Only a dispatch's stalled list reads it; no figure does.
            stall_days: 0,
        };
        return Ok((inputs, *figures));
    }
    Err(Problem::refused(
        "publication.invalid_transition",
        format!("{id} 已跳过、未发布，没有统计数据"),
    ))
}

/// 503 unless the models the figures are read from have applied the log up to `position`
/// (just after a restart or a rebuild they may not have).
async fn caught_up<S: Store>(store: &S, position: u64) -> Result<(), Problem> {
    let behind = model_behind(store, &READS, position)
        .await
        .map_err(|e| Problem::store(&e))?;
    match behind {
        None => Ok(()),
        Some((consumer, checkpoint)) => Err(Problem::unavailable(format!(
            "the read model {consumer} stands at {checkpoint}, short of the publication's \
             position {position}; ask again shortly"
        ))
        .header(header::RETRY_AFTER, HeaderValue::from_static("1"))),
    }
}
