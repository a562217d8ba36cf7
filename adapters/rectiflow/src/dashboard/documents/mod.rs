//! 通报与考核 — the publications on record, each as the document it is: the list, the
//! document view ([`document`]), and its downloads as PDF, CSV and XLSX ([`export`]).

mod document;
mod drill;
mod export;

use std::sync::Arc;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use maud::html;
use rectiflow_domain::publication::{
    Figures, Period, Publication, PublicationKind, PublicationScope,
};
use rectiflow_store::Store;

use super::format;
use super::lens::Lens;
use super::overview::LensParams;
use super::session::{Refused, Viewer};
use crate::access::Principal;
use crate::api::problem::Problem;
use crate::api::publications::{listing, PublicationListing};
use crate::api::resource::Publications;
use crate::api::{valid_id, Api};

pub use drill::{page as drill_down, sources as drill_sources, DRILL};
pub use export::{csv, pdf, xlsx};

/// A document's path.
pub const DOCUMENT: &str = "/publications/{id}";
/// Its downloads' paths.
pub const PDF: &str = "/publications/{id}/document.pdf";
pub const CSV: &str = "/publications/{id}/figures.csv";
pub const XLSX: &str = "/publications/{id}/figures.xlsx";

/// A publication on record with its figures: what a document, a trend or a download is made
/// of.
pub struct Published {
    pub id: String,
    pub kind: PublicationKind,
    /// The period's label: a dispatch's first day `2026-03-09`, `2026-03`, `2026-Q1`.
    pub label: String,
    pub scope: PublicationScope,
    pub correction: u32,
    pub period: Period,
    pub position: u64,
    pub digest: String,
    pub recorded_at: DateTime<Utc>,
    pub late: bool,
    pub corrects: Option<String>,
    pub figures: Figures,
}

impl Published {
    fn of(listing: PublicationListing, publication: Publication) -> Option<Self> {
        let inputs = publication.inputs?;
        Some(Self {
            id: listing.id,
            kind: listing.kind,
            label: listing.label,
            scope: publication.scope?,
            correction: listing.correction,
            period: publication.period?,
            position: inputs.position,
            digest: inputs.digest.as_str().to_owned(),
            recorded_at: publication.recorded_at?,
            late: publication.late,
            corrects: publication.corrects.map(|c| c.to_string()),
            figures: publication.figures?,
        })
    }
}

/// The county-wide publications of `kind` in the lens's campaign recorded by its instant,
/// oldest period first; of a period corrected, the latest correction only.
pub async fn published<S: Store>(
    api: &Api<S>,
    principal: &Principal,
    lens: &Lens,
    kind: PublicationKind,
) -> Result<Vec<Published>, Problem> {
    let all = on_record(api, principal, lens, |p| {
        p.kind == kind && p.scope == PublicationScope::County.stream_part()
    })
    .await?;
    // Ids sort by period (a label's publications are adjacent); of each, the highest
    // correction is the one in force (compared as numbers: `correction-10` sorts before
    // `correction-2` as text).
    let mut kept: Vec<Published> = Vec::new();
    for publication in all {
        match kept.last_mut() {
            Some(last) if last.label == publication.label => {
                if publication.correction > last.correction {
                    *last = publication;
                }
            }
            _ => kept.push(publication),
        }
    }
    Ok(kept)
}

/// The publications of the lens's campaign that `wanted` picks from their listings, as the
/// principal reads them, recorded by the lens's instant, in id order.
async fn on_record<S: Store>(
    api: &Api<S>,
    principal: &Principal,
    lens: &Lens,
    wanted: impl Fn(&PublicationListing) -> bool,
) -> Result<Vec<Published>, Problem> {
    let mut ids = api
        .store
        .all_stream_ids("publication")
        .await
        .map_err(|e| Problem::store(&e))?;
    ids.sort();
    let mut found = Vec::new();
    for listed in ids.iter().filter_map(|id| listing(id)) {
        if listed.campaign != lens.id.as_str() || !wanted(&listed) {
            continue;
        }
        let (publication, _) =
            crate::api::reads::readable::<S, Publications>(api, principal, &listed.id).await?;
        if let Some(published) = Published::of(listed, publication) {
            if published.recorded_at <= lens.at() {
                found.push(published);
            }
        }
    }
    Ok(found)
}

