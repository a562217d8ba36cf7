//! 下钻 — what is behind a publication's figures, for its scope or one unit: each figure with
//! the items (or complaints) it counted, recomputed at the publication's own log position
//! ([`crate::api::publications::drill`]), and whether the recomputation still equals what was
//! published. An item leads to its page.

use std::sync::Arc;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use maud::{html, Markup};
use rectiflow_projections::figures::{figure, FigureSources};
use rectiflow_store::Store;

use super::super::session::{Refused, Viewer};
use super::{document, one};
use crate::api::publications::{drill, DrillParams};
use crate::api::Api;
use crate::dashboard::names::unit_name_of;

/// The drill-down's path.
pub const DRILL: &str = "/publications/{id}/drill-down";

/// A figure as a reader names it.
pub fn label(name: &str) -> &'static str {
    match name {
        figure::REGISTERED_IN_PERIOD => "本期登记",
        figure::REGISTERED_TO_DATE => "累计登记",
        figure::CLOSED_ON_TIME_IN_PERIOD => "本期按期销号",
        figure::CLOSED_ON_TIME_TO_DATE => "累计按期销号",
        figure::CLOSED_LATE_IN_PERIOD => "本期逾期销号",
        figure::CLOSED_LATE_TO_DATE => "累计逾期销号",
        figure::OPEN => "在办",
        figure::PENDING_SIGN_OFF => "待销号",
        figure::OVERDUE_FULL => "逾期（全额计）",
        figure::OVERDUE_MITIGATED => "逾期（减轻计）",
        figure::OVERDUE_EXEMPTED => "逾期（免责）",
        figure::DUE => "已到期（完成率分母）",
        figure::DUE_CLOSED => "到期已销号（完成率分子）",
        figure::SIGN_OFF_REQUESTS => "销号申请",
        figure::SEND_BACKS => "退回补正",
        figure::RESPONSES_DUE => "投诉应响应",
        figure::RESPONSES_IN_TIME => "投诉按时响应",
        figure::RELAPSES => "回头看反弹",
        figure::LATE_ACKNOWLEDGEMENTS => "超时签收",
        _ => "其他",
    }
}

/// `GET /publications/{id}/drill-down?unit=…&figure=…`.
pub async fn page<S: Store>(
    State(api): State<Arc<Api<S>>>,
    viewer: Viewer,
    id: Result<Path<String>, PathRejection>,
    params: Result<Query<DrillParams>, QueryRejection>,
) -> Result<Response, Refused> {
    let params = crate::api::query(params)?;
    let principal = &viewer.principal;
    let (published, lens) = one(&api, principal, id).await?;
    let unit = params.unit.clone();
    let view = drill(&api, principal, published.id.clone(), params).await?;
    // Each item as it stood at the cut-off, when it counted.
    let cut_off = published
        .period
        .cut_off
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let at_cut_off =
        serde_urlencoded::to_string([("campaign", lens.id.as_str()), ("as_of", cut_off.as_str())])
            .unwrap_or_default();
    let scope = match &unit {
        Some(unit) => unit_name_of(principal, unit),
        None => document::scope_name(&lens, &published.scope),
    };
    let body = html! {
        p {
            a href=(format!("/publications/{}", published.id)) { (document::title(&published)) }
            " · " (scope) " · 日志第 " (view.position) " 位"
        }
        p.matches {
            @match view.matches_published {
                Some(true) => "按日志重新计算的各项数字与发布时一致。",
                Some(false) => strong.error { "按日志重新计算的数字与发布时不一致：请核查日志（rectiflow verify）。" },
                None => "此为更正件：其数字由专班办公室给出，不作重新计算。",
            }
        }
        (sources(&view.figures, &at_cut_off))
    };
    Ok(viewer.page("下钻", "/publications", &lens, body))
}

/// Each figure of `figures` with what it counted; an item leads to its page with `query` (the
/// campaign, and the instant the figure was judged at).
pub fn sources(figures: &FigureSources, query: &str) -> Markup {
    html! {
        @if figures.is_empty() {
            p.muted { "没有计入任何事项。" }
        }
        @for (name, behind) in figures {
            section.figure data-figure=(name) {
                h2 { (label(name)) "（" (behind.len()) "）" }
                div.chips {
                    @for source in behind {
                        // The response figures count complaints; every other, items.
                        @if name.starts_with("response.") {
                            span data-code=(source.code) { (source.code) }
                        } @else {
                            a href=(format!("/items/{}?{query}", source.code)) data-code=(source.code) { (source.code) }
                        }
                    }
                }
            }
        }
    }
}
