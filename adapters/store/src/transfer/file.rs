//! Reading an export file line by line, re-verifying its chain as it goes.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use super::error::TransferError;
use super::progress::Progress;
use crate::chain::{chain_hash, hash_from_bytes, GENESIS};
use crate::integrity::ChainDigest;
use rectiflow_engine::model::LoggedEvent;

/// What a verified export file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSummary {
    pub events: u64,
    /// The chain hash at the file's last position (position 0 and the genesis hash when empty).
    pub head: ChainDigest,
}

/// Reads an export's events in order, refusing at the first line that is not the next event
/// of an unbroken chain from position 1. One line in memory at a time.
pub(crate) struct ChainReader {
    path: PathBuf,
    reader: BufReader<File>,
    buffer: String,
    line: u64,
    previous: [u8; 32],
    position: u64,
}

impl ChainReader {
    pub(crate) fn open(path: &Path) -> Result<Self, TransferError> {
        let file = File::open(path).map_err(|source| TransferError::Read {
            path: path.to_owned(),
            source,
        })?;
        Ok(Self {
            path: path.to_owned(),
            reader: BufReader::with_capacity(1 << 20, file),
            buffer: String::new(),
            line: 0,
            previous: GENESIS,
            position: 0,
        })
    }

    fn refuse(&self, reason: impl Into<String>) -> TransferError {
        TransferError::Refused {
            path: self.path.clone(),
            line: self.line,
            reason: reason.into(),
        }
    }

    /// The chain so far: the last position read and its hash.
    pub(crate) fn head(&self) -> ChainDigest {
        ChainDigest {
            position: self.position,
            hash: self.previous,
        }
    }

    /// The next event, verified against the chain before it; `None` at the end of the file.
    pub(crate) fn next_event(&mut self) -> Result<Option<LoggedEvent>, TransferError> {
        self.buffer.clear();
        let read =
            self.reader
                .read_line(&mut self.buffer)
                .map_err(|source| TransferError::Read {
                    path: self.path.clone(),
                    source,
                })?;
        if read == 0 {
            return Ok(None);
        }
        self.line += 1;
        let text = self.buffer.trim_end_matches(['\n', '\r']);
        if text.trim().is_empty() {
            return Err(self.refuse("empty line (an export has one event per line)"));
        }
        let logged: LoggedEvent = serde_json::from_str(text)
            .map_err(|e| self.refuse(format!("not an exported event: {e}")))?;
        let expected = self.position + 1;
        if logged.position != expected {
            let reason = if expected == 1 {
                format!(
                    "the file starts at position {}, not 1: a partial export (--from) cannot \
                     be imported, since its chain cannot be checked from the start",
                    logged.position
                )
            } else {
                format!(
                    "position {} follows position {}: positions must be dense and in order",
                    logged.position, self.position
                )
            };
            return Err(self.refuse(reason));
        }
        let stored = hex::decode(&logged.hash)
            .ok()
            .and_then(|bytes| hash_from_bytes(&bytes))
            .ok_or_else(|| {
                self.refuse(format!(
                    "position {expected}: hash {:?} is not 64 hex digits",
                    logged.hash
                ))
            })?;
        let recomputed = chain_hash(&self.previous, expected, &logged.event);
        if stored != recomputed {
            return Err(self.refuse(format!(
                "position {expected}: the chain hash {} does not match the recomputed {}: the \
                 event was altered, or events were inserted, removed or reordered here",
                logged.hash,
                hex::encode(recomputed)
            )));
        }
        self.previous = recomputed;
        self.position = expected;
        Ok(Some(logged))
    }
}

/// Verifies an export file without writing anything: every line an event, positions dense from
/// 1, every chain hash as recomputed.
pub fn check_file(path: &Path, progress: &Progress) -> Result<FileSummary, TransferError> {
    progress.start("checking", None);
    let mut reader = ChainReader::open(path)?;
    let mut since_tick = 0u64;
    while reader.next_event()?.is_some() {
        since_tick += 1;
        if since_tick == 1_000 {
            progress.advance(since_tick);
            since_tick = 0;
        }
    }
    progress.advance(since_tick);
    progress.finish();
    let head = reader.head();
    Ok(FileSummary {
        events: head.position,
        head,
    })
}
