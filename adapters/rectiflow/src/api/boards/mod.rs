//! 看板 — the registers as lists: `GET /api/v1/cases`, `/complaints`, `/alerts`, `/surveys`,
//! `/admonishments`, `/accountability`, each the projection's table ([`rectiflow_projections::
//! board`]) filtered, in key order, a page at a time (`Link: rel="next"`).
//!
//! **Scope, row by row.** A row is listed only if its reader could read the resource itself:
//! the board builds the row's [`Scope`] as the aggregate does and asks the same check
//! ([`ScopeCheck`]), so a list never shows what `GET /api/v1/cases/{id}` would refuse. A unit
//! reading a board of its own work is narrowed in SQL to its rows as well. A role that reads
//! none of a board (an admin, an integrator; a unit, of cases and alerts) gets 403.
//!
//! **Reads recorded.** The accountability register names the person held to account: each
//! row listed is recorded as a read of that record's state at the row's version, before the
//! page is served (查阅记录), exactly as reading the record one by one would be — the page's
//! records in one transaction. The case
//! board's rows are case files' and are recorded the same way ([`Board::RECORDS_READS`]);
//! such a page holds at most 100 rows.

mod lists;

use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, RawQuery, State};
use axum::http::{header, HeaderValue, Method};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use rectiflow_domain::event::Scope;
use rectiflow_domain::organisation::Acting;
use rectiflow_domain::reading::SubjectKind;
use rectiflow_engine::readmodel::ReadModelStore;
use rectiflow_projections::board::{read_batch, read_keys, select, BoardError, BoardRow, Filter};
use rectiflow_projections::RowProjection;
use rectiflow_store::Store;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

pub use lists::{
    AccountabilityBoard, AccountabilityParams, AdmonishmentBoard, AdmonishmentParams, AlertBoard,
    AlertParams, CaseBoard, CaseParams, ComplaintBoard, ComplaintParams, SurveyBoard, SurveyParams,
};

use super::caller::Caller;
use super::paging::{cursor_after, key_of, link_next};
use super::past::register_at;
use super::problem::Problem;
use super::recorded::{record_reads, Read};
use super::resource::{ReadRule, Resource};
use super::scope::ScopeCheck;
use super::Api;
use crate::access::Principal;

/// Rows per page unless `limit` says otherwise.
const DEFAULT_LIMIT: u32 = 50;
/// The most rows one page may hold.
pub const MAX_LIMIT: u32 = 500;
/// The most rows one page may hold where each row listed is a recorded read (one command
/// each, before the page is served).
pub const MAX_RECORDED_LIMIT: u32 = 100;
/// Rows read per round while rows out of the reader's scope are skipped.
const SCAN_BATCH: u64 = 200;

/// Calls `$visit!(Type)` for every board: the one list the router and the document walk.
#[macro_export]
macro_rules! each_board {
    ($visit:ident) => {
        $visit!(CaseBoard);
        $visit!(ComplaintBoard);
        $visit!(AlertBoard);
        $visit!(SurveyBoard);
        $visit!(AdmonishmentBoard);
        $visit!(AccountabilityBoard);
    };
}

/// A projection's table served as the list of a resource's collection.
pub trait Board: Send + Sync + 'static {
    /// The resource listed: its collection is the path, its read rule the scope, its read
    /// records the board's.
    type Resource: Resource;
    /// The register listed: its table, and its fold (run again up to P for `as_of`).
    type Projection: RowProjection<Row: JsonSchema + Sync>;
    /// The filters (each `Option`, all ANDed), `after` and `limit`.
    type Params: DeserializeOwned + JsonSchema + Paged + Send + Sync;
    /// What the list is, for the document.
    const SUMMARY: &'static str;
    /// The columns naming the units a row involves (a unit's reading is narrowed to them).
    const UNIT_COLUMNS: &'static [&'static str];
    /// Listing a row is a recorded read of the record (查阅记录), as reading it is: the case
    /// board (a case's stage, subject, findings in counts and amounts — part of its file) and
    /// the accountability register (the person held to account).
    const RECORDS_READS: Option<SubjectKind> = None;

    /// The conditions `params` ask for.
    fn filters(params: &Self::Params) -> Vec<Filter>;
    /// The row's scope, as the aggregate's [`rectiflow_domain::event::Scoped`] gives it.
    fn scope(row: &RowOf<Self>) -> Scope;
    /// The stream version a read of the row is recorded at (boards that record reads).
    fn version(row: &RowOf<Self>) -> u64 {
        let _ = row;
        0
    }
}

