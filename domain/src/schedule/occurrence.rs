//! Deciding an occurrence: fired once it is due, skipped (a dispatch) once its catch-up window
//! has closed, its action completed once. When it falls due is computed here from the
//! campaign's rhythm and calendar, never taken from the command.

use chrono::{DateTime, Datelike, Utc};

use super::aggregate::{Done, ScheduleState};
use super::commands::{ScheduleKind, SkipReason};
use super::errors::ScheduleError;
use super::events::ScheduleEvent;
use crate::publication::{catch_up_until, first_working_day_at, is_late};
use crate::services::DomainServices;
use crate::settings::Rhythm;
use crate::values::{PersonId, PublicationId};

/// Fires the occurrence standing for `nominal`, from its due instant on.
pub(super) fn fire(
    state: &ScheduleState,
    nominal: Vec<DateTime<Utc>>,
    services: &DomainServices,
    by: PersonId,
    at: DateTime<Utc>,
) -> Result<ScheduleEvent, ScheduleError> {
    let due = due(state, &nominal, services)?;
    if at < due.at {
        return Err(ScheduleError::NotYetDue { due_at: due.at });
    }
    // A dispatch past its window can no longer be published (the publication refuses it):
    // firing it would leave an action nobody can complete.
    let until = catch_up_until(due.at, &due.rhythm);
    if state.kind.may_skip() && at >= until {
        return Err(ScheduleError::CatchUpWindowPassed { until });
    }
    Ok(ScheduleEvent::OccurrenceFired {
        nominal,
        due_at: due.at,
        late: is_late(at, due.at, due.zone),
        by,
        at,
    })
}

/// Skips the occurrence standing for `nominal`: a dispatch, once its catch-up window closed.
pub(super) fn skip(
    state: &ScheduleState,
    nominal: Vec<DateTime<Utc>>,
    reason: SkipReason,
    services: &DomainServices,
    by: PersonId,
    at: DateTime<Utc>,
) -> Result<ScheduleEvent, ScheduleError> {
    if !state.kind.may_skip() {
        return Err(ScheduleError::NeverSkipped { kind: state.kind });
    }
    let due = due(state, &nominal, services)?;
    let until = catch_up_until(due.at, &due.rhythm);
    if at < until {
        return Err(ScheduleError::InsideCatchUpWindow { until });
    }
    Ok(ScheduleEvent::OccurrenceSkipped {
        nominal,
        due_at: due.at,
        reason,
        by,
        at,
    })
}

/// Completes the action of the occurrence identified by `nominal`, once.
pub(super) fn complete(
    state: &ScheduleState,
    nominal: DateTime<Utc>,
    publications: Vec<PublicationId>,
    by: PersonId,
    at: DateTime<Utc>,
) -> Result<ScheduleEvent, ScheduleError> {
    if !state.awaiting.contains_key(&nominal) {
        return Err(ScheduleError::NotAwaitingAction { nominal });
    }
    Ok(ScheduleEvent::ActionCompleted {
        nominal,
        publications,
        by,
        at,
    })
}

/// When an occurrence falls due, with what that was computed from.
struct Due {
    at: DateTime<Utc>,
    zone: chrono_tz::Tz,
    rhythm: Rhythm,
}

/// When the occurrence standing for `nominal` falls due, after checking it may be fired or
/// skipped at all: each nominal time one of the rhythm's (its hour, and its weekday or first of
/// the month or quarter), earliest first, all falling due at the same instant (several make one
/// only when moved onto one day), none done before, each on a day the schedule runs — all
/// judged on the campaign's wall clock and calendar, so no command can name its own due time.
fn due(
    state: &ScheduleState,
    nominal: &[DateTime<Utc>],
    services: &DomainServices,
) -> Result<Due, ScheduleError> {
    if nominal.is_empty() || !nominal.windows(2).all(|w| w[0] < w[1]) {
        return Err(ScheduleError::BadOccurrence);
    }
    let settings = services
        .settings
        .settings(&state.campaign)
        .ok_or_else(|| ScheduleError::UnknownCampaign(state.campaign.clone()))?;
    let (zone, rhythm) = (settings.time_zone, settings.rhythm);
    let mut due_at = None;
    for &at in nominal {
        let local = at.with_timezone(&zone);
        let day = local.date_naive();
        let nominal_of_kind = match state.kind {
            ScheduleKind::WeeklyDispatch => day.weekday() == rhythm.dispatch_weekday,
            ScheduleKind::MonthlyBulletin => day.day() == 1,
            ScheduleKind::QuarterlyAssessment => day.day() == 1 && day.month() % 3 == 1,
        };
        if !nominal_of_kind || local.time() != rhythm.publish_at {
            return Err(ScheduleError::NotANominalTime {
                nominal: at,
                kind: state.kind,
            });
        }
        if let Some(done) = state.done.get(&at) {
            return Err(ScheduleError::AlreadyDone {
                nominal: at,
                done: match done {
                    Done::Fired { .. } => "fired",
                    Done::Skipped { .. } => "skipped",
                },
            });
        }
        if !state.runs_on(day) {
            return Err(ScheduleError::OutsideSchedule {
                day,
                starts: state.starts,
                ends: state.ends,
            });
        }
        let this = first_working_day_at(day, rhythm.publish_at, zone, &*services.calendar).value;
        if due_at.is_some_and(|due| due != this) {
            return Err(ScheduleError::BadOccurrence);
        }
        due_at = Some(this);
    }
    let at = due_at.ok_or(ScheduleError::BadOccurrence)?;
    Ok(Due { at, zone, rhythm })
}
