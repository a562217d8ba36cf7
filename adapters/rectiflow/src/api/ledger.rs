//! 台账 — the ledger over HTTP: the item register filtered, sorted and paged by key (a `Link`
//! header names the next page), or downloaded whole as CSV (UTF-8 with BOM) or XLSX; each
//! within the reader's scope — a secretariat sees its task forces' items, a unit the items it
//! is responsible for, leadership and discipline inspection all.
//!
//! `as_of` is the instant the colour and the overdue flag are judged at (by default now, on
//! the service's clock); for an instant past, the rows are also the register as it stood then
//! ([`super::past`]): the items registered by then, each in the state it was in.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use rectiflow_domain::item::{Colour, ItemState};
use rectiflow_domain::organisation::Acting;
use rectiflow_projections::board::{read_keys, BoardError};
use rectiflow_projections::item_register::{
    self, colour_label, query_ledger, state_label, Cursor, ItemEntry, ItemRegister, LedgerError,
    LedgerQuery, LedgerSort, SortKey,
};
use rectiflow_projections::RowProjection;
use rectiflow_store::Store;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::caller::Caller;
use super::past::register_at;
use super::problem::Problem;
use super::Api;
use crate::access::Principal;

/// The most rows one download holds; a larger ledger is narrowed by its filters first.
pub const MAX_EXPORT_ROWS: usize = 100_000;

/// The ledger's query parameters.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LedgerParams {
    pub campaign: Option<String>,
    pub task_force: Option<String>,
    /// The responsible unit (责任单位).
    pub unit: Option<String>,
    pub state: Option<ItemState>,
    pub category: Option<String>,
    /// The colour at `as_of`.
    pub colour: Option<Colour>,
    /// Overdue at `as_of`, or not.
    pub overdue: Option<bool>,
    /// The instant the ledger is read as of (RFC 3339): colour and overdue are judged at it,
    /// and for an instant past the rows are the register as it stood then; now by default.
    pub as_of: Option<DateTime<Utc>>,
    pub sort: Option<SortKey>,
    /// Descending order.
    pub desc: Option<bool>,
    /// The cursor of the page to read (from the previous page's `next`).
    pub after: Option<String>,
    /// Rows per page, 1 to 500 (50 by default).
    pub limit: Option<u32>,
}

/// One page of the ledger.
#[derive(Debug, Serialize, JsonSchema)]
pub struct LedgerPageView {
    pub as_of: DateTime<Utc>,
    pub rows: Vec<LedgerRow>,
    /// The next page's cursor (also in the `Link` header); `null` on the last page.
    pub next: Option<String>,
}

/// A ledger row: the register's entry and what follows from it at `as_of`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct LedgerRow {
    #[serde(flatten)]
    #[schemars(with = "item_register::ItemEntry")]
    pub entry: Value,
    /// The state as the ledger names it (整改中, 待销号…).
    pub state_label: String,
    pub colour: Colour,
    pub colour_label: String,
    pub overdue_at_as_of: bool,
    pub days_overdue: i64,
}

pub async fn page<S: Store>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
    params: Result<Query<LedgerParams>, QueryRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let params = super::query(params)?;
    let query = ledger_query(&api, &principal, &params)?;
    let past = match params.as_of {
        Some(at) => register_at::<S, ItemRegister>(&api, at).await?,
        None => None,
    };
    let mut page = match &past {
        Some(register) => query_ledger(register, &query).await,
        None => query_ledger(&api.store, &query).await,
    }
    .map_err(ledger_problem)?;
    if past.is_some() {
        page.rows = still_theirs(&api, &principal, page.rows).await?;
    }
    let rows = page
        .rows
        .iter()
        .map(|entry| row(entry, query.as_of))
        .collect::<Result<Vec<_>, _>>()?;
    let next = page.next.as_ref().map(|c| c.as_str().to_owned());
    let mut response = axum::Json(LedgerPageView {
        as_of: query.as_of,
        rows,
        next: next.clone(),
    })
    .into_response();
    if let Some(next) = next {
        super::paging::link_next(&mut response, "/api/v1/ledger", raw.as_deref(), &next);
    }
    Ok(response)
}

