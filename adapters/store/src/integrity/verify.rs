//! Recomputing the chain from the first position, in batches, in constant memory.

use super::audit::LogAudit;
use super::digest::ChainDigest;
use super::error::{IntegrityError, Tamper};
use crate::chain::{chain_hash, GENESIS};
use crate::transfer::Progress;
use rectiflow_engine::StoreError;

/// Events read per round trip: large enough that the round trips do not dominate, small
/// enough that memory stays flat whatever the log's length.
pub const DEFAULT_BATCH: u32 = 2_000;

/// How to verify.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// Events read per batch.
    pub batch: u32,
    /// A digest published earlier: the recomputed chain must pass through it. This is what
    /// catches a rewrite of both the events and their stored hashes.
    pub expect: Option<ChainDigest>,
    /// Shows how far the recomputation got (hidden unless on a terminal).
    pub progress: Progress,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        Self {
            batch: DEFAULT_BATCH,
            expect: None,
            progress: Progress::hidden(),
        }
    }
}

impl VerifyOptions {
    pub fn expecting(mut self, digest: ChainDigest) -> Self {
        self.expect = Some(digest);
        self
    }
}

/// What an intact log looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifySummary {
    /// Events verified (the whole log as it stood when verification began).
    pub events: u64,
    /// The recomputed chain hash at the head: the digest to publish.
    pub head: ChainDigest,
    /// The published digest the chain was checked against, if one was given.
    pub checked: Option<ChainDigest>,
}

/// Recomputes the whole log's chain from genesis and compares it, position by position, with
/// the stored hashes (and with `options.expect`). The log is read up to the head it had when
/// verification began, so events appended meanwhile neither disturb nor extend the check.
pub async fn verify<S: LogAudit>(
    store: &S,
    options: &VerifyOptions,
) -> Result<VerifySummary, IntegrityError> {
    let head = store.head().await?;
    if let Some(expected) = options.expect {
        if expected.position > head {
            return Err(Tamper::Truncated {
                position: expected.position,
                head,
            }
            .into());
        }
        if expected.position == 0 && expected.hash != GENESIS {
            return Err(Tamper::DigestMismatch {
                position: 0,
                published: expected.hash_text(),
                recomputed: format!("sha256:{}", hex::encode(GENESIS)),
            }
            .into());
        }
    }
    let hash = walk(store, head, options).await?;
    Ok(VerifySummary {
        events: head,
        head: ChainDigest {
            position: head,
            hash,
        },
        checked: options.expect,
    })
}

/// The recomputed chain hash at `at` (the head by default), after verifying every position up
/// to it: a digest is only worth publishing if the history it seals is intact.
pub async fn digest_at<S: LogAudit>(
    store: &S,
    at: Option<u64>,
    progress: &Progress,
) -> Result<ChainDigest, IntegrityError> {
    let head = store.head().await?;
    let at = at.unwrap_or(head);
    if at > head {
        return Err(IntegrityError::BeyondHead { at, head });
    }
    let options = VerifyOptions {
        progress: progress.clone(),
        ..VerifyOptions::default()
    };
    let hash = walk(store, at, &options).await?;
    Ok(ChainDigest { position: at, hash })
}

/// Walks positions `1..=until`, returning the recomputed hash at `until`; fails at the first
/// position that is missing, unreadable or does not chain, or where the published digest in
/// `options` disagrees.
async fn walk<S: LogAudit>(
    store: &S,
    until: u64,
    options: &VerifyOptions,
) -> Result<[u8; 32], IntegrityError> {
    let progress = &options.progress;
    progress.start("verifying", Some(until));
    let batch = u64::from(options.batch.max(1));
    let mut previous = GENESIS;
    let mut expected = 1u64;
    // After a batch fails to decode, its positions are read one at a time to name the row.
    let mut careful_until = 0u64;
    while expected <= until {
        let limit = if expected < careful_until {
            1
        } else {
            batch.min(until - expected + 1)
        };
        let events = match store.read_log(expected - 1, limit as u32).await {
            Ok(events) => events,
            Err(StoreError::Corrupt { location, reason }) if limit > 1 => {
                tracing::debug!(%location, %reason, "a batch did not decode; reading it row by row");
                careful_until = expected + limit;
                continue;
            }
            Err(StoreError::Corrupt { location, reason }) => {
                let stored = store.next_stored_position(expected - 1).await?;
                return Err(match stored {
                    Some(position) if position > expected => Tamper::Missing {
                        position: expected,
                        detail: store.explain_missing(expected, Some(position)).await?,
                    },
                    _ => Tamper::Unreadable {
                        position: expected,
                        reason: format!("{location}: {reason}"),
                    },
                }
                .into());
            }
            Err(error) => return Err(error.into()),
        };
        if events.is_empty() {
            return Err(Tamper::Missing {
                position: expected,
                detail: store.explain_missing(expected, None).await?,
            }
            .into());
        }
        for logged in &events {
            if logged.position != expected {
                return Err(Tamper::Missing {
                    position: expected,
                    detail: store
                        .explain_missing(expected, Some(logged.position))
                        .await?,
                }
                .into());
            }
            let recomputed = chain_hash(&previous, expected, &logged.event);
            if hex::encode(recomputed) != logged.hash {
                return Err(Tamper::HashMismatch {
                    position: expected,
                    stored: logged.hash.clone(),
                    recomputed: hex::encode(recomputed),
                }
                .into());
            }
            if let Some(published) = options.expect {
                if published.position == expected && published.hash != recomputed {
                    return Err(Tamper::DigestMismatch {
                        position: expected,
                        published: published.hash_text(),
                        recomputed: format!("sha256:{}", hex::encode(recomputed)),
                    }
                    .into());
                }
            }
            previous = recomputed;
            expected += 1;
        }
        progress.advance(events.len() as u64);
    }
    if let Some(tamper) = store.unsequenced(until).await? {
        return Err(tamper.into());
    }
    if let Some(tamper) = store.sequenced_twice(until).await? {
        return Err(tamper.into());
    }
    if let Some(tamper) = store.version_hole(until).await? {
        return Err(tamper.into());
    }
    progress.finish();
    Ok(previous)
}
