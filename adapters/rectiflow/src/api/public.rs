//! 公开 — the public read model, served without a token: the published bulletins (figures
//! only — counts, the ranking and the units named, with the log position and chain digest
//! anyone can verify them against) and the typical cases (典型案例: title and summary, as the
//! secretariat published them). Nothing here names a person: units are organisations, and a
//! typical case is published without personal data (DOMAIN.md, "Cases").
//!
//! Without a token there is no token to hold to a rate: each client address is held to its
//! own ([`super::caller::per_address`]), as every request is. The answers may be cached for a
//! minute.

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use rectiflow_domain::case::Case;
use rectiflow_domain::publication::{Counts, StreamName, UnitRow};
use rectiflow_domain::publication::{LogPoint, Period, Publication, PublicationKind, Ranked};
use rectiflow_domain::values::{PublicationId, UnitId};
use rectiflow_projections::case_board::{CaseBoard, CaseEntry};
use rectiflow_projections::RowProjection;
use rectiflow_store::Store;
use schemars::JsonSchema;
use serde::Serialize;

use super::problem::Problem;
use super::{valid_id, Api};

/// Where the public read model is.
pub const BULLETINS: &str = "/api/v1/public/bulletins";
pub const BULLETIN: &str = "/api/v1/public/bulletins/{id}";
pub const TYPICAL_CASES: &str = "/api/v1/public/typical-cases";

/// A published bulletin, figures only.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PublicBulletin {
    pub id: String,
    pub campaign: String,
    /// `county`, or `task_force:<id>`.
    pub scope: String,
    pub period: Period,
    pub published_at: DateTime<Utc>,
    /// The bulletin it corrects (更正), if it is a correction.
    pub corrects: Option<String>,
    /// The log position its figures were read at, and the chain digest there: `rectiflow
    /// verify --digest` proves the log they came from was not rewritten.
    pub inputs: LogPoint,
    pub totals: Counts,
    pub units: Vec<UnitRow>,
    /// Units ranked by weighted overdue items (排名).
    pub ranking: Vec<Ranked>,
    /// Units named for criticism (点名).
    pub named: Vec<UnitId>,
}

/// A typical case, as published.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PublicTypicalCase {
    pub case: String,
    pub campaign: String,
    pub field: String,
    pub title: String,
    pub summary: String,
    pub published_at: DateTime<Utc>,
}

pub async fn bulletins<S: Store>(State(api): State<Arc<Api<S>>>) -> Result<Response, Problem> {
    let ids = api
        .store
        .all_stream_ids("publication")
        .await
        .map_err(|e| Problem::store(&e))?;
    let mut bulletins = Vec::new();
    for id in ids {
        let Some(name) = PublicationId::parse(id.as_str())
            .ok()
            .and_then(|id| StreamName::read(&id))
        else {
            continue;
        };
        if name.kind != PublicationKind::Bulletin {
            continue;
        }
        if let Some(bulletin) = bulletin(&api, &id).await? {
            bulletins.push(bulletin);
        }
    }
    bulletins.sort_by(|a, b| (b.period.cut_off, &a.id).cmp(&(a.period.cut_off, &b.id)));
    Ok(cached(axum::Json(bulletins).into_response()))
}

pub async fn bulletin_by_id<S: Store>(
    State(api): State<Arc<Api<S>>>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, Problem> {
    let id = super::path(id)?;
    valid_id(&id)?;
    let found = bulletin(&api, &id).await?.ok_or_else(|| {
        Problem::not_found("request.not_found", format!("没有已发布的通报 {id:?}"))
    })?;
    Ok(cached(axum::Json(found).into_response()))
}

/// Bulletin `id`'s public view, when it is a published bulletin.
async fn bulletin<S: Store>(api: &Api<S>, id: &str) -> Result<Option<PublicBulletin>, Problem> {
    let (publication, _) = api
        .exec
        .load::<Publication>(id)
        .await
        .map_err(|e| Problem::store(&e))?;
    let Publication {
        kind: Some(PublicationKind::Bulletin),
        campaign: Some(campaign),
        scope: Some(scope),
        period: Some(period),
        inputs: Some(inputs),
        figures: Some(figures),
        recorded_at: Some(published_at),
        corrects,
        ..
    } = publication
    else {
        return Ok(None);
    };
    Ok(Some(PublicBulletin {
        id: id.to_owned(),
        campaign: campaign.as_str().to_owned(),
        scope: scope.stream_part(),
        period,
        published_at,
        corrects: corrects.map(|c| c.as_str().to_owned()),
        inputs,
        totals: figures.totals,
        units: figures.units,
        ranking: figures.ranking,
        named: figures.named,
    }))
}

pub async fn typical_cases<S: Store>(State(api): State<Arc<Api<S>>>) -> Result<Response, Problem> {
    let rows: Vec<CaseEntry> = CaseBoard::TABLE
        .read_all(&api.store)
        .await
        .map_err(|e| Problem::store(&e))?;
    let mut cases = Vec::new();
    for row in rows.iter().filter(|row| row.published_at.is_some()) {
        let (case, _) = api
            .exec
            .load::<Case>(&row.case)
            .await
            .map_err(|e| Problem::store(&e))?;
        if let Some(typical) = case.typical {
            cases.push(PublicTypicalCase {
                case: row.case.clone(),
                campaign: row.campaign.clone(),
                field: row.field.clone(),
                title: typical.title.as_str().to_owned(),
                summary: typical.summary.as_str().to_owned(),
                published_at: typical.published_at,
            });
        }
    }
    cases.sort_by(|a, b| (b.published_at, &a.case).cmp(&(a.published_at, &b.case)));
    Ok(cached(axum::Json(cases).into_response()))
}

/// Public answers may be kept a minute by any cache.
fn cached(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    response
}
