//! Following every webhook subscription: one process at a time holds the `webhooks` lease (on
//! PostgreSQL an advisory lock, as for a consumer) and runs one task per active subscription;
//! the others stand by and take over when it goes.
//!
//! Each task reads the log after its subscription's checkpoint — what the filter asks for and
//! the subscription's token may read, exactly as an SSE stream would send it — and delivers
//! event by event, in log order, moving the checkpoint by compare-and-set after each. A
//! delivery that failed its last try is parked as a dead letter and passed (`skip`), or stops
//! the subscription, paused, at that event (`pause`). A subscription whose token no longer lets
//! its holder in is paused, saying why. A replay, a pause or a deletion made through the API
//! meanwhile makes the next compare-and-set fail; the task then reads the subscription again.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use rectiflow_engine::consumer::ConsumerStore;
use rectiflow_engine::{CancellationToken, StoreError, Worker, WorkerError};
use rectiflow_store::webhooks::{DeadLetter, OnFailure, Subscription};
use rectiflow_store::{Store, WebhookBook};
use tokio::task::JoinHandle;

use super::delivery::{self, Delivered};
use crate::access::{self, Denied, Principal};
use crate::api::Api;
use crate::subscriptions::audience::Audience;
use crate::subscriptions::filter::Filter;
use crate::subscriptions::follow::{self, Outgoing};

/// The lease one process delivers every subscription's events under.
pub const LEASE: &str = "webhooks";
/// How often the worker looks for subscriptions made, resumed or removed by another process
/// (this process's API wakes it at once).
const SCAN: Duration = Duration::from_secs(2);
/// Events read from the log per batch.
const BATCH: u32 = 100;
/// How often a subscription at the head looks at the log without a wake-up.
const POLL: Duration = Duration::from_secs(1);
/// How often the worker confirms it still holds the lease: losing it stops every delivery
/// within about this long, before another process's deliveries of the same events interleave
/// with these for longer.
const LEASE_CHECK: Duration = Duration::from_millis(500);
/// How long a subscription delivers on one reading of its token before it reads it again (a
/// token revoked meanwhile stops it within about this long).
const REAUTHENTICATE: Duration = Duration::from_secs(30);

/// The supervised worker delivering every subscription's events.
pub fn worker<S: Store>(api: Arc<Api<S>>) -> Worker {
    Worker::restarting(LEASE, move |shutdown| {
        let api = Arc::clone(&api);
        async move { run(api, shutdown).await.map_err(WorkerError::new) }
    })
}

async fn run<S: Store>(api: Arc<Api<S>>, shutdown: CancellationToken) -> Result<(), StoreError> {
    let book = WebhookBook::new(api.store.clone());
    let mut standby = None;
    // Until there is a subscription the lease is not even tried: on PostgreSQL holding it, or
    // standing by for it, keeps a database session open, which a service without webhooks
    // (most of them) should not pay for.
    let mut lease = loop {
        if !book.list(None).await?.is_empty() {
            if let Some(lease) = api.store.try_lease(LEASE, &mut standby).await? {
                break lease;
            }
        }
        tokio::select! {
            _ = shutdown.cancelled() => return Ok(()),
            _ = api.webhooks.changed.notified() => {}
            _ = tokio::time::sleep(SCAN) => {}
        }
    };
    let tasks = shutdown.child_token();
    let result = follow_all(&api, &tasks, &mut lease).await;
    tasks.cancel();
    api.store.release(LEASE, lease).await;
    result
}

/// Keeps one task per active subscription until shutdown, or until the lease is lost.
async fn follow_all<S: Store>(
    api: &Arc<Api<S>>,
    stop: &CancellationToken,
    lease: &mut <S as ConsumerStore>::Lease,
) -> Result<(), StoreError> {
    let book = WebhookBook::new(api.store.clone());
    let mut running: HashMap<String, JoinHandle<()>> = HashMap::new();
    let mut next_scan = tokio::time::Instant::now();
    let outcome = loop {
        if let Err(lost) = api.store.check_lease(lease).await {
            break Err(lost);
        }
        if tokio::time::Instant::now() >= next_scan {
            next_scan = tokio::time::Instant::now() + SCAN;
            running.retain(|_, task| !task.is_finished());
            let subscriptions = match book.list(None).await {
                Ok(subscriptions) => subscriptions,
                Err(error) => break Err(error),
            };
            for subscription in subscriptions.into_iter().filter(|s| s.paused.is_none()) {
                running.entry(subscription.id.clone()).or_insert_with(|| {
                    let (api, stop, id) = (Arc::clone(api), stop.clone(), subscription.id);
                    tokio::spawn(async move {
                        if let Err(error) = deliver(&api, &id, &stop).await {
                            tracing::warn!(subscription = %id, %error, "a webhook subscription stopped; it is taken up again shortly");
                        }
                    })
                });
            }
        }
        tokio::select! {
            _ = stop.cancelled() => break Ok(()),
            _ = api.webhooks.changed.notified() => next_scan = tokio::time::Instant::now(),
            _ = tokio::time::sleep(LEASE_CHECK) => {}
        }
    };
    stop.cancel();
    for (_, task) in running {
        let _ = task.await;
    }
    outcome
}

