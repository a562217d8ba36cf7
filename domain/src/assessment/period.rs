//! The periods of a quarterly assessment (季考核, DOMAIN.md "Assessment"). One assessment mixes
//! two periods, and mistaking one for the other silently changes a unit's score:
//!
//! - **to date** — everything before the quarter's cut-off, whatever quarter it fell in: the
//!   completion and on-time rates ([`AssessmentPeriod::to_date`]);
//! - **in the quarter** — the half-open interval `[start, cut-off)`: the response rate (by the
//!   instant each response fell due), complaint ratings (by the instant each was recorded), the
//!   quarter's survey round (closed before the cut-off), and the deductions
//!   ([`AssessmentPeriod::in_quarter`] and the `counts_*` functions).
//!
//! **Half-open.** An instant exactly at `start` is in the quarter; one exactly at `cut_off` is
//! in the next. So an admonishment resting on a publication whose cut-off is the quarter's
//! start (the December bulletin, the previous quarter's assessment, both cut off at 1 January
//! 00:00) counts in Q1; one resting on the March bulletin or on the Q1 assessment itself (cut
//! off at 1 April 00:00) counts in Q2. An assessment therefore never deducts for admonishments
//! it triggers itself, and every admonishment counts in exactly one quarter.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::survey::Quarter;

/// A quarter as an assessment counts it: `[start, cut_off)` in the campaign's time zone —
/// 00:00 local of its first day to 24:00 local of its last (see [`Quarter::starts_at`],
/// [`Quarter::ends_at`]). Built only by [`AssessmentPeriod::of`], so start and cut-off always
/// belong to `quarter`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AssessmentPeriod {
    quarter: Quarter,
    start: DateTime<Utc>,
    cut_off: DateTime<Utc>,
}

/// An accountability decision (问责) as the assessment counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DecidedAccountability {
    /// When discipline inspection decided (`rectiflow.accountability.decided`'s `at`).
    pub decided_at: DateTime<Utc>,
    /// The decision's `deducts`: its outcome is other than 不予问责.
    pub deducts: bool,
}

/// The deductions of a unit in one quarter, each counted by [`AssessmentPeriod`].
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Deductions {
    /// Admonishments (约谈) resting on a publication whose cut-off falls in the quarter.
    pub admonishments: u32,
    /// Accountability decisions (问责) other than 不予问责, against the unit's people, decided
    /// in the quarter.
    pub accountability_decisions: u32,
}

impl AssessmentPeriod {
    /// The assessment period of `quarter` in the campaign's time zone `tz`.
    pub fn of(quarter: Quarter, tz: Tz) -> Self {
        Self {
            quarter,
            start: quarter.starts_at(tz),
            cut_off: quarter.ends_at(tz),
        }
    }

    /// The quarter so far: cut off at `instant` if it falls inside the quarter (the figures
    /// so far read what counts up to then); the whole quarter otherwise.
    pub fn so_far(self, instant: DateTime<Utc>) -> Self {
        match self.in_quarter(instant) {
            true => Self {
                cut_off: instant,
                ..self
            },
            false => self,
        }
    }

    pub fn quarter(&self) -> Quarter {
        self.quarter
    }

    /// 00:00 local of the quarter's first day: the first instant in the quarter.
    pub fn start(&self) -> DateTime<Utc> {
        self.start
    }

    /// 24:00 local of the quarter's last day: the first instant after it, and the instant the
    /// "to date" figures are taken at.
    pub fn cut_off(&self) -> DateTime<Utc> {
        self.cut_off
    }

    /// `start <= instant < cut_off`: the instant falls in the quarter. For the response rate
    /// pass the instant the response fell due; for a complaint rating the instant it was
    /// recorded.
    pub fn in_quarter(&self, instant: DateTime<Utc>) -> bool {
        self.start <= instant && instant < self.cut_off
    }

    /// `instant < cut_off`: the instant counts "to date" — in this quarter or any before it.
    /// For the completion and on-time rates.
    pub fn to_date(&self, instant: DateTime<Utc>) -> bool {
        instant < self.cut_off
    }

    /// Whether an admonishment counts against the unit in this quarter: the instant it rests
    /// on falls in the quarter. Pass
    /// [`Admonishment::window_instant`](crate::admonishment::Admonishment::window_instant):
    /// the cut-off of the publication a policy admonishment rests on (however late it was
    /// triggered), or a manual admonishment's trigger instant.
    pub fn counts_admonishment(&self, rests_on: DateTime<Utc>) -> bool {
        self.in_quarter(rests_on)
    }

    /// Whether an accountability decision deducts in this quarter: it deducts (outcome other
    /// than 不予问责) and was decided in the quarter.
    pub fn counts_decision(&self, decision: DecidedAccountability) -> bool {
        decision.deducts && self.in_quarter(decision.decided_at)
    }

    /// Whether a survey round (群众满意度测评) counts: it is this quarter's round and was closed
    /// before the cut-off. A round not closed by then is not applicable, as is another
    /// quarter's round, however recently closed.
    pub fn counts_survey_round(&self, round: Quarter, closed_at: Option<DateTime<Utc>>) -> bool {
        round == self.quarter && closed_at.is_some_and(|at| self.to_date(at))
    }

