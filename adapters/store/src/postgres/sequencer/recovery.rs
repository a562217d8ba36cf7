//! Where a sequencer starts: transaction ids restored from another cluster rebased, and the
//! cursor and pending transactions recovered.

use sqlx::{Connection, PgConnection, Row};

use super::Cursor;
use crate::chain::{self, GENESIS};
use crate::fault::OrStore;
use crate::postgres::rows;
use rectiflow_engine::StoreError;

/// Event rows restored from another cluster (`pg_dump`, logical replication) carry that
/// cluster's transaction ids, which may lie ahead of this cluster's counter: rows from the future
/// never fall below the horizon, and a row moved behind the cursor would never be sequenced. So,
/// at each takeover, if any event row carries an id this cluster has not reached (`>= xmax`),
/// every row is rebased:
/// - every sequenced row moves to the frozen id 2 (their order is already fixed by their
///   positions);
/// - every unsequenced row of a finished transaction (below the horizon, or from the future)
///   moves to 3: after every sequenced row, before any transaction still running here. Within
///   an id rows keep their insertion order (`id`), which is each stream's version order.
///
/// A restored row that was not from the future stays where it is only if it is still running,
/// which it cannot be; so after a rebase nothing unsequenced lies behind the cursor (the
/// highest `(tx_id, id)` of any sequenced row, see [`recover_cursor`]). Without rows from the
/// future nothing is touched: this cluster's own rows lie below `xmax`.
pub(super) async fn rebase_foreign_transaction_ids(
    conn: &mut PgConnection,
) -> Result<(), StoreError> {
    let mut tx = conn.begin().await.db()?;
    let foreign: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM events \
                        WHERE tx_id >= pg_snapshot_xmax(pg_current_snapshot()))",
    )
    .fetch_one(&mut *tx)
    .await
    .db()?;
    if !foreign {
        return Ok(());
    }
    let sequenced = sqlx::query(
        "UPDATE events SET tx_id = '2'::xid8 \
         WHERE tx_id <> '2'::xid8 AND id IN (SELECT event_ref FROM log)",
    )
    .execute(&mut *tx)
    .await
    .db()?
    .rows_affected();
    let unsequenced = sqlx::query(
        "UPDATE events e SET tx_id = '3'::xid8 \
         WHERE (e.tx_id < pg_snapshot_xmin(pg_current_snapshot()) \
                OR e.tx_id >= pg_snapshot_xmax(pg_current_snapshot())) \
           AND e.tx_id > '3'::xid8 \
           AND NOT EXISTS (SELECT 1 FROM log l WHERE l.event_ref = e.id)",
    )
    .execute(&mut *tx)
    .await
    .db()?
    .rows_affected();
    // The recorded cursor and pending transactions name ids that no longer exist.
    sqlx::query("DELETE FROM sequencer_state")
        .execute(&mut *tx)
        .await
        .db()?;
    tx.commit().await.db()?;
    tracing::warn!(
        sequenced,
        unsequenced,
        "event rows carried transaction ids of another cluster (a restore?); rebased them"
    );
    Ok(())
}

/// Where sequencing resumes: the position and hash of the log's head, the cursor — the highest
/// `(transaction id, row id)` sequenced — and the transactions that may still add rows behind
/// it. The cursor is that pair, not the head's own row: after a rebase the head's row may lie
/// before other sequenced rows in commit order, and reading on from it would give those rows a
/// second position (the unique key on `log.event_ref` refuses one regardless).
///
/// The pending transactions are those the last batch recorded (`sequencer_state`), and those
/// running now below the cursor — read in the same statement as the cursor, so none can finish
/// unseen between the two. Without a recorded state (a fresh or imported log) the second set is
/// all there is, and it is enough: nothing else can still write behind the cursor.
pub(super) async fn recover(conn: &mut PgConnection) -> Result<(Cursor, Vec<u64>), StoreError> {
    let row = sqlx::query(
        "WITH head AS (SELECT position, hash FROM log ORDER BY position DESC LIMIT 1), \
              state AS (SELECT cursor_tx, cursor_id, pending FROM sequencer_state WHERE id = 1), \
              edge AS (SELECT e.tx_id, e.id FROM events e \
                       WHERE EXISTS (SELECT 1 FROM log l WHERE l.event_ref = e.id) \
                       ORDER BY e.tx_id DESC, e.id DESC LIMIT 1), \
              cursor AS (SELECT coalesce((SELECT cursor_tx FROM state), \
                                         (SELECT tx_id FROM edge)) AS tx, \
                                coalesce((SELECT cursor_id FROM state), \
                                         (SELECT id FROM edge)) AS id) \
         SELECT c.tx::text AS tx_text, c.id, h.position, h.hash, \
                ARRAY(SELECT x::text FROM unnest((SELECT pending FROM state)) x \
                      UNION \
                      SELECT x::text FROM pg_snapshot_xip(pg_current_snapshot()) x \
                      WHERE x < c.tx) AS pending \
         FROM cursor c LEFT JOIN head h ON true \
         WHERE c.tx IS NOT NULL",
    )
    .fetch_optional(&mut *conn)
    .await
    .db()?;
    let Some(row) = row else {
        return Ok((
            Cursor {
                tx_id: "0".into(),
                id: 0,
                position: 0,
                hash: GENESIS,
            },
            Vec::new(),
        ));
    };
    let position: Option<i64> = row.try_get("position").db()?;
    let position = rows::to_u64_or_zero(position, "log position")?;
    let hash: Option<Vec<u8>> = row.try_get("hash").db()?;
    let hash = match hash {
        Some(hash) => chain::hash_from_bytes(&hash).ok_or_else(|| {
            StoreError::corrupt(
                format!("log position {position}"),
                "chain hash is not 32 bytes",
            )
        })?,
        None => GENESIS,
    };
    let pending: Vec<String> = row.try_get("pending").db()?;
    Ok((
        Cursor {
            tx_id: row.try_get("tx_text").db()?,
            id: row.try_get("id").db()?,
            position,
            hash,
        },
        super::pass::parse_xids(&pending)?,
    ))
}