/// Delivers subscription `id`'s events until it is paused or removed, or `stop`.
async fn deliver<S: Store>(
    api: &Api<S>,
    id: &str,
    stop: &CancellationToken,
) -> Result<(), StoreError> {
    let book = WebhookBook::new(api.store.clone());
    let source = api.event_source();
    let mut head = api.store.watch_head();
    let mut signed_in: Option<(Principal, tokio::time::Instant)> = None;
    'read: loop {
        if stop.is_cancelled() {
            return Ok(());
        }
        head.mark_unchanged();
        let Some(subscription) = book.get(id).await? else {
            return Ok(());
        };
        if subscription.paused.is_some() {
            return Ok(());
        }
        let now = chrono::Utc::now();
        // The allow-list as configured now: a host it no longer allows is not posted to.
        if let Err(refused) = api.webhooks.targets.check(&subscription.url) {
            book.pause(id, &format!("推送地址已不被允许：{refused}"), now)
                .await?;
            return Ok(());
        }
        // The token is read again once its reading is REAUTHENTICATE old, not on every pass:
        // a subscription waiting at the head passes here every poll.
        let fresh = signed_in
            .as_ref()
            .is_some_and(|(_, at)| at.elapsed() <= REAUTHENTICATE);
        if !fresh {
            let principal = match access::authenticate_id(
                &api.tokens,
                &api.services.directory,
                &subscription.token_id,
                now,
            )
            .await
            {
                Ok(principal) => principal,
                Err(Denied::Store(error)) => return Err(error),
                Err(Denied::Unavailable(port)) => {
                    return Err(StoreError::ReadModel(port.to_string()))
                }
                Err(denied) => {
                    book.pause(id, &format!("订阅所用的令牌已不能使用：{denied}"), now)
                        .await?;
                    return Ok(());
                }
            };
            signed_in = Some((principal, tokio::time::Instant::now()));
        }
        let Some((principal, authenticated)) = &signed_in else {
            continue 'read;
        };
        let filter: Filter = match serde_json::from_value(subscription.filter.clone()) {
            Ok(filter) => filter,
            Err(error) => {
                book.pause(id, &format!("过滤条件无法读取：{error}"), now)
                    .await?;
                return Ok(());
            }
        };
        let mut audience = Audience::new(api, principal);
        let page = follow::page(
            &api.tail,
            &api.store,
            subscription.position,
            BATCH,
            &filter,
            &mut audience,
            &source,
        )
        .await
        .map_err(|problem| StoreError::ReadModel(problem.details().detail.clone()))?;
        let mut at = subscription.position;
        for owed in &page.events {
            if authenticated.elapsed() > REAUTHENTICATE {
                continue 'read;
            }
            let position = owed.position();
            let (delivered, event_id) = match owed {
                Outgoing::Event(event) => {
                    let signing = || signing(&book, &subscription);
                    let delivered = api
                        .webhooks
                        .deliverer
                        .deliver(&subscription.url, &event.cloud, stop, signing)
                        .await;
                    (delivered, event.cloud.id.parse().unwrap_or_default())
                }
                Outgoing::Unpublished {
                    event_id, reason, ..
                } => (
                    Delivered::GaveUp {
                        attempts: 0,
                        error: reason.clone(),
                    },
                    *event_id,
                ),
            };
            match delivered {
                Delivered::Interrupted => return Ok(()),
                Delivered::Withdrawn => continue 'read,
                Delivered::Accepted { .. } => {
                    metrics::counter!("rectiflow_webhook_deliveries_total").increment(1);
                    if !book.advance(id, at, position).await? {
                        continue 'read;
                    }
                }
                Delivered::GaveUp { attempts, error } => match subscription.on_failure {
                    OnFailure::Skip => {
                        let letter = DeadLetter {
                            subscription: id.to_owned(),
                            position,
                            event_id,
                            attempts,
                            last_error: error,
                            parked_at: chrono::Utc::now(),
                        };
                        if !book.park(at, &letter).await? {
                            continue 'read;
                        }
                        metrics::counter!("rectiflow_webhook_dead_letters_total").increment(1);
                        tracing::warn!(subscription = %id, position, "a webhook delivery was given up on and parked as a dead letter");
                    }
                    OnFailure::Pause => {
                        let reason =
                            format!("第 {position} 号事件推送 {attempts} 次均失败：{error}");
                        book.pause(id, &reason, chrono::Utc::now()).await?;
                        tracing::warn!(subscription = %id, position, "a webhook subscription paused at a delivery it gave up on");
                        return Ok(());
                    }
                },
            }
            at = position;
        }
        if page.read_to > at && !book.advance(id, at, page.read_to).await? {
            continue 'read;
        }
        if page.read < BATCH as usize {
            tokio::select! {
                _ = stop.cancelled() => return Ok(()),
                _ = head.changed() => {}
                _ = tokio::time::sleep(POLL) => {}
            }
        }
    }
}

/// The secrets to sign the next try with, as the subscription `read` stands now — `None`
/// once it no longer wants its events at the URL read: paused, removed, or moved to another
/// URL. A store that cannot answer is no reason to give up on an event: the secrets read
/// with the page sign it then.
async fn signing<S: Store>(book: &WebhookBook<S>, read: &Subscription) -> Option<Vec<String>> {
    let owned = |s: &Subscription| {
        delivery::secrets(s, chrono::Utc::now())
            .into_iter()
            .map(str::to_owned)
            .collect()
    };
    match book.get(&read.id).await {
        Ok(Some(now)) if now.paused.is_none() && now.url == read.url => Some(owned(&now)),
        Ok(_) => None,
        Err(_) => Some(owned(read)),
    }
}
