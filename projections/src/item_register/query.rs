//! Reading the ledger (台账, issue #10): filters, sorting and keyset pagination over the item
//! register, through the store's read-model API — one sea-query statement for both backends.
//!
//! **Where each filter runs.** Campaign, task force, responsible unit, state and category are
//! stored columns: they go to SQL. The colour and the overdue flag depend on the instant asked
//! about (`as_of`), on a stopped clock (a sign-off request made before the deadline passed), on
//! the recorded overdue fact and on the send-back threshold — the rules [`ItemEntry::colour_at`]
//! and [`ItemEntry::overdue_at`] implement. Rather than restate those rules in SQL (a second
//! copy to keep in step), they are applied after reading, by the very functions the exports and
//! the story check: the query reads the register in key order, in batches, keeps the rows that
//! match, and reads on until it has `limit + 1` matches or the table ends. The keyset cursor is
//! the key of the last row *returned*, so the pages stay exact and stable. SQL only narrows the
//! scan with conditions every match must meet anyway (overdue ⇒ open with its deadline passed
//! by `as_of`; red or yellow ⇒ a running deadline), so the result never depends on them.
//!
//! **Order.** By the sort key, then the item code (unique), never OFFSET. A nullable key (the
//! deadline, the unit) sorts its NULLs last in both directions.
//!
//! **Cursor.** Opaque to clients: the hex of a small JSON object naming the sort it belongs to,
//! the last row's key and code. It is validated on input: a cursor of another sort, a key of
//! the wrong kind or a malformed token is a [`LedgerQueryError`], never a panic.

use chrono::{DateTime, Utc};
use rectiflow_domain::item::{Colour, ItemState};
use rectiflow_engine::readmodel::sea_query::{
    Alias, Cond, Expr, Order, Query, SelectStatement, SimpleExpr, Value,
};
use rectiflow_engine::readmodel::ReadModelStore;
use rectiflow_engine::StoreError;
use serde::{Deserialize, Serialize};

use super::{ItemEntry, ItemRegister};
use crate::RowProjection;

/// The most rows one page may hold.
pub const MAX_LIMIT: u32 = 500;
/// The longest filter value accepted (codes and names are far shorter).
const MAX_FILTER_LEN: usize = 200;
/// The longest cursor token accepted.
const MAX_CURSOR_LEN: usize = 2048;
/// Rows read per round when the colour or overdue filter applies after reading.
const SCAN_BATCH: u32 = 200;

/// What the ledger is sorted by; the item code breaks ties.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    /// The item code alone.
    #[default]
    Code,
    /// The registration instant.
    RegisteredAt,
    /// The instant the deadline in force passes; items without one last.
    Deadline,
    /// The responsible unit; unassigned items last.
    Unit,
}

impl SortKey {
    fn column(self) -> &'static str {
        match self {
            Self::Code => "code",
            Self::RegisteredAt => "registered_at",
            Self::Deadline => "deadline_passes_at",
            Self::Unit => "responsible_unit",
        }
    }

    /// The row's key under this sort (`None` for the code sort, whose key is the code, and
    /// for a NULL key).
    fn value_of(self, entry: &ItemEntry) -> Option<KeyValue> {
        match self {
            Self::Code => None,
            Self::RegisteredAt => Some(KeyValue::At(entry.registered_at)),
            Self::Deadline => entry.deadline_passes_at.map(KeyValue::At),
            Self::Unit => entry.responsible_unit.clone().map(KeyValue::Text),
        }
    }
}

/// The ledger's order: a key and a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct LedgerSort {
    pub key: SortKey,
    pub descending: bool,
}

