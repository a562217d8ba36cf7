//! `GET /api/v1/events/stream` — Server-Sent Events: the events the token's role may read,
//! in log order, as CloudEvents ([`crate::subscriptions`]).
//!
//! Each SSE event's `id` is the event's public log position, so a client that reconnects with
//! `Last-Event-ID` (every `EventSource` does) resumes right after the last event it received:
//! nothing lost, nothing repeated. At the head, a stream that passed over events its
//! subscriber does not receive sends their last position as an id without data, which moves
//! `Last-Event-ID` without dispatching an event — a reconnect does not read them again, and a
//! client can tell it has seen everything up to there. The log itself is the buffer — a slow client is simply
//! further behind in it, and nothing is held in memory for it beyond one batch.
//!
//! The stream waits on the store's head watch (a hint) or a poll, whichever comes first; it
//! ends when the service shuts down (so shutdown never waits on a subscriber), when the store
//! fails (the client reconnects and resumes), or when its token stops letting it in (revoked,
//! expired, or its role taken away — checked again every [`REAUTHENTICATE`]).

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use rectiflow_store::Store;
use schemars::JsonSchema;
use serde::Deserialize;
use tokio::time::Instant;

use crate::access::{self, Principal};
use crate::api::caller::{bearer, Caller};
use crate::api::events::seats::Seat;
use crate::api::problem::Problem;
use crate::api::Api;
use crate::subscriptions::audience::Audience;
use crate::subscriptions::filter::{Filter, Invalid};
use crate::subscriptions::follow::{self, Outgoing};
use crate::subscriptions::tail::Envelope;

/// Events read from the log per batch.
const BATCH: u32 = 500;
/// How often an idle stream looks at the log without a wake-up.
const POLL: Duration = Duration::from_secs(1);
/// How often the stream checks that its token still lets it in.
pub const REAUTHENTICATE: Duration = Duration::from_secs(30);
/// The comment sent on a quiet stream, so proxies keep the connection open.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The stream's filters and where it starts.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StreamParams {
    /// Event types, comma-separated; `rectiflow.item.*` stands for all of an aggregate's.
    pub types: Option<String>,
    /// Only events of this task force.
    pub task_force: Option<String>,
    /// Only events involving this unit.
    pub unit: Option<String>,
    /// Only events of streams whose `<stream type>/<id>` begins with this.
    pub stream: Option<String>,
    /// Start after this position (0: from the first event). Without it, and without a
    /// `Last-Event-ID` header, the stream starts at the log's head: only what happens next.
    pub after: Option<u64>,
    /// `Last-Event-ID` as EventSource polyfills that cannot set headers send it; the header
    /// wins when both are given.
    #[serde(rename = "lastEventId")]
    pub last_event_id: Option<u64>,
}

fn invalid(invalid: Invalid) -> Problem {
    Problem::bad_request("events.invalid_filter", invalid.detail).field(invalid.field)
}

/// `GET /api/v1/events/stream`.
pub async fn stream<S: Store>(
    State(api): State<Arc<Api<S>>>,
    Caller(principal): Caller,
    headers: HeaderMap,
    params: Result<Query<StreamParams>, QueryRejection>,
) -> Result<Response, Problem> {
    let params = crate::api::query(params)?;
    let filter = Filter::parse(
        params.types.as_deref(),
        params.task_force,
        params.unit,
        params.stream,
    )
    .map_err(invalid)?;
    let resume = match headers.get("last-event-id") {
        None => None,
        Some(value) => Some(
            value
                .to_str()
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .ok_or_else(|| {
                    Problem::bad_request(
                        "events.invalid_last_event_id",
                        "Last-Event-ID 须为事件在日志中的位置（非负整数）",
                    )
                    .field("Last-Event-ID")
                })?,
        ),
    };
    let head = api
        .store
        .head()
        .await
        .map_err(|e| Problem::unavailable(e.to_string()))?;
    let (start, field) = match (resume, params.last_event_id, params.after) {
        (Some(position), _, _) => (position, "Last-Event-ID"),
        (None, Some(position), _) => (position, "lastEventId"),
        (None, None, Some(after)) => (after, "after"),
        (None, None, None) => (head, "after"),
    };
    if start > head {
        return Err(Problem::bad_request(
            "events.position_ahead",
            format!("位置 {start} 超出日志当前的末尾 {head}：此日志中没有这一位置"),
        )
        .field(field));
    }
    let limit = api.streams_per_token;
    let seat = api
        .streams
        .take(&principal.token_id, limit)
        .ok_or_else(|| {
            Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                "events.too_many_streams",
                "事件流过多",
                format!("此令牌已打开 {limit} 个事件流（每个令牌的上限）：请先关闭不用的事件流"),
            )
            .header(header::RETRY_AFTER, HeaderValue::from(RETRY_STREAM_SECONDS))
        })?;
    let secret = bearer(&headers).unwrap_or_default().to_owned();
    let follower = Follower {
        _seat: seat,
        head: api.store.watch_head(),
        source: api.event_source(),
        api,
        principal,
        secret,
        filter,
        cursor: start,
        sent: start,
        pending: VecDeque::new(),
        authenticated: Instant::now(),
    };
    metrics::gauge!("rectiflow_sse_streams").increment(1.0);
    let events = futures::stream::unfold(follower, |mut follower| async move {
        let event = follower.next().await?;
        Some((Ok::<_, Infallible>(event), follower))
    });
    Ok(Sse::new(events)
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response())
}

