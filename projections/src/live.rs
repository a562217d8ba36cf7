//! 实时 — the figures so far: what a dispatch, bulletin or assessment would state if it were
//! published with its cut-off at an instant `as_of`, computed exactly as a publication's are
//! ([`crate::figures`]) but recorded nowhere. Leadership reads the month's ranking before the
//! bulletin; a secretariat sees which units are about to be named.
//!
//! **Period.** The period of the kind that contains `as_of`, up to `as_of`, in the campaign's
//! time zone: a bulletin's month from the 1st at 00:00 local, an assessment's quarter from its
//! first day; a dispatch's seven days before `as_of` (a dispatch's own week is its schedule's).
//!
//! **Position.** P is the least checkpoint of the read models the figures come from — every
//! fact at or before it is in them, and facts after it are left out however far a model has
//! gone on — so the figures are those of one point of the log, named in the answer; for an
//! instant past, no later than the last event recorded by then (what was known at `as_of`). A model
//! that has applied nothing while the log holds events makes the figures unknowable for now
//! ([`LiveError::NotYetApplied`]). One exception, as for a published assessment: its other
//! sources (survey rounds, admonishments, accountability decisions) are read as their
//! registers stand, counted by instant up to `as_of` — a round closed, a talk triggered or a
//! decision taken after `as_of` is left out, but an admonishment withdrawn since is missing.
//!
//! **An instant ahead.** With `as_of` after now the figures are a forecast: how the scope would
//! stand then if nothing more were recorded (deadlines passing, nothing closed) — the same
//! reading the ledger gives of colour and overdue at an instant ahead.

use chrono::Datelike;
use std::sync::Arc;

use chrono::{DateTime, Days, Utc};
use chrono_tz::Tz;
use rectiflow_domain::assessment::AssessmentPeriod;
use rectiflow_domain::campaign::Campaign;
use rectiflow_domain::publication::{Figures, Period, PublicationKind, PublicationScope};
use rectiflow_domain::services::DomainServices;
use rectiflow_domain::survey::Quarter;
use rectiflow_domain::values::{local_date, local_start_of_day, CampaignId, TaskForceId};
use rectiflow_engine::as_of::position_at;
use rectiflow_engine::consumer::ConsumerStore;
use rectiflow_engine::readmodel::ReadModelStore;
use rectiflow_engine::StoreError;

use crate::campaigns::campaign_in_force;
pub use crate::campaigns::CampaignError;
use crate::figures::{
    assessment_sources, read_figures, DrillDown, FigureInputs, FiguresError, SOURCES,
};
use crate::publishing::READS;

/// The figures asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveRequest {
    pub kind: PublicationKind,
    pub campaign: CampaignId,
    pub scope: PublicationScope,
    pub as_of: DateTime<Utc>,
    /// The service's clock when asked: an `as_of` before it reads the past.
    pub now: DateTime<Utc>,
}

/// The figures so far, and where they were read.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveFigures {
    pub period: Period,
    /// P: the facts counted are those logged at positions ≤ P.
    pub position: u64,
    pub figures: Figures,
    /// What is behind each figure: the items (or complaints) each counted, for the scope and
    /// each unit — a figure so far drills down as a published one does.
    pub drill_down: DrillDown,
}

