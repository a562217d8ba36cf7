//! Which periods a kind of publication covers, in the campaign's time zone: a dispatch whole
//! weeks from a local midnight, a bulletin a calendar month, an assessment a quarter (季度).

use chrono::{Datelike, Days, Months, NaiveDate};
use chrono_tz::Tz;

use crate::survey::Quarter;
use crate::values::{local_date, local_start_of_day};

use super::errors::PublicationError;
use super::kind::{Period, PublicationKind};

/// The label of `period` in a stream id — the week's first local date (`2026-03-09`), the
/// month (`2026-03`), the quarter (`2026-Q1`) — once the period is checked against its kind:
///
/// - it is not empty (`start < cut_off`);
/// - a dispatch covers `weeks` whole weeks (one per nominal dispatch it stands for: two nominal
///   dispatches moved onto the same day make one dispatch covering both weeks), from a local
///   midnight to a local midnight;
/// - a bulletin covers one calendar month, from 00:00 local of the 1st to 00:00 local of the
///   next month's 1st (DOMAIN.md: the cut-off is the 1st at 00:00 local);
/// - an assessment covers one quarter, from 00:00 local of its first day to 24:00 of its last.
pub fn period_label(
    kind: PublicationKind,
    period: Period,
    weeks: usize,
    tz: Tz,
) -> Result<String, PublicationError> {
    if period.start >= period.cut_off {
        return Err(PublicationError::EmptyPeriod {
            start: period.start,
            cut_off: period.cut_off,
        });
    }
    let first = local_date(period.start, tz);
    let mismatch = |needs| PublicationError::PeriodMismatch { kind, needs };
    let (expected_start, expected_cut_off, label) = match kind {
        PublicationKind::Dispatch => {
            let days = u64::try_from(weeks)
                .ok()
                .and_then(|weeks| weeks.checked_mul(7))
                .filter(|days| *days > 0)
                .ok_or_else(|| mismatch("每次原定调度对应一周"))?;
            let end = first
                .checked_add_days(Days::new(days))
                .ok_or_else(|| mismatch("在可计算日期范围内结束的一周"))?;
            (first, end, first.format("%Y-%m-%d").to_string())
        }
        PublicationKind::Bulletin => {
            let month = first.with_day(1).unwrap_or(first);
            let next = month
                .checked_add_months(Months::new(1))
                .ok_or_else(|| mismatch("在可计算日期范围内结束的一个月"))?;
            (month, next, month.format("%Y-%m").to_string())
        }
        PublicationKind::Assessment => {
            let quarter =
                Quarter::containing(first).map_err(|_| mismatch("年份为四位数的一个季度"))?;
            let next = quarter.last_day().succ_opt().unwrap_or(NaiveDate::MAX);
            (quarter.first_day(), next, quarter.to_string())
        }
    };
    if period.start != local_start_of_day(expected_start, tz)
        || period.cut_off != local_start_of_day(expected_cut_off, tz)
    {
        return Err(mismatch(match kind {
            PublicationKind::Dispatch => "自当地时间零时起的整周，每次原定调度对应一周",
            PublicationKind::Bulletin => "一个自然月，自当地时间1日零时起",
            PublicationKind::Assessment => "一个季度，自首日当地时间零时起",
        }));
    }
    Ok(label)
}