/// A board's row: its register's.
pub type RowOf<B> = <<B as Board>::Projection as RowProjection>::Row;

/// The page parameters every board's filters carry.
pub trait Paged {
    fn after(&self) -> Option<&str>;
    fn limit(&self) -> Option<u32>;
    fn as_of(&self) -> Option<DateTime<Utc>>;
}

/// One page of a board.
#[derive(Debug, Serialize, JsonSchema)]
pub struct BoardPage<T: JsonSchema> {
    #[schemars(with = "Vec<T>")]
    pub rows: Vec<Value>,
    /// The next page's cursor (also in the `Link` header); `null` on the last page.
    pub next: Option<String>,
    #[serde(skip)]
    #[schemars(skip)]
    pub row: PhantomData<T>,
}

/// The path of `B`'s list.
pub fn path<B: Board>() -> String {
    format!("/api/v1/{}", <B::Resource as Resource>::COLLECTION)
}

pub async fn list<S: Store, B: Board>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
    method: Method,
    params: Result<Query<B::Params>, QueryRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    if B::RECORDS_READS.is_some() {
        super::recorded::not_head(&method)?;
    }
    let params = super::query(params)?;
    let (rows, next) = rows::<S, B>(&api, &principal, &params).await?;
    let page = BoardPage::<RowOf<B>> {
        rows: rows.into_iter().map(|r| r.document).collect(),
        next: next.clone(),
        row: PhantomData,
    };
    let mut response = axum::Json(page).into_response();
    if let Some(next) = next {
        link_next(&mut response, &path::<B>(), raw.as_deref(), &next);
    }
    if B::RECORDS_READS.is_some() {
        // A recorded read is served for the reader alone: no cache keeps it.
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(response)
}

/// One page of `B` as `params` ask for it, within the principal's scope — each row listed
/// recorded as a read where the board's rows are (before they are returned) — and the next
/// page's cursor: what the API's list and the dashboard's boards serve.
pub(crate) async fn rows<S: Store, B: Board>(
    api: &Api<S>,
    principal: &Principal,
    params: &B::Params,
) -> Result<(Vec<BoardRow<RowOf<B>>>, Option<String>), Problem> {
    let limit = params.limit().unwrap_or(DEFAULT_LIMIT);
    let most = match B::RECORDS_READS {
        Some(_) => MAX_RECORDED_LIMIT,
        None => MAX_LIMIT,
    };
    if !(1..=most).contains(&limit) {
        return Err(Problem::bad_request(
            "request.invalid_parameter",
            format!("limit 须在 1 至 {most} 之间"),
        )
        .field("limit"));
    }
    let after = params.after().map(key_of).transpose()?;
    let as_of = super::instant(params.as_of(), "as_of")?;
    let mut filters = B::filters(params);
    filters.extend(narrowing::<B>(principal)?);

    // The filters are checked before a past register is rebuilt for them.
    select(&B::Projection::TABLE, &filters, None, 1).map_err(board_problem)?;
    let past = match as_of {
        Some(at) => register_at::<S, B::Projection>(api, at).await?,
        None => None,
    };
    let read = Reading {
        api,
        principal,
        filters: &filters,
    };
    let mut rows = match &past {
        Some(register) => read.page::<_, B>(register, true, after, limit).await,
        None => read.page::<_, B>(&api.store, false, after, limit).await,
    }?;
    drop(past);
    let next = (rows.len() > limit as usize).then(|| cursor_after(&rows[limit as usize - 1].key));
    rows.truncate(limit as usize);
    if let Some(kind) = B::RECORDS_READS {
        let reads: Vec<Read> = rows
            .iter()
            .map(|row| Read {
                id: row.key.clone(),
                version: B::version(&row.row),
                scope: B::scope(&row.row),
            })
            .collect();
        record_reads(api, principal, kind, &reads).await?;
    }
    Ok((rows, next))
}

