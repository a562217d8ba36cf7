//! The drill-down's end: the items behind a figure (the ledger's rows for its filters, within
//! the reader's scope), and one item with its whole history — every event, who recorded it
//! and when — replayed to any of its moments.

use std::sync::Arc;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use cqrs_es::Aggregate;
use maud::html;
use rectiflow_domain::item::{Colour, Item, ItemState};
use rectiflow_engine::StreamRef;
use rectiflow_projections::item_register::{colour_label, state_label};
use rectiflow_store::Store;
use serde::Deserialize;

use super::format;
use super::lens::Lens;
use super::names::{actor_name, person_name, unit_name_of as unit_name};
use super::overview::colour_name;
use super::session::{Refused, Viewer};
use crate::api::ledger::{matching, LedgerParams};
use crate::api::problem::Problem;
use crate::api::resource::Items;
use crate::api::{valid_id, Api};

/// The most rows the list shows; the ledger's downloads hold the rest.
const SHOWN: usize = 500;

/// The list's filters: the ledger's.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    pub campaign: Option<String>,
    pub as_of: Option<String>,
    pub task_force: Option<String>,
    pub unit: Option<String>,
    pub state: Option<ItemState>,
    pub colour: Option<Colour>,
    pub overdue: Option<bool>,
}

/// `GET /items`: the items a figure counted.
pub async fn list<S: Store>(
    State(api): State<Arc<Api<S>>>,
    viewer: Viewer,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Response, Refused> {
    let params = crate::api::query(params)?;
    let lens = Lens::read(&api, params.campaign.as_deref(), params.as_of.as_deref()).await?;
    let ledger = LedgerParams {
        campaign: Some(lens.id.to_string()),
        task_force: params.task_force.clone().filter(|t| !t.is_empty()),
        unit: params.unit.clone().filter(|u| !u.is_empty()),
        state: params.state,
        colour: params.colour,
        overdue: params.overdue,
        as_of: lens.as_of,
        ..LedgerParams::default()
    };
    let (rows, at) = matching(&api, &viewer.principal, &ledger).await?;
    let principal = &viewer.principal;
    let mut filters = Vec::new();
    if let Some(t) = &ledger.task_force {
        filters.push(format!("专班：{}", lens.task_force_name(t)));
    }
    if let Some(u) = &ledger.unit {
        filters.push(format!("责任单位：{}", unit_name(principal, u)));
    }
    if let Some(s) = ledger.state {
        filters.push(format!("状态：{}", s.label()));
    }
    if let Some(c) = ledger.colour {
        filters.push(format!("颜色：{}", colour_label(c)));
    }
    if let Some(o) = ledger.overdue {
        filters.push(if o { "已逾期" } else { "未逾期" }.to_owned());
    }
    let mut kept: Vec<(&str, &str)> = Vec::new();
    for (name, value) in [("task_force", &ledger.task_force), ("unit", &ledger.unit)] {
        if let Some(value) = value {
            kept.push((name, value));
        }
    }
    let state = ledger.state.map(ItemState::as_str);
    let colour = ledger.colour.map(colour_name);
    let overdue = ledger.overdue.map(|o| if o { "true" } else { "false" });
    for (name, value) in [("state", state), ("colour", colour), ("overdue", overdue)] {
        if let Some(value) = value {
            kept.push((name, value));
        }
    }
    let body = html! {
        (lens.controls("/items", &kept))
        p { "筛选：" (if filters.is_empty() { "全部".to_owned() } else { filters.join("；") }) "，共 " strong.count { (rows.len()) } " 件" }
        @if let Some(unit) = &ledger.unit {
            @if ledger.overdue.is_some() || ledger.state.is_some() || ledger.colour.is_some() {
                p { a href=(format!("/items?{}", lens.query(&[("unit", unit)]))) { "该单位全部事项" } }
            }
        }
        div.table-wrap { table.items {
            thead { tr { th { "编号" } th { "问题" } th { "责任单位" } th { "状态" } th { "颜色" } th { "期限" } th.num { "逾期天数" } } }
            tbody {
                @for row in rows.iter().take(SHOWN) {
                    @let colour = colour_label(row.colour_at(at));
                    tr data-code=(row.code) {
                        td { a href=(format!("/items/{}?{}", row.code, lens.query(&[]))) { (row.code) } }
                        td { (row.title) }
                        td { (row.responsible_unit.as_deref().map_or_else(|| "—".to_owned(), |u| unit_name(principal, u))) }
                        td { (state_label(row.state)) }
                        td class=(format!("colour-{colour}")) { (colour) }
                        td { (row.deadline.map_or_else(|| "—".to_owned(), |d| d.date().to_string())) }
                        td.num { (row.days_overdue_at(at)) }
                    }
                }
            }
        } }
        @if rows.len() > SHOWN {
            p.muted { "仅列出前 " (SHOWN) " 件；全部事项请从台账下载（/api/v1/ledger.xlsx）。" }
        }
    };
    Ok(viewer.page("事项", "", &lens, body))
}

/// One item's parameters: the instant to replay it to, or the event (its version) to
/// replay it to — events a rehearsal records at one simulated instant are told apart only so.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemParams {
    pub campaign: Option<String>,
    pub as_of: Option<String>,
    pub version: Option<u64>,
}

