//! 实时 over HTTP: the figures so far (`GET /api/v1/figures`), the overdue ranking so far
//! (`GET /api/v1/rankings`) and every unit's standing to date (`GET /api/v1/standing`) of a
//! campaign, county-wide or for one task force, for the period
//! of a kind that contains `as_of` (now, on the service's clock, by default) — computed as a
//! publication's are ([`rectiflow_projections::live`]), recorded nowhere. Read as
//! publications are: leadership, discipline inspection and every secretariat.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use rectiflow_domain::publication::{
    Counts, Figures, Period, PublicationKind, PublicationScope, Ranked,
};
use rectiflow_domain::values::local_start_of_day;
use rectiflow_domain::values::{CampaignId, TaskForceId, UnitId};
use rectiflow_projections::live::{
    campaign_of, live_figures, position_for, CampaignError, LiveError, LiveFigures, LiveRequest,
};
use rectiflow_projections::publishing::READS;
use rectiflow_projections::standing::UnitStanding;
use rectiflow_projections::survey_rounds::SurveyRounds;
use rectiflow_projections::RowProjection;
use rectiflow_store::Store;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::caller::Caller;
use super::problem::Problem;
use super::resource::ReadRule;
use super::Api;
use crate::access::Principal;

/// The figures' path.
pub const FIGURES: &str = "/api/v1/figures";
/// The ranking's path.
pub const RANKINGS: &str = "/api/v1/rankings";
/// The units' standing's path.
pub const STANDING: &str = "/api/v1/standing";

/// What the figures so far are asked for.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FiguresParams {
    pub campaign: String,
    /// `bulletin` by default (the month so far); `assessment` (the quarter so far, with its
    /// scores) is county-wide, `dispatch` (the seven days before `as_of`) one task force's.
    pub kind: Option<PublicationKind>,
    /// One task force's figures; the county's by default.
    pub task_force: Option<String>,
    /// The instant the figures are cut off at (RFC 3339); now by default. An instant ahead is
    /// a forecast: how things would stand then if nothing more were recorded.
    pub as_of: Option<DateTime<Utc>>,
}

/// What the ranking so far is asked for: a bulletin's, for the month containing `as_of`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RankingParams {
    pub campaign: String,
    /// One task force's units; the county's by default.
    pub task_force: Option<String>,
    /// The instant the ranking is judged at (RFC 3339); now by default.
    pub as_of: Option<DateTime<Utc>>,
}

/// What the units' standing is asked for.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StandingParams {
    pub campaign: String,
    /// One task force's units; the county's by default.
    pub task_force: Option<String>,
    /// Where "to date" starts (RFC 3339): 1 January of the campaign's year, 00:00 local, by
    /// default.
    pub since: Option<DateTime<Utc>>,
    /// The instant the standing is judged at (RFC 3339); now by default.
    pub as_of: Option<DateTime<Utc>>,
}

/// 单位整改态势 — every unit's standing to date, and the ranking.
#[derive(Debug, Serialize, JsonSchema)]
pub struct StandingView {
    pub campaign: String,
    pub scope: PublicationScope,
    pub period: Period,
    pub position: u64,
    pub forecast: bool,
    pub totals: Counts,
    /// Each unit's counts and its satisfaction from complaint ratings (0–100).
    pub units: Vec<UnitStanding>,
    pub ranking: Vec<Ranked>,
    pub bottom: Vec<UnitId>,
    pub named: Vec<UnitId>,
}

/// The figures so far.
#[derive(Debug, Serialize, JsonSchema)]
pub struct LiveFiguresView {
    pub campaign: String,
    pub kind: PublicationKind,
    pub scope: PublicationScope,
    pub period: Period,
    /// P: the facts counted are those logged at positions ≤ P (what the read models had
    /// applied when asked).
    pub position: u64,
    /// `as_of` is after now: a forecast.
    pub forecast: bool,
    pub figures: Figures,
}

/// 排名 — the overdue ranking so far: units by weighted overdue count, then days overdue.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RankingView {
    pub campaign: String,
    pub scope: PublicationScope,
    pub period: Period,
    pub position: u64,
    pub forecast: bool,
    pub ranking: Vec<Ranked>,
    /// The bottom N (末位).
    pub bottom: Vec<UnitId>,
    /// 点名: the bottom N and every unit at or above the admonishment threshold.
    pub named: Vec<UnitId>,
}

pub async fn figures<S: Store>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
    params: Result<Query<FiguresParams>, QueryRejection>,
) -> Result<Response, Problem> {
    let params = super::query(params)?;
    let kind = params.kind.unwrap_or(PublicationKind::Bulletin);
    let (scope, live, forecast) = so_far(
        &api,
        &principal,
        &params.campaign,
        kind,
        &params.task_force,
        params.as_of,
    )
    .await?;
    let view = LiveFiguresView {
        campaign: params.campaign,
        kind,
        scope,
        period: live.period,
        position: live.position,
        forecast,
        figures: live.figures,
    };
    Ok(axum::Json(view).into_response())
}

pub async fn rankings<S: Store>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
    params: Result<Query<RankingParams>, QueryRejection>,
) -> Result<Response, Problem> {
    let params = super::query(params)?;
    let kind = PublicationKind::Bulletin;
    let (scope, live, forecast) = so_far(
        &api,
        &principal,
        &params.campaign,
        kind,
        &params.task_force,
        params.as_of,
    )
    .await?;
    let view = RankingView {
        campaign: params.campaign,
        scope,
        period: live.period,
        position: live.position,
        forecast,
        ranking: live.figures.ranking,
        bottom: live.figures.bottom,
        named: live.figures.named,
    };
    Ok(axum::Json(view).into_response())
}

