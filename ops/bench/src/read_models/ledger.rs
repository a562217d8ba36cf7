//! Ledger (台账) latency: [`query_ledger`] for the pages a secretariat opens most — the first
//! page, a unit's items, a state's, the overdue ones (a read-time filter), and a page deep in
//! the keyset order — against the same SELECT by plain sqlx in the same run (for the overdue
//! page, the stored overdue flag with the same narrowing: what an indexed column would give).
//! Each repeat alternates the two, so both see the same machine.

use std::time::Instant;

use anyhow::Context;
use chrono::{DateTime, Utc};
use rectiflow_domain::item::ItemState;
use rectiflow_projections::item_register::{query_ledger, Cursor, ItemRegister, LedgerQuery};
use rectiflow_projections::RowProjection;
use rectiflow_store::PgStore;
use serde::Serialize;

use crate::domain_log::Scale;
use crate::drive::quantile_ms;

/// The pages measured, in the order the tables list them.
pub const CASES: [&str; 5] = [
    "first page",
    "by unit",
    "by state (pending sign-off)",
    "overdue = true",
    "deep keyset page",
];

/// One case's latencies in one round, through the ledger and through plain sqlx.
#[derive(Debug, Clone, Serialize)]
pub struct LedgerRound {
    pub round: usize,
    pub case: &'static str,
    pub repeats: usize,
    pub ledger_p50_ms: f64,
    pub ledger_p99_ms: f64,
    pub raw_p50_ms: f64,
    pub raw_p99_ms: f64,
    /// Rows on the last page each returned (they must agree but for the overdue case).
    pub ledger_rows: usize,
    pub raw_rows: usize,
}

/// The ledger's page and the plain SELECT of case `case`, repeat `n` (which varies the unit
/// and the deep cursor, so no one page is served from a warm cache alone).
struct Page {
    query: LedgerQuery,
    sql: String,
    binds: Vec<Bind>,
}

enum Bind {
    Text(String),
    Texts(Vec<String>),
    At(DateTime<Utc>),
}

fn page(case: &str, scale: &Scale, n: usize, as_of: DateTime<Utc>) -> anyhow::Result<Page> {
    let columns: Vec<&str> = ItemRegister::TABLE.columns.iter().map(|c| c.name).collect();
    let select = format!("SELECT {} FROM item_register", columns.join(", "));
    let order = "ORDER BY code LIMIT 51";
    let mut query = LedgerQuery::new(as_of);
    let (filter, binds) = match case {
        "first page" => (String::new(), Vec::new()),
        "by unit" => {
            let unit = scale.unit(n as u64 * 37);
            query.unit = Some(unit.clone());
            ("WHERE responsible_unit = $1".into(), vec![Bind::Text(unit)])
        }
        "by state (pending sign-off)" => {
            query.state = Some(ItemState::PendingSignOff);
            (
                "WHERE state = $1".into(),
                vec![Bind::Text(ItemState::PendingSignOff.as_str().into())],
            )
        }
        "overdue = true" => {
            query.overdue = Some(true);
            let open = [
                ItemState::Registered,
                ItemState::Assigned,
                ItemState::InProgress,
                ItemState::PendingSignOff,
                ItemState::Reopened,
            ];
            (
                "WHERE state = ANY($1) AND deadline_passes_at < $2 AND overdue".into(),
                vec![
                    Bind::Texts(open.iter().map(|s| s.as_str().to_owned()).collect()),
                    Bind::At(as_of),
                ],
            )
        }
        "deep keyset page" => {
            // About nine tenths into the code order (GZ, XC, YB, YL: YL is the last quarter).
            let code = format!("YL-2026-{:06}", scale.items * 4 / 5 + n as u64 * 4);
            let position = serde_json::json!({
                "s": {"key": "code", "descending": false},
                "k": null,
                "c": code,
            });
            query.after = Some(
                Cursor::parse(&hex::encode(position.to_string()))
                    .map_err(|e| anyhow::anyhow!("a deep cursor: {e}"))?,
            );
            ("WHERE code > $1".into(), vec![Bind::Text(code)])
        }
        other => anyhow::bail!("no ledger case {other:?}"),
    };
    Ok(Page {
        query,
        sql: format!("{select} {filter} {order}"),
        binds,
    })
}

/// One round of every case, `repeats` times each, ledger and plain SELECT alternating.
pub async fn round(
    store: &PgStore,
    scale: &Scale,
    as_of: DateTime<Utc>,
    repeats: usize,
    round: usize,
) -> anyhow::Result<Vec<LedgerRound>> {
    let mut results = Vec::new();
    for case in CASES {
        let (mut ledger, mut raw) = (Vec::new(), Vec::new());
        let (mut ledger_rows, mut raw_rows) = (0, 0);
        for n in 0..repeats {
            let page = page(case, scale, n + round * repeats, as_of)?;
            let started = Instant::now();
            let found = query_ledger(store, &page.query)
                .await
                .map_err(|e| anyhow::anyhow!("query_ledger, {case}: {e}"))?;
            ledger.push(started.elapsed().as_micros() as u64);
            ledger_rows = found.rows.len();
            let started = Instant::now();
            let mut query = sqlx::query(&page.sql);
            for bind in &page.binds {
                query = match bind {
                    Bind::Text(v) => query.bind(v),
                    Bind::Texts(v) => query.bind(v),
                    Bind::At(v) => query.bind(v),
                };
            }
            let rows = query
                .fetch_all(store.pool())
                .await
                .with_context(|| format!("plain SELECT, {case}"))?;
            raw.push(started.elapsed().as_micros() as u64);
            raw_rows = rows.len().min(50);
        }
        results.push(LedgerRound {
            round,
            case,
            repeats,
            ledger_p50_ms: quantile_ms(&ledger, 0.5),
            ledger_p99_ms: quantile_ms(&ledger, 0.99),
            raw_p50_ms: quantile_ms(&raw, 0.5),
            raw_p99_ms: quantile_ms(&raw, 0.99),
            ledger_rows,
            raw_rows,
        });
    }
    Ok(results)
}

/// The plans of the plain SELECTs, for the findings: which pages walk the whole key index.
pub async fn plans(
    store: &PgStore,
    scale: &Scale,
    as_of: DateTime<Utc>,
) -> anyhow::Result<Vec<(String, String)>> {
    let mut plans = Vec::new();
    for case in CASES {
        let page = page(case, scale, 0, as_of)?;
        // The rows each plan node saw, no timing: the numbers come from the rounds.
        let sql = format!("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) {}", page.sql);
        let mut query = sqlx::query_scalar::<_, String>(&sql);
        for bind in &page.binds {
            query = match bind {
                Bind::Text(v) => query.bind(v.clone()),
                Bind::Texts(v) => query.bind(v.clone()),
                Bind::At(v) => query.bind(*v),
            };
        }
        let lines = query
            .fetch_all(store.pool())
            .await
            .with_context(|| format!("explaining {case}"))?;
        plans.push((case.to_owned(), lines.join(" / ")));
    }
    Ok(plans)
}