/// One principal's reading of a board with its filters.
struct Reading<'a, S: Store> {
    api: &'a Api<S>,
    principal: &'a Principal,
    filters: &'a [Filter],
}

impl<S: Store> Reading<'_, S> {
    /// Up to `limit + 1` rows of `register` (the live one, or a past one) the principal may
    /// read, in key order after `after`; a past row only if its resource is also readable now
    /// (`past`, see [`super::past`]).
    async fn page<M: ReadModelStore, B: Board>(
        &self,
        register: &M,
        past: bool,
        mut after: Option<String>,
        limit: u32,
    ) -> Result<Vec<BoardRow<RowOf<B>>>, Problem> {
        let wanted = limit as usize + 1;
        let rule = <B::Resource as Resource>::READ;
        let mut check = ScopeCheck::new(self.api, self.principal, rule);
        let mut kept = Vec::with_capacity(wanted);
        loop {
            let batch = read_batch::<_, RowOf<B>>(
                register,
                &B::Projection::TABLE,
                self.filters,
                after.as_deref(),
                SCAN_BATCH.max(wanted as u64),
            )
            .await
            .map_err(board_problem)?;
            let mut admitted = Vec::new();
            for row in batch.rows {
                if check.admits(&B::scope(&row.row)).await? {
                    admitted.push(row);
                }
            }
            if past {
                admitted = self.readable_now::<B>(&mut check, admitted).await?;
            }
            for row in admitted {
                kept.push(row);
                if kept.len() == wanted {
                    return Ok(kept);
                }
            }
            if batch.complete || batch.last_key.is_none() {
                return Ok(kept);
            }
            after = batch.last_key;
        }
    }

    /// Those of `rows` whose resource the principal may read as it stands now: its row in the
    /// live register, in scope.
    async fn readable_now<B: Board>(
        &self,
        check: &mut ScopeCheck<'_, S>,
        rows: Vec<BoardRow<RowOf<B>>>,
    ) -> Result<Vec<BoardRow<RowOf<B>>>, Problem> {
        let keys: Vec<&str> = rows.iter().map(|r| r.key.as_str()).collect();
        let live: BTreeMap<String, RowOf<B>> =
            read_keys(&self.api.store, &B::Projection::TABLE, &keys)
                .await
                .map_err(board_problem)?;
        let mut readable = Vec::with_capacity(rows.len());
        for row in rows {
            if let Some(now) = live.get(&row.key) {
                if check.admits(&B::scope(now)).await? {
                    readable.push(row);
                }
            }
        }
        Ok(readable)
    }
}

/// What narrows the principal's reading in SQL, or 403 when their role reads none of it.
fn narrowing<B: Board>(principal: &Principal) -> Result<Vec<Filter>, Problem> {
    let rule = <B::Resource as Resource>::READ;
    let reads_some = match (&principal.acting, rule) {
        (_, ReadRule::Everyone) => true,
        (Acting::Leadership | Acting::DisciplineInspection, _) => true,
        (Acting::Secretariat { .. }, ReadRule::Work { .. } | ReadRule::CountyWide) => true,
        (Acting::CivilAffairs, ReadRule::Work { .. } | ReadRule::CareHomes) => true,
        (Acting::Unit { unit }, ReadRule::Work { units: true }) => {
            return Ok(vec![Filter::new(B::UNIT_COLUMNS, unit.as_str())]);
        }
        _ => false,
    };
    if reads_some {
        return Ok(Vec::new());
    }
    Err(Problem::forbidden(
        "auth.out_of_scope",
        format!(
            "以{}身份无权查阅 {} 列表",
            principal.acting,
            <B::Resource as Resource>::COLLECTION
        ),
    ))
}

fn board_problem(error: BoardError) -> Problem {
    match error {
        BoardError::BadFilter { .. } => {
            Problem::bad_request("request.invalid_parameter", error.to_string())
        }
        BoardError::Store(e) => Problem::store(&e),
        BoardError::UnknownColumn { .. } | BoardError::Row { .. } => {
            Problem::internal(error.to_string())
        }
    }
}
