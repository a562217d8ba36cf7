//! # The HTTP API, `/api/v1/…`
//!
//! How secretariats, units, discipline inspection and integrators work with rectiflow, and how
//! leadership reads it. Every request carries an API token (`Authorization: Bearer …`) that
//! acts for one person in one role ([`crate::access`]); commands are decided by the domain for
//! that person acting in that role ([`NarrowedDirectory`]), reads are held to the role's scope.
//!
//! - [`resource`]: the aggregates as resources — collections, actions, read scopes — one
//!   table each, from which both the routes and the OpenAPI document are made.
//! - [`scope`]: who reads, and so may change, which resource.
//! - [`commands`], [`reads`], [`ledger`], [`boards`], [`publications`], [`figures`], [`todo`],
//!   [`reveal`]: the handlers;
//!   [`public`]: the public read model, without a token; [`rehearsal`]: the
//!   rehearsal clock's, served only in rehearsal mode; [`events`]: the event catalogue and
//!   the SSE stream for integrators; [`webhooks`]: webhook subscriptions.
//! - [`conditional`], [`body`], [`problem`]: `ETag`/`If-Match`/`Idempotency-Key`, strict JSON
//!   bodies, and RFC 9457 problems for everything that goes wrong — never a 5xx for the
//!   sender's mistake, never a panic, nothing written.
//! - [`openapi`]: the OpenAPI 3.1 document at `/api/v1/openapi.json` and its browsable page at
//!   `/api/v1/docs/`, served from the binary.

pub mod boards;
pub mod body;
pub mod caller;
pub mod commands;
pub mod conditional;
pub mod events;
pub mod figures;
pub mod ledger;
pub mod metered;
pub mod openapi;
pub mod paging;
pub mod past;
pub mod problem;
pub mod public;
pub mod publications;
pub mod reads;
pub mod recorded;
pub mod rehearsal;
pub mod resource;
pub mod reveal;
pub mod scope;
pub mod todo;
pub mod trace;
pub mod webhooks;

use std::sync::Arc;

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use rectiflow_domain::clock::Clock;
use rectiflow_domain::directory::NarrowedDirectory;
use rectiflow_domain::services::DomainServices;
use rectiflow_engine::{CancellationToken, Executor};
use rectiflow_store::{Store, TokenBook};
use tokio::sync::{Notify, Semaphore};

use crate::access::Principal;
use crate::config::Config;
use crate::dashboard::print::Printer;
use crate::rehearsal::Rehearsal;
use crate::subscriptions::tail::Tail;
use crate::subscriptions::webhook::Webhooks;
use caller::RateLimits;
use events::seats::StreamSeats;
use problem::Problem;
use resource::*;

/// The longest id a path may name (ids of the domain are far shorter).
const MAX_ID_LEN: usize = 128;

/// What every API handler reaches.
pub struct Api<S: Store> {
    pub store: S,
    pub exec: Executor<S>,
    /// The services commands are decided with, before narrowing to the sender's role.
    pub services: DomainServices,
    pub tokens: TokenBook<S>,
    pub clock: Arc<dyn Clock>,
    pub rates: RateLimits,
    /// Each client address's allowance, checked before anything else (see
    /// [`caller::per_address`]).
    pub address_rates: RateLimits,
    pub body_limit: usize,
    /// Wakes this process's scheduler after a change it should see at once.
    pub wake_scheduler: Arc<Notify>,
    /// The rehearsal this service runs, when it runs one: its clock's endpoints are served.
    pub rehearsal: Option<Arc<Rehearsal<S>>>,
    /// Turns for rewinding a register to a past instant ([`past`]).
    pub rewinds: Semaphore,
    /// The county this service records for: the `source` of the events it sends.
    pub county: String,
    /// Cancelled when the service shuts down: what a request streams (events) ends then.
    pub shutdown: CancellationToken,
    /// Where webhook deliveries may go, and what delivers them ([`webhooks`]).
    pub webhooks: Webhooks,
    /// The event streams each token holds open, and how many it may ([`events::seats`]).
    pub streams: StreamSeats,
    pub streams_per_token: u32,
    /// The log's recent events, read once for every stream and webhook near the head.
    pub tail: Tail,
    /// What prints the dashboard's documents to PDF.
    pub printer: Printer,
    /// Who issues the documents (发文机关), as the dashboard heads and signs them.
    pub issuer: String,
}

