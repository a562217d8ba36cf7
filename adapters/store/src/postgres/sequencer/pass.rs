//! One pass of the sequencer: which rows are final, in what order they take positions, and
//! what it must remember about transactions still running.
//!
//! A row is final once its transaction has finished: committed rows are then visible, and a
//! rolled-back transaction's rows never are. So a pass first reads which transactions are running
//! (the snapshot's `xip`, and `xmax`, the first id not yet given out), then — in a later snapshot,
//! which can only know more — reads the rows to sequence, in two parts:
//! 1. rows of the *pending* transactions: those that were running while the cursor passed their
//!    id, and so may add rows behind it when they commit;
//! 2. rows after the cursor in `(transaction id, row id)` order, below `xmax`.
//!
//! Both parts take positions in that order; the cursor moves to the last row of the second. Then
//! every running transaction below the new cursor becomes pending, and a pending transaction
//! that had finished before the pass began is forgotten once its rows have been read (a finished
//! transaction adds no rows). Nothing waits for the cluster's oldest transaction: a transaction
//! held open elsewhere delays only its own rows.
//!
//! Each stream keeps its version order in the log: a stream's next version is written only
//! after the transaction of the one before it committed, so its transaction id is higher and, if
//! the earlier one is pending, the later one is never read before it.

use std::collections::BTreeSet;

use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};

use super::Cursor;
use crate::chain;
use crate::fault::OrStore;
use crate::postgres::{rows, LOG_CHANNEL};
use rectiflow_engine::StoreError;

/// What a snapshot says of the transactions of the cluster.
pub(super) struct Running {
    /// The first transaction id not yet given out.
    pub xmax: u64,
    /// The transactions in progress.
    pub xip: BTreeSet<u64>,
}

/// Rows read by a pass, in the order they take positions.
pub(super) struct Rows {
    pub rows: Vec<PgRow>,
    /// How many of `rows` came from pending transactions (they come first).
    pub pending_rows: usize,
}

pub(super) fn parse_xids(texts: &[String]) -> Result<Vec<u64>, StoreError> {
    texts
        .iter()
        .map(|text| {
            text.parse::<u64>()
                .map_err(|e| StoreError::corrupt(format!("transaction id {text:?}"), e.to_string()))
        })
        .collect()
}

fn xid_texts(xids: impl IntoIterator<Item = u64>) -> Vec<String> {
    xids.into_iter().map(|x| x.to_string()).collect()
}

pub(super) async fn running(conn: &mut PgConnection) -> Result<Running, StoreError> {
    let (xmax, xip): (String, Vec<String>) = sqlx::query_as(
        "SELECT pg_snapshot_xmax(s)::text, ARRAY(SELECT x::text FROM pg_snapshot_xip(s) x) \
         FROM pg_current_snapshot() s",
    )
    .fetch_one(&mut *conn)
    .await
    .db()?;
    Ok(Running {
        xmax: parse_xids(std::slice::from_ref(&xmax))?[0],
        xip: parse_xids(&xip)?.into_iter().collect(),
    })
}

/// The rows of this pass (see the module doc), at most `batch` of each part.
pub(super) async fn read(
    conn: &mut PgConnection,
    cursor: &Cursor,
    pending: &BTreeSet<u64>,
    running: &Running,
    batch: i64,
) -> Result<Rows, StoreError> {
    // The text form of the id is named apart: `ORDER BY` must sort the xid8 column
    // (numerically, on the index), not its text ('10' < '9'). The pending transactions are
    // looked up one by one (a lateral join on the `(tx_id, id)` index): as `tx_id = ANY(array)`
    // with the order and limit, the planner could not estimate the array and walked the whole
    // index in order instead — 40 to 85 ms a pass on a few hundred thousand events.
    let sql = format!(
        "(SELECT 0 AS part, e.tx_id, e.tx_id::text AS tx_text, e.id, {columns} \
          FROM unnest($3::text[]) AS p(x) \
          CROSS JOIN LATERAL (SELECT * FROM events e \
                              WHERE e.tx_id = p.x::xid8 \
                                AND NOT EXISTS (SELECT 1 FROM log l \
                                                WHERE l.event_ref = e.id)) e \
          ORDER BY e.tx_id, e.id LIMIT $5) \
         UNION ALL \
         (SELECT 1, e.tx_id, e.tx_id::text, e.id, {columns} \
          FROM events e \
          WHERE (e.tx_id, e.id) > ($1::text::xid8, $2) AND e.tx_id < $4::text::xid8 \
          ORDER BY e.tx_id, e.id LIMIT $5) \
         ORDER BY part, tx_id, id",
        columns = rows::SEQUENCED_COLUMNS
    );
    let rows = sqlx::query(&sql)
        .bind(&cursor.tx_id)
        .bind(cursor.id)
        .bind(xid_texts(pending.iter().copied()))
        .bind(running.xmax.to_string())
        .bind(batch)
        .fetch_all(&mut *conn)
        .await
        .db()?;
    let mut pending_rows = 0;
    for row in &rows {
        let part: i32 = row.try_get("part").db()?;
        if part == 0 {
            pending_rows += 1;
        }
    }
    Ok(Rows { rows, pending_rows })
}

