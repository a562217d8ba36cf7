//! The campaign's built-in rules (DOMAIN.md "The rhythm"): 周调度 — weekly dispatch, Monday
//! 09:00, next working day if that is a holiday; 月通报 — monthly bulletin, first working day
//! 09:00, for the month just ended; 季考核 — quarterly assessment, first working day 09:00
//! after the quarter. Just the rules and what each occurrence covers; the schedule aggregate
//! that fires them is elsewhere.
//!
//! The periods are the ones the domain's publications accept (`publication::period_label`):
//! a dispatch whole weeks ending at local midnight of its (last) nominal day, a bulletin a
//! calendar month, an assessment a quarter — so a publication built from an occurrence here
//! passes the aggregate's check.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};
use chrono_tz::Tz;
use rectiflow_domain::publication::{Period, PublicationKind};
use rectiflow_domain::settings::Rhythm;
use rectiflow_domain::survey::Quarter;
use rectiflow_domain::values::{local_date, local_start_of_day};

use super::occurrence::{occurrences, Occurrence, OccurrenceError};
use super::rule::Rule;
use super::CampaignCalendar;

/// The three rules of a campaign's rhythm, from its settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RhythmRules {
    /// 周调度: every `dispatch_weekday` at `publish_at`, moved to the next working day.
    pub dispatch: Rule,
    /// 月通报: the first working day of every month at `publish_at`.
    pub bulletin: Rule,
    /// 季考核: the first working day of every quarter at `publish_at`.
    pub assessment: Rule,
}

impl RhythmRules {
    pub fn new(rhythm: &Rhythm) -> Self {
        Self {
            dispatch: Rule::Weekly {
                weekday: rhythm.dispatch_weekday,
                at: rhythm.publish_at,
            },
            bulletin: Rule::FirstWorkingDayOfMonth {
                at: rhythm.publish_at,
            },
            assessment: Rule::FirstWorkingDayOfQuarter {
                at: rhythm.publish_at,
            },
        }
    }

    /// The dispatches that fire in `[from, to)`. Two nominal dispatches moved onto the same
    /// day make one, covering both weeks.
    pub fn dispatches(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        calendar: CampaignCalendar<'_>,
        limit: usize,
    ) -> Result<Vec<DispatchDue>, OccurrenceError> {
        list(&self.dispatch, from, to, calendar, limit, DispatchDue::new)
    }

    /// The bulletins that fire in `[from, to)`, each for the month just ended.
    pub fn bulletins(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        calendar: CampaignCalendar<'_>,
        limit: usize,
    ) -> Result<Vec<BulletinDue>, OccurrenceError> {
        list(&self.bulletin, from, to, calendar, limit, BulletinDue::new)
    }

    /// The assessments that fire in `[from, to)`, each for the quarter just ended.
    pub fn assessments(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        calendar: CampaignCalendar<'_>,
        limit: usize,
    ) -> Result<Vec<AssessmentDue>, OccurrenceError> {
        list(
            &self.assessment,
            from,
            to,
            calendar,
            limit,
            AssessmentDue::new,
        )
    }
}

impl RhythmRules {
    /// Every publication of the rhythm that falls due in `[from, to)`, in the order they are
    /// published: by fire time, and at the same instant a dispatch, then the bulletin, then
    /// the assessment (DOMAIN.md: when a bulletin and an assessment fall due together, the
    /// bulletin is published first). `limit` bounds each rule's nominal times.
    pub fn due(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        calendar: CampaignCalendar<'_>,
        limit: usize,
    ) -> Result<Vec<Due>, OccurrenceError> {
        let mut due: Vec<Due> = self
            .dispatches(from, to, calendar, limit)?
            .into_iter()
            .map(Due::Dispatch)
            .chain(
                self.bulletins(from, to, calendar, limit)?
                    .into_iter()
                    .map(Due::Bulletin),
            )
            .chain(
                self.assessments(from, to, calendar, limit)?
                    .into_iter()
                    .map(Due::Assessment),
            )
            .collect();
        due.sort_by_key(|d| (d.occurrence().fires_at, d.kind()));
        Ok(due)
    }
}

/// One publication of the rhythm falling due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Due {
    Dispatch(DispatchDue),
    Bulletin(BulletinDue),
    Assessment(AssessmentDue),
}

impl Due {
    pub fn kind(&self) -> PublicationKind {
        match self {
            Due::Dispatch(_) => PublicationKind::Dispatch,
            Due::Bulletin(_) => PublicationKind::Bulletin,
            Due::Assessment(_) => PublicationKind::Assessment,
        }
    }

    pub fn occurrence(&self) -> &Occurrence {
        match self {
            Due::Dispatch(d) => &d.occurrence,
            Due::Bulletin(b) => &b.occurrence,
            Due::Assessment(a) => &a.occurrence,
        }
    }

    /// The period the publication covers.
    pub fn period(&self) -> Period {
        match self {
            Due::Dispatch(d) => d.period,
            Due::Bulletin(b) => b.period,
            Due::Assessment(a) => a.period,
        }
    }
}

impl Default for RhythmRules {
    /// DOMAIN.md's rhythm: Monday 09:00 dispatches, bulletins and assessments at 09:00.
    fn default() -> Self {
        Self::new(&Rhythm::default())
    }
}