    /// A unit's deductions in the quarter, from the instants its admonishments rest on and
    /// the accountability decisions against its people.
    pub fn deductions(
        &self,
        admonishments: impl IntoIterator<Item = DateTime<Utc>>,
        decisions: impl IntoIterator<Item = DecidedAccountability>,
    ) -> Deductions {
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Deductions {
            admonishments: count(
                admonishments
                    .into_iter()
                    .filter(|at| self.counts_admonishment(*at))
                    .count(),
            ),
            accountability_decisions: count(
                decisions
                    .into_iter()
                    .filter(|d| self.counts_decision(*d))
                    .count(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use crate::testing::fixtures::{local, TZ};

    fn q1() -> AssessmentPeriod {
        AssessmentPeriod::of(Quarter::new(2026, 1).expect("quarter"), TZ)
    }

    fn decision(decided_at: DateTime<Utc>, deducts: bool) -> DecidedAccountability {
        DecidedAccountability {
            decided_at,
            deducts,
        }
    }

    const TICK: Duration = Duration::microseconds(1);

    /// 2026-Q1 in Asia/Shanghai: 1 January 00:00 local to 1 April 00:00 local.
    #[test]
    fn the_quarter_is_local_and_half_open() {
        let q = q1();
        assert_eq!(
            (q.start(), q.cut_off()),
            (local(2026, 1, 1, 0, 0), local(2026, 4, 1, 0, 0))
        );
        assert!(q.in_quarter(q.start()));
        assert!(!q.in_quarter(q.start() - TICK));
        assert!(q.in_quarter(q.cut_off() - TICK));
        assert!(!q.in_quarter(q.cut_off()));
    }

    /// "To date" reaches back before the quarter; "in the quarter" does not.
    #[test]
    fn to_date_includes_earlier_quarters_and_stops_at_the_cut_off() {
        let q = q1();
        let last_year = local(2025, 6, 30, 12, 0);
        assert!(q.to_date(last_year));
        assert!(!q.in_quarter(last_year));
        assert!(q.to_date(q.cut_off() - TICK));
        assert!(!q.to_date(q.cut_off()));
    }

    /// The December bulletin (cut off at the quarter's start) counts in Q1; the March bulletin
    /// and the Q1 assessment (cut off at the quarter's cut-off) count in Q2, not Q1.
    #[test]
    fn an_admonishment_counts_in_the_quarter_its_publication_cut_off_falls_in() {
        let q = q1();
        assert!(q.counts_admonishment(local(2026, 1, 1, 0, 0)));
        assert!(q.counts_admonishment(local(2026, 3, 1, 0, 0)));
        assert!(!q.counts_admonishment(local(2026, 4, 1, 0, 0)));
        let q2 = AssessmentPeriod::of(Quarter::new(2026, 2).expect("quarter"), TZ);
        assert!(q2.counts_admonishment(local(2026, 4, 1, 0, 0)));
        assert!(!q.counts_admonishment(local(2025, 12, 1, 0, 0)));
    }

    /// Decided in the quarter and other than 不予问责; the boundaries as every instant.
    #[test]
    fn a_decision_counts_when_it_deducts_and_was_decided_in_the_quarter() {
        let q = q1();
        assert!(q.counts_decision(decision(q.start(), true)));
        assert!(q.counts_decision(decision(q.cut_off() - TICK, true)));
        assert!(!q.counts_decision(decision(q.cut_off(), true)));
        assert!(!q.counts_decision(decision(q.start() - TICK, true)));
        assert!(!q.counts_decision(decision(local(2026, 2, 10, 9, 0), false)));
    }

    /// Only this quarter's round, and only closed before the cut-off.
    #[test]
    fn only_this_quarters_round_closed_by_the_cut_off_counts() {
        let q = q1();
        let q1_round = q.quarter();
        let q4_round = Quarter::new(2025, 4).expect("quarter");
        assert!(q.counts_survey_round(q1_round, Some(local(2026, 3, 31, 17, 0))));
        assert!(!q.counts_survey_round(q1_round, None));
        assert!(!q.counts_survey_round(q1_round, Some(q.cut_off())));
        assert!(!q.counts_survey_round(q4_round, Some(local(2026, 1, 5, 9, 0))));
    }

    #[test]
    fn deductions_count_each_kind_by_its_own_rule() {
        let q = q1();
        let deductions = q.deductions(
            [
                local(2026, 1, 1, 0, 0),
                local(2026, 2, 1, 0, 0),
                local(2026, 4, 1, 0, 0),
            ],
            [
                decision(local(2026, 3, 31, 23, 59), true),
                decision(local(2026, 3, 1, 9, 0), false),
                decision(local(2026, 4, 1, 0, 0), true),
            ],
        );
        assert_eq!(
            deductions,
            Deductions {
                admonishments: 2,
                accountability_decisions: 1,
            }
        );
    }
}
