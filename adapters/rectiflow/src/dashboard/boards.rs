//! The registers leadership follows beside the figures: 约谈 (admonishments), 问责 (the
//! accountability of persons), 投诉 (complaints, their response deadlines breached first) and
//! 案件 (cases by stage) — each the API's board ([`crate::api::boards`]), read within the
//! reader's scope and as of the lens's instant. Listing accountability records and cases is a
//! recorded read (查阅记录) here as in the API, so those pages list a hundred at a time.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::Method;
use axum::response::Response;
use maud::{html, Markup};
use rectiflow_domain::case::CaseStatus;
use rectiflow_projections::board::BoardRow;
use rectiflow_projections::complaint_board::ComplaintEntry;
use rectiflow_store::Store;
use serde::Deserialize;

use super::format;
use super::lens::Lens;
use super::names::{actor_name, unit_name_of};
use super::session::{Refused, Viewer};
use crate::api::boards::{
    rows, AccountabilityBoard, AccountabilityParams, AdmonishmentBoard, AdmonishmentParams,
    CaseBoard, CaseParams, ComplaintBoard, ComplaintParams, MAX_LIMIT, MAX_RECORDED_LIMIT,
};
use crate::api::recorded::not_head;
use crate::api::Api;

/// A board page's parameters: the lens's, and the page to start from.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoardParams {
    pub campaign: Option<String>,
    pub as_of: Option<String>,
    /// The cursor of the page to show (from the previous page's "next" link).
    pub after: Option<String>,
}

/// The link to the page after this one, if there is one.
fn next_link(path: &str, lens: &Lens, next: Option<&str>) -> Markup {
    html! {
        @if let Some(next) = next {
            p { a.next href=(format!("{path}?{}", lens.query(&[("after", next)]))) { "下一页" } }
        }
    }
}

/// `GET /admonishments`: 约谈 and 问责, the campaign's.
pub async fn admonishments<S: Store>(
    State(api): State<Arc<Api<S>>>,
    viewer: Viewer,
    params: Result<Query<BoardParams>, QueryRejection>,
) -> Result<Response, Refused> {
    let params = crate::api::query(params)?;
    let lens = Lens::read(&api, params.campaign.as_deref(), params.as_of.as_deref()).await?;
    let principal = &viewer.principal;
    let (admonished, next_admonished) = rows::<S, AdmonishmentBoard>(
        &api,
        principal,
        &AdmonishmentParams {
            campaign: Some(lens.id.to_string()),
            as_of: lens.as_of,
            after: params.after.clone(),
            limit: Some(MAX_LIMIT),
            ..AdmonishmentParams::default()
        },
    )
    .await?;
    let name = |unit: &str| unit_name_of(principal, unit);
    let body = html! {
        (lens.controls("/admonishments", &[]))
        h2 { "约谈（" (admonished.len()) "）" }
        div.table-wrap { table.admonishments {
            thead { tr { th { "单位" } th { "依据" } th { "触发" } th { "状态" } th { "约谈时间" } th { "涉及事项" } } }
            tbody {
                @for BoardRow { row, .. } in &admonished {
                    tr data-admonishment=(row.admonishment) {
                        td { a href=(format!("/items?{}", lens.query(&[("unit", row.unit.as_str())]))) { (name(&row.unit)) } }
                        td {
                            @match &row.publication {
                                Some(p) => a href=(format!("/publications/{p}")) { (row.publication_kind.map_or("", |k| k.label())) " " (p.split('~').nth(2).unwrap_or_default()) },
                                None => "专班办公室决定",
                            }
                            @if !row.reasons.is_empty() { br; span.muted { (row.reasons.join("；")) } }
                        }
                        td { (format::local(row.triggered_at, lens.tz)) }
                        td { (row.state.label()) }
                        td { (row.scheduled_for.map_or_else(|| "—".to_owned(), |at| format::local(at, lens.tz))) }
                        td.num { (row.items.len()) }
                    }
                }
            }
        } }
        (next_link("/admonishments", &lens, next_admonished.as_deref()))
        p { a href=(format!("/accountability?{}", lens.query(&[]))) { "问责记录" } "（查阅将留下查阅记录）" }
    };
    Ok(viewer.page("约谈", "/admonishments", &lens, body))
}

