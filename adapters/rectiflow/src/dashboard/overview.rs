//! 总览 — the county at a glance (挂图作战): for the county and each task force the reader
//! reads, its items by state and by colour, its completion and on-time rates to date, and the
//! monthly trends from the bulletins published so far. Every count links to the items behind
//! it.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use maud::{html, Markup};
use rectiflow_domain::item::{Colour, ItemState};
use rectiflow_domain::organisation::Acting;
use rectiflow_domain::publication::{Counts, PublicationKind};
use rectiflow_projections::item_register::{colour_label, ItemEntry};
use rectiflow_store::Store;
use serde::Deserialize;

use super::chart::{self, Point};
use super::documents::published;
use super::format;
use super::lens::Lens;
use super::session::{Refused, Viewer};
use crate::api::ledger::{matching, LedgerParams};
use crate::api::Api;

/// The overview's parameters: the lens's.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LensParams {
    pub campaign: Option<String>,
    pub as_of: Option<String>,
}

/// The states an item passes through on the list, in the order the overview shows them.
const STATES: [ItemState; 7] = [
    ItemState::Registered,
    ItemState::Assigned,
    ItemState::InProgress,
    ItemState::PendingSignOff,
    ItemState::Reopened,
    ItemState::Closed,
    ItemState::Withdrawn,
];

const COLOURS: [Colour; 3] = [Colour::Red, Colour::Yellow, Colour::Green];

pub async fn page<S: Store>(
    State(api): State<Arc<Api<S>>>,
    viewer: Viewer,
    params: Result<Query<LensParams>, QueryRejection>,
) -> Result<Response, Refused> {
    let params = crate::api::query(params)?;
    let lens = Lens::read(&api, params.campaign.as_deref(), params.as_of.as_deref()).await?;
    let principal = &viewer.principal;
    let campaign = Some(lens.id.to_string());
    let county = lens.month_so_far(&api, principal, &None).await?;
    // The register read once for a reader of every task force (a past one is rebuilt for
    // each read); a secretariat's, task force by task force, as the ledger lets it read.
    let everyone = match principal.acting {
        Acting::Secretariat { .. } => None,
        _ => {
            let params = LedgerParams {
                campaign: campaign.clone(),
                as_of: lens.as_of,
                ..LedgerParams::default()
            };
            Some(matching(&api, principal, &params).await?)
        }
    };
    let mut forces = Vec::new();
    for (id, force) in lens.task_forces(principal) {
        let task_force = Some(id.to_string());
        let live = lens.month_so_far(&api, principal, &task_force).await?;
        let tally = match &everyone {
            Some((rows, at)) => {
                let of_force: Vec<&ItemEntry> = rows
                    .iter()
                    .filter(|r| r.task_force == id.as_str())
                    .collect();
                Tally::of(of_force, *at)
            }
            None => {
                let params = LedgerParams {
                    campaign: campaign.clone(),
                    task_force,
                    as_of: lens.as_of,
                    ..LedgerParams::default()
                };
                let (rows, at) = matching(&api, principal, &params).await?;
                Tally::of(rows.iter(), at)
            }
        };
        forces.push((
            id.to_string(),
            force.name.to_string(),
            live.figures.totals,
            tally,
        ));
    }
    let bulletins = published(&api, principal, &lens, PublicationKind::Bulletin).await?;
    let trend: Vec<Point> = bulletins
        .iter()
        .map(|b| Point {
            label: b.label.clone(),
            values: vec![
                b.figures.totals.completion_rate.and_then(|r| r.percent()),
                b.figures.totals.on_time_rate.and_then(|r| r.percent()),
            ],
        })
        .collect();
    let overdue: Vec<Point> = bulletins
        .iter()
        .map(|b| Point {
            label: b.label.clone(),
            values: vec![
                Some(b.figures.totals.open as f64),
                Some(b.figures.totals.overdue.items() as f64),
            ],
        })
        .collect();
    let body = html! {
        (lens.controls("/", &[]))
        section.cards {
            div.card #county {
                h2 { "全县" }
                (counts(&county.figures.totals, &lens, principal.drills_into(None), None))
            }
        }
        h2 { "各专班（挂图作战）" }
        section.cards {
            @for (id, name, totals, tally) in &forces {
                div.card.task-force data-task-force=(id) {
                    h2 { (name) }
                    (counts(totals, &lens, true, Some(id)))
                    p.muted { "按状态" }
                    div.chips {
                        @for state in STATES {
                            @let n = tally.states.get(&state).copied().unwrap_or(0);
                            a href=(format!("/items?{}", lens.query(&[("task_force", id), ("state", state.as_str())]))) {
                                (state.label()) " " (n)
                            }
                        }
                    }
                    p.muted { "按颜色" }
                    div.chips {
                        @for colour in COLOURS {
                            @let n = tally.colours.get(&colour).copied().unwrap_or(0);
                            a class=(format!("colour-{}", colour_label(colour))) href=(format!("/items?{}", lens.query(&[("task_force", id), ("colour", colour_name(colour))]))) {
                                (colour_label(colour)) " " (n)
                            }
                        }
                    }
                }
            }
        }
        h2 { "月度趋势（已发布的全县月通报）" }
        @if bulletins.is_empty() {
            p.muted { "截至此时尚无已发布的全县月通报。" }
        } @else {
            (chart::lines("整改完成率与按期完成率（%）", &["完成率", "按期率"], 100.0, &trend))
            (chart::lines("在办与逾期事项（件）", &["在办", "逾期"], 1.0, &overdue))
        }
    };
    Ok(viewer.page("总览", "/", &lens, body))
}

