//! Versions and positions: `u64` in the ports, signed 64-bit integers in both schemas.
//!
//! Reading one back is checked, never clamped: a negative version or position can only have been
//! written behind the store's back, and reading it as zero would silently rewind a stream or a
//! checkpoint. It is a [`StoreError::Corrupt`] naming where it was found.

use rectiflow_engine::StoreError;

/// A version or position as the schema stores it. Neither reaches 2^63 (a log of that many
/// events would outlive the disk), so saturating is never observed.
pub(crate) fn to_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// A stored version or position, refused if negative. `location` names the row and column.
pub(crate) fn to_u64(value: i64, location: impl std::fmt::Display) -> Result<u64, StoreError> {
    u64::try_from(value)
        .map_err(|_| StoreError::corrupt(location.to_string(), format!("{value} is negative")))
}

/// An optional stored version or position (an aggregate over no rows is NULL, read as 0).
pub(crate) fn to_u64_or_zero(
    value: Option<i64>,
    location: impl std::fmt::Display,
) -> Result<u64, StoreError> {
    value.map_or(Ok(0), |v| to_u64(v, location))
}

/// A stored fold version (of a snapshot), refused unless it fits the aggregate's `u32`.
pub(crate) fn to_fold_version(
    value: i64,
    location: impl std::fmt::Display,
) -> Result<u32, StoreError> {
    u32::try_from(value).map_err(|_| {
        StoreError::corrupt(
            location.to_string(),
            format!("fold version {value} is out of range"),
        )
    })
}

/// A stored consumer code version (of a checkpoint), refused unless it fits the handler's
/// `u32`.
pub(crate) fn to_consumer_version(
    value: i64,
    location: impl std::fmt::Display,
) -> Result<u32, StoreError> {
    u32::try_from(value).map_err(|_| {
        StoreError::corrupt(
            location.to_string(),
            format!("consumer version {value} is out of range"),
        )
    })
}

/// A checkpoint row — `(position, version)` as both stores keep it — read back, refused unless
/// both fit their Rust types.
pub(crate) fn checkpoint_position(
    consumer: &str,
    (position, version): (i64, i64),
) -> Result<rectiflow_engine::consumer::ConsumerPosition, StoreError> {
    Ok(rectiflow_engine::consumer::ConsumerPosition {
        checkpoint: to_u64(position, format_args!("checkpoint of {consumer}"))?,
        version: to_consumer_version(version, format_args!("checkpoint of {consumer}"))?,
    })
}

/// Every checkpoint row `(consumer, position, version)` read back, as both stores list them.
pub(crate) fn named_positions(
    rows: Vec<(String, i64, i64)>,
) -> Result<Vec<rectiflow_engine::consumer::NamedPosition>, StoreError> {
    rows.into_iter()
        .map(|(consumer, position, version)| {
            Ok(rectiflow_engine::consumer::NamedPosition {
                position: checkpoint_position(&consumer, (position, version))?,
                consumer,
            })
        })
        .collect()
}

/// Why a shadow's checkpoint could not be promoted: another rebuild moved it (or took it
/// over under another version) since this one read it, as both stores tell it.
pub(crate) fn shadow_moved(
    shadow: &str,
    built: rectiflow_engine::consumer::ConsumerPosition,
    found: Option<rectiflow_engine::consumer::ConsumerPosition>,
) -> StoreError {
    match found {
        Some(found) if found.version > built.version => StoreError::NewerCodeOwnsConsumer {
            consumer: shadow.to_owned(),
            stored: found.version,
            code: built.version,
        },
        found => StoreError::CheckpointMoved {
            consumer: shadow.to_owned(),
            expected: built.checkpoint,
            found: found.map_or(0, |f| f.checkpoint),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_negative_count_is_corrupt_and_named() {
        match to_u64(-3, "snapshot of counter/x") {
            Err(StoreError::Corrupt { location, reason }) => {
                assert_eq!(location, "snapshot of counter/x");
                assert!(reason.contains("-3"), "{reason}");
            }
            other => panic!("expected a corrupt-row error, got {other:?}"),
        }
        assert_eq!(to_u64(7, "x").ok(), Some(7));
        assert_eq!(to_u64_or_zero(None, "x").ok(), Some(0));
        assert_eq!(to_i64(u64::MAX), i64::MAX);
        assert_eq!(to_fold_version(2, "x").ok(), Some(2));
        assert!(matches!(
            to_fold_version(-1, "snapshot of counter/x"),
            Err(StoreError::Corrupt { .. })
        ));
    }
}