pub async fn standing<S: Store>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
    params: Result<Query<StandingParams>, QueryRejection>,
) -> Result<Response, Problem> {
    let params = super::query(params)?;
    let as_of = super::instant(params.as_of, "as_of")?;
    let since = super::instant(params.since, "since")?;
    let kind = PublicationKind::Bulletin;
    let request = request(&api, &params.campaign, kind, &params.task_force, as_of)?;
    allowed(&api, &principal).await?;
    let campaign = campaign_of(&api.services, &request.campaign, &request.scope)
        .await
        .map_err(live_problem)?;
    let settings = campaign.settings();
    // To date: from 1 January of the campaign's year unless asked otherwise (and from
    // `as_of` itself for an instant before that year: an empty period).
    let start = match since {
        Some(since) if since > request.as_of => {
            return Err(
                Problem::bad_request("request.invalid_parameter", "since 不能晚于 as_of")
                    .field("since"),
            )
        }
        Some(since) => since,
        None => year_start(campaign.year(), settings.time_zone).min(request.as_of),
    };
    let period = Period {
        start,
        cut_off: request.as_of,
    };
    // The survey rounds too: a standing's satisfaction reads them.
    let models = [READS[0], READS[1], SurveyRounds::NAME];
    let position = position_for(&api.store, &models, request.as_of, request.now)
        .await
        .map_err(live_problem)?;
    let standing = rectiflow_projections::standing::standing(
        &api.store,
        &request.campaign,
        &request.scope,
        period,
        position,
        settings,
    )
    .await
    .map_err(|e| live_problem(LiveError::Figures(e)))?;
    let view = StandingView {
        campaign: params.campaign,
        scope: request.scope,
        period,
        position,
        forecast: request.as_of > request.now,
        totals: standing.totals,
        units: standing.units,
        ranking: standing.ranking,
        bottom: standing.bottom,
        named: standing.named,
    };
    Ok(axum::Json(view).into_response())
}

/// 00:00 local of 1 January of `year`.
fn year_start(year: u16, tz: chrono_tz::Tz) -> DateTime<Utc> {
    let day = chrono::NaiveDate::from_ymd_opt(i32::from(year), 1, 1).unwrap_or_default();
    local_start_of_day(day, tz)
}

/// The figures so far as the parameters ask for them, the scope they cover, and whether
/// they are a forecast.
pub(crate) async fn so_far<S: Store>(
    api: &Api<S>,
    principal: &Principal,
    campaign: &str,
    kind: PublicationKind,
    task_force: &Option<String>,
    as_of: Option<DateTime<Utc>>,
) -> Result<(PublicationScope, LiveFigures, bool), Problem> {
    let as_of = super::instant(as_of, "as_of")?;
    let request = request(api, campaign, kind, task_force, as_of)?;
    let live = read(api, principal, &request).await?;
    Ok((request.scope, live, request.as_of > request.now))
}

fn request<S: Store>(
    api: &Api<S>,
    campaign: &str,
    kind: PublicationKind,
    task_force: &Option<String>,
    as_of: Option<DateTime<Utc>>,
) -> Result<LiveRequest, Problem> {
    let invalid = |field: &str, e: &dyn std::fmt::Display| {
        Problem::bad_request(
            "request.invalid_parameter",
            format!("参数 {field} 有误：{e}"),
        )
        .field(field)
    };
    let campaign = CampaignId::parse(campaign).map_err(|e| invalid("campaign", &e))?;
    let scope = match task_force {
        Some(t) => PublicationScope::TaskForce(
            TaskForceId::parse(t.as_str()).map_err(|e| invalid("task_force", &e))?,
        ),
        None => PublicationScope::County,
    };
    let now = api.clock.now();
    Ok(LiveRequest {
        kind,
        campaign,
        scope,
        as_of: as_of.unwrap_or(now),
        now,
    })
}

async fn read<S: Store>(
    api: &Api<S>,
    principal: &Principal,
    request: &LiveRequest,
) -> Result<LiveFigures, Problem> {
    allowed(api, principal).await?;
    live_figures(&api.store, &api.services, request)
        .await
        .map_err(live_problem)
}

/// Whether the principal reads figures: as publications are read.
async fn allowed<S: Store>(api: &Api<S>, principal: &Principal) -> Result<(), Problem> {
    let county = Default::default();
    if !super::scope::may_read(api, principal, ReadRule::CountyWide, &county).await? {
        return Err(Problem::forbidden(
            "auth.out_of_scope",
            format!("以{}身份不能查阅统计数据", principal.acting),
        ));
    }
    Ok(())
}

pub(crate) fn live_problem(error: LiveError) -> Problem {
    match error {
        LiveError::NotCovered(..) => {
            Problem::invalid("figures.scope_not_covered", error.to_string()).field("task_force")
        }
        LiveError::NoQuarter(_) => {
            Problem::invalid("figures.no_quarter", error.to_string()).field("as_of")
        }
        LiveError::Campaign(CampaignError::Unknown(campaign)) => Problem::not_found(
            "figures.unknown_campaign",
            format!("整治行动 {campaign} 不存在"),
        ),
        LiveError::UnknownTaskForce(_) => {
            Problem::not_found("figures.unknown_task_force", error.to_string())
        }
        LiveError::NotYetApplied(_) => Problem::unavailable(format!("{error}; ask again shortly"))
            .header(header::RETRY_AFTER, HeaderValue::from_static("1")),
        LiveError::Campaign(_) | LiveError::Figures(_) | LiveError::Store(_) => {
            Problem::unavailable(error.to_string())
        }
    }
}