/// `GET /items/{code}`: the item as it stood at the lens's instant (or just after its event
/// `version`), and every event up to then; each event links to the item as it stood just
/// after it.
pub async fn item<S: Store>(
    State(api): State<Arc<Api<S>>>,
    viewer: Viewer,
    code: Result<Path<String>, PathRejection>,
    params: Result<Query<ItemParams>, QueryRejection>,
) -> Result<Response, Refused> {
    let code = crate::api::path(code)?;
    valid_id(&code)?;
    let params = crate::api::query(params)?;
    let lens = Lens::read(&api, params.campaign.as_deref(), params.as_of.as_deref()).await?;
    let principal = &viewer.principal;
    let (mut item, mut history) =
        crate::api::reads::history_of::<S, Items>(&api, principal, &code, lens.as_of).await?;
    if let Some(version) = params.version {
        if version == 0 || version > history.len() as u64 {
            return Err(Problem::bad_request(
                "request.invalid_parameter",
                format!("version 须在 1 至 {} 之间", history.len()),
            )
            .field("version")
            .into());
        }
        item = replayed(&api, &code, version).await?;
        history.truncate(usize::try_from(version).unwrap_or(usize::MAX));
    }
    // The moment shown: just after the last event replayed, or the lens's instant.
    let at = match params.version {
        Some(_) => history.last().map_or(lens.at(), |e| e.recorded_at),
        None => lens.at(),
    };
    let tz = item.registration().map_or(lens.tz, |r| r.time_zone);
    let colour = colour_label(item.colour(at));
    let body = html! {
        (lens.controls(&format!("/items/{code}"), &[]))
        section.card.item {
            h2 { (item.registration().map(|r| r.title.to_string()).unwrap_or_default()) }
            dl.counts {
                dt { "编号" } dd { (code) }
                dt { "状态" } dd.state { (state_label(item.state())) }
                dt { "颜色" } dd class=(format!("colour-{colour}")) { (colour) }
                dt { "责任单位" } dd { (item.responsible_unit().map_or_else(|| "—".to_owned(), |u| unit_name(principal, u.as_str()))) }
                dt { "责任人" } dd { (item.responsible_person().map_or_else(|| "—".to_owned(), |p| person_name(principal, p))) }
                dt { "期限" } dd { (item.deadline_in_force().map_or_else(|| "—".to_owned(), |d| d.date().to_string())) }
                dt { "逾期（已记录）" } dd { (if item.is_overdue() { "是" } else { "否" }) }
                dt { "截至" } dd { (format::local(at, tz)) }
                dt { "退回补正" } dd { (item.send_backs()) " 次" }
            }
        }
        h2 { "全过程记录（" (history.len()) " 条）" }
        div.table-wrap { table.history {
            thead { tr { th.num { "序" } th { "时间" } th { "事件" } th { "记录人" } th { "内容" } } }
            tbody {
                @for entry in &history {
                    tr data-version=(entry.version) {
                        td.num { (entry.version) }
                        td { a href=(format!("/items/{code}?{}", replay(&lens, entry.version))) title="回放到此事件之后" { (format::local(entry.recorded_at, tz)) } }
                        @let name = event_name(&entry.event_type);
                        td { (event_label(name).unwrap_or(name)) " " code.muted { (name) } }
                        td { (entry.actor.as_deref().map_or_else(|| "—".to_owned(), |a| actor_name(principal, a))) }
                        td.payload { code { (entry.payload.to_string()) } }
                    }
                }
            }
        } }
    };
    Ok(viewer.page(&format!("事项 {code}"), "", &lens, body))
}

/// The lens's query replaying to event `version`.
fn replay(lens: &Lens, version: u64) -> String {
    let version = version.to_string();
    lens.query(&[("version", version.as_str())])
}

/// Item `code` folded from its first `version` events (decoded as every read decodes them,
/// older schemas upcast).
async fn replayed<S: Store>(api: &Api<S>, code: &str, version: u64) -> Result<Item, Problem> {
    let events = api
        .store
        .load_events(&StreamRef::new(Item::TYPE, code), 0)
        .await
        .map_err(|e| Problem::store(&e))?;
    let mut item = Item::default();
    for recorded in events
        .into_iter()
        .take_while(|e| e.stream_version <= version)
    {
        let decoded = api
            .exec
            .decode::<Item>(recorded)
            .map_err(|e| Problem::store(&e))?;
        item.apply(decoded.event);
    }
    Ok(item)
}

/// An event's type without the namespace: `rectiflow.item.acknowledged` → `acknowledged`.
fn event_name(event_type: &str) -> &str {
    event_type.rsplit('.').next().unwrap_or(event_type)
}

/// What an item's event is called on the ledger's page (中文), by its name; `None` for a name
/// this version does not know (shown as it is).
fn event_label(name: &str) -> Option<&'static str> {
    Some(match name {
        "registered" => "问题登记",
        "assigned" => "交办",
        "acknowledged" => "签收",
        "progress_reported" => "报告进展",
        "extension_requested" => "申请延期",
        "extension_approved" => "批准延期",
        "extension_denied" => "驳回延期",
        "sign_off_requested" => "申请销号",
        "sign_off_rejected" => "退回补正",
        "closed" => "销号",
        "reinspection_passed" => "回头看通过",
        "reopened" => "回头看反弹，重新交办",
        "reassigned" => "改派",
        "withdrawn" => "撤销",
        "acknowledgement_overdue_recorded" => "超时未签收",
        "deadline_warning_recorded" => "临期预警",
        "reinspection_due_recorded" => "回头看到期",
        "became_overdue" => "逾期",
        "fault_tolerance_ruled" => "容错纠错认定",
        "instruction_recorded" => "领导批示",
        "urged" => "督办",
        "carried_over" => "结转",
        "outcome_recorded" => "记录成效",
        "outcome_corrected" => "更正成效",
        _ => return None,
    })
}