/// The pending transactions after a pass: those still running below the new cursor. A pending
/// transaction that was not running when the pass began is dropped — its rows were all visible
/// to the pass and read — unless the pass read a full batch of pending rows (more may be left).
pub(super) fn still_pending(
    pending: &BTreeSet<u64>,
    running: &Running,
    cursor: &Cursor,
    pending_batch_full: bool,
) -> Result<BTreeSet<u64>, StoreError> {
    let cursor_tx = parse_xids(std::slice::from_ref(&cursor.tx_id))?[0];
    let mut next: BTreeSet<u64> = if pending_batch_full {
        pending.clone()
    } else {
        pending.intersection(&running.xip).copied().collect()
    };
    next.extend(running.xip.range(..cursor_tx).copied());
    Ok(next)
}

/// Assigns the next positions to `rows` (in order), chains their hashes, records the cursor and
/// the pending transactions, and tells consumers — all in one statement. Stops before the
/// first row it cannot read and returns that row's error beside the new cursor. `moves_cursor`
/// tells which rows are past the cursor (the pending rows lie behind it and leave it alone).
pub(super) async fn assign(
    conn: &mut PgConnection,
    cursor: Cursor,
    read: &Rows,
    pending_after: impl FnOnce(&Cursor) -> Result<BTreeSet<u64>, StoreError>,
) -> Result<(Cursor, BTreeSet<u64>, Option<StoreError>), StoreError> {
    let mut positions = Vec::with_capacity(read.rows.len());
    let mut refs = Vec::with_capacity(read.rows.len());
    let mut hashes = Vec::with_capacity(read.rows.len());
    let mut next = cursor;
    let mut unreadable = None;
    for (i, row) in read.rows.iter().enumerate() {
        let id: i64 = row.try_get("id").db()?;
        let position = next.position + 1;
        let content = match rows::sequenced_content(row) {
            Ok(content) => content,
            Err(e) => {
                unreadable = Some(StoreError::corrupt(
                    format!("event row {id} (would be position {position})"),
                    e,
                ));
                break;
            }
        };
        let hash = chain::link(&next.hash, position, &content);
        positions.push(rows::to_i64(position));
        refs.push(id);
        hashes.push(hash.to_vec());
        let past_cursor = i >= read.pending_rows;
        next = Cursor {
            tx_id: if past_cursor {
                row.try_get("tx_text").db()?
            } else {
                next.tx_id
            },
            id: if past_cursor { id } else { next.id },
            position,
            hash,
        };
    }
    let pending = pending_after(&next)?;
    if positions.is_empty() {
        return Ok((next, pending, unreadable));
    }
    // One statement, atomic on its own: the log rows, the recorded state and the wake-up of the
    // consumers (queued by the statement, delivered at its commit). Three round trips a pass
    // instead of seven (the two reads, then begin, two inserts, notify, commit): when writers keep
    // both cores busy, every round trip waits its turn for the CPU, and the lag showed it.
    sqlx::query(
        "WITH logged AS ( \
             INSERT INTO log (position, event_ref, hash) \
             SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::bytea[])), \
         state AS ( \
             INSERT INTO sequencer_state (id, cursor_tx, cursor_id, pending) \
             VALUES (1, $4::text::xid8, $5, $6::text[]::xid8[]) \
             ON CONFLICT (id) DO UPDATE SET cursor_tx = excluded.cursor_tx, \
                 cursor_id = excluded.cursor_id, pending = excluded.pending, \
                 updated_at = clock_timestamp()) \
         SELECT pg_notify($7, $8)",
    )
    .bind(positions)
    .bind(refs)
    .bind(hashes)
    .bind(&next.tx_id)
    .bind(next.id)
    .bind(xid_texts(pending.iter().copied()))
    .bind(LOG_CHANNEL)
    .bind(next.position.to_string())
    .execute(&mut *conn)
    .await
    .db()?;
    Ok((next, pending, unreadable))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::GENESIS;

    fn cursor(tx: u64) -> Cursor {
        Cursor {
            tx_id: tx.to_string(),
            id: 1,
            position: 1,
            hash: GENESIS,
        }
    }

    #[test]
    fn running_transactions_below_the_cursor_become_pending_and_finished_ones_go() {
        let running = Running {
            xmax: 120,
            xip: [90, 100, 115].into_iter().collect(),
        };
        let pending: BTreeSet<u64> = [80, 90].into_iter().collect();
        // 80 finished before the pass and its rows were read: forgotten. 90 still runs. 100
        // runs below the new cursor (110): it may still write behind it. 115 lies ahead.
        let next = still_pending(&pending, &running, &cursor(110), false).expect("xids");
        assert_eq!(next.into_iter().collect::<Vec<_>>(), vec![90, 100]);
        // A full batch of pending rows may have left some unread: nothing is forgotten.
        let next = still_pending(&pending, &running, &cursor(110), true).expect("xids");
        assert_eq!(next.into_iter().collect::<Vec<_>>(), vec![80, 90, 100]);
    }

    #[test]
    fn transaction_ids_are_read_as_numbers_or_refused() {
        assert_eq!(
            parse_xids(&["9".into(), "10".into()]).expect("xids"),
            vec![9, 10]
        );
        assert!(matches!(
            parse_xids(&["x".into()]),
            Err(StoreError::Corrupt { .. })
        ));
    }
}