/// `GET /accountability`: 问责 — the persons held to account; each row listed is a recorded
/// read (查阅记录), a hundred a page.
pub async fn accountability<S: Store>(
    State(api): State<Arc<Api<S>>>,
    viewer: Viewer,
    method: Method,
    params: Result<Query<BoardParams>, QueryRejection>,
) -> Result<Response, Refused> {
    not_head(&method)?;
    let params = crate::api::query(params)?;
    let lens = Lens::read(&api, params.campaign.as_deref(), params.as_of.as_deref()).await?;
    let principal = &viewer.principal;
    let (accountable, next) = rows::<S, AccountabilityBoard>(
        &api,
        principal,
        &AccountabilityParams {
            campaign: Some(lens.id.to_string()),
            as_of: lens.as_of,
            after: params.after.clone(),
            limit: Some(MAX_RECORDED_LIMIT),
            ..AccountabilityParams::default()
        },
    )
    .await?;
    let name = |unit: &str| unit_name_of(principal, unit);
    let person = |id: &str| actor_name(principal, id);
    let body = html! {
        (lens.controls("/accountability", &[]))
        h2 { "问责（" (accountable.len()) "）" }
        p.muted { "查阅问责记录会留下查阅记录。" }
        div.table-wrap { table.accountability {
            thead { tr { th { "被问责人" } th { "单位" } th { "提出" } th { "状态" } th { "处理" } th { "决定时间" } } }
            tbody {
                @for BoardRow { row, .. } in &accountable {
                    tr data-case=(row.case) {
                        td { (person(&row.person)) }
                        td { (name(&row.unit)) }
                        td { (format::local(row.proposed_at, lens.tz)) }
                        td { (row.state.label()) }
                        td { (row.outcome.map_or("—", |o| o.label())) }
                        td { (row.decided_at.map_or_else(|| "—".to_owned(), |at| format::local(at, lens.tz))) }
                    }
                }
            }
        } }
        (next_link("/accountability", &lens, next.as_deref()))
    };
    Ok(viewer.page("问责", "/admonishments", &lens, body))
}

/// Whether a complaint's response deadline was breached: missed, or answered late.
fn breached(row: &ComplaintEntry) -> bool {
    row.response_missed || row.responded_in_time == Some(false)
}