/// Why the figures could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error("{kind}不能按{scope}编制：周调度按专班编制，季考核按全县编制", kind = .0.label(), scope = scope_label(.1))]
    NotCovered(PublicationKind, PublicationScope),
    #[error("专班 {0} 不存在")]
    UnknownTaskForce(TaskForceId),
    #[error("{0} has not been applied to the read models yet")]
    NotYetApplied(&'static str),
    #[error("{0} 不在任何季度内")]
    NoQuarter(DateTime<Utc>),
    #[error(transparent)]
    Campaign(#[from] CampaignError),
    #[error(transparent)]
    Figures(#[from] FiguresError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Whom a publication covers, as a message names it: 全县, or 专班 and its id.
fn scope_label(scope: &PublicationScope) -> String {
    match scope {
        PublicationScope::County => "全县".to_owned(),
        PublicationScope::TaskForce(task_force) => format!("专班 {task_force} "),
    }
}

/// The figures `request` asks for, as of what the read models have applied.
pub async fn live_figures<S: ConsumerStore + ReadModelStore>(
    store: &S,
    services: &DomainServices,
    request: &LiveRequest,
) -> Result<LiveFigures, LiveError> {
    if !request.kind.allows(&request.scope) {
        return Err(LiveError::NotCovered(request.kind, request.scope.clone()));
    }
    let campaign = campaign_of(services, &request.campaign, &request.scope).await?;
    let settings = campaign.settings().clone();
    let tz = settings.time_zone;
    let period = period_so_far(request.kind, request.as_of, tz)?;
    let assessed = request.kind == PublicationKind::Assessment;
    let models: Vec<&'static str> = READS
        .iter()
        .chain(SOURCES.iter().filter(|_| assessed))
        .copied()
        .collect();
    let position = position_for(store, &models, request.as_of, request.now).await?;
    let inputs = FigureInputs::new(
        request.kind,
        request.campaign.clone(),
        request.scope.clone(),
        period,
        position,
        &settings,
    );
    let sources = match assessed {
        true => {
            let quarter = quarter_containing(request.as_of, tz)?.so_far(request.as_of);
            let sources = assessment_sources(store, request.campaign.as_str(), quarter, &settings);
            Some(sources.await?)
        }
        false => None,
    };
    let computed = read_figures(store, &inputs, sources.as_ref()).await?;
    Ok(LiveFigures {
        period,
        position,
        figures: computed.figures,
        drill_down: computed.drill_down,
    })
}

/// `campaign` as in force, provided it has the task force `scope` names, if it names one.
pub async fn campaign_of(
    services: &DomainServices,
    campaign: &CampaignId,
    scope: &PublicationScope,
) -> Result<Arc<Campaign>, LiveError> {
    let campaign = campaign_in_force(services, campaign).await?;
    if let Some(task_force) = scope.task_force() {
        if campaign.task_force(task_force).is_none() {
            return Err(LiveError::UnknownTaskForce(task_force.clone()));
        }
    }
    Ok(campaign)
}

/// P for reading `models` as of `as_of`: [`applied_position`], and for an instant before
/// `now` no later than the last event recorded at or before it — figures asked of the past are
/// those known then (a fact recorded later, however it is dated, was not yet known). Stamps
/// follow positions only roughly (an event is stamped when its command is decided and placed
/// when its transaction is sequenced), so "known then" is as exact as that.
pub async fn position_for<S: ConsumerStore>(
    store: &S,
    models: &[&'static str],
    as_of: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<u64, LiveError> {
    let applied = applied_position(store, models).await?;
    if as_of >= now {
        return Ok(applied);
    }
    Ok(applied.min(position_at(store, as_of).await?))
}

/// P for reading `models`: the least of their checkpoints — every fact at or before it is in
/// all of them (the head of an empty log is 0). A model that has applied nothing while the log
/// holds events is [`LiveError::NotYetApplied`].
pub async fn applied_position<S: ConsumerStore>(
    store: &S,
    models: &[&'static str],
) -> Result<u64, LiveError> {
    let head = store.head().await?;
    let mut position = head;
    for model in models {
        let applied = store
            .consumer_position(model)
            .await?
            .map_or(0, |p| p.checkpoint);
        if applied == 0 && head > 0 {
            return Err(LiveError::NotYetApplied(model));
        }
        position = position.min(applied);
    }
    Ok(position)
}

/// The period of `kind` containing `as_of`, up to `as_of` (see the module's doc).
pub fn period_so_far(
    kind: PublicationKind,
    as_of: DateTime<Utc>,
    tz: Tz,
) -> Result<Period, LiveError> {
    let date = local_date(as_of, tz);
    let start = match kind {
        PublicationKind::Dispatch => as_of
            .checked_sub_days(Days::new(7))
            .unwrap_or(DateTime::<Utc>::MIN_UTC),
        PublicationKind::Bulletin => local_start_of_day(date.with_day(1).unwrap_or(date), tz),
        PublicationKind::Assessment => quarter_containing(as_of, tz)?.start(),
    };
    Ok(Period {
        start,
        cut_off: as_of,
    })
}

fn quarter_containing(at: DateTime<Utc>, tz: Tz) -> Result<AssessmentPeriod, LiveError> {
    Quarter::containing(local_date(at, tz))
        .map(|q| AssessmentPeriod::of(q, tz))
        .map_err(|_| LiveError::NoQuarter(at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const SHANGHAI: Tz = chrono_tz::Asia::Shanghai;

    fn local(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        SHANGHAI
            .with_ymd_and_hms(y, m, d, h, 0, 0)
            .single()
            .map(|t| t.with_timezone(&Utc))
            .expect("a local instant")
    }

    #[test]
    fn each_kind_counts_from_the_start_of_its_period_up_to_the_instant() {
        let as_of = local(2026, 5, 20, 9);
        let period = |kind| period_so_far(kind, as_of, SHANGHAI).expect("a period");
        assert_eq!(
            period(PublicationKind::Bulletin).start,
            local(2026, 5, 1, 0)
        );
        assert_eq!(
            period(PublicationKind::Assessment).start,
            local(2026, 4, 1, 0)
        );
        assert_eq!(
            period(PublicationKind::Dispatch).start,
            local(2026, 5, 13, 9)
        );
        for kind in [
            PublicationKind::Dispatch,
            PublicationKind::Bulletin,
            PublicationKind::Assessment,
        ] {
            assert_eq!(period(kind).cut_off, as_of);
        }
        // Just after local midnight of the 1st (still the 31st of the month before in UTC).
        let first = local(2026, 6, 1, 1);
        let june = period_so_far(PublicationKind::Bulletin, first, SHANGHAI).expect("a period");
        assert_eq!(june.start, local(2026, 6, 1, 0));
    }
}
