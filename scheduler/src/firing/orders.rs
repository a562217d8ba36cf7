//! The publications an occurrence makes, one per scope (DOMAIN.md "The rhythm"): a weekly
//! dispatch per task force; a monthly bulletin county-wide, then per task force; a quarterly
//! assessment county-wide. Each is named by its stream id, which the occurrence decides — so
//! the publication aggregate, which refuses a second publication on its stream, is what makes
//! the action happen once however many processes take it up.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rectiflow_domain::campaign::Campaign;
use rectiflow_domain::publication::{
    period_label, publication_id, Period, PublicationKind, PublicationScope,
};
use rectiflow_domain::schedule::ScheduleKind;
use rectiflow_domain::values::{CampaignId, PublicationId};

use crate::calendar::{period_of, OccurrenceError};

/// One publication an occurrence makes (or records as skipped).
#[derive(Debug, Clone, PartialEq)]
pub struct PublicationOrder {
    /// Its stream id: kind, campaign, period label and scope.
    pub publication: PublicationId,
    pub kind: PublicationKind,
    pub campaign: CampaignId,
    pub scope: PublicationScope,
    /// The period's label in the stream id (`2026-03`, `2026-Q1`, a dispatch's week).
    pub label: String,
    pub period: Period,
    /// Dispatches: the nominal occurrences it stands for; empty for the others.
    pub nominal: Vec<DateTime<Utc>>,
}

/// Why the publications of an occurrence could not be named.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OrderError {
    #[error("an occurrence names no nominal time")]
    NoNominalTime,
    #[error(transparent)]
    Period(#[from] OccurrenceError),
    #[error("the publication for {0} cannot be named: {1}")]
    Name(String, String),
}

/// The scopes a publication of `kind` covers in `campaign`, in publishing order.
pub fn scopes(kind: ScheduleKind, campaign: &Campaign) -> Vec<PublicationScope> {
    let task_forces = campaign
        .task_forces()
        .keys()
        .map(|task_force| PublicationScope::TaskForce(task_force.clone()));
    match kind {
        ScheduleKind::WeeklyDispatch => task_forces.collect(),
        ScheduleKind::MonthlyBulletin => std::iter::once(PublicationScope::County)
            .chain(task_forces)
            .collect(),
        ScheduleKind::QuarterlyAssessment => vec![PublicationScope::County],
    }
}

/// The publications of `campaign`'s occurrence of `kind` standing for `nominal` (earliest
/// first), in the campaign's time zone.
pub fn orders(
    kind: ScheduleKind,
    campaign_id: &CampaignId,
    campaign: &Campaign,
    nominal: &[DateTime<Utc>],
    zone: Tz,
) -> Result<Vec<PublicationOrder>, OrderError> {
    let (Some(&first), Some(&last)) = (nominal.first(), nominal.last()) else {
        return Err(OrderError::NoNominalTime);
    };
    let publication_kind = kind.publication();
    let period = period_of(publication_kind, first, last, zone)?;
    let label = period_label(publication_kind, period, nominal.len(), zone)
        .map_err(|e| OrderError::Name(campaign_id.to_string(), e.to_string()))?;
    let dispatched = match kind {
        ScheduleKind::WeeklyDispatch => nominal.to_vec(),
        _ => Vec::new(),
    };
    scopes(kind, campaign)
        .into_iter()
        .map(|scope| {
            let publication = publication_id(publication_kind, campaign_id, &label, &scope)
                .map_err(|e| OrderError::Name(campaign_id.to_string(), e.to_string()))?;
            Ok(PublicationOrder {
                publication,
                kind: publication_kind,
                campaign: campaign_id.clone(),
                scope,
                label: label.clone(),
                period,
                nominal: dispatched.clone(),
            })
        })
        .collect()
}