impl<S: Store> Api<S> {
    /// The API on the executor and services the policies use (the same store, clock and
    /// followed organisation). Fails only if the HTTP client webhooks are delivered with
    /// cannot be made (no TLS roots could be read).
    pub fn new(
        exec: Executor<S>,
        services: DomainServices,
        config: &Config,
        wake_scheduler: Arc<Notify>,
    ) -> Result<Self, reqwest::Error> {
        Ok(Self {
            store: exec.store().clone(),
            clock: exec.clock().clone(),
            tokens: TokenBook::new(exec.store().clone()),
            services,
            exec,
            rates: RateLimits::new(config.api_rate_per_second, config.api_rate_burst),
            address_rates: RateLimits::new(
                config.api_rate_per_address_per_second,
                config.api_rate_per_address_burst,
            ),
            body_limit: config.api_body_limit_bytes as usize,
            wake_scheduler,
            rehearsal: None,
            rewinds: Semaphore::new(past::REWINDS),
            county: config.county.clone(),
            shutdown: CancellationToken::new(),
            webhooks: Webhooks::new(&config.webhooks)?,
            streams: StreamSeats::default(),
            streams_per_token: config.sse_streams_per_token,
            tail: Tail::default(),
            printer: Printer::new(&config.dashboard),
            issuer: config.dashboard.issuer.trim().to_owned(),
        })
    }

    /// The `source` of the events this service sends subscribers.
    pub fn event_source(&self) -> String {
        crate::subscriptions::cloudevent::source(&self.county, self.rehearsal.is_some())
    }

    /// The API of a service that shuts down when `shutdown` is cancelled.
    pub fn with_shutdown(mut self, shutdown: CancellationToken) -> Self {
        self.shutdown = shutdown;
        self
    }

    /// The API of a rehearsal: its clock's endpoints served, and in its document.
    pub fn with_rehearsal(mut self, rehearsal: Arc<Rehearsal<S>>) -> Self {
        self.rehearsal = Some(rehearsal);
        self
    }

    /// The services to decide `principal`'s command with: the organisation this request
    /// read (at its latest version), narrowed to the role their token acts in.
    pub fn services_for(&self, principal: &Principal) -> DomainServices {
        DomainServices {
            directory: Arc::new(NarrowedDirectory::new(
                &principal.organisation,
                principal.person.clone(),
                principal.acting.clone(),
            )),
            ..self.services.clone()
        }
    }
}

/// The API's routes, made from the resource tables ([`resource`]), the ledger and the
/// document.
pub fn router<S: Store>(api: Arc<Api<S>>) -> Router {
    let mut router = Router::new();
    macro_rules! route {
        ($resource:ident) => {
            router = resource_routes::<S, $resource>(router);
        };
    }
    crate::each_resource!(route);
    macro_rules! list {
        ($board:ident) => {
            router = router.route(
                &boards::path::<boards::$board>(),
                get(boards::list::<S, boards::$board>),
            );
        };
    }
    crate::each_board!(list);
    let rehearsing = api.rehearsal.is_some();
    if rehearsing {
        router = rehearsal::routes(router);
    }
    router
        .route("/api/v1/complaints/{id}/reveal", post(reveal::reveal::<S>))
        .route(publications::LIST, get(publications::list::<S>))
        .route(publications::DRILL_DOWN, get(publications::drill_down::<S>))
        .route(todo::PATH, get(todo::list::<S>))
        .route(figures::FIGURES, get(figures::figures::<S>))
        .route(figures::RANKINGS, get(figures::rankings::<S>))
        .route(figures::STANDING, get(figures::standing::<S>))
        .route("/api/v1/ledger", get(ledger::page::<S>))
        .route("/api/v1/ledger.csv", get(ledger::csv::<S>))
        .route("/api/v1/ledger.xlsx", get(ledger::xlsx::<S>))
        .route(public::BULLETINS, get(public::bulletins::<S>))
        .route(public::BULLETIN, get(public::bulletin_by_id::<S>))
        .route(public::TYPICAL_CASES, get(public::typical_cases::<S>))
        .route(events::TYPES, get(events::catalogue::types))
        .route(events::TYPE, get(events::catalogue::one_type))
        .route(events::ASYNCAPI, get(events::catalogue::asyncapi_document))
        .route(events::STREAM, get(events::stream::stream::<S>))
        .route(
            webhooks::COLLECTION,
            post(webhooks::create::<S>).get(webhooks::list::<S>),
        )
        .route(
            webhooks::ONE,
            get(webhooks::get::<S>).delete(webhooks::delete::<S>),
        )
        .route(webhooks::REPLAY, post(webhooks::replay::<S>))
        .route(webhooks::PAUSE, post(webhooks::pause::<S>))
        .route(webhooks::RESUME, post(webhooks::resume::<S>))
        .route(webhooks::ROTATE_SECRET, post(webhooks::rotate_secret::<S>))
        .route(
            webhooks::DEAD_LETTERS,
            get(webhooks::dead_letters::list::<S>),
        )
        .route(
            webhooks::REDELIVER,
            post(webhooks::dead_letters::redeliver::<S>),
        )
        .route("/api/v1/{*rest}", axum::routing::any(unknown_path))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&api),
            caller::per_address::<S>,
        ))
        // A handler's panic is answered inside the request's span (so its log line names the
        // trace) and counted as the 500 it became.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            Problem::for_panic,
        ))
        .layer(axum::middleware::from_fn(trace::traced))
        .layer(axum::middleware::from_fn(metered::metered))
        .with_state(api)
        .merge(openapi::routes(rehearsing))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            Problem::for_panic,
        ))
}

