//! 演练 — whether a store holds the real campaign or a rehearsal, marked once and never
//! changed.
//!
//! A rehearsal runs the whole service on a simulated clock an admin moves forward: every stamp
//! the domain records, every deadline and publication, is simulated time. Mixed into a real
//! campaign's log those stamps would be lies that look like facts, and a real log served on a
//! simulated clock would record deadlines that never passed. So the first process to serve a
//! store marks it — live, or rehearsal with the clock's start — and from then on a store
//! marked live refuses to rehearse and a rehearsal store refuses to be served live. A store
//! that already holds events but was never marked (written before marking existed) was served
//! live as far as anyone can tell: it may be marked live, never rehearsal.
//!
//! Marking is one `INSERT … ON CONFLICT DO NOTHING` on a table of at most one row, read back:
//! two processes starting at once with different modes cannot both win. The rehearsal clock is
//! kept in the same row, moved after each instant the clock stops at, so a restarted rehearsal
//! resumes where it stood.

use chrono::{DateTime, SecondsFormat, Utc};
use rectiflow_engine::readmodel::{ReadModelStore, Row, Statement};
use rectiflow_engine::{EventStore, StoreError};
use sea_query::{Expr, Iden, OnConflict, Query};

#[derive(Iden)]
enum StoreMode {
    Table,
    Id,
    Mode,
    MarkedAt,
    Clock,
}

/// What a store holds, as marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The real campaign, on the wall clock.
    Live,
    /// A rehearsal (演练), on a simulated clock.
    Rehearsal,
}

impl Mode {
    fn as_str(self) -> &'static str {
        match self {
            Mode::Live => "live",
            Mode::Rehearsal => "rehearsal",
        }
    }
}

/// The store's mark: its mode and, for a rehearsal, where its clock stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marked {
    pub mode: Mode,
    /// The rehearsal's clock (`None` on a live store).
    pub clock: Option<DateTime<Utc>>,
}

/// Why a store may not be served in the mode asked for.
#[derive(Debug, thiserror::Error)]
pub enum ModeError {
    #[error(
        "this store holds a rehearsal (演练): serve it with --rehearsal, or use another store \
         for the real campaign, so simulated time never mixes with real time"
    )]
    RehearsalStore,
    #[error(
        "this store has served the real campaign: a rehearsal needs a store of its own (a new \
         database), so simulated time never mixes with real time"
    )]
    LiveStore,
    #[error(
        "this store already holds {0} events and was never marked as a rehearsal: a rehearsal \
         starts on an empty store"
    )]
    NotEmpty(u64),
    #[error("a new rehearsal needs the instant its clock starts at (--clock-start)")]
    NoClockStart,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Marks `store` for `mode` unless it is marked already, and returns the mark — or refuses
/// when the store is marked for the other mode. A new rehearsal's clock starts at
/// `clock_start` (required then); an existing rehearsal keeps its own clock.
pub async fn claim<S: ReadModelStore + EventStore>(
    store: &S,
    mode: Mode,
    clock_start: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<Marked, ModeError> {
    if read(store).await?.is_none() {
        let clock = match mode {
            Mode::Live => None,
            Mode::Rehearsal => {
                let committed = store.committed().await?;
                if committed > 0 {
                    return Err(ModeError::NotEmpty(committed));
                }
                Some(clock_start.ok_or(ModeError::NoClockStart)?)
            }
        };
        let insert = Query::insert()
            .into_table(StoreMode::Table)
            .columns([
                StoreMode::Id,
                StoreMode::Mode,
                StoreMode::MarkedAt,
                StoreMode::Clock,
            ])
            .values([
                1.into(),
                mode.as_str().into(),
                instant(now).into(),
                clock.map(instant).into(),
            ])
            .map_err(|e| StoreError::ReadModel(e.to_string()))?
            .on_conflict(OnConflict::column(StoreMode::Id).do_nothing().to_owned())
            .to_owned();
        store.execute(Statement::Insert(insert)).await?;
    }
    let marked = read(store)
        .await?
        .ok_or_else(|| StoreError::corrupt("the store's mode", "not kept after marking"))?;
    match (marked.mode, mode) {
        (Mode::Rehearsal, Mode::Live) => Err(ModeError::RehearsalStore),
        (Mode::Live, Mode::Rehearsal) => Err(ModeError::LiveStore),
        _ => Ok(marked),
    }
}

/// The store's mark, if it has one.
pub async fn read<S: ReadModelStore>(store: &S) -> Result<Option<Marked>, StoreError> {
    let select = Query::select()
        .columns([StoreMode::Mode, StoreMode::Clock])
        .from(StoreMode::Table)
        .and_where(Expr::col(StoreMode::Id).eq(1))
        .to_owned();
    let rows = store.fetch(select).await?;
    rows.first().map(marked).transpose()
}

/// Keeps where a rehearsal's clock stands, for the next start to resume at.
pub async fn keep_clock<S: ReadModelStore>(store: &S, at: DateTime<Utc>) -> Result<(), StoreError> {
    let update = Query::update()
        .table(StoreMode::Table)
        .value(StoreMode::Clock, instant(at))
        .and_where(Expr::col(StoreMode::Id).eq(1))
        .and_where(Expr::col(StoreMode::Mode).eq(Mode::Rehearsal.as_str()))
        .to_owned();
    match store.execute(Statement::Update(update)).await? {
        1 => Ok(()),
        _ => Err(StoreError::corrupt(
            "the store's mode",
            "a rehearsal clock kept on a store not marked as a rehearsal",
        )),
    }
}

fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn marked(row: &Row) -> Result<Marked, StoreError> {
    let corrupt = |what: String| StoreError::corrupt("the store's mode", what);
    let mode = match row.get("mode").and_then(|v| v.as_str()) {
        Some("live") => Mode::Live,
        Some("rehearsal") => Mode::Rehearsal,
        other => return Err(corrupt(format!("an unknown mode {other:?}"))),
    };
    let clock = match row.get("clock") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(text)) => Some(
            DateTime::parse_from_rfc3339(text)
                .map_err(|e| corrupt(format!("clock: {e}")))?
                .with_timezone(&Utc),
        ),
        Some(other) => return Err(corrupt(format!("clock: not text: {other}"))),
    };
    if mode == Mode::Rehearsal && clock.is_none() {
        return Err(corrupt("a rehearsal without its clock".into()));
    }
    Ok(Marked { mode, clock })
}