/// A weekly dispatch (周调度) due: the weeks it covers, one per nominal dispatch it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DispatchDue {
    /// How many weeks (nominal dispatches) it covers.
    pub weeks: usize,
    /// From local midnight a week before its first nominal day to local midnight of its last.
    pub period: Period,
    pub occurrence: Occurrence,
}

impl DispatchDue {
    fn new(
        occurrence: Occurrence,
        calendar: CampaignCalendar<'_>,
    ) -> Result<Self, OccurrenceError> {
        let (first, last) = nominal_span(&occurrence);
        Ok(Self {
            weeks: occurrence.nominal.len(),
            period: dispatch_period(first, last, calendar.zone)?,
            occurrence,
        })
    }
}

/// A monthly bulletin (月通报) due, for the month just ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulletinDue {
    /// The first day of the month it covers.
    pub month: NaiveDate,
    /// From the month's 1st at 00:00 local to the next month's 1st at 00:00 local (the
    /// cut-off).
    pub period: Period,
    pub occurrence: Occurrence,
}

impl BulletinDue {
    fn new(
        occurrence: Occurrence,
        calendar: CampaignCalendar<'_>,
    ) -> Result<Self, OccurrenceError> {
        let cut_off = local_date(nominal_span(&occurrence).1, calendar.zone);
        let month = month_before(cut_off)?;
        Ok(Self {
            month,
            period: Period {
                start: local_start_of_day(month, calendar.zone),
                cut_off: local_start_of_day(cut_off, calendar.zone),
            },
            occurrence,
        })
    }

    /// The month as a publication's stream names it: `2026-09`.
    pub fn label(&self) -> String {
        format!("{:04}-{:02}", self.month.year(), self.month.month())
    }
}

/// A quarterly assessment (季考核) due, for the quarter just ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentDue {
    pub quarter: Quarter,
    /// The quarter's first day at 00:00 local to the next quarter's first day at 00:00 local.
    pub period: Period,
    pub occurrence: Occurrence,
}

impl AssessmentDue {
    fn new(
        occurrence: Occurrence,
        calendar: CampaignCalendar<'_>,
    ) -> Result<Self, OccurrenceError> {
        let cut_off = local_date(nominal_span(&occurrence).1, calendar.zone);
        let quarter = quarter_before(cut_off)?;
        Ok(Self {
            quarter,
            period: Period {
                start: quarter.starts_at(calendar.zone),
                cut_off: quarter.ends_at(calendar.zone),
            },
            occurrence,
        })
    }
}

/// The period a publication of `kind` standing for nominal times from `first` to `last` covers
/// (both the same for a bulletin or an assessment): what an occurrence already fired is
/// published for, when only its nominal times are at hand.
pub fn period_of(
    kind: PublicationKind,
    first: DateTime<Utc>,
    last: DateTime<Utc>,
    zone: Tz,
) -> Result<Period, OccurrenceError> {
    let cut_off = local_date(last, zone);
    Ok(match kind {
        PublicationKind::Dispatch => dispatch_period(first, last, zone)?,
        PublicationKind::Bulletin => Period {
            start: local_start_of_day(month_before(cut_off)?, zone),
            cut_off: local_start_of_day(cut_off, zone),
        },
        PublicationKind::Assessment => {
            let quarter = quarter_before(cut_off)?;
            Period {
                start: quarter.starts_at(zone),
                cut_off: quarter.ends_at(zone),
            }
        }
    })
}

/// Whole weeks: from local midnight a week before the first nominal day to local midnight of
/// the last.
fn dispatch_period(
    first: DateTime<Utc>,
    last: DateTime<Utc>,
    zone: Tz,
) -> Result<Period, OccurrenceError> {
    let first = local_date(first, zone);
    let start = first
        .checked_sub_days(Days::new(7))
        .ok_or(OccurrenceError::OutOfRange { date: first })?;
    Ok(Period {
        start: local_start_of_day(start, zone),
        cut_off: local_start_of_day(local_date(last, zone), zone),
    })
}

/// The first day of the month before the one `cut_off` begins.
fn month_before(cut_off: NaiveDate) -> Result<NaiveDate, OccurrenceError> {
    cut_off
        .checked_sub_months(Months::new(1))
        .ok_or(OccurrenceError::OutOfRange { date: cut_off })
}

/// The quarter before the one `cut_off` is in.
fn quarter_before(cut_off: NaiveDate) -> Result<Quarter, OccurrenceError> {
    Quarter::containing(cut_off)
        .ok()
        .and_then(Quarter::previous)
        .ok_or(OccurrenceError::OutOfRange { date: cut_off })
}

/// The occurrences of `rule` that fire in `[from, to)`, each with what it covers.
fn list<T>(
    rule: &Rule,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    calendar: CampaignCalendar<'_>,
    limit: usize,
    covers: fn(Occurrence, CampaignCalendar<'_>) -> Result<T, OccurrenceError>,
) -> Result<Vec<T>, OccurrenceError> {
    occurrences(rule, from, to, calendar, limit)?
        .into_iter()
        .map(|occurrence| covers(occurrence, calendar))
        .collect()
}

/// An occurrence's first and last nominal times (its fire time, had it none).
fn nominal_span(occurrence: &Occurrence) -> (DateTime<Utc>, DateTime<Utc>) {
    let first = occurrence
        .nominal
        .first()
        .map_or(occurrence.fires_at, |n| n.at);
    (first, occurrence.key().unwrap_or(occurrence.fires_at))
}
