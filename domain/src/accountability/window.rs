//! The repeated-admonishment window: a unit's second admonishment within N days (182 by
//! default, `admonishment.referral_window_days`) of an earlier one, measured between the
//! cut-offs of the publications they rest on (or a manual admonishment's own instant).

use chrono::{DateTime, Duration, Utc};

use super::commands::AdmonishmentBasis;
use super::errors::AccountabilityError;

/// Checks that `later` came strictly after `earlier` and at most `window_days` days after it
/// (0 < gap ≤ N days). The same admonishment twice, or two resting on one cut-off, is one
/// occasion, not a repetition.
pub fn check_window(
    earlier: &AdmonishmentBasis,
    later: &AdmonishmentBasis,
    window_days: u32,
) -> Result<(), AccountabilityError> {
    if earlier.admonishment == later.admonishment {
        return Err(AccountabilityError::SameAdmonishment {
            admonishment: later.admonishment.clone(),
        });
    }
    if !within(earlier.cut_off, later.cut_off, window_days) {
        return Err(AccountabilityError::OutsideReferralWindow {
            earlier: earlier.cut_off,
            later: later.cut_off,
            window_days,
        });
    }
    Ok(())
}

/// 0 < later − earlier ≤ `window_days` days (elapsed time: cut-offs are local midnights, so
/// whole days between them are whole days of 24 hours but for a DST change, which the
/// campaign's default zone has none of).
fn within(earlier: DateTime<Utc>, later: DateTime<Utc>, window_days: u32) -> bool {
    let gap = later.signed_duration_since(earlier);
    gap > Duration::zero() && gap <= Duration::days(i64::from(window_days))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::fixtures::at;

    #[test]
    fn the_window_is_open_after_and_closed_at_its_end() {
        let start = at("2026-01-01T16:00:00Z");
        assert!(!within(start, start, 182));
        assert!(within(start, start + Duration::seconds(1), 182));
        assert!(within(start, start + Duration::days(182), 182));
        assert!(!within(
            start,
            start + Duration::days(182) + Duration::seconds(1),
            182
        ));
        assert!(!within(start, start - Duration::days(1), 182));
    }
}
