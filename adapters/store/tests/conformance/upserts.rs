//! Many rows written by key in one statement ([`Statement::Upsert`]): PostgreSQL binds each
//! column as one array, SQLite splits the rows under its limit on bound values — and both read
//! back the same rows, typed NULLs and instants included, with a second upsert replacing every
//! row it names and leaving the others as they were.

use rectiflow_engine::readmodel::{ReadModels, Row, Statement};
use rectiflow_projections::{Column, ColumnKind, TableSpec};
use serde_json::json;

use super::*;

const SPEC: TableSpec = TableSpec {
    name: "upserted",
    key: "k",
    columns: &[
        Column::required("k", ColumnKind::Text),
        Column::required("n", ColumnKind::Integer),
        Column::optional("flag", ColumnKind::Boolean),
        Column::optional("due", ColumnKind::Timestamp),
        Column::optional("note", ColumnKind::Text),
    ],
};

/// More rows than one SQLite statement may bind (8,000 values: 1,600 rows of five).
const ROWS: usize = 3_000;

fn row(i: usize, round: i64) -> Row {
    let fields = json!({
        "k": format!("row-{i:05}"),
        "n": i as i64 * round,
        "flag": (!i.is_multiple_of(3)).then_some(i.is_multiple_of(2)),
        "due": (!i.is_multiple_of(4)).then(|| format!("2026-03-{:02}T0{}:00:00Z", 1 + i % 28, round)),
        "note": (!i.is_multiple_of(5)).then(|| format!("第{i}条 \"quoted\" {round}")),
    });
    match fields {
        serde_json::Value::Object(fields) => fields,
        other => panic!("not an object: {other}"),
    }
}

async fn upsert<S: Harness>(store: &S, rows: &[Row]) -> u64 {
    let mut tx = store.begin().await.expect("a transaction");
    tx.execute(SPEC.create_in(SPEC.name).into())
        .await
        .expect("the table");
    let written = tx
        .execute(Statement::Upsert(
            SPEC.upsert_many_in(SPEC.name, rows).expect("rows that fit"),
        ))
        .await
        .expect("the upsert");
    store.commit_batch(tx).await.expect("commit");
    written
}

/// Every row as read back, with instants normalised to compare with what was written.
async fn stored<S: Harness>(store: &S) -> Vec<serde_json::Value> {
    let rows: Vec<serde_json::Value> = SPEC.read_all(store).await.expect("read back");
    rows.into_iter()
        .map(|mut row| {
            if let Some(due) = row["due"].as_str() {
                let at = chrono::DateTime::parse_from_rfc3339(due).expect("an instant");
                row["due"] = json!(at
                    .with_timezone(&Utc)
                    .format("%Y-%m-%dT%H:%M:%SZ")
                    .to_string());
            }
            row
        })
        .collect()
}

pub(crate) async fn many_rows_are_upserted_in_one_statement<S: Harness>(store: S) {
    let first: Vec<Row> = (0..ROWS).map(|i| row(i, 1)).collect();
    assert_eq!(upsert(&store, &first).await, ROWS as u64);
    let expected: Vec<serde_json::Value> = first
        .iter()
        .cloned()
        .map(serde_json::Value::Object)
        .collect();
    assert_eq!(stored(&store).await, expected);

    // Every other row again, changed (and some fields now NULL): replaced whole, the rest kept.
    let second: Vec<Row> = (0..ROWS).step_by(2).map(|i| row(i, 2)).collect();
    assert_eq!(upsert(&store, &second).await, (ROWS / 2) as u64);
    let expected: Vec<serde_json::Value> = (0..ROWS)
        .map(|i| serde_json::Value::Object(row(i, if i % 2 == 0 { 2 } else { 1 })))
        .collect();
    assert_eq!(stored(&store).await, expected);

    // A row that does not fit is refused before anything is written.
    let mut wrong = row(ROWS + 1, 1);
    wrong.insert("n".into(), json!("seven"));
    let refused = SPEC.upsert_many_in(SPEC.name, &[row(ROWS + 2, 1), wrong]);
    assert!(refused.is_err(), "{refused:?}");
    assert_eq!(stored(&store).await.len(), ROWS);
}