fn resource_routes<S: Store, R: Resource>(router: Router<Arc<Api<S>>>) -> Router<Arc<Api<S>>> {
    let base = format!("/api/v1/{}", R::COLLECTION);
    match R::SINGLETON {
        Some(_) => router
            .route(&base, get(reads::get_singleton::<S, R>))
            .route(
                &format!("{base}/history"),
                get(reads::singleton_history::<S, R>),
            )
            .route(
                &format!("{base}/{{action}}"),
                post(commands::act_on_singleton::<S, R>),
            ),
        None if R::ACTIONS.iter().any(|a| a.creates) => router
            .route(&base, post(commands::create::<S, R>))
            .route(&format!("{base}/{{id}}"), get(reads::get::<S, R>))
            .route(
                &format!("{base}/{{id}}/history"),
                get(reads::history::<S, R>),
            )
            .route(
                &format!("{base}/{{id}}/{{action}}"),
                post(commands::act::<S, R>),
            ),
        None => router
            .route(&format!("{base}/{{id}}"), get(reads::get::<S, R>))
            .route(
                &format!("{base}/{{id}}/history"),
                get(reads::history::<S, R>),
            )
            .route(
                &format!("{base}/{{id}}/{{action}}"),
                post(commands::act::<S, R>),
            ),
    }
}

async fn unknown_path() -> Problem {
    Problem::not_found("request.unknown_path", "/api/v1 下没有此资源")
}

async fn method_not_allowed() -> Problem {
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "request.method_not_allowed",
        "不支持的请求方法",
        "此资源不支持该请求方法",
    )
}

/// The path's parameters, or a problem when they cannot be read (an id that is not UTF-8).
pub fn path<T>(
    path: Result<axum::extract::Path<T>, axum::extract::rejection::PathRejection>,
) -> Result<T, Problem> {
    path.map(|axum::extract::Path(value)| value)
        .map_err(|rejection| {
            Problem::bad_request(
                "request.invalid_id",
                format!("路径中的编号无法读取：{}", rejection.body_text()),
            )
        })
}

/// The query's parameters, or 400 when they cannot be read (an unknown parameter, a value
/// of the wrong kind), naming what is wrong.
pub fn query<T>(
    params: Result<axum::extract::Query<T>, axum::extract::rejection::QueryRejection>,
) -> Result<T, Problem> {
    params
        .map(|axum::extract::Query(value)| value)
        .map_err(|rejection| {
            Problem::bad_request(
                "request.invalid_parameter",
                format!("查询参数有误：{}", rejection.body_text()),
            )
        })
}

/// The earliest and latest years an instant in a query may fall in: chrono reads six-digit
/// years, which no campaign has and which its local-time arithmetic cannot take.
const INSTANT_YEARS: std::ops::RangeInclusive<i32> = 1900..=9999;

/// An instant a query names (`as_of`), refused with a 400 naming `field` outside the years
/// 1900 to 9999.
pub fn instant(
    at: Option<chrono::DateTime<chrono::Utc>>,
    field: &str,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, Problem> {
    use chrono::Datelike;
    match at {
        Some(at) if !INSTANT_YEARS.contains(&at.year()) => Err(Problem::bad_request(
            "request.invalid_parameter",
            format!("{field} 须在 1900 至 9999 年之间"),
        )
        .field(field)),
        at => Ok(at),
    }
}

/// An id named in a path: 1 to 128 characters, none of them a control character (which no id
/// of the domain has, and which the database could not take).
pub fn valid_id(id: &str) -> Result<(), Problem> {
    if id.is_empty() || id.chars().count() > MAX_ID_LEN || id.chars().any(char::is_control) {
        return Err(Problem::bad_request(
            "request.invalid_id",
            format!("编号须为 1 至 {MAX_ID_LEN} 个字符，且不含控制字符"),
        ));
    }
    Ok(())
}