/// When to try again after too many streams were refused: streams end when their clients go.
const RETRY_STREAM_SECONDS: u32 = 30;

/// One subscriber's place in the log.
struct Follower<S: Store> {
    /// Its token's seat, given back when the stream ends.
    _seat: Seat,
    api: Arc<Api<S>>,
    principal: Principal,
    secret: String,
    filter: Filter,
    /// The last position read (delivered or passed over).
    cursor: u64,
    /// The last position sent as an SSE id.
    sent: u64,
    /// Events read and not yet sent.
    pending: VecDeque<Arc<Envelope>>,
    head: tokio::sync::watch::Receiver<u64>,
    source: String,
    authenticated: Instant,
}

impl<S: Store> Follower<S> {
    /// The next SSE event, or `None` when the stream ends.
    async fn next(&mut self) -> Option<Event> {
        loop {
            if !self.pending.is_empty() && !self.still_let_in().await {
                return None;
            }
            if let Some(envelope) = self.pending.pop_front() {
                self.sent = envelope.cloud.position.parse().unwrap_or(self.sent);
                return Some(sse_event(&envelope));
            }
            if self.api.shutdown.is_cancelled() || !self.still_let_in().await {
                return None;
            }
            // Whatever the head does from here on wakes the wait below.
            self.head.mark_unchanged();
            let mut audience = Audience::new(&self.api, &self.principal);
            let page = follow::page(
                &self.api.tail,
                &self.api.store,
                self.cursor,
                BATCH,
                &self.filter,
                &mut audience,
                &self.source,
            )
            .await;
            let page = match page {
                Ok(page) => page,
                Err(problem) => {
                    tracing::warn!(detail = %problem.details().detail, "an event stream ends: the log cannot be read");
                    return None;
                }
            };
            self.cursor = page.read_to;
            self.pending
                .extend(page.events.into_iter().filter_map(|owed| match owed {
                    Outgoing::Event(envelope) => Some(envelope),
                    // Counted and logged by the reader; a stream cannot park it.
                    Outgoing::Unpublished { .. } => None,
                }));
            if !self.pending.is_empty() || page.read == BATCH as usize {
                continue;
            }
            // At the head, past events this subscriber does not receive: say how far the
            // stream has read, so a reconnect resumes from there rather than read them again
            // (an event with an id and no data moves `Last-Event-ID` without being
            // dispatched).
            if self.cursor > self.sent {
                self.sent = self.cursor;
                return Some(Event::default().id(self.cursor.to_string()));
            }
            // At the head: wait for news, a poll, or the end.
            tokio::select! {
                _ = self.api.shutdown.cancelled() => return None,
                _ = self.head.changed() => {}
                _ = tokio::time::sleep(POLL) => {}
            }
        }
    }

    /// Whether the token still lets its holder in, asked again every [`REAUTHENTICATE`].
    async fn still_let_in(&mut self) -> bool {
        if self.authenticated.elapsed() < REAUTHENTICATE {
            return true;
        }
        let now = chrono::Utc::now();
        match access::authenticate(
            &self.api.tokens,
            &self.api.services.directory,
            &self.secret,
            now,
        )
        .await
        {
            Ok(principal) => {
                self.principal = principal;
                self.authenticated = Instant::now();
                true
            }
            Err(denied) => {
                tracing::info!(%denied, token = %self.principal.token_id, "an event stream ends: its token no longer lets it in");
                false
            }
        }
    }
}

/// A stream ended (its client gone, the service stopping, its token spent): counted out.
impl<S: Store> Drop for Follower<S> {
    fn drop(&mut self) {
        metrics::gauge!("rectiflow_sse_streams").decrement(1.0);
    }
}

/// The SSE event of `envelope`: its position as the id, the CloudEvent as the data.
fn sse_event(envelope: &Envelope) -> Event {
    Event::default()
        .id(envelope.cloud.position.clone())
        .data(envelope.json.as_str())
}
