//! Writing the log as NDJSON.

use std::io::{BufWriter, Write};

use super::error::TransferError;
use super::progress::Progress;
use rectiflow_engine::EventStore;

/// Events read per round trip.
const BATCH: u32 = 2_000;

/// What an export wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportSummary {
    pub events: u64,
    /// The first and last positions written (`None` when nothing was).
    pub first: Option<u64>,
    pub last: Option<u64>,
}

/// Writes positions `from..=to` (default: 1 to the head as it stands when the export begins)
/// to `out`, one JSON event per line, in position order. Reads in batches, so memory stays
/// flat. The file is not re-verified here: import does that, and verify checks the store.
pub async fn export<S: EventStore, W: Write>(
    store: &S,
    from: Option<u64>,
    to: Option<u64>,
    out: W,
    progress: &Progress,
) -> Result<ExportSummary, TransferError> {
    let head = store.head().await?;
    let from = from.unwrap_or(1).max(1);
    let to = match to {
        Some(to) if to > head => {
            return Err(TransferError::InvalidRange(format!(
                "--to {to} is beyond the head of the log ({head})"
            )))
        }
        Some(to) => to,
        None => head,
    };
    if from > to && !(from == 1 && to == 0) {
        return Err(TransferError::InvalidRange(format!(
            "--from {from} is after --to {to} (the head is {head})"
        )));
    }
    progress.start("exporting", Some(to + 1 - from));
    let mut out = BufWriter::with_capacity(1 << 20, out);
    let mut summary = ExportSummary {
        events: 0,
        first: None,
        last: None,
    };
    let mut after = from - 1;
    while after < to {
        let limit = u64::from(BATCH).min(to - after) as u32;
        let events = store.read_log(after, limit).await?;
        let Some(last) = events.last() else { break };
        after = last.position;
        for logged in events.iter().take_while(|e| e.position <= to) {
            serde_json::to_writer(&mut out, logged).map_err(|e| TransferError::Write(e.into()))?;
            out.write_all(b"\n").map_err(TransferError::Write)?;
            summary.first.get_or_insert(logged.position);
            summary.last = Some(logged.position);
            summary.events += 1;
        }
        progress.advance(events.len() as u64);
    }
    out.flush().map_err(TransferError::Write)?;
    progress.finish();
    Ok(summary)
}