/// A scope's headline counts.
/// A scope's headline counts; `linked`, each leads to the items it counted (the live
/// drill-down), of `task_force` (`None`: the county's).
fn counts(totals: &Counts, lens: &Lens, linked: bool, task_force: Option<&str>) -> Markup {
    let link = |figure: &str| {
        let mut pairs = vec![("figure", figure)];
        if let Some(task_force) = task_force {
            pairs.push(("task_force", task_force));
        }
        linked.then(|| format!("/figures?{}", lens.pinned_query(&pairs)))
    };
    let figure = |figure: &str, shown: Markup| match link(figure) {
        Some(href) => html! { a data-figure=(figure) href=(href) { (shown) } },
        None => shown,
    };
    html! {
        dl.counts {
            dt { "累计登记" } dd.figure { (figure("registered.to_date", html! { (totals.registered.to_date) })) }
            dt { "在办" } dd { (figure("open", html! { (totals.open) })) }
            dt { "待销号" } dd { (figure("pending_sign_off", html! { (totals.pending_sign_off) })) }
            dt { "逾期" } dd {
                (figure("overdue", html! { (totals.overdue.items()) " 件" }))
                " （加权 " (format::weighted(totals.overdue.weighted)) "）"
            }
            dt { "整改完成率" } dd.rate { (figure("completion", html! { (format::rate(totals.completion_rate)) })) }
            dt { "按期完成率" } dd.rate { (figure("closed", html! { (format::rate(totals.on_time_rate)) })) }
        }
    }
}

/// The register's rows counted by state and by colour at an instant (as the ledger's filters
/// count them, so each count is the length of the list it links to).
struct Tally {
    states: HashMap<ItemState, u64>,
    colours: HashMap<Colour, u64>,
}

impl Tally {
    fn of<'a>(
        rows: impl IntoIterator<Item = &'a ItemEntry>,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Self {
        let mut tally = Tally {
            states: HashMap::new(),
            colours: HashMap::new(),
        };
        for row in rows {
            *tally.states.entry(row.state).or_default() += 1;
            *tally.colours.entry(row.colour_at(at)).or_default() += 1;
        }
        tally
    }
}

/// A colour as the ledger's filter names it.
pub fn colour_name(colour: Colour) -> &'static str {
    match colour {
        Colour::Red => "red",
        Colour::Yellow => "yellow",
        Colour::Green => "green",
    }
}
