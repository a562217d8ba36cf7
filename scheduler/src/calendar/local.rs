//! Local wall-clock time in the campaign's zone, as instants.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// `time` on `date` in `zone`, as an instant — the rule the domain's publications use: the
/// earlier of an ambiguous local time (a clock turned back), and for a local time a clock
/// change skipped, the same time an hour later (what the clock shows then). The domain keeps
/// its own copy private (`publication::due`), so the rhythm cannot borrow it.
pub(crate) fn at_local(date: NaiveDate, time: NaiveTime, zone: Tz) -> DateTime<Utc> {
    let naive = date.and_time(time);
    zone.from_local_datetime(&naive)
        .earliest()
        .or_else(|| {
            zone.from_local_datetime(&(naive + Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&naive))
}