/// A ledger query: the filters (all optional, combined with AND), the instant the colour and
/// the overdue flag are judged at, the order, and the page.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerQuery {
    pub campaign: Option<String>,
    pub task_force: Option<String>,
    /// The responsible unit (责任单位).
    pub unit: Option<String>,
    pub state: Option<ItemState>,
    pub category: Option<String>,
    /// The colour at `as_of` ([`ItemEntry::colour_at`]).
    pub colour: Option<Colour>,
    /// Overdue at `as_of` or not ([`ItemEntry::overdue_at`]).
    pub overdue: Option<bool>,
    pub as_of: DateTime<Utc>,
    pub sort: LedgerSort,
    /// The page after this cursor (from [`LedgerPage::next`]); the first page when `None`.
    pub after: Option<Cursor>,
    /// Rows per page, 1..=[`MAX_LIMIT`].
    pub limit: u32,
}

impl LedgerQuery {
    /// Every item, by code, 50 a page, judged at `as_of`.
    pub fn new(as_of: DateTime<Utc>) -> Self {
        Self {
            campaign: None,
            task_force: None,
            unit: None,
            state: None,
            category: None,
            colour: None,
            overdue: None,
            as_of,
            sort: LedgerSort::default(),
            after: None,
            limit: 50,
        }
    }

    /// Checks the query; every way it can be wrong is a [`LedgerQueryError`].
    pub fn validate(&self) -> Result<(), LedgerQueryError> {
        if !(1..=MAX_LIMIT).contains(&self.limit) {
            return Err(LedgerQueryError::Limit(self.limit));
        }
        for (field, value) in [
            ("campaign", &self.campaign),
            ("task_force", &self.task_force),
            ("unit", &self.unit),
            ("category", &self.category),
        ] {
            if let Some(value) = value {
                if value.trim().is_empty() {
                    return Err(LedgerQueryError::EmptyFilter(field));
                }
                if value.len() > MAX_FILTER_LEN {
                    return Err(LedgerQueryError::FilterTooLong(field));
                }
                // No code, id or category holds one, and PostgreSQL cannot take a NUL.
                if value.chars().any(char::is_control) {
                    return Err(LedgerQueryError::ControlCharacter(field));
                }
            }
        }
        if self.state == Some(ItemState::NotRegistered) {
            return Err(LedgerQueryError::State);
        }
        if let Some(cursor) = &self.after {
            if cursor.position.sort != self.sort {
                return Err(LedgerQueryError::CursorSort);
            }
        }
        Ok(())
    }

    /// The SQL part: the stored-column filters, the narrowing for the read-time filters, the
    /// keyset condition after `after`, the order and the batch size.
    pub(super) fn select(&self, after: Option<&Position>, batch: u32) -> SelectStatement {
        let col = |name: &str| Expr::col(Alias::new(name));
        let mut select = Query::select();
        select
            .columns(
                ItemRegister::TABLE
                    .columns
                    .iter()
                    .map(|c| Alias::new(c.name)),
            )
            .from(Alias::new(ItemRegister::TABLE.name));
        for (column, value) in [
            ("campaign", &self.campaign),
            ("task_force", &self.task_force),
            ("responsible_unit", &self.unit),
            ("category", &self.category),
        ] {
            if let Some(value) = value {
                select.and_where(col(column).eq(value.as_str()));
            }
        }
        if let Some(state) = self.state {
            select.and_where(col("state").eq(state.as_str()));
        }
        // Narrowing only: conditions every match of the read-time filters meets.
        let open = [
            ItemState::Registered,
            ItemState::Assigned,
            ItemState::InProgress,
            ItemState::PendingSignOff,
            ItemState::Reopened,
        ];
        let running = [
            ItemState::Assigned,
            ItemState::InProgress,
            ItemState::PendingSignOff,
            ItemState::Reopened,
        ];
        if self.overdue == Some(true) {
            select
                .and_where(col("state").is_in(open.map(ItemState::as_str)))
                .and_where(col("deadline_passes_at").lt(self.as_of));
        }
        if matches!(self.colour, Some(Colour::Red | Colour::Yellow)) {
            select
                .and_where(col("state").is_in(running.map(ItemState::as_str)))
                .and_where(col("deadline_passes_at").is_not_null());
        }
        if let Some(after) = after {
            select.cond_where(keyset(self.sort, after));
        }
        let (order, key) = (
            if self.sort.descending {
                Order::Desc
            } else {
                Order::Asc
            },
            self.sort.key,
        );
        if key != SortKey::Code {
            select
                .order_by_expr(col(key.column()).is_null(), Order::Asc)
                .order_by(Alias::new(key.column()), order.clone());
        }
        select
            .order_by(Alias::new("code"), order)
            .limit(u64::from(batch));
        select.to_owned()
    }