/// `GET /publications`: every publication of the campaign on record by the lens's instant,
/// by kind, newest first.
pub async fn list<S: Store>(
    State(api): State<Arc<Api<S>>>,
    viewer: Viewer,
    params: Result<Query<LensParams>, QueryRejection>,
) -> Result<Response, Refused> {
    let params = crate::api::query(params)?;
    let lens = Lens::read(&api, params.campaign.as_deref(), params.as_of.as_deref()).await?;
    let all = on_record(&api, &viewer.principal, &lens, |_| true).await?;
    let body = html! {
        (lens.controls("/publications", &[]))
        @for kind in [PublicationKind::Bulletin, PublicationKind::Assessment, PublicationKind::Dispatch] {
            h2 { (kind.label()) }
            @let of_kind: Vec<&Published> = all.iter().rev().filter(|p| p.kind == kind).collect();
            @if of_kind.is_empty() {
                p.muted { "暂无。" }
            } @else {
                div.table-wrap { table.publications {
                    thead { tr { th { "期次" } th { "范围" } th { "截止" } th { "发布" } th { "在办" } th.num { "逾期（加权）" } } }
                    tbody {
                        @for p in of_kind {
                            tr {
                                td { a href=(format!("/publications/{}", p.id)) { (p.label) @if p.correction > 0 { "（更正" (p.correction) "）" } } }
                                td { (document::scope_name(&lens, &p.scope)) }
                                td { (format::local(p.period.cut_off, lens.tz)) }
                                td { (format::local(p.recorded_at, lens.tz)) @if p.late { "（补发）" } }
                                td.num { (p.figures.totals.open) }
                                td.num { (format::weighted(p.figures.totals.overdue.weighted)) }
                            }
                        }
                    }
                } }
            }
        }
    };
    Ok(viewer.page("通报与考核", "/publications", &lens, body))
}

/// The publication a path names, as the reader may read it, with the lens of its campaign.
async fn one<S: Store>(
    api: &Api<S>,
    principal: &Principal,
    id: Result<Path<String>, PathRejection>,
) -> Result<(Published, Lens), Problem> {
    let id = crate::api::path(id)?;
    valid_id(&id)?;
    let not_found = || Problem::not_found("request.not_found", format!("没有已发布的 {id}"));
    let listed = listing(&id).ok_or_else(not_found)?;
    let (publication, _) =
        crate::api::reads::readable::<S, Publications>(api, principal, &id).await?;
    let campaign = listed.campaign.clone();
    let published = Published::of(listed, publication).ok_or_else(not_found)?;
    let lens = Lens::read(api, Some(&campaign), None).await?;
    Ok((published, lens))
}

/// `GET /publications/{id}`: the document, in the dashboard's frame.
pub async fn document<S: Store>(
    State(api): State<Arc<Api<S>>>,
    viewer: Viewer,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, Refused> {
    let (published, lens) = one(&api, &viewer.principal, id).await?;
    let heading = document::heading(&api, &viewer.principal, &lens, &published).await?;
    let drills = viewer
        .principal
        .drills_into(published.scope.task_force().map(|t| t.as_str()));
    let body = html! {
        p.downloads {
            a href=(format!("/publications/{}/document.pdf", published.id)) { "下载 PDF" }
            a href=(format!("/publications/{}/figures.csv", published.id)) { "下载 CSV" }
            a href=(format!("/publications/{}/figures.xlsx", published.id)) { "下载 XLSX" }
        }
        @if drills {
            p { a href=(format!("/publications/{}/drill-down", published.id)) { "下钻：各项数字所计入的事项" } }
        }
        (document::article(&lens, &viewer.principal, &published, &heading, drills))
    };
    Ok(viewer.page(&document::title(&published), "/publications", &lens, body))
}
