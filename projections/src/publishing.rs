//! Publishing a dispatch, bulletin or assessment as a fact (DOMAIN.md "Publications as
//! facts"): read the log's head P and the chain digest there, wait until the read models the
//! figures come from have applied the log up to P, compute the figures as of P for the
//! period's cut-off, and send the publication aggregate its `Publish` command — which checks
//! the figures against the settings in force and records them with P and the digest. So
//! nothing committed before the cut-off is missing (the cut-off is past, and P is the head),
//! and recomputing the publication later at its P gives the same figures.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rectiflow_domain::assessment::AssessmentPeriod;
use rectiflow_domain::publication::{
    publication_id, ChainDigest, LogPoint, Period, Publication, PublicationCommand,
    PublicationEvent, PublicationKind, PublicationScope, Publish,
};
use rectiflow_domain::services::DomainServices;
use rectiflow_domain::settings::CampaignSettings;
use rectiflow_domain::survey::Quarter;
use rectiflow_domain::values::{local_date, CampaignId, PersonId};
use rectiflow_engine::consumer::ConsumerStore;
use rectiflow_engine::readmodel::ReadModelStore;
use rectiflow_engine::shutdown::{pause, CancellationToken};
use rectiflow_engine::{CommandContext, ExecuteError, Executor, Outcome, StoreError};

use crate::campaigns::{campaign_in_force, CampaignError};
use crate::complaint_history::ComplaintHistory;
use crate::figures::{assessment_sources, read_figures, FigureInputs, FiguresError, SOURCES};
use crate::item_history::ItemHistory;
use crate::projector::RowProjection;

/// The read models a publication's figures are computed from: each must have applied the log
/// up to P before the figures are read.
pub const READS: [&str; 2] = [ItemHistory::NAME, ComplaintHistory::NAME];

/// How often the models' checkpoints are looked at while waiting for them (they send no
/// signal of their own).
const LOOK_EVERY: Duration = Duration::from_millis(50);

/// One publication to make.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicationRequest {
    pub kind: PublicationKind,
    pub campaign: CampaignId,
    pub scope: PublicationScope,
    /// The period's label in its stream id (`2026-03`, `2026-Q1`, `2026-W12`).
    pub label: String,
    pub period: Period,
    /// Dispatches: the nominal occurrences it stands for (see [`Publish::nominal`]).
    pub nominal: Vec<DateTime<Utc>>,
}