    /// Whether `entry` passes the read-time filters at `as_of`.
    fn matches(&self, entry: &ItemEntry) -> bool {
        self.colour
            .is_none_or(|colour| entry.colour_at(self.as_of) == colour)
            && self
                .overdue
                .is_none_or(|overdue| entry.overdue_at(self.as_of) == overdue)
    }

    fn filters_after_reading(&self) -> bool {
        self.colour.is_some() || self.overdue.is_some()
    }
}

/// The rows strictly after `after` in the sort's order (NULL keys last).
fn keyset(sort: LedgerSort, after: &Position) -> Cond {
    let col = |name: &str| Expr::col(Alias::new(name));
    let beyond = |column: &str, value: Value| -> SimpleExpr {
        if sort.descending {
            col(column).lt(value)
        } else {
            col(column).gt(value)
        }
    };
    let code_beyond = beyond("code", after.code.clone().into());
    if sort.key == SortKey::Code {
        return Cond::all().add(code_beyond);
    }
    let column = sort.key.column();
    match &after.key {
        Some(key) => Cond::any()
            .add(beyond(column, key.value()))
            .add(
                Cond::all()
                    .add(col(column).eq(key.value()))
                    .add(code_beyond),
            )
            .add(col(column).is_null()),
        None => Cond::all().add(col(column).is_null()).add(code_beyond),
    }
}

/// A sort key's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum KeyValue {
    At(DateTime<Utc>),
    Text(String),
}

impl KeyValue {
    fn value(&self) -> Value {
        match self {
            Self::At(at) => (*at).into(),
            Self::Text(text) => text.clone().into(),
        }
    }
}

/// Where a page ended: the sort, and the last row's key and code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Position {
    #[serde(rename = "s")]
    sort: LedgerSort,
    #[serde(rename = "k")]
    key: Option<KeyValue>,
    #[serde(rename = "c")]
    code: String,
}

impl Position {
    fn of(sort: LedgerSort, entry: &ItemEntry) -> Self {
        Self {
            sort,
            key: sort.key.value_of(entry),
            code: entry.code.clone(),
        }
    }
}

/// An opaque page cursor: [`Cursor::parse`] a client's token, [`Cursor::as_str`] to hand one
/// out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    token: String,
    position: Position,
}

impl Cursor {
    fn new(position: Position) -> Self {
        // Serialising these plain fields cannot fail; an empty token would be refused on input.
        let json = serde_json::to_vec(&position).unwrap_or_default();
        Self {
            token: hex::encode(json),
            position,
        }
    }

    /// Reads a client's token, checking its form and that its key fits its sort.
    pub fn parse(token: &str) -> Result<Self, LedgerQueryError> {
        if token.is_empty() || token.len() > MAX_CURSOR_LEN {
            return Err(LedgerQueryError::Cursor("长度不对"));
        }
        let bytes = hex::decode(token).map_err(|_| LedgerQueryError::Cursor("不是十六进制"))?;
        let position: Position = serde_json::from_slice(&bytes)
            .map_err(|_| LedgerQueryError::Cursor("不是台账中的位置"))?;
        if position.code.is_empty() {
            return Err(LedgerQueryError::Cursor("缺少事项编号"));
        }
        let text_key = match &position.key {
            Some(KeyValue::Text(text)) => text.as_str(),
            _ => "",
        };
        if position
            .code
            .chars()
            .chain(text_key.chars())
            .any(char::is_control)
        {
            return Err(LedgerQueryError::Cursor("含控制字符"));
        }
        let fits = match (position.sort.key, &position.key) {
            (SortKey::Code, key) => key.is_none(),
            (SortKey::RegisteredAt, Some(KeyValue::At(_))) => true,
            (SortKey::RegisteredAt, _) => false,
            (SortKey::Deadline, key) => matches!(key, None | Some(KeyValue::At(_))),
            (SortKey::Unit, key) => matches!(key, None | Some(KeyValue::Text(_))),
        };
        if !fits {
            return Err(LedgerQueryError::Cursor("排序键与排序方式不符"));
        }
        // The canonical token, so equal positions print alike.
        Ok(Self::new(position))
    }