/// `GET /complaints`: the complaints board, response-deadline breaches first.
pub async fn complaints<S: Store>(
    State(api): State<Arc<Api<S>>>,
    viewer: Viewer,
    params: Result<Query<BoardParams>, QueryRejection>,
) -> Result<Response, Refused> {
    let params = crate::api::query(params)?;
    let lens = Lens::read(&api, params.campaign.as_deref(), params.as_of.as_deref()).await?;
    let principal = &viewer.principal;
    let (listed, next) = rows::<S, ComplaintBoard>(
        &api,
        principal,
        &ComplaintParams {
            campaign: Some(lens.id.to_string()),
            as_of: lens.as_of,
            after: params.after.clone(),
            limit: Some(MAX_LIMIT),
            ..ComplaintParams::default()
        },
    )
    .await?;
    let (mut late, on_time): (Vec<_>, Vec<_>) = listed.iter().partition(|r| breached(&r.row));
    late.sort_by_key(|r| r.row.response_due_at);
    let name = |unit: &str| unit_name_of(principal, unit);
    let table = |rows: &[&BoardRow<ComplaintEntry>]| {
        html! {
            div.table-wrap { table.complaints {
                thead { tr { th { "编号" } th { "摘要" } th { "承办单位" } th { "受理" } th { "响应期限" } th { "响应" } th { "状态" } } }
                tbody {
                    @for BoardRow { row, .. } in rows {
                        tr data-complaint=(row.complaint) class=[breached(row).then_some("breach")] {
                            td { (row.complaint) }
                            td { (row.summary) }
                            td { (name(&row.handling_unit)) }
                            td { (format::local(row.received_at, lens.tz)) }
                            td { (format::local(row.response_due_at, lens.tz)) }
                            td {
                                @match (row.responded_at, row.responded_in_time) {
                                    (Some(at), Some(false)) => { span.error { "超期 " (format::local(at, lens.tz)) } },
                                    (Some(at), _) => { (format::local(at, lens.tz)) },
                                    (None, _) if row.response_missed => { span.error { "逾期未响应" } },
                                    (None, _) => { "待响应" },
                                }
                            }
                            td { (row.state.label()) }
                        }
                    }
                }
            } }
        }
    };
    let body = html! {
        (lens.controls("/complaints", &[]))
        p { "本页 " (listed.len()) " 件，其中响应超期 " strong.breaches { (late.len()) } " 件。" }
        h2 { "响应超期（本页）" }
        @if late.is_empty() { p.muted { "无。" } } @else { (table(&late)) }
        h2 { "其他投诉" }
        (table(&on_time))
        (next_link("/complaints", &lens, next.as_deref()))
    };
    Ok(viewer.page("投诉", "/complaints", &lens, body))
}

/// `GET /cases`: the cases, by stage.
pub async fn cases<S: Store>(
    State(api): State<Arc<Api<S>>>,
    viewer: Viewer,
    method: Method,
    params: Result<Query<BoardParams>, QueryRejection>,
) -> Result<Response, Refused> {
    not_head(&method)?;
    let params = crate::api::query(params)?;
    let lens = Lens::read(&api, params.campaign.as_deref(), params.as_of.as_deref()).await?;
    let principal = &viewer.principal;
    let (listed, next) = rows::<S, CaseBoard>(
        &api,
        principal,
        &CaseParams {
            campaign: Some(lens.id.to_string()),
            as_of: lens.as_of,
            after: params.after.clone(),
            limit: Some(MAX_RECORDED_LIMIT),
            ..CaseParams::default()
        },
    )
    .await?;
    let name = |unit: &Option<String>| {
        unit.as_deref()
            .map_or_else(|| "—".to_owned(), |u| unit_name_of(principal, u))
    };
    let body = html! {
        (lens.controls("/cases", &[]))
        p.muted { "查阅案件会留下查阅记录；本页列出 " (listed.len()) " 件，以下按阶段计本页。" }
        div.chips {
            @for stage in CaseStatus::ALL.iter().skip(1) {
                span.stage data-stage=(stage.as_str()) { (stage.label()) " " (listed.iter().filter(|r| r.row.stage == *stage).count()) }
            }
        }
        @for stage in CaseStatus::ALL.iter().skip(1) {
            @let of_stage: Vec<_> = listed.iter().filter(|r| r.row.stage == *stage).collect();
            @if !of_stage.is_empty() {
                h2 { (stage.label()) "（" (of_stage.len()) "）" }
                div.table-wrap { table.cases {
                    thead { tr { th { "案件" } th { "摘要" } th { "被查单位" } th { "直接查处" } th { "监管追责" } th.num { "整改事项（在办/已销号）" } } }
                    tbody {
                        @for BoardRow { row, .. } in of_stage {
                            tr data-case=(row.case) {
                                td { (row.case) }
                                td { (row.summary) }
                                td { (name(&row.subject_unit)) }
                                td { (row.direct_state.label()) }
                                td { (row.supervisory_state.label()) }
                                td.num { (row.repair_items_open) "/" (row.repair_items_closed) }
                            }
                        }
                    }
                } }
            }
        }
        (next_link("/cases", &lens, next.as_deref()))
    };
    Ok(viewer.page("案件查办", "/cases", &lens, body))
}
