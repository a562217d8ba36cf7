//! What a weekly dispatch (周调度) lists (DOMAIN.md "The rhythm"), per task force, as items stood
//! at its cut-off: items due within 7 days, overdue items, and items with no progress for the
//! configured number of days.

use chrono::{DateTime, Duration, Utc};
use rectiflow_domain::item::ItemState;
use rectiflow_domain::publication::DispatchLists;
use rectiflow_domain::values::ItemCode;

use crate::item_history::ItemAsOf;

/// The days ahead a dispatch looks.
const WEEK_AHEAD: Duration = Duration::days(7);

/// Adds `item` to the lists it belongs on at `cut_off`, `stall_days` being the campaign's
/// "no progress for N days". A code that is not an item code cannot have been registered;
/// such a row is left off.
pub(super) fn list(
    lists: &mut DispatchLists,
    item: &ItemAsOf,
    cut_off: DateTime<Utc>,
    stall_days: u32,
) {
    let Ok(code) = ItemCode::parse(item.code.as_str()) else {
        return;
    };
    let clock = item.clock();
    if !item.state.has_running_deadline() {
        return;
    }
    if clock.overdue_at(cut_off) {
        lists.overdue.push(code.clone());
    } else if clock.clock_stopped_at().is_none()
        && item
            .passes_at
            .is_some_and(|passes_at| cut_off <= passes_at && passes_at <= cut_off + WEEK_AHEAD)
    {
        // Due within the week ahead, and not already waiting on an in-time request.
        lists.due_within_week.push(code.clone());
    }
    let stalled_since = cut_off - Duration::days(i64::from(stall_days));
    if item.state != ItemState::PendingSignOff
        && item
            .last_activity_at
            .is_some_and(|last| last <= stalled_since)
    {
        lists.stalled.push(code);
    }
}
