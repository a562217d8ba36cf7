//! 下钻（实时） — what is behind a figure so far: the month's figures of the county or a task
//! force (or one of its units), as the overview shows them, each with the items (or
//! complaints) it counted at the lens's instant — computed as a bulletin's would be, so every
//! figure of the overview opens the very items it counted.
//!
//! A secretariat drills into its own task forces only, as into their publications.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use maud::html;
use rectiflow_domain::values::UnitId;
use rectiflow_projections::figures::figure;
use rectiflow_store::Store;
use serde::Deserialize;

use super::documents::drill_sources;
use super::format;
use super::lens::Lens;
use super::names::unit_name_of;
use super::session::{Refused, Viewer};
use crate::api::problem::Problem;
use crate::api::Api;

/// The figures named by a group, as the overview's links name them: the three ways an overdue
/// item counts, the completion rate's two parts, the closed items the on-time rate divides.
const GROUPS: [(&str, &[&str]); 3] = [
    (
        "overdue",
        &[
            figure::OVERDUE_FULL,
            figure::OVERDUE_MITIGATED,
            figure::OVERDUE_EXEMPTED,
        ],
    ),
    ("completion", &[figure::DUE, figure::DUE_CLOSED]),
    (
        "closed",
        &[figure::CLOSED_ON_TIME_TO_DATE, figure::CLOSED_LATE_TO_DATE],
    ),
];

/// The page's parameters: the lens's, the scope, and the figure (or group) to show.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FigureParams {
    pub campaign: Option<String>,
    pub as_of: Option<String>,
    pub task_force: Option<String>,
    pub unit: Option<String>,
    /// A figure's name (`open`, `registered.to_date` …) or a group (`overdue`, `completion`,
    /// `closed`); every figure by default.
    pub figure: Option<String>,
}

/// The figures `asked` names, or a 422 naming the choices.
fn figures_named(asked: &str) -> Result<Vec<&'static str>, Problem> {
    if let Some((_, names)) = GROUPS.iter().find(|(group, _)| *group == asked) {
        return Ok(names.to_vec());
    }
    match figure::ALL.iter().find(|name| **name == asked) {
        Some(name) => Ok(vec![name]),
        None => Err(Problem::invalid(
            "request.unknown_figure",
            format!(
                "没有指标 {asked:?}，可选：{}、overdue、completion、closed",
                figure::ALL.join("、")
            ),
        )
        .field("figure")),
    }
}

/// `GET /figures`.
pub async fn page<S: Store>(
    State(api): State<Arc<Api<S>>>,
    viewer: Viewer,
    params: Result<Query<FigureParams>, QueryRejection>,
) -> Result<Response, Refused> {
    let params = crate::api::query(params)?;
    let lens = Lens::read(&api, params.campaign.as_deref(), params.as_of.as_deref()).await?;
    let principal = &viewer.principal;
    let task_force = params.task_force.clone().filter(|t| !t.is_empty());
    if !principal.drills_into(task_force.as_deref()) {
        return Err(Problem::forbidden(
            "auth.out_of_scope",
            format!("以{}身份只能下钻查看本专班的数字", principal.acting),
        )
        .into());
    }
    let wanted = params.figure.as_deref().map(figures_named).transpose()?;
    let unit = params.unit.clone().filter(|u| !u.is_empty());
    if let Some(unit) = &unit {
        UnitId::parse(unit.as_str())
            .map_err(|e| Problem::invalid("request.invalid_unit", e.to_string()).field("unit"))?;
    }
    let live = lens.month_so_far(&api, principal, &task_force).await?;
    let mut shown = match &unit {
        Some(unit) => live.drill_down.units.get(unit).cloned().unwrap_or_default(),
        None => live.drill_down.totals,
    };
    if let Some(wanted) = &wanted {
        shown.retain(|name, _| wanted.contains(&name.as_str()));
    }
    let scope = match (&unit, &task_force) {
        (Some(unit), _) => unit_name_of(principal, unit),
        (None, Some(id)) => lens.task_force_name(id),
        (None, None) => "全县".to_owned(),
    };
    let at = lens.at().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let item_query =
        serde_urlencoded::to_string([("campaign", lens.id.as_str()), ("as_of", at.as_str())])
            .unwrap_or_default();
    let mut kept: Vec<(&str, &str)> = Vec::new();
    for (name, value) in [
        ("task_force", &task_force),
        ("unit", &unit),
        ("figure", &params.figure),
    ] {
        if let Some(value) = value {
            kept.push((name, value));
        }
    }
    let body = html! {
        (lens.controls("/figures", &kept))
        p {
            (scope) " · 本月（" (format::local(live.period.start, lens.tz)) " 起）至 "
            (format::local(live.period.cut_off, lens.tz)) " · 日志第 " (live.position) " 位"
        }
        (drill_sources(&shown, &item_query))
    };
    Ok(viewer.page("下钻", "/", &lens, body))
}