    pub fn as_str(&self) -> &str {
        &self.token
    }
}

#[cfg(test)]
impl Position {
    /// A position from a key given as text (an RFC 3339 instant for the instant sorts).
    pub(super) fn for_test(sort: LedgerSort, key: Option<&str>, code: &str) -> Self {
        let key = key.map(|key| match sort.key {
            SortKey::RegisteredAt | SortKey::Deadline => KeyValue::At(
                DateTime::parse_from_rfc3339(key)
                    .expect("an instant")
                    .with_timezone(&Utc),
            ),
            SortKey::Code | SortKey::Unit => KeyValue::Text(key.to_owned()),
        });
        Self {
            sort,
            key,
            code: code.to_owned(),
        }
    }
}

#[cfg(test)]
impl Cursor {
    pub(super) fn for_test(sort: LedgerSort, key: Option<&str>, code: &str) -> Self {
        Self::new(Position::for_test(sort, key, code))
    }
}

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.token)
    }
}

/// A bad query: the caller's to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerQueryError {
    #[error("limit 须在 1 至 {MAX_LIMIT} 之间，不能为 {0}")]
    Limit(u32),
    #[error("筛选参数 {0} 为空")]
    EmptyFilter(&'static str),
    #[error("筛选参数 {0} 过长")]
    FilterTooLong(&'static str),
    #[error("筛选参数 {0} 含控制字符")]
    ControlCharacter(&'static str),
    #[error("state 不能为 not_registered：没有事项处于该状态")]
    State,
    #[error("游标无效：{0}")]
    Cursor(&'static str),
    #[error("游标来自另一种排序方式：请按同一排序翻页")]
    CursorSort,
}

/// Why a ledger query failed.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error(transparent)]
    Query(#[from] LedgerQueryError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("unexpected register row: {0}")]
    Row(String),
}

/// One page of the ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerPage {
    /// At most `limit` rows, in the query's order.
    pub rows: Vec<ItemEntry>,
    /// The cursor of the next page; `None` when this page is the last.
    pub next: Option<Cursor>,
}

/// Reads one page of the ledger from `store`.
pub async fn query_ledger<S: ReadModelStore>(
    store: &S,
    query: &LedgerQuery,
) -> Result<LedgerPage, LedgerError> {
    query.validate()?;
    let wanted = query.limit as usize + 1;
    let batch = if query.filters_after_reading() {
        SCAN_BATCH.max(query.limit + 1)
    } else {
        query.limit + 1
    };
    let mut after = query.after.as_ref().map(|c| c.position.clone());
    let mut rows = Vec::with_capacity(wanted);
    loop {
        let fetched = store.fetch(query.select(after.as_ref(), batch)).await?;
        let complete = fetched.len() < batch as usize;
        for row in fetched {
            let entry: ItemEntry = serde_json::from_value(serde_json::Value::Object(row))
                .map_err(|e| LedgerError::Row(e.to_string()))?;
            after = Some(Position::of(query.sort, &entry));
            if query.matches(&entry) {
                rows.push(entry);
                if rows.len() == wanted {
                    break;
                }
            }
        }
        if complete || rows.len() == wanted {
            break;
        }
    }
    let next = if rows.len() == wanted {
        rows.truncate(query.limit as usize);
        rows.last()
            .map(|last| Cursor::new(Position::of(query.sort, last)))
    } else {
        None
    };
    Ok(LedgerPage { rows, next })
}
