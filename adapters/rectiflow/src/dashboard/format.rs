//! How the dashboard writes instants, dates, rates and counts: in the campaign's time zone,
//! the way a county's documents write them (`2026年4月30日`, `87.5%`, `—` for not applicable).

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use rectiflow_domain::assessment::Rate;

/// An instant as local date and time: `2026-04-30 18:00`.
pub fn local(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
}

/// A date as official documents write it (GB/T 9704: Arabic numerals): `2026年4月30日`.
pub fn date(at: DateTime<Utc>, tz: Tz) -> String {
    let day = at.with_timezone(&tz);
    format!("{}年{}月{}日", day.year(), day.month(), day.day())
}

/// A rate in percent to one decimal, with its parts; `—` when not applicable.
pub fn rate(rate: Option<Rate>) -> String {
    match rate.and_then(|r| r.percent().map(|p| (p, r))) {
        Some((percent, r)) => format!("{percent:.1}%（{}/{}）", r.numerator, r.denominator),
        None => "—".to_owned(),
    }
}

/// A rate in percent only; `—` when not applicable.
pub fn percent(rate: Option<Rate>) -> String {
    rate.and_then(Rate::percent)
        .map_or_else(|| "—".to_owned(), |p| format!("{p:.1}%"))
}

/// A weighted count: whole numbers without decimals, a mitigated half with one.
pub fn weighted(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}