pub async fn csv<S: Store>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
    params: Result<Query<LedgerParams>, QueryRejection>,
) -> Result<Response, Problem> {
    let (rows, as_of) = everything(&api, &principal, params).await?;
    let body = item_register::to_csv(&rows, as_of);
    Ok(download(body, "text/csv; charset=utf-8", "ledger.csv"))
}

pub async fn xlsx<S: Store>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
    params: Result<Query<LedgerParams>, QueryRejection>,
) -> Result<Response, Problem> {
    let (rows, as_of) = everything(&api, &principal, params).await?;
    let body = item_register::to_xlsx(&rows, as_of)
        .map_err(|e| Problem::internal(format!("the workbook could not be written: {e}")))?;
    let media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    Ok(download(body, media, "ledger.xlsx"))
}

fn download(body: Vec<u8>, media_type: &'static str, name: &str) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    let mut response = ([(header::CONTENT_TYPE, media_type)], body).into_response();
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// Every row the filters match, page by page, up to [`MAX_EXPORT_ROWS`].
async fn everything<S: Store>(
    api: &Api<S>,
    principal: &Principal,
    params: Result<Query<LedgerParams>, QueryRejection>,
) -> Result<(Vec<ItemEntry>, DateTime<Utc>), Problem> {
    let params = super::query(params)?;
    if params.after.is_some() || params.limit.is_some() {
        return Err(Problem::bad_request(
            "request.invalid_parameter",
            "下载包含全部匹配行，不适用 after 和 limit 参数",
        ));
    }
    matching(api, principal, &params).await
}

/// Every row `params`' filters match within the principal's scope (ignoring paging), up to
/// [`MAX_EXPORT_ROWS`], and the instant they were judged at: what the dashboard's counts and
/// lists are made of.
pub(crate) async fn matching<S: Store>(
    api: &Api<S>,
    principal: &Principal,
    params: &LedgerParams,
) -> Result<(Vec<ItemEntry>, DateTime<Utc>), Problem> {
    let mut query = ledger_query(api, principal, params)?;
    query.limit = item_register::MAX_LIMIT;
    let past = match params.as_of {
        Some(at) => register_at::<S, ItemRegister>(api, at).await?,
        None => None,
    };
    let mut rows = Vec::new();
    loop {
        let page = match &past {
            Some(register) => query_ledger(register, &query).await,
            None => query_ledger(&api.store, &query).await,
        }
        .map_err(ledger_problem)?;
        match past {
            Some(_) => rows.extend(still_theirs(api, principal, page.rows).await?),
            None => rows.extend(page.rows),
        }
        if rows.len() > MAX_EXPORT_ROWS {
            return Err(Problem::invalid(
                "ledger.too_many_rows",
                format!("匹配超过 {MAX_EXPORT_ROWS} 行：请缩小筛选范围"),
            ));
        }
        match page.next {
            Some(next) => query.after = Some(next),
            None => return Ok((rows, query.as_of)),
        }
    }
}

/// The query the parameters ask for, narrowed to the principal's scope.
fn ledger_query<S: Store>(
    api: &Api<S>,
    principal: &Principal,
    params: &LedgerParams,
) -> Result<LedgerQuery, Problem> {
    let as_of = super::instant(params.as_of, "as_of")?;
    let mut query = LedgerQuery::new(as_of.unwrap_or_else(|| api.clock.now()));
    query.campaign = params.campaign.clone();
    query.task_force = params.task_force.clone();
    query.unit = params.unit.clone();
    query.state = params.state;
    query.category = params.category.clone();
    query.colour = params.colour;
    query.overdue = params.overdue;
    query.sort = LedgerSort {
        key: params.sort.unwrap_or_default(),
        descending: params.desc.unwrap_or(false),
    };
    if let Some(limit) = params.limit {
        query.limit = limit;
    }
    if let Some(after) = &params.after {
        query.after = Some(Cursor::parse(after).map_err(|e| {
            Problem::bad_request("request.invalid_parameter", e.to_string()).field("after")
        })?);
    }
    let out_of_scope = |what: &str| {
        Problem::forbidden(
            "auth.out_of_scope",
            format!("以{}身份无权查阅{what}的台账", principal.acting),
        )
    };
    match &principal.acting {
        Acting::Leadership | Acting::DisciplineInspection => {}
        Acting::Secretariat { task_forces } => match &query.task_force {
            Some(asked) if task_forces.iter().any(|t| t.as_str() == asked) => {}
            Some(asked) => return Err(out_of_scope(&format!("专班 {asked} "))),
            None if task_forces.len() == 1 => {
                query.task_force = task_forces.iter().next().map(|t| t.as_str().to_owned());
            }
            None => {
                return Err(Problem::bad_request(
                    "request.task_force_required",
                    "此令牌为多个专班的专班办公室：请用 task_force 指定其中一个",
                )
                .field("task_force"))
            }
        },
        Acting::Unit { unit } => match &query.unit {
            Some(asked) if asked != unit.as_str() => {
                return Err(out_of_scope(&format!("单位 {asked} ")))
            }
            _ => query.unit = Some(unit.as_str().to_owned()),
        },
        Acting::Admin | Acting::CivilAffairs | Acting::Integrator { .. } => {
            return Err(out_of_scope("全县"))
        }
    }
    query
        .validate()
        .map_err(|e| Problem::bad_request("request.invalid_parameter", e.to_string()))?;
    Ok(query)
}

/// Of the rows of a past ledger, those its reader may read now ([`super::past`]): a unit's
/// items are those it is responsible for now as well as then (an item taken from it since is
/// no longer its to read); a task force's items stay its own, and leadership and discipline
/// inspection read all.
async fn still_theirs<S: Store>(
    api: &Api<S>,
    principal: &Principal,
    rows: Vec<ItemEntry>,
) -> Result<Vec<ItemEntry>, Problem> {
    let Acting::Unit { unit } = &principal.acting else {
        return Ok(rows);
    };
    let codes: Vec<&str> = rows.iter().map(|r| r.code.as_str()).collect();
    let now: BTreeMap<String, ItemEntry> = read_keys(&api.store, &ItemRegister::TABLE, &codes)
        .await
        .map_err(|e| match e {
            BoardError::Store(e) => Problem::store(&e),
            e => Problem::internal(e.to_string()),
        })?;
    Ok(rows
        .into_iter()
        .filter(|r| {
            now.get(&r.code)
                .is_some_and(|n| n.responsible_unit.as_deref() == Some(unit.as_str()))
        })
        .collect())
}

fn ledger_problem(error: LedgerError) -> Problem {
    match error {
        LedgerError::Query(e) => Problem::bad_request("request.invalid_parameter", e.to_string()),
        LedgerError::Store(e) => Problem::store(&e),
        LedgerError::Row(e) => Problem::internal(format!("a register row is unreadable: {e}")),
    }
}

pub(crate) fn row(entry: &ItemEntry, as_of: DateTime<Utc>) -> Result<LedgerRow, Problem> {
    let value = serde_json::to_value(entry)
        .map_err(|e| Problem::internal(format!("a register row is unreadable: {e}")))?;
    // The rulings are kept as JSON text in their column; the API shows them as JSON.
    let value = ItemRegister::TABLE.document(value);
    let colour = entry.colour_at(as_of);
    Ok(LedgerRow {
        entry: value,
        state_label: state_label(entry.state).to_owned(),
        colour,
        colour_label: colour_label(colour).to_owned(),
        overdue_at_as_of: entry.overdue_at(as_of),
        days_overdue: entry.days_overdue_at(as_of),
    })
}