/// Why a publication was not made.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Figures(#[from] FiguresError),
    #[error(transparent)]
    Campaign(#[from] CampaignError),
    #[error("the period's cut-off {cut_off} has not passed yet (now {now})")]
    BeforeCutOff {
        cut_off: DateTime<Utc>,
        now: DateTime<Utc>,
    },
    #[error("the read model {consumer} stood at {checkpoint}, short of the log's head {head}, when the wait ran out")]
    ModelsBehind {
        consumer: String,
        checkpoint: u64,
        head: u64,
    },
    #[error("the chain hash at position {0} is not a digest: {1}")]
    Digest(u64, String),
    #[error("an assessment's period must be a quarter of the campaign's time zone, not {0:?}")]
    NotAQuarter(Period),
    #[error("the log is empty: there is nothing to publish")]
    EmptyLog,
    #[error("a bad publication id: {0}")]
    Id(String),
    #[error("stopped while waiting for the read models")]
    Stopped,
    #[error(transparent)]
    Execute(#[from] ExecuteError<rectiflow_domain::publication::PublicationError>),
}

/// Publishes `request` as `actor` (a schedule, `schedule:<id>`): P is the head when called,
/// the read models in [`READS`] (and for an assessment [`SOURCES`]) are waited for (up to
/// `wait`, or until `stop`), and the figures computed as of P are sent with P and the chain
/// digest at P.
pub async fn publish<S>(
    exec: &Executor<S>,
    services: &DomainServices,
    actor: &PersonId,
    request: &PublicationRequest,
    wait: Duration,
    stop: &CancellationToken,
) -> Result<Outcome<PublicationEvent>, PublishError>
where
    S: ConsumerStore + ReadModelStore + Clone,
{
    let context = CommandContext::new(actor.clone());
    publish_in(exec, services, &context, request, wait, stop).await
}

/// [`publish`] in `context`: the schedule as actor, on behalf of the occurrence that fired it
/// (its causation and correlation).
pub async fn publish_in<S>(
    exec: &Executor<S>,
    services: &DomainServices,
    context: &CommandContext,
    request: &PublicationRequest,
    wait: Duration,
    stop: &CancellationToken,
) -> Result<Outcome<PublicationEvent>, PublishError>
where
    S: ConsumerStore + ReadModelStore + Clone,
{
    let store = exec.store();
    let now = exec.clock().now();
    if now < request.period.cut_off {
        return Err(PublishError::BeforeCutOff {
            cut_off: request.period.cut_off,
            now,
        });
    }
    let inputs_at = log_point(store).await?;
    let assessed = request.kind == PublicationKind::Assessment;
    let models: Vec<&str> = READS
        .iter()
        .chain(SOURCES.iter().filter(|_| assessed))
        .copied()
        .collect();
    wait_for_models(store, &models, inputs_at.position, wait, stop).await?;
    let settings = campaign_in_force(services, &request.campaign)
        .await?
        .settings()
        .clone();
    let inputs = FigureInputs::new(
        request.kind,
        request.campaign.clone(),
        request.scope.clone(),
        request.period,
        inputs_at.position,
        &settings,
    );
    let sources = match request.kind {
        PublicationKind::Assessment => {
            let quarter = quarter_of(&request.period, &settings)?;
            Some(assessment_sources(store, request.campaign.as_str(), quarter, &settings).await?)
        }
        _ => None,
    };
    let computed = read_figures(store, &inputs, sources.as_ref()).await?;
    let publication = publication_id(
        request.kind,
        &request.campaign,
        &request.label,
        &request.scope,
    )
    .map_err(|e| PublishError::Id(e.to_string()))?;
    let body = PublicationCommand::Publish(Publish {
        publication: publication.clone(),
        kind: request.kind,
        campaign: request.campaign.clone(),
        scope: request.scope.clone(),
        period: request.period,
        nominal: request.nominal.clone(),
        inputs: inputs_at,
        figures: computed.figures,
    });
    Ok(exec
        .execute::<Publication, _>(context, publication.as_str(), None, body, services)
        .await?)
}

/// The quarter an assessment's period is: it must be one, as the campaign's time zone has it.
fn quarter_of(
    period: &Period,
    settings: &CampaignSettings,
) -> Result<AssessmentPeriod, PublishError> {
    let tz = settings.time_zone;
    let quarter = Quarter::containing(local_date(period.start, tz))
        .map(|q| AssessmentPeriod::of(q, tz))
        .ok()
        .filter(|q| q.start() == period.start && q.cut_off() == period.cut_off);
    quarter.ok_or(PublishError::NotAQuarter(*period))
}

/// The head and the chain digest stored there.
async fn log_point<S: ConsumerStore>(store: &S) -> Result<LogPoint, PublishError> {
    let head = store.head().await?;
    let hash = store
        .read_log(head.saturating_sub(1), 1)
        .await?
        .into_iter()
        .next()
        .filter(|e| e.position == head)
        .map(|e| e.hash)
        .ok_or(PublishError::EmptyLog)?;
    let digest = ChainDigest::parse(hash.clone()).map_err(|_| PublishError::Digest(head, hash))?;
    Ok(LogPoint {
        position: head,
        digest,
    })
}

/// The first model in `models` that has not applied the log up to `position`, and the
/// checkpoint it stands at; `None` when all have. What a publication waits on before reading
/// its figures, and what a drill-down into one checks before recomputing them.
pub async fn model_behind<'a, S: ConsumerStore>(
    store: &S,
    models: &[&'a str],
    position: u64,
) -> Result<Option<(&'a str, u64)>, StoreError> {
    for consumer in models {
        let checkpoint = store
            .consumer_position(consumer)
            .await?
            .map_or(0, |p| p.checkpoint);
        if checkpoint < position {
            return Ok(Some((consumer, checkpoint)));
        }
    }
    Ok(None)
}

/// Waits until every model in `models` has applied the log up to `head`.
pub(crate) async fn wait_for_models<S: ConsumerStore>(
    store: &S,
    models: &[&str],
    head: u64,
    wait: Duration,
    stop: &CancellationToken,
) -> Result<(), PublishError> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let Some((consumer, checkpoint)) = model_behind(store, models, head).await? else {
            return Ok(());
        };
        if tokio::time::Instant::now() >= deadline {
            return Err(PublishError::ModelsBehind {
                consumer: consumer.to_owned(),
                checkpoint,
                head,
            });
        }
        if !pause(stop, LOOK_EVERY).await {
            return Err(PublishError::Stopped);
        }
    }
}
