//! # 整改驾驶舱 — the leadership dashboard, at `/`
//!
//! What leadership and the task-force secretariats look at rather than read: the county at a
//! glance (挂图作战), the overdue ranking as bars, the trends, the publications as the
//! documents they are, and a drill-down from any figure to its items and from an item to every
//! event of its history. Server-rendered HTML in Chinese ([`page`]), read-only, behind a
//! session cookie set from a leadership or secretariat token ([`session`]).
//!
//! Every page reads what the HTTP API reads, through the same functions and the same scope
//! rules — a secretariat sees its own task forces' items, as it does through the API — so
//! the two never disagree. Every page that shows figures takes an "as of" instant (the time-
//! travel control): the figures, rankings and registers as they stood then.

mod assessments;
mod boards;
pub mod chart;
mod documents;
mod figures;
mod format;
mod items;
mod lens;
mod names;
mod overview;
pub mod page;
pub mod print;
mod ranking;
pub mod session;

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;
use rectiflow_store::Store;

use crate::api::problem::Problem;
use crate::api::Api;

/// The dashboard's routes (pages, login and logout, its two assets), on the API's state.
pub fn router<S: Store>(api: Arc<Api<S>>) -> Router {
    Router::new()
        .route("/", get(overview::page::<S>))
        .route("/login", get(session::form).post(session::login::<S>))
        .route("/logout", post(session::logout::<S>))
        .route("/ranking", get(ranking::page::<S>))
        .route("/figures", get(figures::page::<S>))
        .route("/items", get(items::list::<S>))
        .route("/items/{code}", get(items::item::<S>))
        .route("/assessments", get(assessments::page::<S>))
        .route("/admonishments", get(boards::admonishments::<S>))
        .route("/accountability", get(boards::accountability::<S>))
        .route("/complaints", get(boards::complaints::<S>))
        .route("/cases", get(boards::cases::<S>))
        .route("/publications", get(documents::list::<S>))
        .route(documents::DOCUMENT, get(documents::document::<S>))
        .route(documents::DRILL, get(documents::drill_down::<S>))
        .route(documents::PDF, get(documents::pdf::<S>))
        .route(documents::CSV, get(documents::csv::<S>))
        .route(documents::XLSX, get(documents::xlsx::<S>))
        .route(page::STYLE, get(page::style))
        .route(page::SCRIPT, get(page::script))
        .layer(axum::middleware::from_fn(page::secured))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&api),
            crate::api::caller::per_address::<S>,
        ))
        // As the API's: a handler's panic answered inside the request's span, each request
        // traced and counted.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            Problem::for_panic,
        ))
        .layer(axum::middleware::from_fn(crate::api::trace::traced))
        .layer(axum::middleware::from_fn(crate::api::metered::metered))
        .with_state(api)
}
