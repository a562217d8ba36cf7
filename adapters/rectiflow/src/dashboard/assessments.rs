//! 季考核 — the quarterly assessments published so far (county-wide, the latest correction of
//! each quarter), newest first: each unit's score and grade beside the rates and overdue count
//! they were scored on, best first. Each links to its document.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use maud::html;
use rectiflow_domain::publication::{PublicationKind, UnitRow, UnitScore};
use rectiflow_store::Store;

use super::documents::{published, Published};
use super::format;
use super::lens::Lens;
use super::names::unit_name;
use super::overview::LensParams;
use super::session::{Refused, Viewer};
use crate::api::Api;

/// `GET /assessments`.
pub async fn page<S: Store>(
    State(api): State<Arc<Api<S>>>,
    viewer: Viewer,
    params: Result<Query<LensParams>, QueryRejection>,
) -> Result<Response, Refused> {
    let params = crate::api::query(params)?;
    let lens = Lens::read(&api, params.campaign.as_deref(), params.as_of.as_deref()).await?;
    let principal = &viewer.principal;
    let assessments = published(&api, principal, &lens, PublicationKind::Assessment).await?;
    let drills = principal.drills_into(None);
    let body = html! {
        (lens.controls("/assessments", &[]))
        @if assessments.is_empty() {
            p.muted { "截至此时尚无已发布的季度考核。" }
        }
        @for assessment in assessments.iter().rev() {
            @let scored = best_first(assessment);
            section.assessment data-publication=(assessment.id) {
                h2 {
                    a href=(format!("/publications/{}", assessment.id)) { (assessment.label) " 季度考核" }
                    @if assessment.correction > 0 { "（更正" (assessment.correction) "）" }
                }
                p.muted { "截至 " (format::local(assessment.period.cut_off, lens.tz)) "，发布于 " (format::local(assessment.recorded_at, lens.tz)) }
                div.table-wrap { table.scores {
                    thead { tr { th.num { "名次" } th { "单位" } th.num { "得分" } th { "等次" } th.num { "完成率" } th.num { "按期率" } th.num { "加权逾期" } } }
                    tbody {
                        @for (place, (score, row)) in scored.iter().enumerate() {
                            tr data-unit=(score.unit.as_str()) {
                                td.num { (place + 1) }
                                td {
                                    // A county-wide assessment drills down for county-wide readers.
                                    @if drills {
                                        a href=(format!("/publications/{}/drill-down?unit={}", assessment.id, score.unit.as_str())) { (unit_name(principal, &score.unit)) }
                                    } @else {
                                        (unit_name(principal, &score.unit))
                                    }
                                }
                                td.num { (score.score.map_or_else(|| "—".to_owned(), |s| format!("{:.1}", s.get()))) }
                                td.grade { (score.grade.map_or("—", |g| g.label())) }
                                td.num { (format::percent(row.and_then(|r| r.counts.completion_rate))) }
                                td.num { (format::percent(row.and_then(|r| r.counts.on_time_rate))) }
                                td.num { (row.map_or_else(|| "—".to_owned(), |r| format::weighted(r.counts.overdue.weighted))) }
                            }
                        }
                    }
                } }
            }
        }
    };
    Ok(viewer.page("季度考核", "/assessments", &lens, body))
}

/// Each unit's score with the figures it was scored on, the best score first (a unit with no
/// score last), then by unit id.
fn best_first(assessment: &Published) -> Vec<(&UnitScore, Option<&UnitRow>)> {
    let figures = &assessment.figures;
    let mut scored: Vec<_> = figures
        .scores
        .iter()
        .map(|s| (s, figures.units.iter().find(|u| u.unit == s.unit)))
        .collect();
    let score = |s: &UnitScore| s.score.map_or(-1.0, |s| s.get());
    scored.sort_by(|a, b| {
        score(b.0)
            .total_cmp(&score(a.0))
            .then_with(|| a.0.unit.cmp(&b.0.unit))
    });
    scored
}
