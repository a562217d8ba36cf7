//! 逾期排名 — the overdue ranking so far (the month's, as the bulletin will count it) as a bar
//! chart, one bar per ranked unit; a bar leads to that unit's overdue items. Under it the same
//! ranking as a table, with the units named for criticism (点名).

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use maud::html;
use rectiflow_store::Store;
use serde::Deserialize;

use super::chart::{self, Bar};
use super::format;
use super::lens::Lens;
use super::names::unit_name;
use super::session::{Refused, Viewer};
use crate::api::Api;

/// The ranking's parameters: the lens's, and one task force's units instead of the county's.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RankingParams {
    pub campaign: Option<String>,
    pub as_of: Option<String>,
    pub task_force: Option<String>,
}

pub async fn page<S: Store>(
    State(api): State<Arc<Api<S>>>,
    viewer: Viewer,
    params: Result<Query<RankingParams>, QueryRejection>,
) -> Result<Response, Refused> {
    let params = crate::api::query(params)?;
    let lens = Lens::read(&api, params.campaign.as_deref(), params.as_of.as_deref()).await?;
    let principal = &viewer.principal;
    let task_force = params.task_force.filter(|t| !t.is_empty());
    let live = lens.month_so_far(&api, principal, &task_force).await?;
    let figures = &live.figures;
    // A secretariat's list of a unit's items holds its own task forces' only: a bar of the
    // county's ranking (which counts every task force's), or of another task force's, leads
    // nowhere for it.
    let linked = principal.drills_into(task_force.as_deref());
    let bars: Vec<Bar> = figures
        .ranking
        .iter()
        .map(|ranked| Bar {
            label: unit_name(principal, &ranked.unit),
            value: ranked.overdue,
            caption: format!(
                "加权 {} · {} 天",
                format::weighted(ranked.overdue),
                ranked.days_overdue
            ),
            href: linked.then(|| {
                let mut pairs = vec![("unit", ranked.unit.as_str()), ("overdue", "true")];
                if let Some(task_force) = &task_force {
                    pairs.push(("task_force", task_force));
                }
                format!("/items?{}", lens.query(&pairs))
            }),
        })
        .collect();
    // A unit's live drill-down, where its reader may drill (a secretariat into its own task
    // forces only).
    let drill = |unit: &str| {
        let mut pairs = vec![("unit", unit), ("figure", "overdue")];
        if let Some(task_force) = &task_force {
            pairs.push(("task_force", task_force));
        }
        linked.then(|| format!("/figures?{}", lens.pinned_query(&pairs)))
    };
    let hidden: Vec<(&str, &str)> = task_force
        .as_deref()
        .map(|t| ("task_force", t))
        .into_iter()
        .collect();
    let body = html! {
        (lens.controls("/ranking", &hidden))
        p.muted {
            "本月（" (format::local(live.period.start, lens.tz)) " 起）至 " (format::local(live.period.cut_off, lens.tz))
            "，按加权逾期件数（减轻的按系数折算，免责的不计）、再按逾期天数排列；点击条形查看该单位的全部逾期事项（含免责、减轻的）。"
        }
        div.chips {
            a href=(format!("/ranking?{}", lens.query(&[]))) aria-current=[task_force.is_none().then_some("page")] { "全县" }
            @for (id, force) in lens.task_forces(principal) {
                a href=(format!("/ranking?{}", lens.query(&[("task_force", id.as_str())])))
                    aria-current=[(task_force.as_deref() == Some(id.as_str())).then_some("page")] { (force.name) }
            }
        }
        @if bars.is_empty() {
            p { "此时没有逾期未销号的单位。" }
        } @else {
            (chart::bars("逾期排名", &bars))
            div.table-wrap { table.ranking {
                thead { tr { th.num { "名次" } th { "单位" } th.num { "加权逾期" } th.num { "逾期天数" } th { "点名" } } }
                tbody {
                    @for (place, ranked) in figures.ranking.iter().enumerate() {
                        tr data-unit=(ranked.unit.as_str()) {
                            td.num { (place + 1) }
                            td {
                                // What the unit's count is made of, figure by figure.
                                @match drill(ranked.unit.as_str()) {
                                    Some(href) => a href=(href) { (unit_name(principal, &ranked.unit)) },
                                    None => (unit_name(principal, &ranked.unit)),
                                }
                            }
                            td.num { (format::weighted(ranked.overdue)) }
                            td.num { (ranked.days_overdue) }
                            td { @if figures.named.contains(&ranked.unit) { "是" } }
                        }
                    }
                }
            } }
        }
    };
    Ok(viewer.page("逾期排名", "/ranking", &lens, body))
}
